package io.datapusher.ingest;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.datapusher.account.AccountDeleted;

/** Removes an account's events and rate-limit bucket when the account is deleted (same transaction). */
@ApplicationScoped
public class EventCleanup {

    /** After the delivery logs, which refer to the events. */
    void onAccountDeleted(@Observes @Priority(2000) AccountDeleted deleted) {
        Event.getEntityManager().createNativeQuery("DELETE FROM rate_limit_buckets WHERE account_id = :account")
                .setParameter("account", deleted.accountId()).executeUpdate();
        Event.delete("accountId", deleted.accountId());
    }
}
