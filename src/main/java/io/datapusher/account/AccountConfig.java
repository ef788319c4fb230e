package io.datapusher.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "datapusher.accounts")
public interface AccountConfig {

    /**
     * Database look-ups per second, per replica, for CL-X-TOKENs that the in-memory token map does
     * not hold (a token used here a moment before its account's notification arrived). Beyond it an
     * unknown token is refused from memory. Default 20.
     */
    @WithDefault("20")
    double unknownTokenLookupsPerSecond();
}
