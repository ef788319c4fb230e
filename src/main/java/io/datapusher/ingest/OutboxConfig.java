package io.datapusher.ingest;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The outbox sweep: what it hands (again) to the broker, and how often it looks. */
@ConfigMapping(prefix = "datapusher.outbox")
public interface OutboxConfig {

    /** How often the sweep runs on each replica. Default 5 s. */
    @WithDefault("5s")
    Duration sweepInterval();

    /**
     * An event still unpublished this long after it was received is published by the sweep: its
     * replica died between commit and publish, or the publish failed. Default 5 s.
     */
    @WithDefault("5s")
    Duration publishGrace();

    /**
     * An event published this long ago whose delivery has not started is published again: the
     * broker may drop a message it accepted (a queue deleted, or not yet declared). Default 60 s.
     */
    @WithDefault("60s")
    Duration startTimeout();

    /** Most events one sweep run publishes, per kind. Default 500. */
    @WithDefault("500")
    int batchSize();
}
