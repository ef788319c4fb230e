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

    /** How requests are written to PostgreSQL together. */
    GroupCommit groupCommit();

    interface GroupCommit {
        /**
         * Threads that each write one batch at a time, on a connection of their own. Requests that
         * arrive while a batch is being written form the next one: no added wait. Default 2.
         */
        @WithDefault("2")
        int writers();

        /** Most requests in one batch (one statement, one commit). Default 256. */
        @WithDefault("256")
        int maxBatch();

        /** Most body bytes in one batch. Default 8M. */
        @WithDefault("8M")
        MemorySize maxBatchBytes();

        /**
         * Requests waiting for a writer, at most; beyond it the replica answers 503 with Retry-After
         * (the database is not keeping up), instead of holding ever more bodies in memory. Default 4096.
         */
        @WithDefault("4096")
        int maxWaiting();
    }
}
