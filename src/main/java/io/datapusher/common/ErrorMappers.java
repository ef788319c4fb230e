package io.datapusher.common;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Turns every failure into the contract's error body. Nothing here ever puts an exception's
 * message, class name or stack trace into a response.
 */
public class ErrorMappers {

    /** Seconds a client should wait before trying again while the database is unreachable. */
    private static final long UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

    private final AllowedMethods allowedMethods;
    private final DatabaseOutage database;

    ErrorMappers(AllowedMethods allowedMethods, DatabaseOutage database) {
        this.allowedMethods = allowedMethods;
        this.database = database;
    }

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        Response.ResponseBuilder builder = body(e.status(), ApiError.of(e.getMessage(), e.errors()));
        if (e.retryAfterSeconds() != null) {
            builder.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds());
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        boolean onReturnValue = e.getConstraintViolations().stream()
                .anyMatch(v -> lastNode(v.getPropertyPath()).getKind() == ElementKind.RETURN_VALUE);
        if (onReturnValue) {
            Log.errorf(e, "A response failed its own validation");
            return body(500, ApiError.of(ErrorMessage.INTERNAL_ERROR)).build();
        }
        List<ApiError.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new ApiError.FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(ApiError.FieldError::field).thenComparing(ApiError.FieldError::message))
                .toList();
        return body(400, ApiError.of(ErrorMessage.INVALID_DATA, errors)).build();
    }

    /**
     * Values of the wrong type or shape. Declared on its own because Quarkus REST has a built-in
     * mapper for exactly this type that answers 400 with an empty body.
     */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return jsonProcessing(e);
    }

    /** Malformed JSON and values of the wrong type. */
    @ServerExceptionMapper
    public Response jsonProcessing(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = jsonPath(mapping.getPath());
            return body(400, ApiError.of(ErrorMessage.INVALID_DATA,
                    List.of(new ApiError.FieldError(field, "has the wrong type or format")))).build();
        }
        String why = e instanceof MismatchedInputException ? "must be a JSON object" : "is not valid JSON";
        return body(400, ApiError.of(ErrorMessage.INVALID_DATA, List.of(new ApiError.FieldError("body", why)))).build();
    }

    /** Unknown path, wrong method, wrong media type, and the like from the REST layer. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri, Request request) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return jsonProcessing(json); // Quarkus REST wraps unparseable bodies in a plain 400
        }
        Response original = e.getResponse();
        int status = ErrorMessage.contractStatus(original.getStatus());
        if (status >= 500) {
            Log.errorf(e, "Request failed");
        }
        String allow = original.getHeaderString(HttpHeaders.ALLOW);
        if (allow == null && (status == 404 || status == 405)) {
            Set<String> served = allowedMethods.methodsAt(uri.getPath());
            if (!served.isEmpty() && (status == 405 || !served.contains(request.getMethod()))) {
                status = Response.Status.METHOD_NOT_ALLOWED.getStatusCode();
                allow = String.join(", ", served);
            }
        }
        Response.ResponseBuilder builder = body(status, ApiError.of(ErrorMessage.forStatus(status)));
        if (allow != null) {
            builder.header(HttpHeaders.ALLOW, allow);
        }
        String retryAfter = original.getHeaderString(HttpHeaders.RETRY_AFTER);
        if (retryAfter != null) {
            builder.header(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        return builder.build();
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthenticated() {
        return body(401, ApiError.of(ErrorMessage.UNAUTHENTICATED)).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return body(403, ApiError.of(ErrorMessage.FORBIDDEN)).build();
    }

    @ServerExceptionMapper
    public Response any(Throwable e) {
        if (DatabaseErrors.isUnavailable(e)) {
            database.failed(e); // one WARN per outage, not one per request
            return body(503, ApiError.of(ErrorMessage.SERVICE_UNAVAILABLE))
                    .header(HttpHeaders.RETRY_AFTER, UNAVAILABLE_RETRY_AFTER_SECONDS).build();
        }
        if (DatabaseErrors.hasState(e, DatabaseErrors.UNIQUE_VIOLATION)) {
            Log.infof("Unique constraint refused a duplicate: %s", e.getClass().getSimpleName());
            return body(409, ApiError.of(ErrorMessage.CONFLICT)).build();
        }
        Log.errorf(e, "Unexpected failure");
        return body(500, ApiError.of(ErrorMessage.INTERNAL_ERROR)).build();
    }

    static Response.ResponseBuilder body(int status, ApiError error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error);
    }

    private static String fieldName(ConstraintViolation<?> violation) {
        Path.Node last = lastNode(violation.getPropertyPath());
        String name = last == null ? null : last.getName();
        if (last != null && (last.getKind() == ElementKind.PARAMETER || last.getKind() == ElementKind.BEAN)) {
            return "body";
        }
        return name == null ? "body" : SnakeCase.of(name);
    }

    private static Path.Node lastNode(Path path) {
        Path.Node last = null;
        for (Path.Node node : path) {
            last = node;
        }
        return last;
    }

    private static String jsonPath(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }
}
