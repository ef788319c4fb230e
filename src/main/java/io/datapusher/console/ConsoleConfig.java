package io.datapusher.console;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "datapusher.console")
public interface ConsoleConfig {

    /**
     * Whether the console's cookies carry {@code Secure}. Default true; browsers keep Secure cookies
     * from http://localhost too, so only a plain-HTTP host other than localhost needs false.
     */
    @WithDefault("true")
    boolean secureCookies();

    /** How often the live logs view asks for new rows (with JavaScript on). Default 3 seconds. */
    @WithDefault("3s")
    Duration pollInterval();
}
