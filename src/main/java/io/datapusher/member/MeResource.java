package io.datapusher.member;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.datapusher.auth.CurrentUser;
import io.quarkus.security.Authenticated;

/**
 * {@code GET /auth/me}. It sits beside the sessions in the API but answers with memberships, so
 * it lives here: auth knows nothing of accounts.
 */
@Path("/auth/me")
@Tag(name = "Users and sessions")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {
    private final MemberService members;
    private final CurrentUser currentUser;

    MeResource(MemberService members, CurrentUser currentUser) {
        this.members = members;
        this.currentUser = currentUser;
    }

    @GET
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(operationId = "getCurrentUser", summary = "The current user", description = "The caller and the role they hold in each of their accounts.")
    @APIResponse(responseCode = "200", description = "The caller")
    @APIResponse(responseCode = "401", ref = "Unauthenticated")
    public Me me() {
        return members.me(currentUser.id());
    }
}
