package io.datapusher.delivery;

import static io.datapusher.delivery.LogFixtures.T0;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.datapusher.delivery.LogFixtures.Admin;
import io.datapusher.destination.DeliveryMethod;
import io.datapusher.destination.Destination;
import io.datapusher.ingest.Event;
import io.datapusher.member.RoleCode;
import io.datapusher.testing.Api;
import io.datapusher.testing.Tenant;
import io.datapusher.testing.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;

/** POST .../destinations/{destination_id}/recover: a window of deliveries queued again in one call. */
@QuarkusTest
class RecoveryTest {
    private static final String PATH = "/accounts/{a}/destinations/{d}/recover";

    @Inject
    DataSource dataSource;

    @Inject
    DeliveryConfig config;

    @Inject
    DuePoller duePoller;

    @Test
    void tenThousandFailedLogs_areQueuedAgainInOneCall_andOnlyThose_andASecondCallFindsNone() throws SQLException {
        Admin admin = LogFixtures.adminWithAccount("recover");
        UUID destination = LogFixtures.destination(admin);
        UUID otherDestination = LogFixtures.destination(admin);
        logs(admin.accountId(), destination, "in", 10_000, T0, "failed");
        logs(admin.accountId(), destination, "ok", 100, T0, "success");
        logs(admin.accountId(), destination, "early", 100, T0.minus(Duration.ofDays(1)), "failed");
        logs(admin.accountId(), otherDestination, "other", 100, T0, "failed");

        Api.as(admin.token()).body(Map.of("since", T0.toString(), "until", T0.plusSeconds(20_000).toString()))
                .post(PATH, admin.accountId(), destination).then().statusCode(202)
                .body("success", equalTo(true))
                .body("message", equalTo("Recovery scheduled"))
                .body("recovered", equalTo(10_000));

        assertEquals(10_000, count("destination_id = ? AND status = 'pending' AND processed_at IS NULL "
                + "AND lease_until IS NULL AND claim_token IS NULL AND attempts = 8 AND attempt_limit = "
                + (8 + config.maxAttempts()) + " AND next_attempt_at <= now()", destination));
        assertEquals(100, count("destination_id = ? AND status = 'success'", destination));
        assertEquals(100, count("destination_id = ? AND status = 'failed'", destination), "the ones before since");
        assertEquals(100, count("destination_id = ? AND status = 'failed'", otherDestination));

        Api.as(admin.token()).body(Map.of("since", T0.toString())).post(PATH, admin.accountId(), destination).then()
                .statusCode(202).body("recovered", equalTo(0));
        // 10,000 due logs to hosts that do not exist would keep other tests' pollers busy
        Api.as(admin.token()).delete("/accounts/{a}", admin.accountId()).then().statusCode(204);
    }

    @Test
    void aRecoveredDelivery_isSentAgainByTheDuePoller_andEndsSuccess() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Tenant tenant = Tenant.create();
            Destination destination = tenant.destination(receiver.url("/recovered"), DeliveryMethod.POST, Map.of());
            Event event = LogFixtures.event(tenant.accountId(), "rec-1", "{\"n\":1}", Instant.now().minusSeconds(60));
            UUID logId = LogFixtures.log(event, destination.id, LogFixtures.failed(8, 503));

            Api.as(tenant.bearer()).body(Map.of("since", Instant.now().minusSeconds(3600).toString()))
                    .post(PATH, tenant.accountId(), destination.id).then().statusCode(202).body("recovered", equalTo(1));
            // the scheduler is halted in tests: run the poller's rounds here until it has taken the log
            DeliveryLog log = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                duePoller.poll();
                return LogFixtures.reload(logId);
            }, l -> l.status == DeliveryStatus.SUCCESS);
            assertEquals(9, log.attempts, "attempts are counted on");
            assertEquals(200, log.responseStatus);
            assertNull(log.error);
            assertEquals(1, receiver.count());
        }
    }

    @Test
    void aNormalMember_isForbidden_andAnotherAccountsDestination_isNotFound() throws SQLException {
        Admin admin = LogFixtures.adminWithAccount("recover-roles");
        UUID destination = LogFixtures.destination(admin);
        logs(admin.accountId(), destination, "kept", 3, T0, "failed");
        String normal = LogFixtures.member(admin.accountId(), admin.userId(), RoleCode.NORMAL);
        Admin stranger = LogFixtures.adminWithAccount("recover-stranger");
        Map<String, String> body = Map.of("since", T0.toString());

        Api.as(normal).body(body).post(PATH, admin.accountId(), destination).then().statusCode(403);
        Api.as(stranger.token()).body(body).post(PATH, stranger.accountId(), destination).then().statusCode(404);
        Api.as(admin.token()).body(body).post(PATH, admin.accountId(), UUID.randomUUID()).then().statusCode(404);
        assertEquals(3, count("destination_id = ? AND status = 'failed'", destination));
    }

    @Test
    void aBadWindowOrStatus_isInvalidData_onItsField() {
        Admin admin = LogFixtures.adminWithAccount("recover-invalid");
        UUID destination = LogFixtures.destination(admin);

        invalid(admin, destination, Map.of(), "since");
        invalid(admin, destination, Map.of("since", "yesterday"), "since");
        invalid(admin, destination, Map.of("since", T0.toString(), "until", T0.toString()), "until");
        invalid(admin, destination, Map.of("since", T0.toString(), "status", "pending"), "status");
    }

    private static void invalid(Admin admin, UUID destination, Map<String, String> body, String field) {
        Api.as(admin.token()).body(body).post(PATH, admin.accountId(), destination).then().statusCode(400)
                .body("message", equalTo("Invalid Data"))
                .body("errors[0].field", equalTo(field));
    }

    /** {@code n} events received a second apart from {@code from}, each with one log of that status. */
    private void logs(UUID accountId, UUID destinationId, String prefix, int n, Instant from, String status)
            throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        WITH e AS (
                            INSERT INTO events (id, account_id, event_id, payload, received_at)
                            SELECT gen_random_uuid(), ?, ? || '-' || g, '{}'::bytea, ?::timestamptz + g * interval '1 second'
                            FROM generate_series(0, ? - 1) g
                            RETURNING id, account_id, event_id, received_at)
                        INSERT INTO delivery_logs (id, event_ref, account_id, destination_id, event_id, status,
                            attempts, attempt_limit, response_status, error, received_at, processed_at, created_at,
                            updated_at)
                        SELECT gen_random_uuid(), e.id, e.account_id, ?, e.event_id, ?, 8, 8, 500, 'HTTP 500',
                            e.received_at, e.received_at + interval '1 second', e.received_at, e.received_at
                        FROM e""")) {
            insert.setObject(1, accountId);
            insert.setString(2, prefix + "-" + UUID.randomUUID());
            insert.setTimestamp(3, Timestamp.from(from));
            insert.setInt(4, n);
            insert.setObject(5, destinationId);
            insert.setString(6, status);
            assertEquals(n, insert.executeUpdate());
        }
    }

    private long count(String where, UUID destinationId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM delivery_logs WHERE " + where)) {
            query.setObject(1, destinationId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
