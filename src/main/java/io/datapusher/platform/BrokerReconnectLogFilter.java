package io.datapusher.platform;

import java.util.Set;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops the lines the SmallRye AMQP connector repeats at every reconnect attempt of the consumer
 * while the broker is away (connecting, connected, connection failure, cannot connect, retrying,
 * message released), several a second per replica during an outage. The outage itself is logged
 * once by {@code common.BrokerOutage}; everything else the connector says still gets through.
 */
@LoggingFilter(name = "broker-reconnects")
public final class BrokerReconnectLogFilter implements Filter {
    static final String CONNECTOR = "io.smallrye.reactive.messaging.amqp";
    /**
     * SRMSG16212 connecting, 16213 connected, 16214 connection failure, 16215 cannot connect, 16205 retrying, 16221 released.
     */
    static final Set<String> REPEATING = Set.of("SRMSG16212", "SRMSG16213", "SRMSG16214", "SRMSG16215", "SRMSG16205",
            "SRMSG16221");
    private static final int ID_LENGTH = "SRMSG00000".length();

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!CONNECTOR.equals(record.getLoggerName())) {
            return true;
        }
        String message = record.getMessage();
        return message == null || message.length() < ID_LENGTH || !REPEATING.contains(message.substring(0, ID_LENGTH));
    }
}
