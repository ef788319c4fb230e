package io.datapusher.platform;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * A PostgreSQL notification channel that a feature keeps a cache current with. Every bean of this
 * type is listened to by {@link DatabaseNotifications}, on one connection per replica.
 */
public interface NotificationChannel {

    /** The channel's name, as the feature's trigger passes it to {@code pg_notify}. */
    String name();

    /**
     * Listening has (re)started: notifications sent while it was interrupted are lost, so the
     * cache is made whole again from the database, on the listening connection.
     */
    void resumed(Connection connection) throws SQLException;

    /** Listening was interrupted: the cache must not trust itself until {@link #resumed}. */
    void interrupted();

    /** The payloads notified since the last call, without repeats. */
    void notified(Connection connection, Set<String> payloads) throws SQLException;
}
