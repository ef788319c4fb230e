package io.datapusher.common;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;

/**
 * A request announcing a body over {@code quarkus.http.limits.max-body-size} gets the contract's
 * 413 body. Quarkus' own check, one step later in the router, answers a bare 413 with no body.
 */
@ApplicationScoped
public class OversizedBodies {
    private final Optional<MemorySize> limit;
    private final String body;

    OversizedBodies(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit,
            ObjectMapper json) throws JsonProcessingException {
        this.limit = limit;
        this.body = json.writeValueAsString(ApiError.of(ErrorMessage.PAYLOAD_TOO_LARGE));
    }

    void install(@Observes Router router) {
        if (limit.isEmpty()) {
            return;
        }
        long max = limit.get().asLongValue();
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(context -> {
            String length = context.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
            if (length != null && isOver(length, max)) {
                // the body is never read: the connection cannot carry another request after it
                context.response().endHandler(ended -> context.request().connection().close());
                context.response().setStatusCode(413)
                        .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaderNames.CONNECTION, "close")
                        .end(body);
                return;
            }
            context.next();
        });
    }

    private static boolean isOver(String contentLength, long max) {
        try {
            return Long.parseLong(contentLength.trim()) > max;
        } catch (NumberFormatException e) {
            return false; // HTTP decoding has refused malformed lengths before routing
        }
    }
}
