package io.datapusher.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An outage is two log lines however many failures it has: one WARN at the first, one INFO with
 * its length at the first success after it; the meters count everything the log leaves out.
 */
@QuarkusTest
class OutageTrackerTest {
    private static final Logger LOGGER = Logger.getLogger(OutageTracker.class.getName());

    @Inject
    MeterRegistry registry;

    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String text = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            String level = record.getLevel().intValue() >= Level.WARNING.intValue() ? "WARN"
                    : record.getLevel().intValue() >= Level.INFO.intValue() ? "INFO" : "DEBUG";
            lines.add(level + " " + text);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private String dependency;
    private OutageTracker tracker;

    @BeforeEach
    void newTracker() {
        LOGGER.addHandler(capture);
        dependency = "dependency-" + UUID.randomUUID();
        tracker = new OutageTracker(dependency, "work waits", registry, clock::get);
    }

    @AfterEach
    void stopCapturing() {
        LOGGER.removeHandler(capture);
    }

    @Test
    void manyFailures_logOneWarn_andTheRecoveryOneInfoWithHowLongItLasted() {
        for (int i = 0; i < 500; i++) {
            tracker.failed(new SQLTransientConnectionException("acquisition timeout"));
        }
        assertTrue(tracker.isDown());
        assertEquals(1.0, gauge("datapusher.dependency.down"));
        clock.addAndGet(31_250_000_000L);
        tracker.succeeded();
        tracker.succeeded();

        assertEquals(List.of(
                "WARN The " + dependency + " is out of reach (SQLTransientConnectionException); work waits. Logged once "
                        + "per outage: datapusher_dependency_failures_total counts each failure",
                "INFO The " + dependency + " is back after 31.3 s (500 failures meanwhile)"), ours());
        assertFalse(tracker.isDown());
        assertEquals(0.0, gauge("datapusher.dependency.down"));
        assertEquals(500.0, counter("datapusher.dependency.failures"));
        assertEquals(1.0, counter("datapusher.dependency.outages"));
    }

    @Test
    void successesWhileUp_logNothing() {
        for (int i = 0; i < 100; i++) {
            tracker.succeeded();
        }
        assertEquals(List.of(), ours());
        assertEquals(0.0, counter("datapusher.dependency.outages"));
        assertEquals(0.0, gauge("datapusher.dependency.down"));
    }

    @Test
    void eachOutage_isItsOwnPairOfLines() {
        tracker.failed(new ConnectException("refused"));
        clock.addAndGet(2_000_000_000L);
        tracker.succeeded();
        clock.addAndGet(OutageTracker.SETTLE_NANOS);
        tracker.failed(null);
        tracker.failed(null);
        clock.addAndGet(60_000_000_000L);
        tracker.succeeded();

        List<String> logged = ours();
        assertEquals(4, logged.size(), logged.toString());
        assertTrue(logged.get(0).startsWith("WARN The " + dependency + " is out of reach (ConnectException)"));
        assertEquals("INFO The " + dependency + " is back after 2.0 s (1 failures meanwhile)", logged.get(1));
        assertTrue(logged.get(2).startsWith("WARN The " + dependency + " is out of reach (no answer)"));
        assertEquals("INFO The " + dependency + " is back after 60.0 s (2 failures meanwhile)", logged.get(3));
        assertEquals(2.0, counter("datapusher.dependency.outages"));
        assertEquals(3.0, counter("datapusher.dependency.failures"));
    }

    @Test
    void aFailureRightAfterTheRecovery_isCounted_butStartsNoOutage() {
        tracker.failed(new ConnectException("refused"));
        clock.addAndGet(1_000_000_000L);
        tracker.succeeded();
        clock.addAndGet(OutageTracker.SETTLE_NANOS / 2);
        tracker.failed(new ConnectException("a call that began before the recovery"));

        assertFalse(tracker.isDown());
        assertEquals(2, ours().size(), ours().toString());
        assertEquals(2.0, counter("datapusher.dependency.failures"));
        assertEquals(1.0, counter("datapusher.dependency.outages"));
    }

    @Test
    void failuresFromManyThreadsAtOnce_stillLogOneWarn() throws Exception {
        int threads = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 1_000; i++) {
                        tracker.failed(new ConnectException("refused"));
                    }
                    return null;
                });
            }
            start.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        tracker.succeeded();

        List<String> logged = ours();
        assertEquals(2, logged.size(), logged.toString());
        assertTrue(logged.get(0).startsWith("WARN "));
        assertTrue(logged.get(1).endsWith("(16000 failures meanwhile)"), logged.get(1));
        assertEquals(16_000.0, counter("datapusher.dependency.failures"));
    }

    /** Lines about this test's dependency: the app's own trackers may log beside it. */
    private List<String> ours() {
        synchronized (lines) {
            return lines.stream().filter(l -> l.contains(dependency)).toList();
        }
    }

    private double counter(String name) {
        return registry.get(name).tag("dependency", dependency).counter().count();
    }

    private double gauge(String name) {
        return registry.get(name).tag("dependency", dependency).gauge().value();
    }
}
