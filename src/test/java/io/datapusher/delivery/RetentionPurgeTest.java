package io.datapusher.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.datapusher.common.TimeOrderedIds;
import io.datapusher.delivery.LogFixtures.Admin;
import io.quarkus.test.junit.QuarkusTest;

/** Retention: old events and their logs go in batches, one replica at a time; pending deliveries stay. */
@QuarkusTest
class RetentionPurgeTest {
    private static final Instant NOW = Instant.now();
    private static final Instant CUTOFF = NOW.minus(Duration.ofDays(30));
    private static final Instant OLD = NOW.minus(Duration.ofDays(40));

    @Inject
    DataSource dataSource;

    @Inject
    RetentionPurge purge;

    @Test
    void oldEventsGo_withTheirLogs_butAPendingDeliveryAndItsEventStay_andNewOnesStay() throws SQLException {
        Admin admin = LogFixtures.adminWithAccount("retention");
        UUID destination = LogFixtures.destination(admin);
        UUID second = LogFixtures.destination(admin);
        UUID delivered = event(admin, "old-success", OLD, destination, "success");
        UUID failed = event(admin, "old-failed", OLD, destination, "failed");
        UUID skipped = event(admin, "old-skipped", OLD, destination, "skipped");
        UUID noLogs = event(admin, "old-no-destination", OLD, null, null);
        UUID waiting = event(admin, "old-pending", OLD, destination, "pending");
        log(waiting, admin, second, "old-pending", OLD, "success");
        UUID recent = event(admin, "recent", NOW.minus(Duration.ofDays(1)), destination, "success");

        RetentionPurge.Purged purged = purge.run(CUTOFF);

        assertTrue(purged.ran());
        for (UUID gone : new UUID[] { delivered, failed, skipped, noLogs }) {
            assertEquals(0, count("SELECT count(*) FROM events WHERE id = ?", gone));
            assertEquals(0, count("SELECT count(*) FROM delivery_logs WHERE event_ref = ?", gone));
        }
        assertEquals(1, count("SELECT count(*) FROM events WHERE id = ?", waiting), "its delivery is pending");
        assertEquals(1, count("SELECT count(*) FROM delivery_logs WHERE event_ref = ?", waiting),
                "the pending log stays; its delivered sibling, as old, goes");
        assertEquals(1, count("SELECT count(*) FROM delivery_logs WHERE event_ref = ? AND status = 'pending'", waiting));
        assertEquals(1, count("SELECT count(*) FROM events WHERE id = ?", recent));
        assertEquals(1, count("SELECT count(*) FROM delivery_logs WHERE event_ref = ?", recent));
    }

    @Test
    void manyBatches_purgeEverythingOld() throws SQLException {
        Admin admin = LogFixtures.adminWithAccount("retention-many");
        UUID destination = LogFixtures.destination(admin);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        WITH e AS (
                            INSERT INTO events (id, account_id, event_id, payload, received_at)
                            SELECT encode(overlay(uuid_send(gen_random_uuid()) PLACING
                                       substring(int8send((extract(epoch FROM ?::timestamptz) * 1000)::bigint + g) FROM 3)
                                       FROM 1 FOR 6), 'hex')::uuid,
                                   ?, 'bulk-' || g, '{}'::bytea, ?::timestamptz
                            FROM generate_series(1, 5000) g
                            RETURNING id, account_id, event_id, received_at
                        )
                        INSERT INTO delivery_logs (id, event_ref, account_id, destination_id, event_id, status, attempts,
                                                   attempt_limit, received_at, created_at, updated_at)
                        SELECT gen_random_uuid(), e.id, e.account_id, ?, e.event_id, 'success', 1, 8, e.received_at,
                               e.received_at, e.received_at
                        FROM e""")) {
            insert.setTimestamp(1, Timestamp.from(OLD));
            insert.setObject(2, admin.accountId());
            insert.setTimestamp(3, Timestamp.from(OLD));
            insert.setObject(4, destination);
            insert.executeUpdate();
        }

        RetentionPurge.Purged purged = purge.run(CUTOFF);

        assertTrue(purged.events() >= 5000, "purged " + purged);
        assertEquals(0, count("SELECT count(*) FROM events WHERE account_id = ?", admin.accountId()));
        assertEquals(0, count("SELECT count(*) FROM delivery_logs WHERE account_id = ?", admin.accountId()));
    }

    @Test
    void whileAnotherReplicaHoldsTheLock_nothingIsPurged() throws SQLException {
        Admin admin = LogFixtures.adminWithAccount("retention-locked");
        UUID destination = LogFixtures.destination(admin);
        UUID old = event(admin, "old-locked", OLD, destination, "success");
        try (Connection other = dataSource.getConnection();
                PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, RetentionPurge.LOCK_KEY);
            lock.execute();
            try {
                assertFalse(purge.run(CUTOFF).ran());
                assertEquals(1, count("SELECT count(*) FROM events WHERE id = ?", old));
            } finally {
                try (PreparedStatement unlock = other.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, RetentionPurge.LOCK_KEY);
                    unlock.execute();
                }
            }
        }
        assertTrue(purge.run(CUTOFF).ran());
        assertEquals(0, count("SELECT count(*) FROM events WHERE id = ?", old));
    }

    /** An event received at {@code at} (its id of that time), with one log of that status unless null. */
    private UUID event(Admin admin, String eventId, Instant at, UUID destination, String status) throws SQLException {
        UUID id = TimeOrderedIds.at(at.toEpochMilli());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO events (id, account_id, event_id, payload, received_at) VALUES (?, ?, ?, '{}'::bytea, ?)")) {
            insert.setObject(1, id);
            insert.setObject(2, admin.accountId());
            insert.setString(3, eventId);
            insert.setTimestamp(4, Timestamp.from(at));
            insert.executeUpdate();
        }
        if (destination != null) {
            log(id, admin, destination, eventId, at, status);
        }
        return id;
    }

    private void log(UUID eventRef, Admin admin, UUID destination, String eventId, Instant at, String status)
            throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO delivery_logs (id, event_ref, account_id, destination_id, event_id, status, attempts,
                                                   attempt_limit, received_at, next_attempt_at, created_at, updated_at)
                        VALUES (gen_random_uuid(), ?, ?, ?, ?, ?, 0, 8, ?,
                                CASE WHEN ? = 'pending' THEN now() + interval '1 day' END, ?, ?)""")) {
            insert.setObject(1, eventRef);
            insert.setObject(2, admin.accountId());
            insert.setObject(3, destination);
            insert.setString(4, eventId);
            insert.setString(5, status);
            insert.setTimestamp(6, Timestamp.from(at));
            insert.setString(7, status);
            insert.setTimestamp(8, Timestamp.from(at));
            insert.setTimestamp(9, Timestamp.from(at));
            insert.executeUpdate();
        }
    }

    private long count(String sql, UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
