package io.datapusher.delivery;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

import io.datapusher.common.ApiException;

/**
 * Where a page of logs ended: the (received_at, id) of its last item. The next page starts
 * strictly after it in the list's order (received_at desc, id desc), so rows inserted
 * meanwhile cannot shift a page the way an offset would.
 * <p>
 * On the wire it is opaque: base64url, without padding, of a version byte, received_at in
 * microseconds since the epoch (PostgreSQL's precision) and the id: 25 bytes, 34 characters.
 * It carries a position, not a permission, so a hand-made cursor reveals nothing; it only has
 * to be well-formed.
 */
public record LogCursor(Instant receivedAt, UUID id) {
    static final String FIELD = "cursor";
    private static final byte VERSION = 1;
    private static final int LENGTH = 1 + Long.BYTES + 2 * Long.BYTES;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    public static LogCursor after(DeliveryLog log) {
        return new LogCursor(log.receivedAt.truncatedTo(ChronoUnit.MICROS), log.id);
    }

    public String encode() {
        long micros = Math.addExact(Math.multiplyExact(receivedAt.getEpochSecond(), 1_000_000L),
                receivedAt.getNano() / 1_000);
        ByteBuffer bytes = ByteBuffer.allocate(LENGTH).put(VERSION).putLong(micros)
                .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return ENCODER.encodeToString(bytes.array());
    }

    /** Reads a cursor this API issued; anything else is a 400 naming {@code cursor}. Blank means none. */
    public static LogCursor decode(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        byte[] raw;
        try {
            raw = DECODER.decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (raw.length != LENGTH || raw[0] != VERSION) {
            throw invalid();
        }
        ByteBuffer bytes = ByteBuffer.wrap(raw, 1, LENGTH - 1);
        long micros = bytes.getLong();
        Instant receivedAt = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        if (!LogFilter.storable(receivedAt)) {
            throw invalid();
        }
        return new LogCursor(receivedAt, new UUID(bytes.getLong(), bytes.getLong()));
    }

    private static ApiException invalid() {
        return ApiException.invalid(FIELD, "is not a cursor from this API; pass next_cursor as it was returned");
    }
}
