package io.datapusher.common;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Rows keyed by them are
 * inserted at the right edge of their B-tree indexes instead of at random pages, which keeps the
 * hot part of the index small and cached when events and logs are written thousands a second.
 */
public final class TimeOrderedIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TimeOrderedIds() {
    }

    public static UUID next() {
        return at(System.currentTimeMillis());
    }

    /** The smallest id of this millisecond: every id made before it sorts lower, in Java and in PostgreSQL. */
    public static UUID lowestAt(long epochMillis) {
        return new UUID((epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L, 0x8000_0000_0000_0000L);
    }

    /** An id of that millisecond. */
    public static UUID at(long epochMillis) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long high = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (((random[0] & 0x0F) << 8) | (random[1] & 0xFF));
        long low = 0x8000_0000_0000_0000L | ((random[2] & 0x3FL) << 56);
        for (int i = 3; i < 10; i++) {
            low |= (random[i] & 0xFFL) << (8 * (9 - i));
        }
        return new UUID(high, low);
    }
}
