package io.datapusher.account;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

@Schema(name = "Account")
// Sent inside a Response (created answers, exception mappers): a native build cannot see it there.
@RegisterForReflection
public record AccountResponse(
        UUID id,
        @Schema(example = "Acme Shop") String name,
        @Schema(example = "https://shop.example.com", nullable = true) String website,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "The secret clients send as CL-X-TOKEN. Present only for the account's admins.", nullable = true) String appSecretToken,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "Id of the user who created it.") UUID createdBy,
        @Schema(description = "Id of the user who changed it last.") UUID updatedBy) {

    public static AccountResponse of(Account account, boolean showToken) {
        return new AccountResponse(account.id, account.name, account.website, showToken ? account.appSecretToken : null,
                account.createdAt, account.updatedAt, account.createdBy, account.updatedBy);
    }
}
