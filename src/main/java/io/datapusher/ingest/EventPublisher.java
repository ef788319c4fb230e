package io.datapusher.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.datapusher.common.ErrorMappers;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Hands committed events to the durable AMQP queue; the message is the event's id. When the
 * broker has taken a message, {@code events.published_at} is set (in batches, off the event
 * loop). Whatever is not taken stays for the {@link OutboxSweep}: nothing here is retried.
 */
@ApplicationScoped
public class EventPublisher {
    static final String CHANNEL = "events-out";
    private static final int FLUSH_BATCH = 500;

    private final Emitter<String> emitter;
    private final Executor worker = Infrastructure.getDefaultWorkerPool();
    private final Queue<UUID> taken = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushing = new AtomicBoolean();

    EventPublisher(
            @Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192) Emitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Publishes a newly committed event; a failure is left to the sweep. */
    public void publish(UUID eventRef) {
        send(eventRef, false);
    }

    /**
     * Publishes an event the sweep claimed (already marked published); if the broker refuses it,
     * the mark is removed so that the next sweep tries again at once.
     */
    void republish(UUID eventRef) {
        send(eventRef, true);
    }

    private void send(UUID eventRef, boolean claimedBySweep) {
        Message<String> message = Message.of(eventRef.toString())
                .withAck(() -> {
                    if (!claimedBySweep) {
                        taken.add(eventRef);
                        flushSoon();
                    }
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    Log.warnf("The broker did not take event %s (%s); the outbox sweep will publish it",
                            eventRef, failure.getClass().getSimpleName());
                    if (claimedBySweep) {
                        worker.execute(() -> unmark(eventRef));
                    }
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            Log.warnf("Could not publish event %s (%s); the outbox sweep will publish it", eventRef,
                    e.getClass().getSimpleName());
            if (claimedBySweep) {
                unmark(eventRef);
            }
        }
    }

    private void flushSoon() {
        if (flushing.compareAndSet(false, true)) {
            worker.execute(this::flush);
        }
    }

    private void flush() {
        try {
            List<UUID> batch;
            while (!(batch = drain()).isEmpty()) {
                List<UUID> ids = batch;
                try {
                    QuarkusTransaction.requiringNew().run(() -> Event.markPublished(ids));
                } catch (RuntimeException e) {
                    // Left unmarked, these events are published again by the sweep unless their
                    // delivery has started by then; a second copy is harmless.
                    Log.warnf("Could not mark %d events published (%s)", ids.size(),
                            ErrorMappers.isDatabaseUnavailable(e) ? "database unavailable" : e.getClass().getSimpleName());
                }
            }
        } finally {
            flushing.set(false);
            if (!taken.isEmpty()) {
                flushSoon();
            }
        }
    }

    private List<UUID> drain() {
        List<UUID> batch = new ArrayList<>();
        UUID id;
        while (batch.size() < FLUSH_BATCH && (id = taken.poll()) != null) {
            batch.add(id);
        }
        return batch;
    }

    private void unmark(UUID eventRef) {
        try {
            QuarkusTransaction.requiringNew().run(() -> Event.forgetPublished(List.of(eventRef)));
        } catch (RuntimeException e) {
            Log.warnf("Could not unmark event %s; it is published again after the start timeout", eventRef);
        }
    }
}
