package io.datapusher.account;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.platform.NotificationChannel;

/**
 * Keeps {@link AccountTokens} current from the {@code accounts} table's trigger (V15): loads every
 * token when listening (re)starts, then re-reads each account a notification names.
 */
@ApplicationScoped
class AccountTokenChannel implements NotificationChannel {
    private final AccountTokens tokens;

    AccountTokenChannel(AccountTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public String name() {
        return "datapusher_account_tokens";
    }

    @Override
    public void resumed(Connection connection) throws SQLException {
        Map<UUID, String> all = new HashMap<>();
        try (Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT id, app_secret_token FROM accounts")) {
            while (rows.next()) {
                all.put(rows.getObject(1, UUID.class), rows.getString(2));
            }
        }
        tokens.replaceAll(all);
    }

    @Override
    public void interrupted() {
        tokens.incomplete();
    }

    @Override
    public void notified(Connection connection, Set<String> accountIds) throws SQLException {
        Map<UUID, String> now = new HashMap<>();
        try (PreparedStatement query = connection
                .prepareStatement("SELECT id, app_secret_token FROM accounts WHERE id = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("uuid", accountIds.stream().map(UUID::fromString).toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    now.put(rows.getObject(1, UUID.class), rows.getString(2));
                }
            }
        }
        for (String accountId : accountIds) {
            UUID id = UUID.fromString(accountId);
            tokens.put(id, now.get(id));
        }
    }
}
