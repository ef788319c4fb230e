package io.datapusher.member;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@Schema(name = "Member")
// Sent inside a Response (created answers, exception mappers): a native build cannot see it there.
@RegisterForReflection
public record MemberResponse(
        @Schema(description = "Id of the membership (the member_id of the paths).") UUID id,
        UUID accountId,
        UUID userId,
        @Schema(example = "grace@example.com") String email,
        RoleCode role,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "Id of the user who added the member.") UUID createdBy,
        @Schema(description = "Id of the user who changed the membership last.") UUID updatedBy) {

    /** Needs the member's user and role loaded (the finders fetch them). */
    public static MemberResponse of(AccountMember m) {
        return new MemberResponse(m.id, m.accountId, m.user.id, m.user.email, m.role.roleCode(), m.createdAt, m.updatedAt,
                m.createdBy, m.updatedBy);
    }
}
