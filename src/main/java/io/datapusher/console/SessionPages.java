package io.datapusher.console;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.datapusher.auth.AccessToken;
import io.datapusher.auth.AuthService;
import io.datapusher.auth.Credentials;
import io.datapusher.common.ApiException;

/**
 * Sign-in, sign-up and sign-out. Signing in is the API's login; the access token it issues goes
 * into the session cookie. Before there is a session, the two forms carry a random token that must
 * match the {@code dp_form} cookie set with the form (another site can set neither).
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class SessionPages {
    private final AuthService auth;
    private final ConsoleSession session;
    private final ConsoleCookies cookies;
    private final ConsoleErrors errors;
    private final Validator validator;

    SessionPages(AuthService auth, ConsoleSession session, ConsoleCookies cookies, ConsoleErrors errors,
            Validator validator) {
        this.auth = auth;
        this.session = session;
        this.cookies = cookies;
        this.errors = errors;
        this.validator = validator;
    }

    @ServerExceptionMapper
    Response apiException(ApiException e) {
        return errors.page(e);
    }

    @GET
    public Response home() {
        return seeOther(session.user().isPresent() ? "/console/accounts" : "/console/signin");
    }

    @GET
    @Path("/signin")
    public Response signinPage(@CookieParam(ConsoleCookies.FORM) String formCookie, @QueryParam("notice") String notice) {
        if (session.user().isPresent()) {
            return seeOther("/console/accounts");
        }
        String token = usable(formCookie) ? formCookie : cookies.newFormToken();
        return Response.ok(ConsoleViews.signin(token, Form.empty(), Notice.of(notice))).cookie(cookies.formToken(token))
                .build();
    }

    @POST
    @Path("/signin")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signin(@CookieParam(ConsoleCookies.FORM) String formCookie, @FormParam("form_token") String formToken,
            @FormParam("email") String email, @FormParam("password") String password) {
        requireFormToken(formCookie, formToken);
        Credentials credentials = new Credentials(trim(email), password == null ? "" : password);
        Form form = Form.of(Map.of("email", nonNull(email)));
        Set<ConstraintViolation<Credentials>> violations = validator.validate(credentials);
        if (!violations.isEmpty()) {
            return Response.status(400).entity(ConsoleViews.signin(formCookie, form.withViolations(violations), null))
                    .build();
        }
        AccessToken token;
        try {
            token = auth.login(credentials);
        } catch (ApiException e) {
            if (e.status() == 401) {
                return Response.status(401)
                        .entity(ConsoleViews.signin(formCookie, form.withError("password", "email or password is wrong"), null))
                        .build();
            }
            if (e.status() == 429) {
                return Response.status(429).header("Retry-After", e.retryAfterSeconds())
                        .entity(ConsoleViews.signin(formCookie,
                                form.withError("email", "too many failed sign-ins; try again in "
                                        + e.retryAfterSeconds() + " seconds"),
                                null))
                        .build();
            }
            throw e;
        }
        return Response.seeOther(URI.create("/console/accounts"))
                .cookie(cookies.session(token.accessToken(), token.expiresIn())).build();
    }

    @GET
    @Path("/signup")
    public Response signupPage(@CookieParam(ConsoleCookies.FORM) String formCookie) {
        String token = usable(formCookie) ? formCookie : cookies.newFormToken();
        return Response.ok(ConsoleViews.signup(token, Form.empty())).cookie(cookies.formToken(token)).build();
    }

    @POST
    @Path("/signup")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signup(@CookieParam(ConsoleCookies.FORM) String formCookie, @FormParam("form_token") String formToken,
            @FormParam("email") String email, @FormParam("password") String password) {
        requireFormToken(formCookie, formToken);
        Credentials credentials = new Credentials(trim(email), password == null ? "" : password);
        Form form = Form.of(Map.of("email", nonNull(email)));
        Set<ConstraintViolation<Credentials>> violations = validator.validate(credentials);
        if (!violations.isEmpty()) {
            return Response.status(400).entity(ConsoleViews.signup(formCookie, form.withViolations(violations))).build();
        }
        try {
            auth.signup(credentials);
        } catch (ApiException e) {
            if (e.status() == 409) {
                return Response.status(409).entity(ConsoleViews.signup(formCookie,
                        form.withError("email", "is already registered; sign in instead"))).build();
            }
            throw e;
        }
        return seeOther("/console/signin?notice=" + Notice.SIGNED_UP.code());
    }

    /** Revokes the session's token, as the API's logout does, and drops the cookie. */
    @POST
    @Path("/signout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signout(@FormParam("form_token") String formToken) {
        session.requireForm(formToken);
        auth.logout(session.token().getTokenID(), session.token().getExpirationTime());
        return Response.seeOther(URI.create("/console/signin?notice=" + Notice.SIGNED_OUT.code()))
                .cookie(cookies.endSession()).build();
    }

    private static void requireFormToken(String cookie, String submitted) {
        if (!usable(cookie) || submitted == null || !MessageDigest.isEqual(cookie.getBytes(StandardCharsets.US_ASCII),
                submitted.getBytes(StandardCharsets.US_ASCII))) {
            throw new ConsoleSession.FormRefused();
        }
    }

    /** A token this service made: base64url of 32 bytes. */
    private static boolean usable(String token) {
        return token != null && token.matches("[A-Za-z0-9_-]{43}");
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    static Response seeOther(String location) {
        return Response.seeOther(URI.create(location)).build();
    }
}
