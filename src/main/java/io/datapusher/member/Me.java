package io.datapusher.member;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Me")
public record Me(UUID id, @Schema(example = "ada@example.com") String email, List<Membership> memberships) {
    @Schema(name = "Membership")
    public record Membership(UUID accountId, RoleCode role) {
    }
}
