package io.datapusher.common;

import java.util.List;

import jakarta.ws.rs.core.Response.Status;

/**
 * A failure that the client is meant to see: it carries the HTTP status and, for validation
 * failures, the fields at fault. Thrown by services; turned into {@link ApiError} in one place.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final List<ApiError.FieldError> errors;
    private final Long retryAfterSeconds;

    public ApiException(int status, List<ApiError.FieldError> errors, Long retryAfterSeconds) {
        super(ErrorMessage.forStatus(status), null, false, false);
        this.status = status;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException notFound() {
        return new ApiException(Status.NOT_FOUND.getStatusCode(), null, null);
    }

    public static ApiException forbidden() {
        return new ApiException(Status.FORBIDDEN.getStatusCode(), null, null);
    }

    public static ApiException unauthenticated() {
        return new ApiException(Status.UNAUTHORIZED.getStatusCode(), null, null);
    }

    public static ApiException conflict(String field, String why) {
        return new ApiException(Status.CONFLICT.getStatusCode(), List.of(new ApiError.FieldError(field, why)), null);
    }

    public static ApiException invalid(String field, String why) {
        return new ApiException(Status.BAD_REQUEST.getStatusCode(), List.of(new ApiError.FieldError(field, why)), null);
    }

    public static ApiException payloadTooLarge() {
        return new ApiException(Status.REQUEST_ENTITY_TOO_LARGE.getStatusCode(), null, null);
    }

    public static ApiException tooManyRequests(long retryAfterSeconds) {
        return new ApiException(Status.TOO_MANY_REQUESTS.getStatusCode(), null, retryAfterSeconds);
    }

    public static ApiException unavailable(long retryAfterSeconds) {
        return new ApiException(Status.SERVICE_UNAVAILABLE.getStatusCode(), null, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public List<ApiError.FieldError> errors() {
        return errors;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
