package io.datapusher.console;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.datapusher.common.ApiException;
import io.datapusher.console.ConsoleSession.FormRefused;
import io.datapusher.console.ConsoleSession.SignInRequired;

/**
 * Failures on console pages answer pages, not the API's JSON. The console's own exceptions are
 * mapped here; each page class maps {@link ApiException} (thrown by the services it shares with
 * the API) through {@link #page(ApiException)} in a mapper of its own, which Quarkus REST applies
 * to that class only.
 */
@ApplicationScoped
public class ConsoleErrors {
    private final ConsoleSession session;
    private final ConsoleCookies cookies;

    ConsoleErrors(ConsoleSession session, ConsoleCookies cookies) {
        this.session = session;
        this.cookies = cookies;
    }

    @ServerExceptionMapper
    public Response signInRequired(SignInRequired e) {
        return Response.seeOther(java.net.URI.create("/console/signin")).cookie(cookies.endSession()).build();
    }

    @ServerExceptionMapper
    public Response formRefused(FormRefused e) {
        return render(403, "Form refused",
                "This form was not sent from this session's pages (it expired, or another site sent it). "
                        + "Go back, reload the page and try again.",
                List.of());
    }

    Response page(ApiException e) {
        List<String> details = e.errors().stream().map(f -> f.field().replace('_', ' ') + ": " + f.message()).toList();
        return switch (e.status()) {
            case 400 -> render(400, "Not valid", "The request was not valid.", details);
            case 401 -> signInRequired(null);
            case 403 -> render(403, "Not allowed",
                    "Your role in this account does not allow this. An admin of the account can do it.", details);
            case 404 -> render(404, "Not found",
                    "There is no such page, or you are not a member of the account it belongs to.", details);
            case 409 -> render(409, "Conflict", "This cannot be done now.", details);
            case 429 -> render(429, "Too many requests", "Wait a moment and try again.", details);
            default -> render(e.status(), "Unavailable", "The service cannot do this now. Try again shortly.", details);
        };
    }

    private Response render(int status, String title, String message, List<String> details) {
        ConsoleUser user = session.user().orElse(null);
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(ConsoleViews.error(user, status, title, message, details)).build();
    }
}
