package io.datapusher.common;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The one error body of the whole service, as the contract defines it. */
@Schema(name = "ApiError", description = "Every error answer has this body.")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
// Sent inside a Response (created answers, exception mappers): a native build cannot see it there.
@RegisterForReflection
public record ApiError(
        @Schema(example = "false") boolean success,
        @Schema(example = "Invalid Data") String message,
        @Schema(description = "Present only when individual fields failed validation.") List<FieldError> errors) {

    public static ApiError of(String message) {
        return new ApiError(false, message, List.of());
    }

    public static ApiError of(String message, List<FieldError> errors) {
        return new ApiError(false, message, errors == null ? List.of() : errors);
    }

    @Schema(name = "FieldError")
    public record FieldError(@Schema(example = "email") String field,
            @Schema(example = "must be a well-formed email address") String message) {
    }
}
