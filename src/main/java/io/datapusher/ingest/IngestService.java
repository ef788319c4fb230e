package io.datapusher.ingest;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Takes a rate-limit token and stores the event, in one transaction committed before the answer. */
@ApplicationScoped
public class IngestService {
    private final RateLimiter rateLimiter;

    IngestService(RateLimiter rateLimiter) {
        this.rateLimiter = rateLimiter;
    }

    @Transactional
    public Intake accept(UUID accountId, String eventId, byte[] payload) {
        long wait = rateLimiter.take(accountId);
        if (wait > 0) {
            return new Intake.Limited(wait);
        }
        UUID ref = UUID.randomUUID();
        boolean created = Event.insertIfNew(ref, accountId, eventId, payload);
        return new Intake.Accepted(created ? ref : null, !created);
    }
}
