package io.datapusher.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.datapusher.ingest.EventPublisher;

/** The queue message as ingest writes it: a published-at line, then one event id a line. */
class DeliveryConsumerTest {
    private static final UUID A = UUID.fromString("01a227ea-1913-7980-b1b8-3ccfa0112296");
    private static final UUID B = UUID.fromString("01a227ea-1914-7c33-9f15-e2e2c19c08df");

    @Test
    void aBatchMessage_givesItsEventIds_andWhenItWasPublished() {
        String message = EventPublisher.PUBLISHED_AT + "1795965983306\n" + A + "\n" + B;
        assertEquals(2, DeliveryConsumer.parse(message).size());
        assertTrue(DeliveryConsumer.parse(message).containsAll(Set.of(A, B)));
        assertEquals(1_795_965_983_306L, DeliveryConsumer.publishedAt(message));
    }

    @Test
    void aMessageOfOneBareId_asEarlierVersionsSentThem_isRead() {
        assertEquals(Set.of(A), DeliveryConsumer.parse(A.toString()));
        assertEquals(-1, DeliveryConsumer.publishedAt(A.toString()));
    }

    @Test
    void aLineThatIsNoEventId_makesTheMessageUnreadable() {
        assertEquals(Set.of(), DeliveryConsumer.parse(A + "\nnot-an-id"));
        assertEquals(-1, DeliveryConsumer.publishedAt(EventPublisher.PUBLISHED_AT + "soon\n" + A));
    }
}
