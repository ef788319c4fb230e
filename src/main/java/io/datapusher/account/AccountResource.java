package io.datapusher.account;

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
import io.datapusher.member.AccountAccess;
import io.datapusher.member.AccountOperation;
import io.datapusher.member.Memberships;
import io.quarkus.security.Authenticated;

@Path("/accounts")
@Tag(name = "Accounts")
@Authenticated
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", ref = "Unauthenticated")
public class AccountResource {
    private final AccountService accounts;
    private final Memberships memberships;
    private final CurrentUser currentUser;

    AccountResource(AccountService accounts, Memberships memberships, CurrentUser currentUser) {
        this.accounts = accounts;
        this.memberships = memberships;
        this.currentUser = currentUser;
    }

    @POST
    @Operation(operationId = "createAccount", summary = "Create an account", description = "The caller becomes the account's admin. A new secret token is generated.")
    @APIResponse(responseCode = "201", description = "The new account, with its token", content = @Content(schema = @Schema(implementation = AccountResponse.class)))
    @APIResponse(responseCode = "400", ref = "InvalidData")
    public Response create(@NotNull @Valid AccountRequest request) {
        Account account = accounts.create(request, currentUser.id());
        return Response.status(Response.Status.CREATED).entity(AccountResponse.of(account, true)).build();
    }

    @GET
    @Operation(operationId = "listAccounts", summary = "List the caller's accounts", description = "Newest first. `q` searches name and website; `name` and `website` filter on one field each. All are case-insensitive substrings. `app_secret_token` is not listed; read one account to see it.")
    @APIResponse(responseCode = "200", description = "One page of accounts")
    @APIResponse(responseCode = "400", ref = "InvalidData")
    public PageResponse<AccountResponse> list(
            @Parameter(description = "Searches name and website.") @QueryParam("q") String q,
            @Parameter(description = "Substring of the name.") @QueryParam("name") String name,
            @Parameter(description = "Substring of the website.") @QueryParam("website") String website,
            @Parameter(description = "Page index from 0.", schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0")) @QueryParam("page") String page,
            @Parameter(description = "Items per page, 1 to 100.", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("size") String size) {
        PageRequest paging = PageRequest.parse(page, size);
        return accounts.list(currentUser.id(), AccountFilter.parse(q, name, website), paging);
    }

    @GET
    @Path("/{account_id}")
    @AccountAccess(AccountOperation.ACCOUNT_READ)
    @Operation(operationId = "getAccount", summary = "Read an account", description = "`app_secret_token` is shown to admins only.")
    @APIResponse(responseCode = "200", description = "The account")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public AccountResponse get(@PathParam("account_id") UUID accountId) {
        return AccountResponse.of(accounts.get(accountId), isAdmin(accountId));
    }

    @PUT
    @Path("/{account_id}")
    @AccountAccess(AccountOperation.ACCOUNT_UPDATE)
    @Operation(operationId = "updateAccount", summary = "Update an account", description = "Replaces name and website. Admins and normal members may do this.")
    @APIResponse(responseCode = "200", description = "The updated account")
    @APIResponse(responseCode = "400", ref = "InvalidData")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public AccountResponse update(@PathParam("account_id") UUID accountId, @NotNull @Valid AccountRequest request) {
        return AccountResponse.of(accounts.update(accountId, request, currentUser.id()), isAdmin(accountId));
    }

    @DELETE
    @Path("/{account_id}")
    @AccountAccess(AccountOperation.ACCOUNT_DELETE)
    @Operation(operationId = "deleteAccount", summary = "Delete an account", description = "Admins only. Its destinations, members, events and logs go with it, and its token stops working.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response delete(@PathParam("account_id") UUID accountId) {
        accounts.delete(accountId);
        return Response.noContent().build();
    }

    @POST
    @Path("/{account_id}/token")
    @AccountAccess(AccountOperation.ACCOUNT_ROTATE_TOKEN)
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "rotateAccountToken", summary = "Rotate the secret token", description = "Admins only. A new token replaces the old one, which stops working at once.")
    @APIResponse(responseCode = "200", description = "The new token")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public TokenResponse rotateToken(@PathParam("account_id") UUID accountId) {
        return new TokenResponse(accounts.rotateToken(accountId, currentUser.id()));
    }

    private boolean isAdmin(UUID accountId) {
        return memberships.isAdmin(accountId, currentUser.id());
    }

    @Schema(name = "AppSecretToken")
    public record TokenResponse(@Schema(description = "The new CL-X-TOKEN.") String appSecretToken) {
    }
}
