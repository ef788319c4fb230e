package io.datapusher.common;

import java.util.Set;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * No path serves OPTIONS: it answers 405 with the path's {@code Allow}, like any other method the
 * path does not serve (the contract asks this of the ingest endpoint), and 404 on an unknown path.
 * Left to itself, Quarkus REST would answer OPTIONS with an {@code Allow} naming methods the path
 * does not serve.
 */
public class OptionsNotServed {
    private final AllowedMethods allowedMethods;

    OptionsNotServed(AllowedMethods allowedMethods) {
        this.allowedMethods = allowedMethods;
    }

    @ServerRequestFilter(preMatching = true)
    public void refuseOptions(ContainerRequestContext request) {
        if (!HttpMethod.OPTIONS.equals(request.getMethod())) {
            return;
        }
        Set<String> served = allowedMethods.methodsAt(request.getUriInfo().getPath());
        if (served.isEmpty()) {
            throw new NotFoundException();
        }
        throw new NotAllowedException(Response.status(Response.Status.METHOD_NOT_ALLOWED)
                .header(HttpHeaders.ALLOW, String.join(", ", served)).build());
    }
}
