package io.datapusher.account;

import java.util.Locale;

import io.datapusher.common.QueryFilter;
import io.datapusher.common.QueryParams;

/** GET /accounts filters: {@code q} over name and website, or each field on its own; all case-insensitive substrings. */
public record AccountFilter(String q, String name, String website) {
    public static AccountFilter parse(String q, String name, String website) {
        return new AccountFilter(QueryParams.textParam("q", q), QueryParams.textParam("name", name),
                QueryParams.textParam("website", website));
    }

    String likeName() {
        return like(name);
    }

    String likeWebsite() {
        return like(website);
    }

    private static String like(String value) {
        return value == null ? null : "%" + QueryFilter.escapeLike(value.toLowerCase(Locale.ROOT)) + "%";
    }
}
