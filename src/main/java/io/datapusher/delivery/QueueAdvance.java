package io.datapusher.delivery;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.datapusher.common.DatabaseErrors;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Lets the next delivery to an ordered ({@code fifo}) destination go as soon as the one before it
 * has ended: the outcome recorder hands over the destinations whose head it has just written a
 * final outcome for, once committed, and this claims their new heads and attempts them, off the
 * recorder's thread. It is only the fast path: when it has no slot, fails or dies with its replica,
 * the due poller of any replica claims the heads once they are due.
 */
@ApplicationScoped
class QueueAdvance {
    private final DeliveryClaims claims;
    private final Dispatcher dispatcher;
    private final InFlight inFlight;
    private final LinkedBlockingQueue<UUID> ended = new LinkedBlockingQueue<>();
    private volatile boolean running;

    QueueAdvance(DeliveryClaims claims, Dispatcher dispatcher, InFlight inFlight) {
        this.claims = claims;
        this.dispatcher = dispatcher;
        this.inFlight = inFlight;
    }

    /** These destinations' queue heads have ended (committed); never blocks. */
    void headsEnded(Collection<UUID> destinationIds) {
        ended.addAll(destinationIds);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        Thread thread = new Thread(this::run, "delivery-queue-advance");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
    }

    private void run() {
        Set<UUID> destinations = new LinkedHashSet<>();
        while (running) {
            try {
                UUID first = ended.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                destinations.add(first);
                ended.drainTo(destinations);
                advance(destinations);
                destinations.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void advance(Set<UUID> destinations) {
        int slots = inFlight.reserve(destinations.size());
        if (slots == 0) {
            return; // draining, or busy: the due poller takes the heads
        }
        List<Delivery> claimed;
        try {
            claimed = claims.claimNextHeads(destinations, slots);
        } catch (RuntimeException e) {
            inFlight.release(slots);
            Log.debugf("Could not claim the next ordered deliveries (%s); the due poller takes them",
                    DatabaseErrors.describe(e));
            return;
        }
        inFlight.release(slots - claimed.size());
        dispatcher.dispatch(claimed);
    }
}
