package io.datapusher.console;

import io.datapusher.account.AccountResponse;
import io.datapusher.member.AccountOperation;
import io.datapusher.member.RoleCode;

/**
 * An account as its pages show it, with what the viewer's role allows. The buttons a page offers
 * come from the same role table ({@link AccountOperation}) that the server enforces on every form.
 */
public record AccountView(AccountResponse account, RoleCode role) {

    public boolean isAdmin() {
        return role == RoleCode.ADMIN;
    }

    public String roleName() {
        return role == RoleCode.ADMIN ? "Admin" : "Normal user";
    }

    public boolean mayDeleteAccount() {
        return AccountOperation.ACCOUNT_DELETE.allows(role);
    }

    public boolean mayRotateToken() {
        return AccountOperation.ACCOUNT_ROTATE_TOKEN.allows(role);
    }

    public boolean mayCreateDestination() {
        return AccountOperation.DESTINATION_CREATE.allows(role);
    }

    public boolean mayDeleteDestination() {
        return AccountOperation.DESTINATION_DELETE.allows(role);
    }

    public boolean mayConfigureDelivery() {
        return AccountOperation.DESTINATION_CONFIGURE_DELIVERY.allows(role);
    }

    public boolean mayManageMembers() {
        return AccountOperation.MEMBER_CREATE.allows(role);
    }

    public boolean mayRedeliver() {
        return AccountOperation.LOG_REDELIVER.allows(role);
    }

    public String base() {
        return "/console/accounts/" + account.id();
    }
}
