package io.datapusher.platform;

import io.datapusher.account.AccountResponse;
import io.datapusher.auth.UserResponse;
import io.datapusher.common.ApiError;
import io.datapusher.destination.DestinationResponse;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * JSON bodies that a native executable must be able to serialize although no resource method
 * declares them: they travel inside a {@code jakarta.ws.rs.core.Response} (created answers,
 * exception mappers), so Quarkus cannot see them at build time. Records named in a resource
 * method's signature need nothing. {@code NativeReflectionTest} finds new {@code .entity(...)}
 * uses that are missing here.
 */
@RegisterForReflection(targets = {
        ApiError.class,
        ApiError.FieldError.class,
        UserResponse.class,
        AccountResponse.class,
        DestinationResponse.class,
})
public final class NativeReflection {
    private NativeReflection() {
    }
}
