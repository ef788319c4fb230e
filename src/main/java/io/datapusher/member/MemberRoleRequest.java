package io.datapusher.member;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of PUT .../members/{member_id}: only the role of a membership can change. */
@Schema(name = "MemberRoleRequest")
public record MemberRoleRequest(
        @NotNull @Pattern(regexp = "admin|normal", message = "must be admin or normal") @Schema(ref = "Role", required = true, example = "admin") String role) {

    public RoleCode roleCode() {
        return RoleCode.fromCode(role);
    }
}
