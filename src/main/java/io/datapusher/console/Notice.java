package io.datapusher.console;

/**
 * What the page after a form says happened. The redirect carries only the code, so no text from
 * a URL ever reaches a page.
 */
public enum Notice {
    SIGNED_UP("signed-up", "Your user was created. Sign in to continue."),
    SIGNED_OUT("signed-out", "You are signed out."),
    ACCOUNT_CREATED("account-created", "Account created. You are its admin."),
    ACCOUNT_UPDATED("account-updated", "Account saved."),
    ACCOUNT_DELETED("account-deleted", "Account deleted, with its destinations, members and logs."),
    TOKEN_ROTATED("token-rotated", "New token issued. The old one no longer works."),
    DESTINATION_CREATED("destination-created", "Destination created."),
    DESTINATION_UPDATED("destination-updated", "Destination saved."),
    DESTINATION_DELETED("destination-deleted", "Destination deleted, with its logs."),
    MEMBER_ADDED("member-added", "Member added."),
    MEMBER_UPDATED("member-updated", "Role changed."),
    MEMBER_REMOVED("member-removed", "Member removed."),
    REDELIVERY_SCHEDULED("redelivery-scheduled", "Redelivery scheduled: the log is pending again.");

    private final String code;
    private final String text;

    Notice(String code, String text) {
        this.code = code;
        this.text = text;
    }

    public String code() {
        return code;
    }

    public String text() {
        return text;
    }

    /** The notice of a redirect's {@code notice} parameter; null for none or an unknown code. */
    public static Notice of(String code) {
        for (Notice notice : values()) {
            if (notice.code.equals(code)) {
                return notice;
            }
        }
        return null;
    }
}
