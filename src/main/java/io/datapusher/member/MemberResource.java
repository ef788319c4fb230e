package io.datapusher.member;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.datapusher.auth.CurrentUser;
import io.datapusher.common.PageRequest;
import io.datapusher.common.PageResponse;
import io.quarkus.security.Authenticated;

@Path("/accounts/{account_id}/members")
@Tag(name = "Members")
@Authenticated
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", ref = "Unauthenticated")
public class MemberResource {
    private final MemberService members;
    private final CurrentUser currentUser;

    MemberResource(MemberService members, CurrentUser currentUser) {
        this.members = members;
        this.currentUser = currentUser;
    }

    @POST
    @AccountAccess(AccountOperation.MEMBER_CREATE)
    @Operation(operationId = "addMember", summary = "Add a member", description = "Admins only. The user with this email (case-insensitive) is added; when there is none, a user is created with `password`, which is then required. An existing user's password is never changed. 409 when the user is already a member.")
    @APIResponse(responseCode = "201", description = "The new membership", content = @Content(schema = @Schema(implementation = MemberResponse.class)))
    @APIResponse(responseCode = "400", ref = "InvalidData")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response create(@Parameter(description = "The account.") @PathParam("account_id") UUID accountId,
            @NotNull @Valid MemberRequest request) {
        return Response.status(Response.Status.CREATED).entity(members.create(accountId, request, currentUser.id())).build();
    }

    @GET
    @AccountAccess(AccountOperation.MEMBER_READ)
    @Operation(operationId = "listMembers", summary = "List an account's members", description = "Oldest first. `q` is a case-insensitive substring of the email; `role` keeps one role.")
    @APIResponse(responseCode = "200", description = "One page of members")
    @APIResponse(responseCode = "400", ref = "InvalidData")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public PageResponse<MemberResponse> list(
            @Parameter(description = "The account.") @PathParam("account_id") UUID accountId,
            @Parameter(description = "Substring of the email, case-insensitive.") @QueryParam("q") String q,
            @Parameter(description = "Only members with this role.", schema = @Schema(implementation = RoleCode.class)) @QueryParam("role") String role,
            @Parameter(description = "Page index from 0.", schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0")) @QueryParam("page") String page,
            @Parameter(description = "Items per page, 1 to 100.", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("size") String size) {
        PageRequest paging = PageRequest.parse(page, size);
        return members.list(accountId, MemberFilter.parse(q, role), paging);
    }

    @GET
    @Path("/{member_id}")
    @AccountAccess(AccountOperation.MEMBER_READ)
    @Operation(operationId = "getMember", summary = "Read a member", description = "One membership of the account.")
    @APIResponse(responseCode = "200", description = "The member")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public MemberResponse get(@Parameter(description = "The account.") @PathParam("account_id") UUID accountId,
            @Parameter(description = "The membership.") @PathParam("member_id") UUID memberId) {
        return members.get(accountId, memberId);
    }

    @PUT
    @Path("/{member_id}")
    @AccountAccess(AccountOperation.MEMBER_UPDATE)
    @Operation(operationId = "updateMemberRole", summary = "Change a member's role", description = "Admins only. 409 when it would leave the account without an admin.")
    @APIResponse(responseCode = "200", description = "The updated member")
    @APIResponse(responseCode = "400", ref = "InvalidData")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public MemberResponse update(@Parameter(description = "The account.") @PathParam("account_id") UUID accountId,
            @Parameter(description = "The membership.") @PathParam("member_id") UUID memberId,
            @NotNull @Valid MemberRoleRequest request) {
        return members.updateRole(accountId, memberId, request, currentUser.id());
    }

    @DELETE
    @Path("/{member_id}")
    @AccountAccess(AccountOperation.MEMBER_DELETE)
    @Operation(operationId = "removeMember", summary = "Remove a member", description = "Admins only. The membership goes; the user stays. 409 when it would leave the account without an admin.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response delete(@Parameter(description = "The account.") @PathParam("account_id") UUID accountId,
            @Parameter(description = "The membership.") @PathParam("member_id") UUID memberId) {
        members.delete(accountId, memberId);
        return Response.noContent().build();
    }
}
