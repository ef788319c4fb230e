package io.datapusher.member;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.LockModeType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import io.datapusher.auth.User;
import io.datapusher.common.AuditedEntity;
import io.datapusher.common.QueryFilter;
import io.quarkus.panache.common.Page;

/** A user's membership of an account, with the role that decides what they may do there. */
@Entity
@Table(name = "account_members")
public class AccountMember extends AuditedEntity {

    @Column(name = "account_id", nullable = false, updatable = false)
    public UUID accountId;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id", nullable = false, updatable = false)
    public User user;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "role_id", nullable = false)
    public Role role;

    public static Optional<AccountMember> findMembership(UUID accountId, UUID userId) {
        return find("from AccountMember m join fetch m.role where m.accountId = ?1 and m.user.id = ?2", accountId, userId)
                .firstResultOptional();
    }

    public static Optional<AccountMember> findInAccount(UUID accountId, UUID memberId) {
        return find("from AccountMember m join fetch m.user join fetch m.role where m.accountId = ?1 and m.id = ?2",
                accountId, memberId).firstResultOptional();
    }

    /** One page of an account's members, user and role fetched in the same query. */
    public static List<AccountMember> listByAccount(UUID accountId, String search, RoleCode role, Page page) {
        QueryFilter filter = filter(accountId, search, role);
        return find("from AccountMember m join fetch m.user u join fetch m.role r where " + filter.query()
                + " order by m.createdAt, m.id", filter.params()).page(page).list();
    }

    public static long countByAccount(UUID accountId, String search, RoleCode role) {
        QueryFilter filter = filter(accountId, search, role);
        // count(...) rather than find(...).count(): Hibernate 7 refuses a joined query without a select
        return count("from AccountMember m join m.user u join m.role r where " + filter.query(), filter.params());
    }

    private static QueryFilter filter(UUID accountId, String search, RoleCode role) {
        return QueryFilter.where("m.accountId = ?", accountId)
                .and("r.code = ?", role == null ? null : role.code())
                .andSearch(search, "u.email");
    }

    /** Every membership of a user, role fetched, for GET /auth/me. */
    public static List<AccountMember> listByUser(UUID userId) {
        return find("from AccountMember m join fetch m.role where m.user.id = ?1 order by m.createdAt", userId).list();
    }

    /**
     * The account's admin memberships, locked (SELECT ... FOR UPDATE) until the transaction ends.
     * Every change that could remove an admin takes these locks first, so two concurrent
     * demotions or removals cannot both see "another admin is left". Ordered by id so that
     * concurrent lockers take the locks in the same order.
     */
    public static List<AccountMember> lockAdmins(UUID accountId) {
        return find("accountId = ?1 and role.id = ?2 order by id", accountId, Role.ADMIN_ID)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }
}
