package io.datapusher.delivery;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.datapusher.destination.DeliveryMethod;
import io.datapusher.destination.ReservedHeaders;

/**
 * One HTTP request to a destination, as the contract shapes it: GET carries the event's
 * top-level fields in the query string, POST and PUT the received bytes; the destination's
 * headers and the Standard Webhooks headers go along.
 *
 * @param uri path and query, as sent on the request line
 * @param headers in order; names as configured
 */
public record WebhookRequest(DeliveryMethod method, String scheme, String host, int port, String uri,
        List<Map.Entry<String, String>> headers, byte[] body) {

    static final String USER_AGENT = "DataPusher/1.0";

    private static final JsonFactory JSON = new JsonFactory();

    /** The URL is not an absolute http(s) URL with a host; no attempt can be made. */
    public static final class UnusableUrl extends Exception {
        UnusableUrl(String why) {
            super(why, null, false, false);
        }
    }

    public boolean ssl() {
        return "https".equals(scheme);
    }

    /**
     * @param webhookId the client's event id, the same on every attempt
     * @param timestamp unix seconds of this attempt
     */
    public static WebhookRequest build(DeliveryMethod method, String url, Map<String, String> destinationHeaders,
            List<String> signingSecrets, String webhookId, byte[] payload, long timestamp) throws UnusableUrl {
        URI parsed;
        try {
            parsed = new URI(url);
        } catch (URISyntaxException e) {
            throw new UnusableUrl("invalid URL");
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new UnusableUrl("URL is not http or https");
        }
        String host = parsed.getHost();
        if (host == null || host.isEmpty()) {
            throw new UnusableUrl("URL has no usable host");
        }
        int port = parsed.getPort() >= 0 ? parsed.getPort() : scheme.equals("https") ? 443 : 80;
        String path = parsed.getRawPath() == null || parsed.getRawPath().isEmpty() ? "/" : parsed.getRawPath();
        String query = parsed.getRawQuery();

        byte[] body;
        if (method == DeliveryMethod.GET) {
            String fields = queryOf(payload);
            if (!fields.isEmpty()) {
                query = query == null || query.isEmpty() ? fields : query + "&" + fields;
            }
            body = new byte[0];
        } else {
            body = payload;
        }
        String uri = query == null ? path : path + "?" + query;

        List<Map.Entry<String, String>> headers = new ArrayList<>();
        boolean userAgent = false;
        for (Map.Entry<String, String> header : destinationHeaders.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (ReservedHeaders.contains(name) || (method != DeliveryMethod.GET && name.equals("content-type"))) {
                continue;
            }
            userAgent |= name.equals("user-agent");
            headers.add(Map.entry(header.getKey(), header.getValue()));
        }
        if (!userAgent) {
            headers.add(Map.entry("User-Agent", USER_AGENT));
        }
        if (method != DeliveryMethod.GET) {
            headers.add(Map.entry("Content-Type", "application/json"));
        }
        headers.add(Map.entry("webhook-id", webhookId));
        headers.add(Map.entry("webhook-timestamp", Long.toString(timestamp)));
        // One v1 signature per secret, space-separated (Standard Webhooks): both during a rotation's overlap.
        headers.add(Map.entry("webhook-signature", signingSecrets.stream()
                .map(secret -> WebhookSignature.sign(secret, webhookId, timestamp, body))
                .collect(Collectors.joining(" "))));
        return new WebhookRequest(method, scheme, host, port, uri, List.copyOf(headers), body);
    }

    /**
     * The object's top-level fields as a query string, in their order: strings as they are,
     * numbers as written in the JSON, booleans as {@code true}/{@code false}, null as empty,
     * objects and arrays as compact JSON; all percent-encoded as UTF-8 (RFC 3986, space as %20).
     */
    static String queryOf(byte[] json) {
        StringBuilder query = new StringBuilder();
        try (JsonParser parser = JSON.createParser(new String(json, StandardCharsets.UTF_8))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                String value = switch (token) {
                    case VALUE_NULL -> "";
                    case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> parser.getText();
                    case START_OBJECT, START_ARRAY -> compact(parser);
                    default -> throw new IllegalArgumentException("unexpected " + token);
                };
                if (!query.isEmpty()) {
                    query.append('&');
                }
                query.append(percentEncode(name)).append('=').append(percentEncode(value));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON object", e);
        }
        return query.toString();
    }

    /** The structure at the parser, as compact JSON; numbers keep their written form. */
    private static String compact(JsonParser parser) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            copy(parser, generator);
        }
        return out.toString();
    }

    private static void copy(JsonParser parser, JsonGenerator generator) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                generator.writeStartObject();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    generator.writeFieldName(parser.currentName());
                    parser.nextToken();
                    copy(parser, generator);
                }
                generator.writeEndObject();
            }
            case START_ARRAY -> {
                generator.writeStartArray();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    copy(parser, generator);
                }
                generator.writeEndArray();
            }
            case VALUE_STRING -> generator.writeString(parser.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> generator.writeNumber(parser.getText());
            case VALUE_TRUE -> generator.writeBoolean(true);
            case VALUE_FALSE -> generator.writeBoolean(false);
            case VALUE_NULL -> generator.writeNull();
            default -> throw new IOException("unexpected " + parser.currentToken());
        }
    }

    /** Everything but RFC 3986 unreserved characters is encoded, as UTF-8. */
    static String percentEncode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
