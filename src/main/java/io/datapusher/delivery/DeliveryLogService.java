package io.datapusher.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.datapusher.common.ApiException;
import io.datapusher.destination.Destination;
import io.datapusher.ingest.IncomingData;
import io.quarkus.logging.Log;

/** Reads an account's delivery logs and schedules redeliveries. */
@ApplicationScoped
public class DeliveryLogService {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    private final DeliveryConfig config;

    DeliveryLogService(DeliveryConfig config) {
        this.config = config;
    }

    /** One page, newest first; {@code nextCursor} is null when nothing comes after it. */
    @Transactional
    public LogPage list(UUID accountId, LogFilter filter, LogCursor after, int limit) {
        // One row more than asked tells whether there is a next page without a count.
        List<DeliveryLog> rows = DeliveryLog.listPage(accountId, filter, after, limit + 1);
        boolean more = rows.size() > limit;
        List<DeliveryLog> page = more ? rows.subList(0, limit) : rows;
        String next = more ? LogCursor.after(page.get(page.size() - 1)).encode() : null;
        Map<UUID, Optional<DeliveryLog>> heads = new HashMap<>();
        Instant now = Instant.now();
        return new LogPage(page.stream().map(log -> toResponse(log, heads, now)).toList(), next);
    }

    @Transactional
    public DeliveryLogResponse get(UUID accountId, UUID logId) {
        return toResponse(DeliveryLog.findInAccount(accountId, logId).orElseThrow(ApiException::notFound));
    }

    /** The log, and the request its attempts send as the destination is configured now. */
    @Transactional
    public LogDetail detail(UUID accountId, UUID logId) {
        DeliveryLog log = DeliveryLog.findInAccount(accountId, logId).orElseThrow(ApiException::notFound);
        Destination destination = Destination.findInAccount(accountId, log.destinationId)
                .orElseThrow(ApiException::notFound);
        return new LogDetail(toResponse(log), OutgoingRequest.of(destination, log.eventId, log.event.payload));
    }

    /** How many of the account's logs ended in each minute since {@code since}, by status; oldest first. */
    @Transactional
    public List<MinuteCount> endedPerMinute(UUID accountId, Instant since) {
        return DeliveryLog.countEndedPerMinute(accountId, since).stream()
                .map(row -> new MinuteCount(Instant.ofEpochSecond(((Number) row[0]).longValue()),
                        DeliveryStatus.fromCode((String) row[1]), ((Number) row[2]).longValue()))
                .sorted(Comparator.comparing(MinuteCount::minute).thenComparing(MinuteCount::status))
                .toList();
    }

    /**
     * Puts the log back to pending, due now, with {@code datapusher.delivery.max-attempts} more
     * attempts. A log that a worker is sending at this moment is a 409: redelivering it would
     * race the attempt's own result.
     */
    @Transactional
    public UUID redeliver(UUID accountId, UUID logId) {
        DeliveryLog log = DeliveryLog.findInAccountForUpdate(accountId, logId).orElseThrow(ApiException::notFound);
        if (log.isInFlight(Instant.now())) {
            throw ApiException.conflict("log_id", "is being delivered right now; try again when this attempt has ended");
        }
        DeliveryLog.redeliver(log.id, config.maxAttempts());
        Log.infof("Redelivery of log %s scheduled, attempt limit now %d", log.id, log.attempts + config.maxAttempts());
        return log.id;
    }

    /**
     * Puts every delivery of the destination whose event was received in the window and whose
     * last outcome is {@code status} back to pending, due now, with max-attempts more attempts:
     * one statement, whatever their number. Running it again while they are pending finds none.
     */
    @Transactional
    public long recover(UUID accountId, UUID destinationId, RecoveryRequest request) {
        if (Destination.findInAccount(accountId, destinationId).isEmpty()) {
            throw ApiException.notFound();
        }
        if (request.until() != null && !request.until().isAfter(request.since())) {
            throw ApiException.invalid("until", "must be after since");
        }
        long recovered = DeliveryLog.recover(destinationId, request.statusOrFailed(), request.since(), request.until(),
                config.maxAttempts());
        Log.infof("Recovery of destination %s: %d deliveries (%s, received from %s to %s) pending again",
                destinationId, recovered, request.statusOrFailed().code(), request.since(),
                request.until() == null ? "now" : request.until());
        return recovered;
    }

    private DeliveryLogResponse toResponse(DeliveryLog log) {
        return toResponse(log, new HashMap<>(), Instant.now());
    }

    /** {@code heads}: the queue heads already looked up, one lookup per ordered destination on a page. */
    private DeliveryLogResponse toResponse(DeliveryLog log, Map<UUID, Optional<DeliveryLog>> heads, Instant now) {
        DeliveryLogResponse.WaitingFor waitingFor = null;
        if (log.status == DeliveryStatus.PENDING && log.fifoSeq != null) {
            waitingFor = heads.computeIfAbsent(log.destinationId, DeliveryLog::queueHead)
                    .filter(log::waitsBehind)
                    .map(head -> DeliveryLogResponse.WaitingFor.on(head, now))
                    .orElse(null);
        }
        return DeliveryLogResponse.of(log, receivedData(log), waitingFor);
    }

    /** The bytes as received, written into the answer as they are; checked, since they go in unescaped. */
    private static String receivedData(DeliveryLog log) {
        if (!IncomingData.isJsonObject(log.event.payload)) {
            // Ingest stores only JSON objects; this is a damaged row, not a reason to fail the page.
            Log.warnf("Event %s of log %s does not hold a JSON object", log.event.id, log.id);
            return "null";
        }
        return new String(log.event.payload, StandardCharsets.UTF_8);
    }
}
