package io.datapusher.account;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.datapusher.common.DatabaseErrors;

/**
 * The map from CL-X-TOKEN to account, held by every replica in memory so that ingest needs no
 * database round trip for it, known token or not. {@link AccountTokenChannel} loads it whole and
 * keeps it current from PostgreSQL's notifications, so a new account, a rotated token or a deleted
 * account reaches every replica at once; this replica's own changes are applied after their commit.
 *
 * <p>
 * Until the map is complete (start-up, or while the listener is reconnecting and may have missed
 * notifications), a token not in it is looked up in the database. Once it is complete, a miss is
 * still looked up, but only a few times a second per replica: enough for a token used on this
 * replica a millisecond after another created it, and no load for a client trying many unknown tokens.
 */
@ApplicationScoped
public class AccountTokens {
    private final Map<String, UUID> byToken = new ConcurrentHashMap<>();
    private final Map<UUID, String> byAccount = new ConcurrentHashMap<>();
    private final DataSource dataSource;
    private final MissBudget misses;
    private volatile boolean complete;

    AccountTokens(DataSource dataSource, AccountConfig config) {
        this.dataSource = dataSource;
        this.misses = new MissBudget(config.unknownTokenLookupsPerSecond());
    }

    /** What memory alone can tell about a token. */
    public sealed interface Lookup {
        record Known(UUID accountId) implements Lookup {
        }

        record Unknown() implements Lookup {
        }

        /** Only the database can tell: call {@link #fromDatabase(String)} off the event loop. */
        record AskDatabase() implements Lookup {
        }
    }

    private static final Lookup UNKNOWN = new Lookup.Unknown();
    private static final Lookup ASK_DATABASE = new Lookup.AskDatabase();

    /** Never blocks. */
    public Lookup fromMemory(String token) {
        UUID accountId = byToken.get(token);
        if (accountId != null) {
            return new Lookup.Known(accountId);
        }
        return !complete || misses.tryTake() ? ASK_DATABASE : UNKNOWN;
    }

    /** Blocking: one indexed read; a token found is remembered. */
    public Optional<UUID> fromDatabase(String token) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection
                        .prepareStatement("SELECT id FROM accounts WHERE app_secret_token = ?")) {
            query.setString(1, token);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                UUID accountId = row.getObject(1, UUID.class);
                put(accountId, token);
                return Optional.of(accountId);
            }
        } catch (SQLException e) {
            throw DatabaseErrors.unchecked(e);
        }
    }

    /** The account of a token, from memory or else the database (blocking). */
    public Optional<UUID> accountIdFor(String token) {
        Lookup lookup = fromMemory(token);
        if (lookup instanceof Lookup.Known known) {
            return Optional.of(known.accountId());
        }
        return lookup instanceof Lookup.AskDatabase ? fromDatabase(token) : Optional.empty();
    }

    /** The account now has this token (null: the account is gone); its old token stops working. */
    void put(UUID accountId, String token) {
        String old = token == null ? byAccount.remove(accountId) : byAccount.put(accountId, token);
        if (old != null && !old.equals(token)) {
            byToken.remove(old, accountId);
        }
        if (token != null) {
            byToken.put(token, accountId);
        }
    }

    /** Replaces the whole map with the database's; from now on a miss means unknown. */
    void replaceAll(Map<UUID, String> tokens) {
        byAccount.keySet().retainAll(tokens.keySet());
        byToken.values().retainAll(tokens.keySet());
        tokens.forEach(this::put);
        complete = true;
    }

    /** Notifications may be missed from now on: misses go to the database until the next full load. */
    void incomplete() {
        complete = false;
    }

    boolean isComplete() {
        return complete;
    }

    /** A token bucket, in memory: the database look-ups for tokens not in a complete map. */
    static final class MissBudget {
        private final double perSecond;
        private double available;
        private long refilledAt = System.nanoTime();

        MissBudget(double perSecond) {
            this.perSecond = perSecond;
            this.available = perSecond;
        }

        synchronized boolean tryTake() {
            long now = System.nanoTime();
            available = Math.min(perSecond, available + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (available >= 1) {
                available -= 1;
                return true;
            }
            return false;
        }
    }
}
