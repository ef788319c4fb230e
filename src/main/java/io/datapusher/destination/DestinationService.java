package io.datapusher.destination;

import java.net.URI;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import io.datapusher.account.SecretTokens;
import io.datapusher.common.ApiException;
import io.datapusher.common.PageRequest;
import io.datapusher.common.PageResponse;
import io.quarkus.logging.Log;

@ApplicationScoped
public class DestinationService {
    /** Standard Webhooks secrets are 24 to 64 bytes; 24 is what their libraries generate. */
    static final int SIGNING_SECRET_BYTES = 24;

    private final OutboundGuard guard;
    private final DestinationConfig config;
    private final Event<OrderingDropped> orderingDropped;

    DestinationService(OutboundGuard guard, DestinationConfig config, Event<OrderingDropped> orderingDropped) {
        this.guard = guard;
        this.config = config;
        this.orderingDropped = orderingDropped;
    }

    @Transactional
    public Destination create(UUID accountId, DestinationRequest request, UUID userId) {
        refuseGuardedHost(request.url());
        Destination destination = new Destination();
        destination.accountId = accountId;
        apply(destination, request);
        destination.signingSecret = newSigningSecret();
        destination.createdBy(userId);
        destination.persist();
        Log.infof("Destination %s created in account %s", destination.id, accountId);
        return destination;
    }

    @Transactional
    public PageResponse<DestinationResponse> list(UUID accountId, DestinationFilter filter, PageRequest page,
            boolean showSecret) {
        return PageResponse.of(Destination.listPage(accountId, filter, page.toPanache()), page,
                Destination.countMatching(accountId, filter), d -> DestinationResponse.of(d, showSecret));
    }

    @Transactional
    public Destination get(UUID accountId, UUID destinationId) {
        return Destination.findInAccount(accountId, destinationId).orElseThrow(ApiException::notFound);
    }

    /**
     * Replaces url, method and headers, and the delivery settings given; the signing secret stays.
     * Only a caller who {@code mayConfigureDelivery} may change the delivery settings.
     */
    @Transactional
    public Destination update(UUID accountId, UUID destinationId, DestinationRequest request, UUID userId,
            boolean mayConfigureDelivery) {
        Destination destination = get(accountId, destinationId);
        if (!mayConfigureDelivery && request.changesDeliverySettings(destination)) {
            throw ApiException.forbidden();
        }
        refuseGuardedHost(request.url());
        apply(destination, request);
        destination.updatedBy(userId);
        destination.flush();
        return destination;
    }

    /** A new signing secret; the replaced one signs beside it for {@code signing-secret-overlap}. */
    @Transactional
    public Destination rotateSigningSecret(UUID accountId, UUID destinationId, UUID userId) {
        Destination destination = get(accountId, destinationId);
        destination.rotateSigningSecret(newSigningSecret(), Instant.now(), config.signingSecretOverlap());
        destination.updatedBy(userId);
        destination.flush();
        Log.infof("Signing secret of destination %s rotated; the previous one signs too until %s", destinationId,
                destination.previousSecretExpiresAt);
        return destination;
    }

    @Transactional
    public void delete(UUID accountId, UUID destinationId) {
        get(accountId, destinationId).delete();
        Log.infof("Destination %s deleted from account %s", destinationId, accountId);
    }

    static String newSigningSecret() {
        return Destination.SIGNING_SECRET_PREFIX
                + Base64.getEncoder().encodeToString(SecretTokens.randomBytes(SIGNING_SECRET_BYTES));
    }

    private void apply(Destination destination, DestinationRequest request) {
        destination.url = request.url();
        destination.httpMethod = request.method();
        destination.headers = new LinkedHashMap<>(request.headers());
        if (request.filter() != null) {
            destination.filter = EventFilter.of(request.filter()) == null ? null : List.copyOf(request.filter());
        }
        if (request.maxPerSecond() != null) {
            destination.maxPerSecond = request.maxPerSecond() == 0 ? null : request.maxPerSecond();
        }
        if (request.ordering() != null) {
            DeliveryOrdering ordering = DeliveryOrdering.fromCode(request.ordering());
            if (destination.ordering == DeliveryOrdering.FIFO && ordering == DeliveryOrdering.UNORDERED) {
                orderingDropped.fire(new OrderingDropped(destination.id));
            }
            destination.ordering = ordering;
        }
        if (Boolean.TRUE.equals(request.enabled()) && !destination.enabled) {
            destination.enable();
            Log.infof("Destination %s enabled again", destination.id);
        } else if (Boolean.FALSE.equals(request.enabled()) && destination.enabled) {
            destination.disable("disabled by an admin", Instant.now());
            Log.infof("Destination %s disabled by an admin", destination.id);
        }
    }

    /** A literal address the outbound guard would never connect to is refused now, not at delivery. */
    private void refuseGuardedHost(String url) {
        String host = URI.create(url).getHost();
        guard.refusalOfHost(host).ifPresent(why -> {
            throw ApiException.invalid("url", "host " + why);
        });
    }
}
