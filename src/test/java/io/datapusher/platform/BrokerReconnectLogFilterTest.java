package io.datapusher.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class BrokerReconnectLogFilterTest {
    private final BrokerReconnectLogFilter filter = new BrokerReconnectLogFilter();

    @Test
    void theConnectorsReconnectLines_areDropped() {
        for (String id : BrokerReconnectLogFilter.REPEATING) {
            assertFalse(filter.isLoggable(record(BrokerReconnectLogFilter.CONNECTOR, id + ": anything")), id);
        }
    }

    @Test
    void theConnectorsOtherLines_andEveryoneElsesLines_pass() {
        assertTrue(filter.isLoggable(record(BrokerReconnectLogFilter.CONNECTOR,
                "SRMSG16203: AMQP Receiver listening address /queue/x")));
        assertTrue(filter.isLoggable(record(BrokerReconnectLogFilter.CONNECTOR, "short")));
        assertTrue(filter.isLoggable(record(BrokerReconnectLogFilter.CONNECTOR, null)));
        assertTrue(filter.isLoggable(record("io.datapusher.common.OutageTracker", "SRMSG16215: quoted by us")));
    }

    private static LogRecord record(String logger, String message) {
        LogRecord record = new LogRecord(Level.SEVERE, message);
        record.setLoggerName(logger);
        return record;
    }
}
