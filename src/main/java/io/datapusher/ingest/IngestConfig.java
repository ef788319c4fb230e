package io.datapusher.ingest;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "datapusher.ingest")
public interface IngestConfig {

    /** Accepted requests per second per account, one budget shared by all replicas. Default 5. */
    @WithDefault("5")
    double ratePerSecond();

    /** Largest body POST /server/incoming_data accepts; larger ones get 413. Default 1M. */
    @WithDefault("1M")
    MemorySize maxBodySize();
}
