package io.datapusher.destination;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One test of a destination's filter on the event's JSON: the value at {@code path} (dotted object
 * keys from the top) equals a value, is one of some values, or exists. Exactly one of the three is
 * given; {@link EventFilter#of} checks that, and the rest.
 */
@Schema(name = "FilterCondition", description = "One test on the event's JSON; give `path` and exactly one of `equals`, `in`, `exists`.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record FilterCondition(
        @JsonProperty("path") @Schema(required = true, example = "data.country", description = "Dotted object keys from the top of the event, e.g. `type` or `data.customer.tier`; 1 to 10 keys, no array index.") String path,
        @JsonProperty("equals") @Schema(nullable = true, example = "order.created", description = "The value there equals this string, number, boolean or null (numbers by value: 10 equals 10.0).") JsonNode equalTo,
        @JsonProperty("in") @Schema(nullable = true, example = "[\"FR\", \"DE\"]", description = "The value there equals one of these, 1 to 50 strings, numbers, booleans or nulls.") List<JsonNode> in,
        @JsonProperty("exists") @Schema(nullable = true, example = "true", description = "`true`: the key is there (even holding null); `false`: it is not.") Boolean exists) {
}
