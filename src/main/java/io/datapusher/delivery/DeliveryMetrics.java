package io.datapusher.delivery;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.common.ErrorMappers;
import io.datapusher.platform.NotReadyToWork;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/** The delivery side's meters, all named {@code datapusher.*}. */
@ApplicationScoped
public class DeliveryMetrics {
    private final Counter succeeded;
    private final Counter failed;
    private final Counter retried;
    private final Counter dropped;
    private final Counter fanOutFailures;
    private final Timer attemptDuration;
    private final Timer latency;
    private final AtomicLong waitingRetries = new AtomicLong();
    private final DeliveryLogs logs;

    DeliveryMetrics(MeterRegistry registry, DeliveryLogs logs) {
        this.logs = logs;
        this.succeeded = deliveries(registry, "success");
        this.failed = deliveries(registry, "failed");
        this.retried = deliveries(registry, "retry");
        this.dropped = Counter.builder("datapusher.delivery.messages.dropped")
                .description("Queue messages acknowledged without delivery: not an event of this database")
                .register(registry);
        this.fanOutFailures = Counter.builder("datapusher.delivery.fanout.failures")
                .description("Fan-outs that failed (e.g. database down); their message went back to the queue")
                .register(registry);
        this.attemptDuration = Timer.builder("datapusher.delivery.attempt.duration")
                .description("One outbound attempt, connect to status line")
                .register(registry);
        this.latency = Timer.builder("datapusher.delivery.latency")
                .description("From the event's receipt to its successful delivery to one destination")
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder("datapusher.retries.waiting", waitingRetries, AtomicLong::get)
                .description("Pending deliveries waiting for a retry, as of the last count (every few seconds)")
                .register(registry);
    }

    private static Counter deliveries(MeterRegistry registry, String status) {
        return Counter.builder("datapusher.deliveries")
                .description("Attempt outcomes as written to the log: success, failed (final) or retry (rescheduled)")
                .tag("status", status)
                .register(registry);
    }

    void attempted(Duration duration) {
        attemptDuration.record(duration);
    }

    void recorded(DeliveryLogs.Recorded recorded) {
        switch (recorded.status()) {
            case SUCCESS -> {
                succeeded.increment();
                if (recorded.latencySeconds() != null) {
                    latency.record(Duration.ofNanos((long) (recorded.latencySeconds() * 1e9)));
                }
            }
            case FAILED -> failed.increment();
            case PENDING -> retried.increment();
        }
    }

    void dropped() {
        dropped.increment();
    }

    void fanOutFailed() {
        fanOutFailures.increment();
    }

    @Scheduled(identity = "delivery-gauges", every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = NotReadyToWork.class)
    void refreshGauges() {
        try {
            waitingRetries.set(logs.countWaitingRetries());
        } catch (RuntimeException e) {
            if (!ErrorMappers.isDatabaseUnavailable(e)) {
                Log.warn("Could not count waiting retries", e);
            }
        }
    }
}
