package io.datapusher.member;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.datapusher.common.validation.ValidEmail;

/** Body of POST .../members. {@code role} is checked here so a wrong value is a field error like the others. */
@Schema(name = "MemberRequest")
public record MemberRequest(
        @NotBlank @ValidEmail @Schema(example = "grace@example.com", description = "The user to add. A new email creates the user.") String email,
        @NotNull @Pattern(regexp = "admin|normal", message = "must be admin or normal") @Schema(ref = "Role", required = true, example = "normal") String role,
        @Size(min = 8, max = 72) @Schema(example = "correct horse battery", minLength = 8, maxLength = 72, nullable = true, description = "Required when the email is new: the new user's password. Ignored when the user exists; an existing user's password is never changed here.") String password) {

    public RoleCode roleCode() {
        return RoleCode.fromCode(role);
    }
}
