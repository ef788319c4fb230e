package io.datapusher.console;

import io.datapusher.common.PageResponse;

/** Previous and next links of a list paged by number; {@code query} holds the list's other parameters. */
public record Pager(long from, long to, long total, String previousHref, String nextHref) {

    static Pager of(PageResponse<?> page, String path, String query) {
        long from = page.items().isEmpty() ? 0 : (long) page.page() * page.size() + 1;
        long to = (long) page.page() * page.size() + page.items().size();
        String prefix = path + "?" + (query.isEmpty() ? "" : query + "&") + "page=";
        String previous = page.page() > 0 ? prefix + (page.page() - 1) : null;
        String next = to < page.total() ? prefix + (page.page() + 1) : null;
        return new Pager(from, to, page.total(), previous, next);
    }
}
