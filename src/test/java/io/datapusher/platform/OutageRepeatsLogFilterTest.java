package io.datapusher.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import io.datapusher.common.DatabaseErrors;

class OutageRepeatsLogFilterTest {
    private final OutageRepeatsLogFilter filter = new OutageRepeatsLogFilter();

    @Test
    void theConnectorsReconnectLines_areDropped() {
        OutageRepeatsLogFilter.REPEATING.forEach((logger, starts) -> starts
                .forEach(start -> assertFalse(filter.isLoggable(record(logger, start + ": anything")), start)));
    }

    @Test
    void agroalsLinePerDeadConnection_isDropped_asPrinted_notAsItsFormat() {
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "Datasource '%s': %s", ExtLogRecord.FormatStyle.PRINTF,
                OutageRepeatsLogFilterTest.class.getName());
        record.setParameters(new Object[] { "<default>", "This connection has been closed." });
        record.setLoggerName("io.agroal.pool");
        assertFalse(filter.isLoggable(record));
    }

    @Test
    void theConsumersReleaseOnAnUnreachableDatabase_isDropped_butOtherConsumerFailuresPass() {
        LogRecord released = record(OutageRepeatsLogFilter.MESSAGING, "SRMSG00200: The method consume has thrown");
        released.setThrown(DatabaseErrors.unchecked(new SQLException("gone", "08006")));
        assertFalse(filter.isLoggable(released));
        LogRecord bug = record(OutageRepeatsLogFilter.MESSAGING, "SRMSG00200: The method consume has thrown");
        bug.setThrown(new IllegalStateException("a bug"));
        assertTrue(filter.isLoggable(bug));
    }

    @Test
    void theConnectorsOtherLines_andEveryoneElsesLines_pass() {
        assertTrue(filter.isLoggable(record(OutageRepeatsLogFilter.CONNECTOR,
                "SRMSG16203: AMQP Receiver listening address /queue/x")));
        assertTrue(filter.isLoggable(record(OutageRepeatsLogFilter.CONNECTOR, "short")));
        assertTrue(filter.isLoggable(record(OutageRepeatsLogFilter.CONNECTOR, null)));
        assertTrue(filter.isLoggable(record("io.datapusher.common.OutageTracker", "SRMSG16215: quoted by us")));
        assertTrue(filter.isLoggable(record("io.agroal.pool", "Datasource '<default>': leak detected")));
    }

    private static LogRecord record(String logger, String message) {
        LogRecord record = new LogRecord(Level.SEVERE, message);
        record.setLoggerName(logger);
        return record;
    }
}
