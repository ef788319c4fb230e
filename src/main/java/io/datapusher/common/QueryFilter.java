package io.datapusher.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the where-clause of a list query from the filters a caller actually gave, so that no
 * query carries "?n is null or ..." (which PostgreSQL cannot type) and every clause can use an index.
 */
public final class QueryFilter {
    private final StringBuilder where;
    private final List<Object> params = new ArrayList<>();

    private QueryFilter(String first, Object value) {
        this.where = new StringBuilder();
        and(first, value);
    }

    /** Starts with a mandatory clause, written with {@code ?} for its one parameter. */
    public static QueryFilter where(String clause, Object value) {
        return new QueryFilter(clause, value);
    }

    /** Adds {@code clause} (with one {@code ?}) only when {@code value} is not null. */
    public QueryFilter and(String clause, Object value) {
        if (value == null) {
            return this;
        }
        params.add(value);
        if (!where.isEmpty()) {
            where.append(" and ");
        }
        where.append(clause.replace("?", "?" + params.size()));
        return this;
    }

    /** Adds a case-insensitive substring search over several columns, when {@code text} is given. */
    public QueryFilter andSearch(String text, String... columns) {
        if (text == null) {
            return this;
        }
        params.add("%" + escapeLike(text.toLowerCase(Locale.ROOT)) + "%");
        int n = params.size();
        StringBuilder any = new StringBuilder("(");
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) {
                any.append(" or ");
            }
            any.append("lower(").append(columns[i]).append(") like ?").append(n).append(" escape '\\'");
        }
        where.append(" and ").append(any).append(')');
        return this;
    }

    public String query() {
        return where.toString();
    }

    public Object[] params() {
        return params.toArray();
    }

    public static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
