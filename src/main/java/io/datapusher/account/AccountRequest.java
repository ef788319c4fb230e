package io.datapusher.account;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.datapusher.common.validation.WebUrl;

@Schema(name = "AccountRequest")
public record AccountRequest(
        @NotBlank @Size(max = 200) @Schema(example = "Acme Shop", maxLength = 200) String name,
        @WebUrl @Schema(example = "https://shop.example.com", description = "Optional; an absolute http(s) URL.", nullable = true) String website) {
}
