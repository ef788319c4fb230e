package io.datapusher.destination;

import io.datapusher.common.ApiException;
import io.datapusher.common.QueryParams;

/** GET .../destinations filters: {@code q} is a case-insensitive substring of the URL. */
public record DestinationFilter(String q, DeliveryMethod httpMethod) {
    public static DestinationFilter parse(String q, String httpMethod) {
        return new DestinationFilter(QueryParams.textParam("q", q), method(httpMethod));
    }

    private static DeliveryMethod method(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return DeliveryMethod.valueOf(value.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("http_method", "must be GET, POST or PUT");
        }
    }
}
