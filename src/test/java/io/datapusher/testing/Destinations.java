package io.datapusher.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/** Short-hands for destination bodies and creation. */
public final class Destinations {
    private Destinations() {
    }

    /** A valid body: the given URL, POST, one custom header. */
    public static Map<String, Object> body(String url) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url);
        body.put("http_method", "POST");
        body.put("headers", Map.of("X-Api-Key", "k-123"));
        return body;
    }

    /** Creates a destination as an admin of the account; answers its id. */
    public static String create(String adminToken, String accountId, String url) {
        return Api.as(adminToken).body(body(url)).post("/accounts/{a}/destinations", accountId)
                .then().statusCode(201).extract().path("id");
    }
}
