package io.datapusher.ingest;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.datapusher.common.BrokerOutage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpConnection;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpSender;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Tells the delivery consumers, through the durable AMQP queue, which committed events have logs
 * to deliver: one message per ingest batch, the event ids one per line. The message is only the
 * fast path: the logs are already committed, due for the poller after the hand-off grace, so a
 * message the broker loses, or that is never sent, delays those deliveries by the grace and loses
 * nothing. Hence nothing here is retried or published again.
 *
 * <p>
 * One connection and one sender per replica, on the Vert.x AMQP client, all their state on one
 * event-loop context. Not a SmallRye channel: its sender opened a new connection for each message
 * sent while the broker was away, and after a restart hundreds of them stayed open (the broker ran
 * out of file descriptors), while sends the stopping broker never answered stayed pending for good.
 * Here a lost connection is reconnected every {@code RECONNECT_MS}, one attempt at a time, and a
 * send not settled within {@code SEND_TIMEOUT_MS} counts as unsent and drops the connection, so
 * the next one starts clean. The first failure and the recovery are logged once
 * ({@link BrokerOutage}).
 */
@ApplicationScoped
public class EventPublisher {
    /** A message's first line: {@code # published-at <epoch millis>}; then the event ids, one a line. */
    public static final String PUBLISHED_AT = "# published-at ";
    static final long SEND_TIMEOUT_MS = 5_000;
    static final long RECONNECT_MS = 2_000;
    /** Sends waiting for the broker's answer, at most; beyond it a batch is left to the poller. */
    static final int MAX_UNSETTLED = 1_000;

    private final Vertx vertx;
    private final BrokerOutage broker;
    private final AmqpClientOptions options;
    private final String address;
    private final Counter messages;
    private final Counter events;
    private final Counter unsent;

    // Touched only on the context.
    private Context context;
    private AmqpClient client;
    private AmqpConnection connection;
    private AmqpSender sender;
    private boolean connecting;
    private boolean reconnectScheduled;
    private boolean stopped;
    private int unsettled;

    EventPublisher(Vertx vertx, BrokerOutage broker, MeterRegistry registry,
            @ConfigProperty(name = "amqp-host") String host, @ConfigProperty(name = "amqp-port") int port,
            @ConfigProperty(name = "amqp-username") Optional<String> username,
            @ConfigProperty(name = "amqp-password") Optional<String> password,
            @ConfigProperty(name = "datapusher.queue") String queue) {
        this.vertx = vertx;
        this.broker = broker;
        // Reconnecting is ours (one attempt at a time, see above), not the client's.
        this.options = new AmqpClientOptions().setHost(host).setPort(port).setConnectTimeout(5_000)
                .setReconnectAttempts(0);
        username.ifPresent(options::setUsername);
        password.ifPresent(options::setPassword);
        // Addressed without declaring: the consumer's receiver declares the queue durable (see
        // application.properties, "Receiving and delivering").
        this.address = "/amq/queue/" + queue;
        this.messages = Counter.builder("datapusher.ingest.messages.published")
                .description("Broker messages the broker took, one per ingest batch with deliveries to make")
                .register(registry);
        this.events = Counter.builder("datapusher.ingest.events.published")
                .description("Event ids named in the messages the broker took; each event is named once, never again")
                .register(registry);
        this.unsent = Counter.builder("datapusher.ingest.messages.unsent")
                .description("Batches whose broker message was not sent, refused or not confirmed in time; the poller "
                        + "delivers them after the hand-off grace")
                .register(registry);
        Gauge.builder("datapusher.ingest.messages.unsettled", this, p -> p.unsettled)
                .description("Messages sent and not yet confirmed by the broker")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            client = AmqpClient.create(vertx, options);
            connect();
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (context != null) {
            context.runOnContext(v -> {
                stopped = true;
                sender = null;
                connection = null;
                client.close();
            });
        }
    }

    /** Never blocks and never throws. */
    public void publish(List<UUID> eventRefs) {
        if (eventRefs.isEmpty()) {
            return;
        }
        // The first line says when the batch was committed, so the consumer can time the hand-off.
        String body = eventRefs.stream().map(UUID::toString)
                .collect(Collectors.joining("\n", PUBLISHED_AT + System.currentTimeMillis() + "\n", ""));
        int count = eventRefs.size();
        context.runOnContext(v -> send(body, count));
    }

    private void send(String body, int count) {
        AmqpSender current = sender;
        if (current == null || connection == null || connection.isDisconnected() || !current.unwrap().isOpen()) {
            unsent.increment(); // not connected: the reconnect is already scheduled
            return;
        }
        if (unsettled >= MAX_UNSETTLED) {
            unsent.increment();
            return;
        }
        unsettled++;
        boolean[] settled = { false };
        long timer = vertx.setTimer(SEND_TIMEOUT_MS, id -> {
            if (!settled[0]) {
                settled[0] = true;
                unsettled--;
                unsent.increment();
                // A broker that stopped reading: start again on a new connection (unless that was done already).
                drop(current.connection(), new TimeoutException("no answer from the broker"));
            }
        });
        current.sendWithAck(AmqpMessage.create().withBody(body).durable(true).build()).onComplete(sent -> {
            if (settled[0]) {
                return;
            }
            settled[0] = true;
            unsettled--;
            vertx.cancelTimer(timer);
            if (sent.succeeded()) {
                messages.increment();
                events.increment(count);
                broker.succeeded();
            } else {
                unsent.increment();
                if (current == sender) {
                    broker.failed(sent.cause()); // a refusal on an older connection says nothing of this one
                }
            }
        });
    }

    private void connect() {
        reconnectScheduled = false;
        if (stopped || connecting || sender != null) {
            return;
        }
        connecting = true;
        client.connect().compose(opened -> {
            connection = opened;
            opened.exceptionHandler(e -> drop(opened, e));
            opened.closeFuture().onComplete(closed -> drop(opened, null));
            return opened.createSender(address);
        }).onComplete(created -> {
            connecting = false;
            if (created.succeeded() && !stopped) {
                sender = created.result();
                sender.exceptionHandler(e -> drop(sender.connection(), e));
                broker.succeeded();
            } else if (created.failed()) {
                broker.failed(created.cause());
                AmqpConnection half = connection;
                connection = null;
                if (half != null) {
                    half.close();
                }
                scheduleReconnect();
            }
        });
    }

    /** The connection is gone or unusable: close it, forget it and its sender, and connect again later. */
    private void drop(AmqpConnection lost, Throwable cause) {
        if (lost == null || lost != connection) {
            return; // an older connection, already dropped
        }
        connection = null;
        sender = null;
        broker.failed(cause);
        lost.close();
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (!stopped && !reconnectScheduled) {
            reconnectScheduled = true;
            vertx.setTimer(RECONNECT_MS, id -> connect());
        }
    }
}
