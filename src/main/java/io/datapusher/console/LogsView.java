package io.datapusher.console;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.datapusher.delivery.DeliveryLogResponse;
import io.datapusher.destination.DestinationResponse;

/**
 * One page of logs as the console lists them, with the links that page on and refresh it.
 *
 * @param live whether this is the newest page, which refreshes itself
 * @param filters the filter form's values and errors
 */
public record LogsView(List<DeliveryLogResponse> items, String nextHref, String newestHref, String rowsHref, boolean live,
        long pollMillis,
        Form filters, List<DestinationResponse> destinations, Map<UUID, String> urls) {

    public String urlOf(UUID destinationId) {
        String url = urls.get(destinationId);
        return url == null ? destinationId.toString() : url;
    }

    public boolean selected(UUID destinationId) {
        return destinationId.toString().equals(filters.value("destination_id"));
    }

    public boolean statusSelected(String status) {
        return status.equals(filters.value("status"));
    }
}
