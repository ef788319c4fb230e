package io.datapusher.auth;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.datapusher.common.validation.ValidEmail;

/** Sign-up and login body. */
@Schema(name = "Credentials")
public record Credentials(
        @NotBlank @ValidEmail @Schema(example = "ada@example.com") String email,
        @NotNull @Size(min = 8, max = 72) @Schema(example = "correct horse battery", minLength = 8, maxLength = 72, description = "8 to 72 characters (bcrypt reads no further).") String password) {
}
