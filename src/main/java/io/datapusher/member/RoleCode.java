package io.datapusher.member;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The role a member holds in one account, as it appears in JSON. */
@Schema(name = "Role", enumeration = { "admin", "normal" }, description = "`admin` (Admin) or `normal` (Normal user).")
public enum RoleCode {
    ADMIN("admin"),
    NORMAL("normal");

    private final String code;

    RoleCode(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    @JsonCreator
    public static RoleCode fromCode(String code) {
        for (RoleCode role : values()) {
            if (role.code.equals(code)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role");
    }
}
