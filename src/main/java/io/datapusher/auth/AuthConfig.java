package io.datapusher.auth;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "datapusher.auth")
public interface AuthConfig {

    /** How long an access token is valid. Default 1 hour. */
    @WithDefault("1h")
    Duration tokenLifespan();

    /** Failed logins for one email within {@link #loginFailureWindow()} before it is locked. Default 5. */
    @WithDefault("5")
    int loginMaxFailures();

    /** The window failed logins are counted in, and how long an email stays locked. Default 15 minutes. */
    @WithDefault("15m")
    Duration loginFailureWindow();
}
