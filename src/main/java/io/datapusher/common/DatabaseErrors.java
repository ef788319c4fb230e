package io.datapusher.common;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.hibernate.exception.JDBCConnectionException;

/** Reads what a database failure means, whether it came through Hibernate or plain JDBC. */
public final class DatabaseErrors {
    public static final String UNIQUE_VIOLATION = "23505";
    public static final String FOREIGN_KEY_VIOLATION = "23503";
    public static final String DEADLOCK_DETECTED = "40P01";

    private DatabaseErrors() {
    }

    /**
     * The database is out of reach (connection refused or lost, no connection in time, the server
     * shutting down or starting up), not a bug.
     */
    public static boolean isUnavailable(Throwable e) {
        return Causes.any(e, t -> t instanceof JDBCConnectionException || t instanceof SQLTransientConnectionException
                || t instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("08")
                        // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now: a restart
                        || sql.getSQLState().startsWith("57P"))
                // Agroal's pool gives up waiting for a connection with a plain SQLException.
                || t instanceof SQLException && String.valueOf(t.getMessage()).contains("acquisition timeout"));
    }

    /** Whether a cause of {@code e} is an SQLException with this SQLSTATE. */
    public static boolean hasState(Throwable e, String sqlState) {
        return Causes.any(e, t -> t instanceof SQLException sql && sqlState.equals(sql.getSQLState()));
    }

    /** For logs: what went wrong, without SQL text, values or addresses. */
    public static String describe(Throwable e) {
        return isUnavailable(e) ? "database unavailable" : e.getClass().getSimpleName();
    }

    /** Plain JDBC failures travel as this, so that callers handle one kind of exception. */
    public static RuntimeException unchecked(SQLException e) {
        return new DatabaseException(e);
    }

    public static final class DatabaseException extends RuntimeException {
        DatabaseException(SQLException cause) {
            super(cause.getSQLState(), cause, false, false);
        }
    }
}
