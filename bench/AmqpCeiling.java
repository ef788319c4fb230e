import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.amqp.AmqpSender;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * The broker's ceiling for bench/throughput.sh: durable AMQP 1.0 messages per second through
 * RabbitMQ over one link each way, with the client library the app ships (Vert.x AMQP client).
 *
 * A receiver attaches to /queue/NAME with a durable terminus (that declares the durable queue, as
 * the app's consumer does) and accepts every message; then a sender on its own connection sends N
 * durable messages of SIZE bytes to /amq/queue/NAME (as the app's publisher does), keeping at most
 * WINDOW unsettled. sent/s counts messages the broker acknowledged (accepted disposition);
 * received/s counts messages the receiver got and accepted, over the same clock (from the first
 * send); each message carries its sequence number, and distinct counts the different ones received.
 * Bounded: gives up after TIMEOUT seconds and prints what it has. After the last message it waits
 * LINGER_MS before closing: RabbitMQ's AMQP 1.0 plugin settles the receiver's accepts behind the
 * transfers, and a connection closed at once leaves the messages whose accept it had not yet
 * processed back in the queue (bench/throughput.sh reports what is left).
 *
 * Run with the jars the app ships on the class path (Java 17 source launcher):
 *   java -cp 'target/quarkus-app/lib/main/*' bench/AmqpCeiling.java
 * Settings from the environment: AMQP_HOST, AMQP_PORT, AMQP_USERNAME, AMQP_PASSWORD,
 * CEILING_QUEUE (datapusher.ceiling), CEILING_MESSAGES (30000), CEILING_SIZE (100),
 * CEILING_WINDOW (1000), CEILING_TIMEOUT (60), CEILING_LINGER_MS (3000).
 * Prints one JSON line on stdout; exit code 0 when every message was acknowledged and received.
 */
public class AmqpCeiling {
    public static void main(String[] args) throws Exception {
        String host = env("AMQP_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("AMQP_PORT", "5672"));
        String user = env("AMQP_USERNAME", "guest");
        String password = env("AMQP_PASSWORD", "guest");
        String queue = env("CEILING_QUEUE", "datapusher.ceiling");
        int total = Integer.parseInt(env("CEILING_MESSAGES", "30000"));
        int size = Integer.parseInt(env("CEILING_SIZE", "100"));
        int window = Integer.parseInt(env("CEILING_WINDOW", "1000"));
        long timeoutSeconds = Long.parseLong(env("CEILING_TIMEOUT", "60"));
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            System.err.println("AmqpCeiling only talks to a broker on loopback, not " + host);
            System.exit(2);
        }

        Vertx vertx = Vertx.vertx();
        AmqpClientOptions options = new AmqpClientOptions().setHost(host).setPort(port).setUsername(user)
                .setPassword(password);
        AmqpClient receiverClient = AmqpClient.create(vertx, options);
        AmqpClient senderClient = AmqpClient.create(vertx, options);

        AtomicLong sent = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicLong nacked = new AtomicLong();
        AtomicLong received = new AtomicLong();
        AtomicLong distinct = new AtomicLong();
        java.util.BitSet seen = new java.util.BitSet(total);
        AtomicLong start = new AtomicLong();
        AtomicLong lastAck = new AtomicLong();
        AtomicLong lastReceived = new AtomicLong();
        CountDownLatch allAcked = new CountDownLatch(1);
        CountDownLatch allReceived = new CountDownLatch(1);
        CountDownLatch failed = new CountDownLatch(1);
        String[] failure = new String[1];

        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) ('a' + i % 26);
        }

        AmqpReceiverOptions receiverOptions = new AmqpReceiverOptions().setDurable(true)
                .setAutoAcknowledgement(false);
        receiverClient.connect().compose(conn -> conn.createReceiver("/queue/" + queue, receiverOptions))
                .onSuccess(receiver -> {
                    receiver.handler(message -> {
                        message.accepted();
                        int seq = message.bodyAsBinary().getInt(0);
                        if (seq >= 0 && seq < total && !seen.get(seq)) {
                            seen.set(seq);
                            distinct.incrementAndGet();
                        }
                        long n = received.incrementAndGet();
                        if (n >= total) {
                            lastReceived.set(System.nanoTime());
                            allReceived.countDown();
                        }
                    });
                    // The queue now exists (declared durable by the receiver's terminus): start sending.
                    senderClient.connect().compose(conn -> conn.createSender("/amq/queue/" + queue))
                            .onSuccess(sender -> {
                                Context context = vertx.getOrCreateContext();
                                Pump pump = new Pump(sender, total, window, body, sent, acked, nacked, lastAck,
                                        allAcked);
                                start.set(System.nanoTime());
                                context.runOnContext(v -> pump.fill());
                            })
                            .onFailure(e -> fail(failure, failed, "sender: " + e));
                })
                .onFailure(e -> fail(failure, failed, "receiver: " + e));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        boolean ok = await(allAcked, failed, deadline) && await(allReceived, failed, deadline);
        long end = System.nanoTime();

        long t0 = start.get() == 0 ? end : start.get();
        double sendSeconds = ((lastAck.get() != 0 ? lastAck.get() : end) - t0) / 1e9;
        double receiveSeconds = ((lastReceived.get() != 0 ? lastReceived.get() : end) - t0) / 1e9;
        System.out.printf(java.util.Locale.ROOT,
                "{\"messages\":%d,\"size\":%d,\"window\":%d,\"sent\":%d,\"acked\":%d,\"rejected\":%d,\"received\":%d,\"distinct\":%d,"
                        + "\"send_seconds\":%.3f,\"receive_seconds\":%.3f,\"sent_per_s\":%.1f,\"received_per_s\":%.1f,"
                        + "\"complete\":%b%s}%n",
                total, size, window, sent.get(), acked.get(), nacked.get(), received.get(), distinct.get(), sendSeconds,
                receiveSeconds, sendSeconds > 0 ? acked.get() / sendSeconds : 0.0,
                receiveSeconds > 0 ? received.get() / receiveSeconds : 0.0, ok,
                failure[0] == null ? "" : ",\"error\":\"" + failure[0].replace("\"", "'") + "\"");

        Thread.sleep(Long.parseLong(env("CEILING_LINGER_MS", "3000")));
        CountDownLatch closed = new CountDownLatch(2);
        senderClient.close().onComplete(x -> closed.countDown());
        receiverClient.close().onComplete(x -> closed.countDown());
        closed.await(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        System.exit(ok ? 0 : 1);
    }

    /** Sends while fewer than window messages are unsettled; each acknowledgement sends the next. */
    static final class Pump {
        private final AmqpSender sender;
        private final int total;
        private final int window;
        private final byte[] body;
        private final AtomicLong sent;
        private final AtomicLong acked;
        private final AtomicLong nacked;
        private final AtomicLong lastAck;
        private final CountDownLatch allAcked;
        private int unsettled;

        Pump(AmqpSender sender, int total, int window, byte[] body, AtomicLong sent, AtomicLong acked,
                AtomicLong nacked, AtomicLong lastAck, CountDownLatch allAcked) {
            this.sender = sender;
            this.total = total;
            this.window = window;
            this.body = body;
            this.sent = sent;
            this.acked = acked;
            this.nacked = nacked;
            this.lastAck = lastAck;
            this.allAcked = allAcked;
        }

        void fill() {
            while (unsettled < window && sent.get() < total) {
                unsettled++;
                sent.incrementAndGet();
                Buffer payload = Buffer.buffer(body);
                payload.setInt(0, (int) sent.get() - 1);
                AmqpMessage message = AmqpMessage.create().durable(true).withBufferAsBody(payload).build();
                sender.sendWithAck(message).onComplete(ar -> {
                    unsettled--;
                    if (ar.succeeded()) {
                        acked.incrementAndGet();
                    } else {
                        nacked.incrementAndGet();
                    }
                    if (acked.get() + nacked.get() >= total) {
                        lastAck.set(System.nanoTime());
                        allAcked.countDown();
                    } else {
                        fill();
                    }
                });
            }
        }
    }

    private static boolean await(CountDownLatch latch, CountDownLatch failed, long deadline)
            throws InterruptedException {
        while (System.nanoTime() < deadline) {
            if (latch.await(100, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (failed.getCount() == 0) {
                return false;
            }
        }
        return false;
    }

    private static void fail(String[] failure, CountDownLatch failed, String message) {
        failure[0] = message;
        failed.countDown();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
