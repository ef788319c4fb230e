package io.datapusher.delivery;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.datapusher.account.AccountDeleted;

/** Removes an account's delivery logs when the account is deleted (same transaction, before its events). */
@ApplicationScoped
public class DeliveryLogCleanup {

    void onAccountDeleted(@Observes @Priority(1000) AccountDeleted deleted) {
        DeliveryLog.delete("accountId", deleted.accountId());
    }
}
