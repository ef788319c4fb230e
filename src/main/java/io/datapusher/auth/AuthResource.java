package io.datapusher.auth;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.Authenticated;

@Path("/auth")
@Tag(name = "Users and sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {
    private final AuthService auth;
    private final CurrentUser currentUser;

    AuthResource(AuthService auth, CurrentUser currentUser) {
        this.auth = auth;
        this.currentUser = currentUser;
    }

    @POST
    @Path("/signup")
    @SecurityRequirementsSet
    @Operation(operationId = "signUp", summary = "Sign up", description = "Creates a user. The user may then create accounts, and is the admin of each one they create. Emails are unique without regard to case.")
    @APIResponse(responseCode = "201", description = "The new user", content = @Content(schema = @Schema(implementation = UserResponse.class)))
    @APIResponse(responseCode = "400", ref = "InvalidData")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response signup(@NotNull @Valid Credentials credentials) {
        return Response.status(Response.Status.CREATED).entity(UserResponse.of(auth.signup(credentials))).build();
    }

    @POST
    @Path("/login")
    @SecurityRequirementsSet
    @Operation(operationId = "logIn", summary = "Log in", description = "Exchanges email and password for an RS256 access token. After too many failures for one email (5 in 15 minutes by default) the email is locked for the rest of the window: 429 with Retry-After.")
    @APIResponse(responseCode = "200", description = "A new access token")
    @APIResponse(responseCode = "400", ref = "InvalidData")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    public AccessToken login(@NotNull @Valid Credentials credentials) {
        return auth.login(credentials);
    }

    @POST
    @Path("/logout")
    @Authenticated
    @Consumes(MediaType.WILDCARD)
    @SecurityRequirement(name = "bearer")
    @Operation(operationId = "logOut", summary = "Log out", description = "Revokes the bearer token used for this call. Every replica refuses it within 1 second.")
    @APIResponse(responseCode = "204", description = "Logged out")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    public Response logout() {
        auth.logout(currentUser.token().getTokenID(), currentUser.token().getExpirationTime());
        return Response.noContent().build();
    }
}
