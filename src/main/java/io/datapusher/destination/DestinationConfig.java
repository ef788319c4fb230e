package io.datapusher.destination;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "datapusher.destinations")
public interface DestinationConfig {

    /**
     * Addresses let past the outbound guard, as CIDR blocks (e.g. {@code 127.0.0.0/8}), both when a
     * destination is saved and when a delivery connects. Default: none, so no loopback, private,
     * link-local, CGNAT, multicast or reserved address.
     */
    Optional<List<String>> allowedCidrs();

    /**
     * After a signing-secret rotation, how long the replaced secret still signs each delivery
     * beside the new one (webhook-signature then carries both). Default 24 h.
     */
    @WithDefault("24h")
    Duration signingSecretOverlap();

    /**
     * A destination whose every attempt has failed for this long (and that was attempted again
     * after it) is disabled: nothing more is sent to it until an admin enables it. Default 24 h.
     */
    @WithDefault("24h")
    Duration disableAfter();

    /**
     * How often each replica writes a healthy destination's latest success. Failures are written
     * with every outcome batch; successes that change nothing but the time are written at most this
     * often per destination, so the hot path does not update a destination row per delivery. Keep it
     * well below {@link #disableAfter()}: a success another replica has not written yet does not stop
     * the disabling. Default 30 s.
     */
    @WithDefault("30s")
    Duration healthSuccessInterval();
}
