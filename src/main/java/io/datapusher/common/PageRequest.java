package io.datapusher.common;

import io.quarkus.panache.common.Page;

/**
 * Paging query parameters, checked here so every list answers a bad value with 400 in the
 * contract's shape (JAX-RS itself would answer 404 for an unconvertible query parameter).
 */
public record PageRequest(int page, int size) {
    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;

    public static PageRequest parse(String page, String size) {
        int s = QueryParams.intParam("size", size, DEFAULT_SIZE, 1, MAX_SIZE);
        // page x size is the query's offset, an int: a page past it is refused, not overflowed
        int p = QueryParams.intParam("page", page, 0, 0, Integer.MAX_VALUE / s);
        return new PageRequest(p, s);
    }

    public Page toPanache() {
        return Page.of(page, size);
    }
}
