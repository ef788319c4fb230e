package io.datapusher.delivery;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import io.datapusher.destination.Destination;

/**
 * What an attempt of a log sends, built by {@link WebhookRequest} from the event and the
 * destination as it is configured now. The timestamp and the signature are made at each attempt, so
 * they are described, not shown; the signing secret never leaves the service this way.
 *
 * @param unusable why no request can be made (an unusable URL), else null
 */
public record OutgoingRequest(String method, String url, List<Header> headers, String body, String unusable) {

    static final String TIMESTAMP_NOTE = "(the time of each attempt, in Unix seconds)";
    static final String SIGNATURE_NOTE = "v1,… (HMAC-SHA256 with the destination's signing secret, made at each attempt)";

    public record Header(String name, String value) {
    }

    static OutgoingRequest of(Destination destination, String eventId, byte[] payload) {
        WebhookRequest request;
        try {
            request = WebhookRequest.build(destination.httpMethod, destination.url, destination.headers, List.of(),
                    eventId, payload, 0);
        } catch (WebhookRequest.UnusableUrl e) {
            return new OutgoingRequest(destination.httpMethod.name(), destination.url, List.of(), "", e.getMessage());
        }
        List<Header> headers = request.headers().stream().map(h -> new Header(h.getKey(), describe(h.getKey(), h.getValue())))
                .toList();
        return new OutgoingRequest(request.method().name(), url(request), headers,
                new String(request.body(), StandardCharsets.UTF_8), null);
    }

    private static String describe(String name, String value) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "webhook-timestamp" -> TIMESTAMP_NOTE;
            case "webhook-signature" -> SIGNATURE_NOTE;
            default -> value;
        };
    }

    private static String url(WebhookRequest request) {
        boolean defaultPort = request.port() == (request.ssl() ? 443 : 80);
        String host = request.host().contains(":") ? "[" + request.host() + "]" : request.host();
        return request.scheme() + "://" + host + (defaultPort ? "" : ":" + request.port()) + request.uri();
    }
}
