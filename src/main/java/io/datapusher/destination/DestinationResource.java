package io.datapusher.destination;

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

@Path("/accounts/{account_id}/destinations")
@Tag(name = "Destinations")
@Authenticated
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", ref = "Unauthenticated")
public class DestinationResource {
    private final DestinationService destinations;
    private final Memberships memberships;
    private final CurrentUser currentUser;

    DestinationResource(DestinationService destinations, Memberships memberships, CurrentUser currentUser) {
        this.destinations = destinations;
        this.memberships = memberships;
        this.currentUser = currentUser;
    }

    @POST
    @AccountAccess(AccountOperation.DESTINATION_CREATE)
    @Operation(operationId = "createDestination", summary = "Create a destination", description = "Admins only. A new `whsec_` signing secret is generated for it. A URL whose host is a literal address the outbound guard refuses (loopback, private, link-local, reserved) answers 400 on `url`.")
    @APIResponse(responseCode = "201", description = "The new destination, with its signing secret", content = @Content(schema = @Schema(implementation = DestinationResponse.class)))
    @APIResponse(responseCode = "400", ref = "InvalidData")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response create(@Parameter(description = "The account.") @PathParam("account_id") UUID accountId,
            @NotNull @Valid DestinationRequest request) {
        Destination destination = destinations.create(accountId, request, currentUser.id());
        return Response.status(Response.Status.CREATED).entity(DestinationResponse.of(destination, true)).build();
    }

    @GET
    @AccountAccess(AccountOperation.DESTINATION_READ)
    @Operation(operationId = "listDestinations", summary = "List an account's destinations", description = "Oldest first. `q` is a case-insensitive substring of the URL; `http_method` keeps one method. `signing_secret` is shown to admins only.")
    @APIResponse(responseCode = "200", description = "One page of destinations")
    @APIResponse(responseCode = "400", ref = "InvalidData")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public PageResponse<DestinationResponse> list(
            @Parameter(description = "The account.") @PathParam("account_id") UUID accountId,
            @Parameter(description = "Substring of the URL, case-insensitive.") @QueryParam("q") String q,
            @Parameter(description = "Only destinations with this method.", schema = @Schema(implementation = DeliveryMethod.class)) @QueryParam("http_method") String httpMethod,
            @Parameter(description = "Page index from 0.", schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0")) @QueryParam("page") String page,
            @Parameter(description = "Items per page, 1 to 100.", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("size") String size) {
        PageRequest paging = PageRequest.parse(page, size);
        return destinations.list(accountId, DestinationFilter.parse(q, httpMethod), paging, isAdmin(accountId));
    }

    @GET
    @Path("/{destination_id}")
    @AccountAccess(AccountOperation.DESTINATION_READ)
    @Operation(operationId = "getDestination", summary = "Read a destination", description = "`signing_secret` is shown to admins only.")
    @APIResponse(responseCode = "200", description = "The destination")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public DestinationResponse get(@Parameter(description = "The account.") @PathParam("account_id") UUID accountId,
            @Parameter(description = "The destination.") @PathParam("destination_id") UUID destinationId) {
        return DestinationResponse.of(destinations.get(accountId, destinationId), isAdmin(accountId));
    }

    @PUT
    @Path("/{destination_id}")
    @AccountAccess(AccountOperation.DESTINATION_UPDATE)
    @Operation(operationId = "updateDestination", summary = "Update a destination", description = "Replaces url, http_method and headers; the signing secret stays. Admins and normal members may do this; `signing_secret` is shown to admins only. The delivery settings (`enabled`, `filter`, `max_per_second`, `ordering`) are kept when left out, and only admins may change them: a normal member's PUT that would answers 403. `enabled: true` on a disabled destination sends to it again; recover what it skipped meanwhile with POST .../recover and `status: skipped`.")
    @APIResponse(responseCode = "200", description = "The updated destination")
    @APIResponse(responseCode = "400", ref = "InvalidData")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public DestinationResponse update(@Parameter(description = "The account.") @PathParam("account_id") UUID accountId,
            @Parameter(description = "The destination.") @PathParam("destination_id") UUID destinationId,
            @NotNull @Valid DestinationRequest request) {
        Destination destination = destinations.update(accountId, destinationId, request, currentUser.id(),
                mayConfigureDelivery(accountId));
        return DestinationResponse.of(destination, isAdmin(accountId));
    }

    @DELETE
    @Path("/{destination_id}")
    @AccountAccess(AccountOperation.DESTINATION_DELETE)
    @Operation(operationId = "deleteDestination", summary = "Delete a destination", description = "Admins only. Its delivery logs go with it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response delete(@Parameter(description = "The account.") @PathParam("account_id") UUID accountId,
            @Parameter(description = "The destination.") @PathParam("destination_id") UUID destinationId) {
        destinations.delete(accountId, destinationId);
        return Response.noContent().build();
    }

    @POST
    @Path("/{destination_id}/secret")
    @AccountAccess(AccountOperation.DESTINATION_ROTATE_SECRET)
    @Operation(operationId = "rotateSigningSecret", summary = "Rotate the signing secret", description = """
            Admins only. Issues a new `whsec_` secret. For `datapusher.destinations.signing-secret-overlap` \
            (24 h by default) every delivery is signed with both, the new and the replaced one: \
            `webhook-signature` carries two `v1,` signatures separated by a space, as Standard Webhooks \
            allows, so a receiver that checks either keeps working while it switches. Then only the new \
            one signs. A second rotation within the window replaces the previous secret.""")
    @APIResponse(responseCode = "200", description = "The destination with its new secret")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public DestinationResponse rotateSigningSecret(
            @Parameter(description = "The account.") @PathParam("account_id") UUID accountId,
            @Parameter(description = "The destination.") @PathParam("destination_id") UUID destinationId) {
        return DestinationResponse.of(destinations.rotateSigningSecret(accountId, destinationId, currentUser.id()),
                true);
    }

    private boolean mayConfigureDelivery(UUID accountId) {
        return memberships.roleOf(accountId, currentUser.id())
                .map(AccountOperation.DESTINATION_CONFIGURE_DELIVERY::allows).orElse(false);
    }

    private boolean isAdmin(UUID accountId) {
        return memberships.isAdmin(accountId, currentUser.id());
    }
}
