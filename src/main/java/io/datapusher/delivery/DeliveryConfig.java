package io.datapusher.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "datapusher.delivery")
public interface DeliveryConfig {

    /** Time allowed for one attempt, connect to last byte. Default 10 s. */
    @WithDefault("10s")
    Duration timeout();

    /** Attempts before a log ends {@code failed}. Default 8. */
    @WithDefault("8")
    int maxAttempts();

    /** Delay before the first retry; it doubles each time, with jitter. Default 5 s. */
    @WithDefault("5s")
    Duration initialBackoff();

    /** Upper bound of one retry delay, also for a destination's Retry-After. Default 1 h. */
    @WithDefault("1h")
    Duration maxBackoff();

    /**
     * Outbound addresses let past the guard, as CIDR blocks (e.g. {@code 127.0.0.0/8}).
     * Default: none, so no loopback, private, link-local, CGNAT, multicast or reserved address.
     */
    Optional<List<String>> allowedCidrs();
}
