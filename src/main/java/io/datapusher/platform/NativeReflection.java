package io.datapusher.platform;

import io.datapusher.account.AccountResponse;
import io.datapusher.auth.UserResponse;
import io.datapusher.common.ApiError;
import io.datapusher.delivery.RedeliveryResponse;
import io.datapusher.destination.DestinationResponse;
import io.datapusher.ingest.IncomingDataResponse;
import io.datapusher.member.MemberResponse;
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
        MemberResponse.class,
        IncomingDataResponse.class,
        RedeliveryResponse.class,
})
public final class NativeReflection {
    private NativeReflection() {
    }
}
