package io.datapusher.destination;

import java.util.Locale;
import java.util.Set;

/**
 * Headers a destination may not set: they frame the HTTP message (the client sets them) or carry
 * the signature, which must be ours. Refused when a destination is saved, and skipped when a
 * delivery is sent (for a destination saved before a name was added here).
 */
public final class ReservedHeaders {
    private static final Set<String> NAMES = Set.of("host", "content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade", "te", "trailer", "proxy-connection", "expect",
            "webhook-id", "webhook-timestamp", "webhook-signature");

    private ReservedHeaders() {
    }

    /** Whether the header (any case) is the delivery's to set. */
    public static boolean contains(String name) {
        return NAMES.contains(name.toLowerCase(Locale.ROOT));
    }
}
