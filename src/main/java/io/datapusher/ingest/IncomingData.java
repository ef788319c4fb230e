package io.datapusher.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** The request checks of POST /server/incoming_data that need no database. */
public final class IncomingData {
    private static final JsonFactory JSON = new JsonFactory();

    private IncomingData() {
    }

    /** 1 to 255 printable ASCII characters (what an HTTP header carries safely, and our webhook-id). */
    public static boolean isValidEventId(String eventId) {
        if (eventId == null || eventId.isEmpty() || eventId.length() > Event.MAX_EVENT_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < eventId.length(); i++) {
            char c = eventId.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** {@code application/json}, with no charset or UTF-8 (JSON on the wire is UTF-8, RFC 8259). */
    static boolean isJsonContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return false;
        }
        MediaType type;
        try {
            type = MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!"application".equalsIgnoreCase(type.getType()) || !"json".equalsIgnoreCase(type.getSubtype())) {
            return false;
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        return charset == null || "utf-8".equals(charset.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether the bytes are valid UTF-8 holding exactly one JSON object. Decoded strictly first,
     * so that a UTF-16 body is not accepted by the parser's encoding detection.
     */
    public static boolean isJsonObject(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return false;
        }
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
