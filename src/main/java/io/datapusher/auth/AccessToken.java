package io.datapusher.auth;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "AccessToken")
public record AccessToken(
        @Schema(description = "RS256 JWT to send as `Authorization: Bearer <access_token>`.") String accessToken,
        @Schema(example = "Bearer") String tokenType,
        @Schema(description = "Seconds until the token expires.", example = "3600") long expiresIn) {
}
