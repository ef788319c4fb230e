package io.datapusher.common;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;

/** Outages of the AMQP broker, as the publisher sees them: logged once each. */
@Singleton
public class BrokerOutage extends OutageTracker {
    BrokerOutage(MeterRegistry registry) {
        super("broker", "events are still accepted, and delivered by the due poller after the hand-off grace",
                registry, System::nanoTime);
    }
}
