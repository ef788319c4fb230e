package io.datapusher.delivery;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.ingest.DeliveryPlan;

/** The logs that ingest makes follow this replica's delivery settings. */
@ApplicationScoped
class ConfiguredDeliveryPlan implements DeliveryPlan {
    private final DeliveryConfig config;

    ConfiguredDeliveryPlan(DeliveryConfig config) {
        this.config = config;
    }

    @Override
    public int attemptLimit() {
        return config.maxAttempts();
    }

    @Override
    public Duration handOffGrace() {
        return config.handOffGrace();
    }
}
