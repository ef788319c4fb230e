package io.datapusher.destination;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.datapusher.common.validation.WebUrl;

/**
 * Body of POST and PUT on a destination. {@code http_method} is a string checked here rather
 * than an enum, so that a wrong value is a field error next to the others instead of a parse failure.
 * The delivery settings ({@code enabled}, {@code filter}, {@code max_per_second}, {@code ordering}) are
 * optional: left
 * out (or null), a PUT keeps them as they are, so that a client that does not know them loses nothing.
 */
@Schema(name = "DestinationRequest")
public record DestinationRequest(
        @NotBlank @WebUrl @Schema(example = "https://hooks.example.com/orders", maxLength = 2048, description = "Absolute http(s) URL without user info. A host that is a literal loopback, private, link-local or otherwise reserved address is refused; a host name is checked when a delivery connects.") String url,
        @NotNull @Pattern(regexp = "GET|POST|PUT", message = "must be GET, POST or PUT") @Schema(ref = "DeliveryMethod", required = true, example = "POST", description = "GET sends the event's top-level fields as query parameters; POST and PUT send the JSON body.") String httpMethod,
        @NotNull @HttpHeaderMap @Schema(example = "{\"Authorization\": \"Bearer abc\"}", description = "Header names to values, sent with every delivery. Required, may be empty. Names are HTTP tokens; values hold no CR, LF or other control character. Host, Content-Length, Transfer-Encoding, Connection, Keep-Alive, Upgrade, TE, Trailer, Proxy-Connection, Expect and the webhook-* headers are set by the delivery and may not be given.") Map<String, String> headers,
        @Schema(nullable = true, description = "Admins only. `false` stops deliveries to it (they end `skipped`); `true` enables it again and clears its failure record. Left out: unchanged (new destinations are enabled).") Boolean enabled,
        @Schema(nullable = true, description = "Admins only. Conditions on the event's JSON, all of which must hold for it to be delivered here; other events are logged `skipped` (not failed). At most 20. `[]` removes the filter; left out: unchanged.") List<FilterCondition> filter,
        @Min(0) @Max(10000) @Schema(nullable = true, minimum = "0", maximum = "10000", example = "10", description = "Admins only. At most this many deliveries a second to it, over all replicas; deliveries beyond it wait their turn (pending), they are not dropped or failed. `0` removes the limit; left out: unchanged.") Integer maxPerSecond,
        @Pattern(regexp = "unordered|fifo", message = "must be unordered or fifo") @Schema(ref = "DeliveryOrdering", nullable = true, description = "Admins only. `fifo`: the account's events reach this destination one at a time, in the order they were accepted (the order of their 202 answers; events accepted at the same moment go in the order they were committed). A delivery that fails holds the ones behind it, for this destination only, until it succeeds or ends `failed` after its last attempt; the logs that wait show it in `waiting_for`. A redelivered or recovered delivery takes its first place again: it waits only for older ones still pending. Slower than `unordered` (one request in flight to it at a time). Setting `unordered` releases the ones waiting at once. Applies to events accepted after the change. Left out: unchanged (new destinations are `unordered`).") String ordering) {

    public DeliveryMethod method() {
        return DeliveryMethod.valueOf(httpMethod);
    }

    /** Whether applying this to {@code d} would change its delivery settings (which only admins may). */
    boolean changesDeliverySettings(Destination d) {
        return (enabled != null && enabled != d.enabled)
                || (filter != null && !filter.equals(d.filter == null ? List.of() : d.filter))
                || (maxPerSecond != null && !maxPerSecond.equals(d.maxPerSecond == null ? 0 : d.maxPerSecond))
                || (ordering != null && DeliveryOrdering.fromCode(ordering) != d.ordering);
    }
}
