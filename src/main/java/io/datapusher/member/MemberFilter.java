package io.datapusher.member;

import io.datapusher.common.ApiException;
import io.datapusher.common.QueryParams;

/** GET .../members filters: {@code q} is a case-insensitive substring of the email. */
public record MemberFilter(String q, RoleCode role) {
    public static MemberFilter parse(String q, String role) {
        return new MemberFilter(QueryParams.textParam("q", q), role(role));
    }

    private static RoleCode role(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return RoleCode.fromCode(value.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("role", "must be admin or normal");
        }
    }
}
