package io.datapusher.common;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * What holds for every operation and every answer, written into the document once instead of on
 * each resource method, so that a client generated from it is exact:
 * <ul>
 * <li>every property of an answer is required unless it may be null or absent: generated models
 * then have non-null fields;</li>
 * <li>a property whose values are those of a shared enum refers to it;</li>
 * <li>a {@code $ref} has no {@code type}, {@code enum}, {@code format} or {@code pattern} beside it
 * (the referenced schema says them; generators warn about the copies);</li>
 * <li>every operation declares the answers every path gives: 405 for a method the path does not
 * serve, 503 while the database is out of reach or the replica is shutting down, 500.</li>
 * </ul>
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiConventions implements OASFilter {
    /** Answer properties left out of the JSON when they do not apply (@JsonInclude). */
    private static final Set<String> MAY_BE_ABSENT = Set.of("ApiError.errors", "DataReceived.duplicate");
    /** Sorted, so that the document comes out the same on every build. */
    private static final Map<String, String> ANSWERED_EVERYWHERE = new TreeMap<>(Map.of(
            "405", "MethodNotAllowed", "500", "InternalError", "503", "ServiceUnavailable"));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        Set<String> requestBodies = new HashSet<>();
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : path.getOperations().values()) {
                RequestBody body = operation.getRequestBody();
                if (body != null && body.getContent() != null) {
                    body.getContent().getMediaTypes().values().stream()
                            .filter(media -> media.getSchema() != null && media.getSchema().getRef() != null)
                            .forEach(media -> requestBodies.add(componentName(media.getSchema().getRef())));
                }
                ANSWERED_EVERYWHERE.forEach((status, response) -> {
                    if (!operation.getResponses().hasAPIResponse(status)) {
                        operation.getResponses().addAPIResponse(status,
                                OASFactory.createAPIResponse().ref("#/components/responses/" + response));
                    }
                });
            }
        }
        Map<List<Object>, String> enums = new HashMap<>();
        schemas.forEach((name, schema) -> {
            if (schema.getEnumeration() != null) {
                enums.put(schema.getEnumeration(), name);
            }
        });
        schemas.forEach((name, schema) -> {
            if (!requestBodies.contains(name)) {
                requireWhatIsAlwaysThere(name, schema);
            }
            if (schema.getProperties() != null) {
                for (Schema property : schema.getProperties().values()) {
                    referToSharedEnum(property, enums);
                    leaveRefAlone(property);
                }
            }
        });
    }

    /**
     * A request field kept a string in Java (so that a wrong value is a field error beside the
     * others) still has the answer's enum type in the document: one type for both directions.
     */
    private static void referToSharedEnum(Schema property, Map<List<Object>, String> enums) {
        String shared = property.getRef() == null && property.getEnumeration() != null
                ? enums.get(property.getEnumeration())
                : null;
        if (shared != null) {
            property.setRef("#/components/schemas/" + shared);
        }
    }

    private static void requireWhatIsAlwaysThere(String name, Schema schema) {
        if (schema.getProperties() == null || schema.getProperties().isEmpty()) {
            return;
        }
        List<String> required = new ArrayList<>();
        schema.getProperties().forEach((property, value) -> {
            if (!MAY_BE_ABSENT.contains(name + "." + property) && !isNullable(value)) {
                required.add(property);
            }
        });
        schema.setRequired(required.isEmpty() ? null : required);
    }

    private static boolean isNullable(Schema schema) {
        if (schema.getType() != null && schema.getType().contains(Schema.SchemaType.NULL)) {
            return true;
        }
        return schema.getAnyOf() != null && schema.getAnyOf().stream()
                .anyMatch(option -> option.getType() != null && option.getType().contains(Schema.SchemaType.NULL));
    }

    private static void leaveRefAlone(Schema property) {
        if (property.getRef() != null) {
            property.setType(null);
            property.setEnumeration(null);
            property.setFormat(null);
            property.setPattern(null);
        }
    }

    private static String componentName(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}
