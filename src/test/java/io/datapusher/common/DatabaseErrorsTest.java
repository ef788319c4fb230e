package io.datapusher.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which SQLSTATEs mean the database is out of reach (503, one WARN per outage) rather than a bug (500). */
class DatabaseErrorsTest {

    @ParameterizedTest
    @ValueSource(strings = { "08006", "08001", "57P01", "57P02", "57P03" })
    void connectionLossAndServerShutdown_areUnavailability(String sqlState) {
        SQLException e = new SQLException("terminating connection due to administrator command", sqlState);
        assertTrue(DatabaseErrors.isUnavailable(e));
        assertTrue(DatabaseErrors.isUnavailable(DatabaseErrors.unchecked(e)), "also when wrapped for the hot path");
    }

    @ParameterizedTest
    @ValueSource(strings = { "23505", "40P01", "57014", "42P01" })
    void constraintsDeadlocksCancelsAndBugs_areNot(String sqlState) {
        assertFalse(DatabaseErrors.isUnavailable(new SQLException("no", sqlState)));
    }
}
