package io.datapusher.common;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Outages of PostgreSQL: reported by every caller that finds it out of reach, logged once each. A singleton: nothing to proxy.
 */
@Singleton
public class DatabaseOutage extends OutageTracker {
    DatabaseOutage(MeterRegistry registry) {
        super("database", "requests that need it answer 503, deliveries and their outcomes wait", registry,
                System::nanoTime);
    }
}
