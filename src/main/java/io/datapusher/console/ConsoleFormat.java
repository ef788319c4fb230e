package io.datapusher.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.TemplateExtension;

/** How the console's templates print values. */
@TemplateExtension
public class ConsoleFormat {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ConsoleFormat() {
    }

    /** {@code {log.receivedTimestamp.display}}: UTC, to the millisecond. */
    static String display(Instant instant) {
        return instant == null ? "—" : WHEN.format(instant);
    }
}
