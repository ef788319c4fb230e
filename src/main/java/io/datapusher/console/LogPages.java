package io.datapusher.console;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.ws.rs.BeanParam;
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
import io.datapusher.delivery.DeliveryLogService;
import io.datapusher.delivery.LogCursor;
import io.datapusher.delivery.LogDetail;
import io.datapusher.delivery.LogFilter;
import io.datapusher.delivery.LogPage;
import io.datapusher.destination.DestinationFilter;
import io.datapusher.destination.DestinationResponse;
import io.datapusher.destination.DestinationService;
import io.datapusher.member.AccountOperation;

/**
 * Delivery logs: the list with the API's filters, newest first and paged by the API's cursor, which
 * refreshes itself while it shows the newest page; the chart of the last hour; one log with the
 * request its attempts send; and redelivery (admins).
 */
@Path("/console/accounts/{account_id}/logs")
@Produces(MediaType.TEXT_HTML)
public class LogPages {
    static final int PAGE_SIZE = 25;
    /** Destinations offered in the filter; an account with more can still filter by id in the URL. */
    private static final int DESTINATION_CHOICES = PageRequest.MAX_SIZE;
    /** What a datetime-local input sends: no offset. The console's times are UTC. */
    private static final Pattern LOCAL_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?");

    private final DeliveryLogService logs;
    private final DestinationService destinations;
    private final AccountViews views;
    private final ConsoleSession session;
    private final ConsoleErrors errors;
    private final long pollMillis;

    LogPages(DeliveryLogService logs, DestinationService destinations, AccountViews views, ConsoleSession session,
            ConsoleErrors errors, ConsoleConfig config) {
        this.logs = logs;
        this.destinations = destinations;
        this.views = views;
        this.session = session;
        this.errors = errors;
        this.pollMillis = config.pollInterval().toMillis();
    }

    /** The list's query parameters: the API's filters and cursor. */
    public static class Filters {
        @QueryParam("destination_id")
        String destinationId;
        @QueryParam("status")
        String status;
        @QueryParam("event_id")
        String eventId;
        @QueryParam("received_from")
        String receivedFrom;
        @QueryParam("received_to")
        String receivedTo;
        @QueryParam("processed_from")
        String processedFrom;
        @QueryParam("processed_to")
        String processedTo;
        @QueryParam("cursor")
        String cursor;

        Map<String, String> values() {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("destination_id", destinationId);
            values.put("status", status);
            values.put("event_id", eventId);
            values.put("received_from", receivedFrom);
            values.put("received_to", receivedTo);
            values.put("processed_from", processedFrom);
            values.put("processed_to", processedTo);
            values.replaceAll((k, v) -> v == null ? "" : v);
            return values;
        }
    }

    @ServerExceptionMapper
    Response apiException(ApiException e) {
        return errors.page(e);
    }

    @GET
    public Response list(@PathParam("account_id") UUID accountId, @BeanParam Filters filters,
            @QueryParam("notice") String notice) {
        ConsoleUser user = session.require();
        AccountView view = views.require(accountId, user, AccountOperation.LOG_READ);
        LogsView page = page(view, filters);
        Instant now = Instant.now();
        DeliveryChart chart = DeliveryChart.of(logs.endedPerMinute(accountId, DeliveryChart.since(now)), now);
        int status = page.filters().hasErrors() ? 400 : 200;
        return Response.status(status).entity(ConsoleViews.logs(user, view, page, chart, Notice.of(notice))).build();
    }

    /** The list alone, which the live view fetches again every few seconds. */
    @GET
    @Path("/rows")
    public Response rows(@PathParam("account_id") UUID accountId, @BeanParam Filters filters) {
        ConsoleUser user = session.require();
        AccountView view = views.require(accountId, user, AccountOperation.LOG_READ);
        LogsView page = page(view, filters);
        return Response.status(page.filters().hasErrors() ? 400 : 200).entity(ConsoleViews.logRows(view, page)).build();
    }

    @GET
    @Path("/{log_id}")
    public Response get(@PathParam("account_id") UUID accountId, @PathParam("log_id") UUID logId,
            @QueryParam("notice") String notice) {
        ConsoleUser user = session.require();
        AccountView view = views.require(accountId, user, AccountOperation.LOG_READ);
        LogDetail detail = logs.detail(accountId, logId);
        String destinationUrl = destinations.get(accountId, detail.log().destinationId()).url;
        return Response.ok(ConsoleViews.log(user, view, detail, destinationUrl, Notice.of(notice))).build();
    }

    @POST
    @Path("/{log_id}/redeliver")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response redeliver(@PathParam("account_id") UUID accountId, @PathParam("log_id") UUID logId,
            @FormParam("form_token") String formToken) {
        ConsoleUser user = session.requireForm(formToken);
        AccountView view = views.require(accountId, user, AccountOperation.LOG_REDELIVER);
        logs.redeliver(accountId, logId);
        return SessionPages.seeOther(view.base() + "/logs/" + logId + "?notice=" + Notice.REDELIVERY_SCHEDULED.code());
    }

    private LogsView page(AccountView view, Filters filters) {
        UUID accountId = view.account().id();
        Map<String, String> values = filters.values();
        Form form = Form.of(values);
        List<DestinationResponse> choices = destinations.list(accountId, DestinationFilter.parse(null, null),
                new PageRequest(0, DESTINATION_CHOICES), false).items();
        Map<UUID, String> urls = choices.stream()
                .collect(Collectors.toMap(DestinationResponse::id, DestinationResponse::url, (a, b) -> a));
        LogPage found;
        try {
            LogFilter filter = LogFilter.parse(values.get("destination_id"), values.get("status"), values.get("event_id"),
                    utc(values.get("received_from")), utc(values.get("received_to")), utc(values.get("processed_from")),
                    utc(values.get("processed_to")));
            found = logs.list(accountId, filter, LogCursor.decode(filters.cursor), PAGE_SIZE);
        } catch (ApiException e) {
            if (e.status() != 400) {
                throw e;
            }
            return new LogsView(List.of(), null, view.base() + "/logs", null, false, pollMillis, form.withErrors(e.errors()),
                    choices, urls);
        }
        String query = Links.query(values);
        String list = view.base() + "/logs";
        String next = found.nextCursor() == null ? null
                : list + "?" + Links.query(with(values, "cursor", found.nextCursor()));
        boolean newest = filters.cursor == null || filters.cursor.isBlank();
        String suffix = query.isEmpty() ? "" : "?" + query;
        return new LogsView(found.items(), next, list + suffix, list + "/rows" + suffix, newest, pollMillis, form, choices,
                urls);
    }

    /**
     * A time without an offset, as a datetime-local input sends it, is UTC; anything else goes to the API's parser as it is.
     */
    static String utc(String value) {
        return value != null && LOCAL_TIME.matcher(value.trim()).matches() ? value.trim() + "Z" : value;
    }

    private static Map<String, String> with(Map<String, String> values, String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(values);
        all.put(name, value);
        return all;
    }

}
