package io.datapusher.auth;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@Schema(name = "User")
// Sent inside a Response (created answers, exception mappers): a native build cannot see it there.
@RegisterForReflection
public record UserResponse(UUID id, @Schema(example = "ada@example.com") String email, Instant createdAt, Instant updatedAt) {
    public static UserResponse of(User user) {
        return new UserResponse(user.id, user.email, user.createdAt, user.updatedAt);
    }
}
