package io.datapusher.delivery;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.datapusher.common.Causes;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.TypedGuard;

/**
 * A circuit breaker per destination (SmallRye Fault Tolerance, programmatic): after enough
 * failed attempts the destination's breaker opens and its attempts are not made at all for a
 * while, so one dead destination does not keep connections and timeouts busy. Kept in a bounded
 * map: a breaker not used for an hour is forgotten (and starts closed again).
 */
@ApplicationScoped
public class DestinationBreakers {
    static final String CIRCUIT_OPEN = "circuit open: destination failing, attempt not made";
    private static final TypeLiteral<CompletionStage<AttemptOutcome>> OUTCOME_STAGE = new TypeLiteral<>() {
    };

    private final DeliveryConfig.Breaker config;
    private final Cache<UUID, TypedGuard<CompletionStage<AttemptOutcome>>> guards = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterAccess(Duration.ofHours(1))
            .build();

    @Inject
    DestinationBreakers(DeliveryConfig config) {
        this(config.circuitBreaker());
    }

    public DestinationBreakers(DeliveryConfig.Breaker config) {
        this.config = config;
    }

    /**
     * Makes the attempt through the destination's breaker. An attempt that ends RETRY counts as a
     * failure of the destination; when the breaker is open the attempt is not made and the
     * outcome is NOT_ATTEMPTED, to be tried again after the breaker's delay.
     */
    public CompletionStage<AttemptOutcome> call(UUID destinationId, Supplier<CompletionStage<AttemptOutcome>> attempt) {
        TypedGuard<CompletionStage<AttemptOutcome>> guard = guards.get(destinationId, this::newGuard);
        CompletionStage<AttemptOutcome> guarded;
        try {
            guarded = guard.call(() -> attempt.get().thenCompose(outcome -> outcome.destinationUnwell()
                    ? CompletableFuture.failedFuture(new Unwell(outcome))
                    : CompletableFuture.completedFuture(outcome)));
        } catch (Exception e) {
            guarded = CompletableFuture.failedFuture(e);
        }
        return guarded.handle((outcome, failure) -> {
            if (failure == null) {
                return outcome;
            }
            Throwable cause = Causes.unwrap(failure);
            if (cause instanceof Unwell unwell) {
                return unwell.outcome;
            }
            if (cause instanceof CircuitBreakerOpenException) {
                return AttemptOutcome.notAttempted(CIRCUIT_OPEN, config.delay());
            }
            Log.errorf(cause, "Attempt to destination %s failed unexpectedly", destinationId);
            return AttemptOutcome.retry(null, "internal error", null);
        });
    }

    private TypedGuard<CompletionStage<AttemptOutcome>> newGuard(UUID destinationId) {
        // No description: SmallRye FT then emits no metrics for the guard, which would be one
        // set per destination (and their gauges clash). State changes are logged instead.
        return TypedGuard.create(OUTCOME_STAGE)
                .withThreadOffload(false)
                .withCircuitBreaker()
                .requestVolumeThreshold(config.requestVolumeThreshold())
                .failureRatio(config.failureRatio())
                .delay(config.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(config.successThreshold())
                .failOn(Unwell.class)
                .onStateChange(state -> Log.infof("Circuit breaker of destination %s is now %s", destinationId, state))
                .done()
                .build();
    }

    /** Carries a RETRY outcome through the guard as the failure it counts. */
    private static final class Unwell extends Exception {
        final transient AttemptOutcome outcome;

        Unwell(AttemptOutcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }
}
