package io.datapusher.console;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.datapusher.common.ApiException;
import io.datapusher.common.PageRequest;
import io.datapusher.common.PageResponse;
import io.datapusher.destination.Destination;
import io.datapusher.destination.DestinationFilter;
import io.datapusher.destination.DestinationRequest;
import io.datapusher.destination.DestinationResponse;
import io.datapusher.destination.DestinationService;
import io.datapusher.member.AccountOperation;
import io.quarkus.qute.TemplateInstance;

/** An account's destinations: list, create and delete (admins), read and edit (every member). */
@Path("/console/accounts/{account_id}/destinations")
@Produces(MediaType.TEXT_HTML)
public class DestinationPages {
    private final DestinationService destinations;
    private final AccountViews views;
    private final ConsoleSession session;
    private final ConsoleErrors errors;
    private final Validator validator;

    DestinationPages(DestinationService destinations, AccountViews views, ConsoleSession session,
            ConsoleErrors errors, Validator validator) {
        this.destinations = destinations;
        this.views = views;
        this.session = session;
        this.errors = errors;
        this.validator = validator;
    }

    @ServerExceptionMapper
    Response apiException(ApiException e) {
        return errors.page(e);
    }

    @GET
    public Response list(@PathParam("account_id") UUID accountId, @QueryParam("page") String page,
            @QueryParam("notice") String notice) {
        ConsoleUser user = session.require();
        AccountView view = views.require(accountId, user, AccountOperation.DESTINATION_READ);
        return Response.ok(listPage(user, view, page, Notice.of(notice), Form.of(Map.of("http_method", "POST")))).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@PathParam("account_id") UUID accountId, @FormParam("form_token") String formToken,
            @FormParam("url") String url, @FormParam("http_method") String httpMethod,
            @FormParam("headers") String headers) {
        ConsoleUser user = session.requireForm(formToken);
        AccountView view = views.require(accountId, user, AccountOperation.DESTINATION_CREATE);
        Form form = Form.of(values(url, httpMethod, headers));
        try {
            DestinationRequest request = request(url, httpMethod, headers);
            Set<ConstraintViolation<DestinationRequest>> violations = validator.validate(request);
            if (!violations.isEmpty()) {
                return Response.status(400).entity(listPage(user, view, null, null, form.withViolations(violations)))
                        .build();
            }
            Destination created = destinations.create(accountId, request, user.id());
            return SessionPages.seeOther(view.base() + "/destinations/" + created.id + "?notice="
                    + Notice.DESTINATION_CREATED.code());
        } catch (HeaderLines.Unreadable e) {
            return Response.status(400).entity(listPage(user, view, null, null, form.withError("headers", e.getMessage())))
                    .build();
        } catch (ApiException e) {
            if (e.status() != 400) {
                throw e;
            }
            return Response.status(400).entity(listPage(user, view, null, null, form.withErrors(e.errors()))).build();
        }
    }

    @GET
    @Path("/{destination_id}")
    public Response get(@PathParam("account_id") UUID accountId, @PathParam("destination_id") UUID destinationId,
            @QueryParam("notice") String notice) {
        ConsoleUser user = session.require();
        AccountView view = views.require(accountId, user, AccountOperation.DESTINATION_READ);
        DestinationResponse destination = DestinationResponse.of(destinations.get(accountId, destinationId),
                view.isAdmin());
        return Response.ok(ConsoleViews.destination(user, view, destination, Notice.of(notice), formOf(destination)))
                .build();
    }

    @POST
    @Path("/{destination_id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@PathParam("account_id") UUID accountId, @PathParam("destination_id") UUID destinationId,
            @FormParam("form_token") String formToken, @FormParam("url") String url,
            @FormParam("http_method") String httpMethod, @FormParam("headers") String headers) {
        ConsoleUser user = session.requireForm(formToken);
        AccountView view = views.require(accountId, user, AccountOperation.DESTINATION_UPDATE);
        DestinationResponse current = DestinationResponse.of(destinations.get(accountId, destinationId), view.isAdmin());
        Form form = Form.of(values(url, httpMethod, headers));
        try {
            DestinationRequest request = request(url, httpMethod, headers);
            Set<ConstraintViolation<DestinationRequest>> violations = validator.validate(request);
            if (!violations.isEmpty()) {
                return Response.status(400)
                        .entity(ConsoleViews.destination(user, view, current, null, form.withViolations(violations)))
                        .build();
            }
            destinations.update(accountId, destinationId, request, user.id(), view.mayConfigureDelivery());
        } catch (HeaderLines.Unreadable e) {
            return Response.status(400)
                    .entity(ConsoleViews.destination(user, view, current, null, form.withError("headers", e.getMessage())))
                    .build();
        } catch (ApiException e) {
            if (e.status() != 400) {
                throw e;
            }
            return Response.status(400)
                    .entity(ConsoleViews.destination(user, view, current, null, form.withErrors(e.errors()))).build();
        }
        return SessionPages.seeOther(view.base() + "/destinations/" + destinationId + "?notice="
                + Notice.DESTINATION_UPDATED.code());
    }

    /** Enables or disables the destination, as PUT with {@code enabled} does (admins only). */
    @POST
    @Path("/{destination_id}/enabled")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setEnabled(@PathParam("account_id") UUID accountId, @PathParam("destination_id") UUID destinationId,
            @FormParam("form_token") String formToken, @FormParam("enabled") boolean enabled) {
        ConsoleUser user = session.requireForm(formToken);
        AccountView view = views.require(accountId, user, AccountOperation.DESTINATION_CONFIGURE_DELIVERY);
        Destination current = destinations.get(accountId, destinationId);
        destinations.update(accountId, destinationId, new DestinationRequest(current.url, current.httpMethod.name(),
                current.headers, enabled, null, null, null), user.id(), true);
        return SessionPages.seeOther(view.base() + "/destinations/" + destinationId + "?notice="
                + Notice.DESTINATION_UPDATED.code());
    }

    @POST
    @Path("/{destination_id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("account_id") UUID accountId, @PathParam("destination_id") UUID destinationId,
            @FormParam("form_token") String formToken) {
        ConsoleUser user = session.requireForm(formToken);
        AccountView view = views.require(accountId, user, AccountOperation.DESTINATION_DELETE);
        destinations.delete(accountId, destinationId);
        return SessionPages.seeOther(view.base() + "/destinations?notice=" + Notice.DESTINATION_DELETED.code());
    }

    private TemplateInstance listPage(ConsoleUser user, AccountView view, String page, Notice notice, Form form) {
        PageRequest paging = PageRequest.parse(page, null);
        PageResponse<DestinationResponse> found = destinations.list(view.account().id(),
                DestinationFilter.parse(null, null), paging, view.isAdmin());
        return ConsoleViews.destinations(user, view, found, Pager.of(found, view.base() + "/destinations", ""), notice,
                form);
    }

    private static DestinationRequest request(String url, String httpMethod, String headers)
            throws HeaderLines.Unreadable {
        // the delivery settings are left out: kept as they are
        return new DestinationRequest(AccountPages.blankToNull(url), httpMethod, HeaderLines.parse(headers), null, null,
                null, null);
    }

    private static Form formOf(DestinationResponse destination) {
        return Form.of(values(destination.url(), destination.httpMethod().name(), HeaderLines.format(destination.headers())));
    }

    private static Map<String, String> values(String url, String httpMethod, String headers) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("url", url == null ? "" : url);
        values.put("http_method", httpMethod == null ? "" : httpMethod);
        values.put("headers", headers == null ? "" : headers);
        return values;
    }
}
