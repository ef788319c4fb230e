package io.datapusher.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void isAVersion7Uuid_withTheTimeInItsFirst48Bits() {
        long millis = 1_795_965_983_306L;
        UUID id = TimeOrderedIds.at(millis);
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        assertEquals(millis, id.getMostSignificantBits() >>> 16);
    }

    @Test
    void laterIds_sortAfterEarlierOnes_asPostgreSqlComparesUuids() {
        UUID earlier = TimeOrderedIds.at(1_000_000L);
        UUID later = TimeOrderedIds.at(1_000_001L);
        // PostgreSQL orders uuids by their bytes, unsigned: the same as the hex text
        assertTrue(earlier.toString().compareTo(later.toString()) < 0);
        assertNotEquals(TimeOrderedIds.at(1_000_000L), earlier, "random bits differ within a millisecond");
    }
}
