package io.datapusher.member;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.datapusher.auth.AuthService;
import io.datapusher.auth.User;
import io.datapusher.common.AfterCommit;
import io.datapusher.common.ApiException;
import io.datapusher.common.PageRequest;
import io.datapusher.common.PageResponse;
import io.quarkus.logging.Log;

@ApplicationScoped
public class MemberService {
    private final AuthService auth;
    private final Memberships memberships;
    private final AfterCommit afterCommit;

    MemberService(AuthService auth, Memberships memberships, AfterCommit afterCommit) {
        this.auth = auth;
        this.memberships = memberships;
        this.afterCommit = afterCommit;
    }

    /** The user and the role they hold in each of their accounts. */
    @Transactional
    public Me me(UUID userId) {
        User user = User.<User> findByIdOptional(userId).orElseThrow(ApiException::unauthenticated);
        List<Me.Membership> held = AccountMember.listByUser(userId).stream()
                .map(m -> new Me.Membership(m.accountId, m.role.roleCode()))
                .toList();
        return new Me(user.id, user.email, held);
    }

    /**
     * Adds a user to the account: the existing user with that email (case-insensitive), or a new
     * one made with {@code password}. An existing user's password is left alone.
     */
    @Transactional
    public MemberResponse create(UUID accountId, MemberRequest request, UUID actorId) {
        User user = User.findByEmail(request.email()).orElse(null);
        if (user == null) {
            if (request.password() == null) {
                throw ApiException.invalid("password", "is required when the email is new");
            }
            user = auth.createUser(request.email(), request.password(), actorId);
        } else if (AccountMember.findMembership(accountId, user.id).isPresent()) {
            throw ApiException.conflict("email", "is already a member of this account");
        }
        AccountMember member = new AccountMember();
        member.accountId = accountId;
        member.user = user;
        member.role = Role.of(request.roleCode());
        member.createdBy(actorId);
        // flushed here so that a concurrent add of the same user fails on the unique index now
        member.persistAndFlush();
        UUID userId = user.id;
        afterCommit.run(() -> memberships.forget(accountId, userId));
        Log.infof("User %s added to account %s as %s", user.id, accountId, request.role());
        return MemberResponse.of(member);
    }

    @Transactional
    public PageResponse<MemberResponse> list(UUID accountId, MemberFilter filter, PageRequest page) {
        return PageResponse.of(AccountMember.listByAccount(accountId, filter.q(), filter.role(), page.toPanache()), page,
                AccountMember.countByAccount(accountId, filter.q(), filter.role()), MemberResponse::of);
    }

    @Transactional
    public MemberResponse get(UUID accountId, UUID memberId) {
        return MemberResponse.of(find(accountId, memberId));
    }

    /** Changes the role; refused with 409 when it would demote the account's last admin. */
    @Transactional
    public MemberResponse updateRole(UUID accountId, UUID memberId, MemberRoleRequest request, UUID actorId) {
        List<AccountMember> admins = AccountMember.lockAdmins(accountId);
        AccountMember member = find(accountId, memberId);
        RoleCode role = request.roleCode();
        if (role != RoleCode.ADMIN && isLastAdmin(member, admins)) {
            throw ApiException.conflict("role", "the account must keep at least one admin");
        }
        member.role = Role.of(role);
        member.updatedBy(actorId);
        member.flush();
        UUID userId = member.user.id;
        afterCommit.run(() -> memberships.forget(accountId, userId));
        Log.infof("Member %s of account %s is now %s", memberId, accountId, role.code());
        return MemberResponse.of(member);
    }

    /** Removes the membership (the user stays); refused with 409 for the account's last admin. */
    @Transactional
    public void delete(UUID accountId, UUID memberId) {
        List<AccountMember> admins = AccountMember.lockAdmins(accountId);
        AccountMember member = find(accountId, memberId);
        if (isLastAdmin(member, admins)) {
            throw ApiException.conflict("member_id", "the account must keep at least one admin");
        }
        UUID userId = member.user.id;
        member.delete();
        afterCommit.run(() -> memberships.forget(accountId, userId));
        Log.infof("Member %s removed from account %s", memberId, accountId);
    }

    /** The membership, its user and role fetched in the same query. */
    private static AccountMember find(UUID accountId, UUID memberId) {
        return AccountMember.findInAccount(accountId, memberId).orElseThrow(ApiException::notFound);
    }

    private static boolean isLastAdmin(AccountMember member, List<AccountMember> lockedAdmins) {
        return lockedAdmins.size() <= 1 && lockedAdmins.stream().anyMatch(a -> a.id.equals(member.id));
    }
}
