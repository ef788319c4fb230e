package io.datapusher.platform;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.health.Readiness;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.datapusher.common.DatabaseErrors;
import io.datapusher.common.DatabaseOutage;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * One connection per replica that LISTENs to every {@link NotificationChannel} and hands each its
 * notifications, so that a change committed on any replica (or by hand in SQL) reaches the caches
 * of all of them at once. Each channel first reloads what it keeps, after LISTEN, so a change made
 * meanwhile is both loaded and notified. When the connection is lost every channel is told, and
 * reloads once listening again: notifications sent in between are gone.
 */
@ApplicationScoped
class DatabaseNotifications {
    private static final int WAIT_MS = 500;
    private static final long RECONNECT_MS = 1_000;

    private final List<NotificationChannel> channels;
    private final DataSource dataSource;
    private final SchemaReadiness schema;
    private final DatabaseOutage database;
    private volatile boolean running;
    private boolean interrupted;
    /** Whether the interruption was logged here (not an outage, which DatabaseOutage logs). */
    private boolean warned;
    private long interruptedAt;
    private Thread thread;

    DatabaseNotifications(Instance<NotificationChannel> channels, DataSource dataSource,
            @Readiness SchemaReadiness schema, DatabaseOutage database) {
        this.database = database;
        this.channels = channels.stream().toList();
        this.dataSource = dataSource;
        this.schema = schema;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "database-notifications");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        while (running) {
            try {
                if (schema.isMigrated()) {
                    listen();
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return; // stopping: the connection was closed under us
                }
                channels.forEach(NotificationChannel::interrupted);
                // An unreachable database is the outage's one WARN (DatabaseOutage); anything else is ours.
                boolean unavailable = DatabaseErrors.isUnavailable(e);
                if (unavailable) {
                    database.failed(e);
                }
                if (!interrupted) {
                    warned = !unavailable;
                    if (warned) {
                        Log.warnf("Database notifications interrupted (%s); caches that rely on them ask the database "
                                + "until they are back", DatabaseErrors.describe(e));
                    }
                    interrupted = true;
                    interruptedAt = System.nanoTime();
                }
            }
            if (running) {
                sleep();
            }
        }
    }

    /** Returns only by an exception, or when stopped. */
    private void listen() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (Statement listen = connection.createStatement()) {
                for (NotificationChannel channel : channels) {
                    listen.execute("LISTEN " + channel.name());
                }
            }
            for (NotificationChannel channel : channels) {
                channel.resumed(connection);
            }
            database.succeeded();
            if (interrupted) {
                if (warned) {
                    Log.infof("Database notifications are back after %d ms; caches reloaded",
                            (System.nanoTime() - interruptedAt) / 1_000_000);
                }
                interrupted = false;
            }
            PGConnection pg = connection.unwrap(PGConnection.class);
            while (running) {
                PGNotification[] notifications = pg.getNotifications(WAIT_MS);
                if (notifications != null && notifications.length > 0) {
                    dispatch(connection, notifications);
                }
            }
        }
    }

    private void dispatch(Connection connection, PGNotification[] notifications) throws SQLException {
        Map<String, Set<String>> byChannel = new HashMap<>();
        for (PGNotification notification : notifications) {
            byChannel.computeIfAbsent(notification.getName(), c -> new LinkedHashSet<>()).add(notification.getParameter());
        }
        for (NotificationChannel channel : channels) {
            Set<String> payloads = byChannel.get(channel.name());
            if (payloads != null) {
                channel.notified(connection, payloads);
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(RECONNECT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
