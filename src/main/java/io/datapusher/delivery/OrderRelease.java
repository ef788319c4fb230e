package io.datapusher.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.datapusher.destination.OrderingDropped;
import io.quarkus.logging.Log;

/** When a destination stops being {@code fifo}, the deliveries waiting in its queue go at once. */
@ApplicationScoped
class OrderRelease {
    void release(@Observes OrderingDropped dropped) {
        int released = DeliveryLog.leaveOrder(dropped.destinationId());
        Log.infof("Destination %s is unordered now; %d pending deliveries left its queue", dropped.destinationId(),
                released);
    }
}
