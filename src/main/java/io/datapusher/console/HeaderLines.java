package io.datapusher.console;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A destination's headers as the console edits them: one {@code Name: value} a line. The map
 * that comes out is checked by the API's own rules (DestinationRequest's validation).
 */
final class HeaderLines {
    private HeaderLines() {
    }

    /** Thrown for a line that is not {@code Name: value}; the message names the line. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    static Map<String, String> parse(String text) throws Unreadable {
        Map<String, String> headers = new LinkedHashMap<>();
        if (text == null) {
            return headers;
        }
        String[] lines = text.split("\r\n|\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new Unreadable("line " + (i + 1) + " is not Name: value");
            }
            String name = line.substring(0, colon).trim();
            if (headers.putIfAbsent(name, line.substring(colon + 1).trim()) != null) {
                throw new Unreadable("line " + (i + 1) + " repeats " + name);
            }
        }
        return headers;
    }

    static String format(Map<String, String> headers) {
        return headers.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n"));
    }
}
