package io.datapusher.delivery;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import io.datapusher.auth.User;
import io.datapusher.destination.DeliveryMethod;
import io.datapusher.destination.Destination;
import io.datapusher.ingest.Event;
import io.datapusher.member.AccountMember;
import io.datapusher.member.Role;
import io.datapusher.member.RoleCode;
import io.datapusher.testing.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Rows the logs API reads, written straight to the database: the delivery engine that makes
 * them in production is not needed to test reading them.
 */
final class LogFixtures {
    /** A fixed base time, in microseconds like PostgreSQL, so tests can name exact instants. */
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private LogFixtures() {
    }

    /** A user who signed up, logged in, and created one account (so is its admin). */
    record Admin(UUID userId, String token, UUID accountId) {
    }

    static Admin adminWithAccount(String prefix) {
        String email = Api.uniqueEmail(prefix);
        UUID userId = UUID.fromString(Api.signup(email));
        String token = Api.login(email);
        return new Admin(userId, token, UUID.fromString(Api.createAccount(token, prefix + " account")));
    }

    /** Signs a new user up, makes them a member of the account with the role, answers their token. */
    static String member(UUID accountId, UUID addedBy, RoleCode role) {
        String email = Api.uniqueEmail("member");
        UUID userId = UUID.fromString(Api.signup(email));
        QuarkusTransaction.requiringNew().run(() -> {
            AccountMember member = new AccountMember();
            member.accountId = accountId;
            member.user = User.getEntityManager().getReference(User.class, userId);
            member.role = Role.of(role);
            member.createdBy(addedBy);
            member.persist();
        });
        return Api.login(email);
    }

    static UUID destination(Admin admin) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Destination destination = new Destination();
            destination.accountId = admin.accountId();
            destination.url = "https://hooks.example.invalid/" + UUID.randomUUID();
            destination.httpMethod = DeliveryMethod.POST;
            destination.headers = Map.of();
            destination.signingSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
            destination.createdBy(admin.userId());
            destination.persist();
            return destination.id;
        });
    }

    static Event event(UUID accountId, String eventId, String json, Instant receivedAt) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Event event = new Event();
            event.id = UUID.randomUUID();
            event.accountId = accountId;
            event.eventId = eventId;
            event.payload = json.getBytes(StandardCharsets.UTF_8);
            event.receivedAt = receivedAt.truncatedTo(ChronoUnit.MICROS);
            event.persist();
            return event;
        });
    }

    /**
     * An event stored with one pending log per destination of its account, as ingest stores it,
     * but with no broker message: only the due poller can find it, once {@code dueAt} has passed.
     */
    static UUID pendingEvent(UUID accountId, String eventId, String json, Instant dueAt) {
        Event event = event(accountId, eventId, json, Instant.now());
        QuarkusTransaction.requiringNew().run(() -> Event.getEntityManager().createNativeQuery("""
                INSERT INTO delivery_logs (id, event_ref, account_id, destination_id, event_id, status, attempts,
                                           attempt_limit, received_at, next_attempt_at, created_at, updated_at)
                SELECT gen_random_uuid(), e.id, e.account_id, d.id, e.event_id, 'pending', 0, 4, e.received_at,
                       :due, now(), now()
                FROM events e JOIN destinations d ON d.account_id = e.account_id WHERE e.id = :event""")
                .setParameter("due", dueAt).setParameter("event", event.id).executeUpdate());
        return event.id;
    }

    /** A finished delivery: success after one attempt, processed a second after it was received. */
    static UUID log(Event event, UUID destinationId) {
        return log(event, destinationId, log -> {
        });
    }

    /** A log of the event to the destination; {@code adjust} sets status, attempts and the like. */
    static UUID log(Event event, UUID destinationId, Consumer<DeliveryLog> adjust) {
        return QuarkusTransaction.requiringNew().call(() -> {
            DeliveryLog log = new DeliveryLog();
            log.id = UUID.randomUUID();
            log.event = Event.getEntityManager().getReference(Event.class, event.id);
            log.accountId = event.accountId;
            log.destinationId = destinationId;
            log.eventId = event.eventId;
            log.receivedAt = event.receivedAt;
            log.status = DeliveryStatus.SUCCESS;
            log.attempts = 1;
            log.attemptLimit = 8;
            log.responseStatus = 200;
            log.processedAt = event.receivedAt.plusSeconds(1);
            log.createdAt = event.receivedAt;
            log.updatedAt = event.receivedAt;
            adjust.accept(log);
            log.persist();
            return log.id;
        });
    }

    /** One event received at {@code receivedAt}, delivered with success to the destination. */
    static UUID successAt(Admin admin, UUID destinationId, Instant receivedAt) {
        Event event = event(admin.accountId(), "evt-" + UUID.randomUUID(), "{\"n\": 1}", receivedAt);
        return log(event, destinationId);
    }

    /** The log of this event and destination, or null while there is none. */
    static DeliveryLog logOf(UUID destinationId, String eventId) {
        return QuarkusTransaction.requiringNew().call(() -> DeliveryLog.<DeliveryLog> find(
                "destinationId = ?1 and eventId = ?2", destinationId, eventId).firstResultOptional().orElse(null));
    }

    /** The log of this event and destination once it has ended (not pending any more), waiting up to 30 s. */
    static DeliveryLog ended(UUID destinationId, String eventId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> logOf(destinationId, eventId),
                l -> l != null && l.status != DeliveryStatus.PENDING);
    }

    static DeliveryLog reload(UUID logId) {
        return QuarkusTransaction.requiringNew().call(() -> DeliveryLog.<DeliveryLog> findById(logId));
    }

    static void pending(DeliveryLog log) {
        log.status = DeliveryStatus.PENDING;
        log.attempts = 0;
        log.responseStatus = null;
        log.processedAt = null;
        log.nextAttemptAt = log.receivedAt;
    }

    static Consumer<DeliveryLog> failed(int attempts, int responseStatus) {
        return log -> {
            log.status = DeliveryStatus.FAILED;
            log.attempts = attempts;
            log.attemptLimit = attempts;
            log.responseStatus = responseStatus;
            log.error = "HTTP " + responseStatus;
        };
    }
}
