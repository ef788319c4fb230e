package io.datapusher.ingest;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/**
 * Tells the delivery consumers, through the durable AMQP queue, which committed events have logs
 * to deliver: one message per ingest batch, the event ids one per line. The message is only the
 * fast path: the logs are already committed, due for the poller after the hand-off grace, so a
 * message the broker loses, or that is never sent, delays those deliveries by the grace and loses
 * nothing. Hence nothing here is retried or published again.
 */
@ApplicationScoped
public class EventPublisher {
    static final String CHANNEL = "events-out";
    /** A message's first line: {@code # published-at <epoch millis>}; then the event ids, one a line. */
    public static final String PUBLISHED_AT = "# published-at ";

    private final Emitter<String> emitter;
    private final Counter messages;
    private final Counter events;
    private final Counter unsent;
    private final AtomicLong lastWarned = new AtomicLong();

    EventPublisher(
            @Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024) Emitter<String> emitter,
            MeterRegistry registry) {
        this.emitter = emitter;
        this.messages = Counter.builder("datapusher.ingest.messages.published")
                .description("Broker messages sent, one per ingest batch with deliveries to make")
                .register(registry);
        this.events = Counter.builder("datapusher.ingest.events.published")
                .description("Event ids named in the broker messages sent; each event is named once, never again")
                .register(registry);
        this.unsent = Counter.builder("datapusher.ingest.messages.unsent")
                .description(
                        "Batches whose broker message was refused or not confirmed; the poller delivers them after the hand-off grace")
                .register(registry);
    }

    /** Never blocks and never throws. */
    public void publish(List<UUID> eventRefs) {
        if (eventRefs.isEmpty()) {
            return;
        }
        // The first line says when the batch was committed, so the consumer can time the hand-off.
        String body = eventRefs.stream().map(UUID::toString)
                .collect(Collectors.joining("\n", PUBLISHED_AT + System.currentTimeMillis() + "\n", ""));
        Message<String> message = Message.of(body)
                .withAck(() -> CompletableFuture.completedFuture(null))
                .withNack(failure -> {
                    unsentBatch(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
            messages.increment();
            events.increment(eventRefs.size());
        } catch (RuntimeException e) {
            unsentBatch(e);
        }
    }

    /** Counted always, logged at most once a minute: an outage of the broker is one line, not thousands. */
    private void unsentBatch(Throwable failure) {
        unsent.increment();
        long now = System.currentTimeMillis();
        long last = lastWarned.get();
        if (now - last > 60_000 && lastWarned.compareAndSet(last, now)) {
            Log.warnf("The broker did not take a batch of events (%s); the due poller delivers such batches after "
                    + "the hand-off grace (datapusher_ingest_messages_unsent_total counts them)",
                    failure.getClass().getSimpleName());
        }
    }
}
