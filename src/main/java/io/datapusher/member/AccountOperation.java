package io.datapusher.member;

/**
 * The contract's role table: every operation on an account's resources, and whether a normal
 * member may do it (an admin may do all of them). This enum is the only place that knows it.
 */
public enum AccountOperation {
    ACCOUNT_READ(true),
    ACCOUNT_UPDATE(true),
    ACCOUNT_DELETE(false),
    ACCOUNT_ROTATE_TOKEN(false),
    DESTINATION_READ(true),
    DESTINATION_UPDATE(true),
    DESTINATION_CREATE(false),
    DESTINATION_DELETE(false),
    DESTINATION_ROTATE_SECRET(false),
    /** Enable or disable, filter, rate limit: how (and whether) it is delivered to. */
    DESTINATION_CONFIGURE_DELIVERY(false),
    MEMBER_READ(true),
    MEMBER_CREATE(false),
    MEMBER_UPDATE(false),
    MEMBER_DELETE(false),
    LOG_READ(true),
    LOG_REDELIVER(false);

    private final boolean normalMayDo;

    AccountOperation(boolean normalMayDo) {
        this.normalMayDo = normalMayDo;
    }

    public boolean allows(RoleCode role) {
        return role == RoleCode.ADMIN || normalMayDo;
    }
}
