package io.datapusher.account;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.health.Readiness;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.datapusher.common.DatabaseErrors;
import io.datapusher.platform.SchemaReadiness;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Keeps {@link AccountTokens} current: on one connection of its own it LISTENs to the
 * {@code accounts} table's trigger (V15), loads every token, then re-reads each account that a
 * notification names. When the connection is lost, notifications may be missed meanwhile, so the
 * map is marked incomplete until the next full load after reconnecting.
 */
@ApplicationScoped
class AccountTokenListener {
    static final String CHANNEL = "datapusher_account_tokens";
    private static final int WAIT_MS = 500;
    private static final long RECONNECT_MS = 1_000;

    private final AccountTokens tokens;
    private final DataSource dataSource;
    private final SchemaReadiness schema;
    private volatile boolean running;
    private boolean interrupted;
    private Thread thread;

    AccountTokenListener(AccountTokens tokens, DataSource dataSource, @Readiness SchemaReadiness schema) {
        this.tokens = tokens;
        this.dataSource = dataSource;
        this.schema = schema;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "account-token-listener");
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
                tokens.incomplete();
                if (running && !interrupted) {
                    Log.warnf("Account token notifications interrupted (%s); unknown tokens are looked up in the "
                            + "database until they are back", DatabaseErrors.describe(e));
                    interrupted = true;
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
                listen.execute("LISTEN " + CHANNEL);
            }
            // Listening before loading: a change committed meanwhile is both loaded and notified.
            tokens.replaceAll(loadAll(connection));
            if (interrupted) {
                Log.info("Account token notifications are back; the token map is complete again");
                interrupted = false;
            }
            PGConnection pg = connection.unwrap(PGConnection.class);
            while (running) {
                PGNotification[] notifications = pg.getNotifications(WAIT_MS);
                if (notifications != null && notifications.length > 0) {
                    Set<UUID> changed = new LinkedHashSet<>();
                    for (PGNotification notification : notifications) {
                        changed.add(UUID.fromString(notification.getParameter()));
                    }
                    apply(connection, changed);
                }
            }
        }
    }

    private static Map<UUID, String> loadAll(Connection connection) throws SQLException {
        Map<UUID, String> all = new HashMap<>();
        try (Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT id, app_secret_token FROM accounts")) {
            while (rows.next()) {
                all.put(rows.getObject(1, UUID.class), rows.getString(2));
            }
        }
        return all;
    }

    private void apply(Connection connection, Set<UUID> changed) throws SQLException {
        Map<UUID, String> now = new HashMap<>();
        try (PreparedStatement query = connection
                .prepareStatement("SELECT id, app_secret_token FROM accounts WHERE id = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("uuid", changed.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    now.put(rows.getObject(1, UUID.class), rows.getString(2));
                }
            }
        }
        for (UUID accountId : changed) {
            tokens.put(accountId, now.get(accountId));
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
