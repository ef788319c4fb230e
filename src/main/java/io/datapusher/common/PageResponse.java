package io.datapusher.common;

import java.util.List;
import java.util.function.Function;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of a list that is paged by number: {@code page} starts at 0. */
public record PageResponse<T>(
        List<T> items,
        @Schema(description = "Index of this page, from 0.", example = "0") int page,
        @Schema(description = "Items per page.", example = "20") int size,
        @Schema(description = "Items over all pages.", example = "1") long total) {

    public static <E, T> PageResponse<T> of(List<E> rows, PageRequest request, long total, Function<E, T> mapper) {
        return new PageResponse<>(rows.stream().map(mapper).toList(), request.page(), request.size(), total);
    }
}
