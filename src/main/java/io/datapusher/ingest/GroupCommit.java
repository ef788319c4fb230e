package io.datapusher.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.datapusher.common.DatabaseErrors;
import io.datapusher.common.DatabaseOutage;
import io.datapusher.common.TimeOrderedIds;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Group commit of POST /server/incoming_data: requests that arrive while a batch is being written
 * wait together and are written as the next batch, in one statement and one commit, and each is
 * answered after that commit. The statement ({@link IntakeStatement}) takes the rate-limit tokens
 * of the whole batch, stores the new events and makes their delivery logs; the writer then
 * publishes one broker message for the batch. Nothing waits on purpose: at low load a batch is
 * one request, under load it grows by itself.
 */
@ApplicationScoped
public class GroupCommit {
    private static final int POLL_MS = 200;

    private final DataSource dataSource;
    private final IntakeStatement statement;
    private final EventPublisher publisher;
    private final IngestConfig.GroupCommit config;
    private final DatabaseOutage database;
    private final long maxBatchBytes;
    private final BlockingQueue<Request> waiting;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running;

    GroupCommit(DataSource dataSource, IntakeStatement statement, EventPublisher publisher, IngestConfig config,
            DatabaseOutage database) {
        this.dataSource = dataSource;
        this.database = database;
        this.statement = statement;
        this.publisher = publisher;
        this.config = config.groupCommit();
        this.maxBatchBytes = this.config.maxBatchBytes().asLongValue();
        this.waiting = new ArrayBlockingQueue<>(this.config.maxWaiting());
    }

    /** Too many requests are waiting for the database already. */
    public static final class Overloaded extends RuntimeException {
        Overloaded() {
            super("ingest overloaded", null, false, false);
        }
    }

    /** One request on its way to the database; {@code retried} once its account's bucket was made. */
    record Request(UUID eventRef, UUID accountId, String eventId, byte[] payload, CompletableFuture<Intake> answer,
            boolean retried) {
    }

    /** Never blocks: the stage completes once the request's batch has committed (or failed). */
    public CompletionStage<Intake> submit(UUID accountId, String eventId, byte[] payload) {
        Request request = new Request(TimeOrderedIds.next(), accountId, eventId, payload, new CompletableFuture<>(),
                false);
        if (!running || !waiting.offer(request)) {
            return CompletableFuture.failedFuture(new Overloaded());
        }
        return request.answer();
    }

    void start(@Observes StartupEvent event) {
        running = true;
        for (int i = 0; i < config.writers(); i++) {
            Thread writer = new Thread(this::run, "ingest-writer-" + i);
            writer.setDaemon(true);
            writers.add(writer);
            writer.start();
        }
    }

    /** After the HTTP server has closed: every request it let in has been answered. */
    void stop(@Observes ShutdownEvent event) {
        running = false;
        writers.forEach(Thread::interrupt);
        Request left;
        while ((left = waiting.poll()) != null) {
            left.answer().completeExceptionally(new Overloaded());
        }
    }

    private void run() {
        List<Request> batch = new ArrayList<>(config.maxBatch());
        while (running) {
            try {
                Request first = waiting.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                fill(batch, first.payload().length);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Log.error("Ingest writer failed", e);
                batch.forEach(r -> r.answer().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void fill(List<Request> batch, long bytes) {
        Request next;
        while (batch.size() < config.maxBatch() && bytes < maxBatchBytes && (next = waiting.poll()) != null) {
            batch.add(next);
            bytes += next.payload().length;
        }
    }

    private void write(List<Request> batch) {
        // One order for every writer and replica: two batches never wait on each other's rows in a cycle.
        batch.sort(Comparator.comparing(Request::accountId).thenComparing(Request::eventId));
        List<IntakeStatement.Result> results;
        try {
            results = execute(batch);
        } catch (SQLException e) {
            // A deadlock or an account deleted meanwhile (its events' foreign key): once more, alone.
            if (DatabaseErrors.hasState(e, DatabaseErrors.DEADLOCK_DETECTED)
                    || DatabaseErrors.hasState(e, DatabaseErrors.FOREIGN_KEY_VIOLATION)) {
                try {
                    results = execute(batch);
                } catch (SQLException again) {
                    fail(batch, again);
                    return;
                }
            } else {
                fail(batch, e);
                return;
            }
        }
        database.succeeded();
        List<UUID> toDeliver = new ArrayList<>();
        Set<UUID> withoutBucket = new HashSet<>();
        List<Request> retry = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Request request = batch.get(i);
            IntakeStatement.Result result = results.get(i);
            if (!result.hasBucket()) {
                if (request.retried()) {
                    request.answer().complete(new Intake.AccountGone());
                } else {
                    withoutBucket.add(request.accountId());
                    retry.add(request);
                }
            } else if (!result.admitted()) {
                request.answer().complete(new Intake.Limited(statement.secondsUntilToken(result.tokensLeft())));
            } else {
                request.answer().complete(new Intake.Accepted(request.eventRef(), !result.created()));
                if (result.hasLogs()) {
                    toDeliver.add(request.eventRef());
                }
            }
        }
        publisher.publish(toDeliver);
        if (!retry.isEmpty()) {
            retryWithBuckets(retry, withoutBucket);
        }
    }

    /** First requests of accounts that have no rate-limit bucket yet: make them, then write again. */
    private void retryWithBuckets(List<Request> requests, Set<UUID> accounts) {
        try (Connection connection = dataSource.getConnection()) {
            statement.createBuckets(connection, accounts);
        } catch (SQLException e) {
            fail(requests, e);
            return;
        }
        write(new ArrayList<>(requests.stream().map(r -> new Request(r.eventRef(), r.accountId(), r.eventId(),
                r.payload(), r.answer(), true)).toList()));
    }

    private List<IntakeStatement.Result> execute(List<Request> batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return statement.execute(connection, batch);
        }
    }

    /** Answers the batch with the failure; an unreachable database is logged by the resource's mapper. */
    private static void fail(List<Request> batch, SQLException e) {
        RuntimeException failure = DatabaseErrors.unchecked(e);
        if (!DatabaseErrors.isUnavailable(e)) {
            Log.errorf("Could not store %d incoming events: SQLSTATE %s", batch.size(), e.getSQLState());
        }
        batch.forEach(r -> r.answer().completeExceptionally(failure));
    }
}
