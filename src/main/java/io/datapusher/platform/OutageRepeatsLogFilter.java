package io.datapusher.platform;

import java.util.Map;
import java.util.Set;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import io.datapusher.common.DatabaseErrors;
import io.quarkus.logging.LoggingFilter;

/**
 * Drops the lines libraries repeat for every connection or message while the broker or the
 * database is away: several a second per replica during an outage, each saying the same thing.
 * The outage itself is logged once, WARN at its start and INFO with its length at its end, by
 * {@code common.BrokerOutage} / {@code common.DatabaseOutage}, and the meters
 * {@code datapusher_dependency_failures_total} count every failure. Anything else these loggers
 * say still gets through.
 */
@LoggingFilter(name = "outage-repeats")
public final class OutageRepeatsLogFilter implements Filter {
    static final String CONNECTOR = "io.smallrye.reactive.messaging.amqp";
    static final String MESSAGING = "io.smallrye.reactive.messaging.provider";
    /**
     * Message starts dropped, per logger. The AMQP connector at each reconnect attempt of the
     * consumer: SRMSG16212 connecting, 16213 connected, 16214 connection failure, 16215 cannot
     * connect, 16205 retrying, 16221 message released. Agroal, once per pooled connection found
     * dead. Vert.x, for each connection a peer resets, with no more context than that.
     */
    static final Map<String, Set<String>> REPEATING = Map.of(
            CONNECTOR, Set.of("SRMSG16212", "SRMSG16213", "SRMSG16214", "SRMSG16215", "SRMSG16205", "SRMSG16221"),
            "io.agroal.pool", Set.of("Datasource '<default>': This connection has been closed",
                    "Datasource '<default>': Closing connection in incorrect state"),
            "io.vertx.core.net.impl.ConnectionBase", Set.of("Connection reset"));

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        if (message == null) {
            return true;
        }
        // The consumer throws on purpose when its claim finds the database down (failure-strategy release).
        if (MESSAGING.equals(record.getLoggerName()) && message.startsWith("SRMSG00200")
                && DatabaseErrors.isUnavailable(record.getThrown())) {
            return false;
        }
        Set<String> starts = REPEATING.get(record.getLoggerName());
        if (starts == null) {
            return true;
        }
        // Agroal logs a format and its parameters: compare what would be printed.
        String printed = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : message;
        return printed == null || starts.stream().noneMatch(printed::startsWith);
    }
}
