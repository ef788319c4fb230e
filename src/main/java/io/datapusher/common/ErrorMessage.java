package io.datapusher.common;

import jakarta.ws.rs.core.Response;

/** The fixed words of the contract's error table, one per HTTP status. */
public final class ErrorMessage {
    public static final String INVALID_DATA = "Invalid Data";
    public static final String UNAUTHENTICATED = "Unauthenticated";
    public static final String FORBIDDEN = "Forbidden";
    public static final String NOT_FOUND = "Not Found";
    public static final String CONFLICT = "Conflict";
    public static final String PAYLOAD_TOO_LARGE = "Payload Too Large";
    public static final String TOO_MANY_REQUESTS = "Too Many Requests";
    public static final String SERVICE_UNAVAILABLE = "Service Unavailable";
    public static final String INTERNAL_ERROR = "Internal Error";

    private ErrorMessage() {
    }

    public static String forStatus(int status) {
        return switch (status) {
            case 400, 405, 406, 415 -> INVALID_DATA;
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 429 -> TOO_MANY_REQUESTS;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : INVALID_DATA;
        };
    }

    /** 415 and 406 are answered as 400 Invalid Data, as the contract asks for a wrong content type. */
    public static int contractStatus(int status) {
        return status == 415 || status == 406 ? Response.Status.BAD_REQUEST.getStatusCode() : status;
    }
}
