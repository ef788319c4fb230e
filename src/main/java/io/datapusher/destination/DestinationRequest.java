package io.datapusher.destination;

import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.datapusher.common.validation.WebUrl;

/**
 * Body of POST and PUT on a destination. {@code http_method} is a string checked here rather
 * than an enum, so that a wrong value is a field error next to the others instead of a parse failure.
 */
@Schema(name = "DestinationRequest")
public record DestinationRequest(
        @NotBlank @WebUrl @Schema(example = "https://hooks.example.com/orders", maxLength = 2048, description = "Absolute http(s) URL without user info. A host that is a literal loopback, private, link-local or otherwise reserved address is refused; a host name is checked when a delivery connects.") String url,
        @NotNull @Pattern(regexp = "GET|POST|PUT", message = "must be GET, POST or PUT") @Schema(ref = "DeliveryMethod", required = true, example = "POST", description = "GET sends the event's top-level fields as query parameters; POST and PUT send the JSON body.") String httpMethod,
        @NotNull @HttpHeaderMap @Schema(example = "{\"Authorization\": \"Bearer abc\"}", description = "Header names to values, sent with every delivery. Required, may be empty. Names are HTTP tokens; values hold no CR, LF or other control character. Host, Content-Length, Transfer-Encoding, Connection, Keep-Alive, Upgrade, TE, Trailer, Proxy-Connection, Expect and the webhook-* headers are set by the delivery and may not be given.") Map<String, String> headers) {

    public DeliveryMethod method() {
        return DeliveryMethod.valueOf(httpMethod);
    }
}
