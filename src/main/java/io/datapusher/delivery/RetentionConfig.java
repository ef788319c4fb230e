package io.datapusher.delivery;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "datapusher.retention")
public interface RetentionConfig {

    /** Events (with their delivery logs) received longer ago than this are purged. Default 30 days. */
    @WithDefault("30d")
    Duration maxAge();

    /** How often one replica looks for what to purge. Default 1 h. */
    @WithDefault("1h")
    Duration interval();

    /** Events per purge transaction: small enough that no lock is held long. Default 2,000. */
    @WithDefault("2000")
    int batchSize();

    /** Rest between two batches, so a large purge leaves the database to ingest. Default 100 ms. */
    @WithDefault("100ms")
    Duration pause();
}
