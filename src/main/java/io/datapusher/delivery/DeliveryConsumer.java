package io.datapusher.delivery;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.datapusher.common.ErrorMappers;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Takes event ids off the durable queue and fans each event out: one log per destination,
 * written (and committed) before the message is acknowledged; then attempts them at once.
 *
 * <p>
 * A message that is not an event of this database is acknowledged and dropped with a warning.
 * When the fan-out fails (the database is down), the consumer waits
 * {@code datapusher.delivery.consumer-retry-delay} and then fails; the channel's failure
 * strategy {@code release} gives the message back to the queue, so it is redelivered, neither lost
 * nor spun on. (The outbox sweep would publish the event again anyway, after its start timeout.)
 * While the replica drains, fan-outs lease nothing: the logs are made and the message acknowledged,
 * and another replica's poller attempts them within its poll interval.
 */
@ApplicationScoped
public class DeliveryConsumer {
    static final String CHANNEL = "events-in";

    private final DeliveryLogs logs;
    private final DeliveryWorker worker;
    private final DeliveryMetrics metrics;
    private final DeliveryConfig config;

    DeliveryConsumer(DeliveryLogs logs, DeliveryWorker worker, DeliveryMetrics metrics, DeliveryConfig config) {
        this.logs = logs;
        this.worker = worker;
        this.metrics = metrics;
        this.config = config;
    }

    @Incoming(CHANNEL)
    @Blocking(value = "delivery-fan-out", ordered = false)
    public void consume(String message) throws InterruptedException {
        UUID eventRef;
        try {
            eventRef = UUID.fromString(message.trim());
        } catch (IllegalArgumentException | NullPointerException e) {
            Log.warn("Dropping a queue message that is not an event id");
            metrics.dropped();
            return;
        }
        AtomicInteger reserved = new AtomicInteger();
        DeliveryLogs.FanOut fanOut;
        try {
            fanOut = logs.fanOut(eventRef, wanted -> {
                reserved.set(worker.reserve(wanted));
                return reserved.get();
            });
        } catch (RuntimeException e) {
            worker.release(reserved.get());
            metrics.fanOutFailed();
            Log.warnf("Fan-out of event %s failed (%s); the message goes back to the queue in %s", eventRef,
                    ErrorMappers.isDatabaseUnavailable(e) ? "database unavailable" : e.getClass().getSimpleName(),
                    config.consumerRetryDelay());
            Thread.sleep(config.consumerRetryDelay().toMillis());
            throw e;
        }
        if (fanOut instanceof DeliveryLogs.FanOut.Started started) {
            worker.release(reserved.get() - started.leased().size());
            // Committed: from here on the logs are in PostgreSQL, and a lease that is never
            // used runs out and the poller takes over; the message is acknowledged on return.
            worker.attemptAll(started.leased());
        } else if (fanOut instanceof DeliveryLogs.FanOut.Unknown) {
            Log.warnf("Dropping queue message for event %s: no such event in this database", eventRef);
            metrics.dropped();
        } else {
            Log.debugf("Event %s was already fanned out by an earlier copy of its message", eventRef);
        }
    }
}
