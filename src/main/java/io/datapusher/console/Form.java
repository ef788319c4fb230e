package io.datapusher.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;

import io.datapusher.common.ApiError;
import io.datapusher.common.SnakeCase;

/**
 * What a form was filled with and what was wrong with it, to show it again. Field names are the
 * API's (snake_case), so a service's field error lands next to its input.
 */
public record Form(Map<String, String> values, Map<String, String> errors) {

    public static Form empty() {
        return new Form(Map.of(), Map.of());
    }

    public static Form of(Map<String, String> values) {
        return new Form(values, Map.of());
    }

    public Form withErrors(List<ApiError.FieldError> fieldErrors) {
        Map<String, String> all = new LinkedHashMap<>(errors);
        fieldErrors.forEach(e -> all.merge(e.field(), e.message(), (a, b) -> a + "; " + b));
        return new Form(values, all);
    }

    public Form withViolations(Set<? extends ConstraintViolation<?>> violations) {
        return withErrors(violations.stream()
                .map(v -> new ApiError.FieldError(SnakeCase.of(v.getPropertyPath().toString()), v.getMessage()))
                .toList());
    }

    public Form withError(String field, String message) {
        return withErrors(List.of(new ApiError.FieldError(field, message)));
    }

    public String value(String name) {
        String value = values.get(name);
        return value == null ? "" : value;
    }

    public String error(String name) {
        return errors.get(name);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Every error, "field: message", for the summary at the top of the form. */
    public List<String> errorList() {
        return errors.entrySet().stream().map(e -> e.getKey().replace('_', ' ') + ": " + e.getValue()).toList();
    }
}
