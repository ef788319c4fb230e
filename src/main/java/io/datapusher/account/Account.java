package io.datapusher.account;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.datapusher.common.AuditedEntity;
import io.datapusher.common.QueryFilter;
import io.quarkus.panache.common.Page;

@Entity
@Table(name = "accounts")
public class Account extends AuditedEntity {

    @Column(nullable = false, length = 200)
    public String name;

    @Column(length = 2048)
    public String website;

    @Column(name = "app_secret_token", nullable = false, length = 128)
    public String appSecretToken;

    public static Optional<Account> findByToken(String token) {
        return find("appSecretToken", token).firstResultOptional();
    }

    /** One page of the accounts the user is a member of, newest first. */
    public static List<Account> listForMember(UUID userId, AccountFilter filter, Page page) {
        QueryFilter where = where(userId, filter);
        return find("from Account a where " + where.query() + " order by a.createdAt desc, a.id", where.params())
                .page(page).list();
    }

    public static long countForMember(UUID userId, AccountFilter filter) {
        QueryFilter where = where(userId, filter);
        return find("from Account a where " + where.query(), where.params()).count();
    }

    private static QueryFilter where(UUID userId, AccountFilter filter) {
        return QueryFilter.where("a.id in (select m.accountId from AccountMember m where m.user.id = ?)", userId)
                .and("lower(a.name) like ? escape '\\'", filter.likeName())
                .and("lower(a.website) like ? escape '\\'", filter.likeWebsite())
                .andSearch(filter.q(), "a.name", "a.website");
    }
}
