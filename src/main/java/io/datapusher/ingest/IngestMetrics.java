package io.datapusher.ingest;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code datapusher.ingest.requests}, by outcome. */
@ApplicationScoped
public class IngestMetrics {

    public enum Outcome {
        ACCEPTED,
        DUPLICATE,
        INVALID,
        UNAUTHENTICATED,
        RATE_LIMITED,
        TOO_LARGE,
        UNAVAILABLE
    }

    private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);

    IngestMetrics(MeterRegistry registry) {
        for (Outcome outcome : Outcome.values()) {
            counters.put(outcome, Counter.builder("datapusher.ingest.requests")
                    .description("Requests to POST /server/incoming_data, by outcome")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
    }

    public void count(Outcome outcome) {
        counters.get(outcome).increment();
    }
}
