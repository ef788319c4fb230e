package io.datapusher.account;

import java.util.UUID;

/**
 * Fired, inside the deleting transaction, just before an account row is deleted: the Quarkus
 * counterpart of a Django pre_delete signal. Observers remove what belongs to the account.
 */
public record AccountDeleted(UUID accountId, String appSecretToken) {
}
