package io.datapusher.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The console's text colours against the backgrounds they are shown on meet WCAG 2 AA (4.5:1 for
 * normal text), read from the stylesheet itself, so a palette change that hurts contrast fails here.
 */
class ConsoleContrastTest {
    private static final Path CSS = Path.of("src/main/resources/META-INF/resources/console/static/console.css");
    private static final double AA = 4.5;

    @Test
    void everyTextColour_onEveryBackgroundItIsShownOn_meetsWcagAa() throws IOException {
        Map<String, String> vars = variables(Files.readString(CSS));
        String white = "#ffffff";
        String soft = vars.get("bg-soft");
        // foreground, background: text on the page, in tables and panels, on buttons, in notices
        List<String[]> pairs = List.of(
                new String[] { vars.get("fg"), white }, new String[] { vars.get("fg"), soft },
                new String[] { vars.get("muted"), white }, new String[] { vars.get("muted"), soft },
                new String[] { vars.get("accent"), white }, new String[] { white, vars.get("accent") },
                new String[] { white, vars.get("bad") }, new String[] { vars.get("bad"), white },
                new String[] { vars.get("bad"), "#fff5f4" }, new String[] { vars.get("ok"), white },
                new String[] { vars.get("warn"), white }, new String[] { vars.get("fg"), "#f0fff4" });
        for (String[] pair : pairs) {
            double ratio = contrast(pair[0], pair[1]);
            assertTrue(ratio >= AA, pair[0] + " on " + pair[1] + " is " + ratio + ":1");
        }
    }

    /** The {@code --name: #rrggbb} custom properties of {@code :root}. */
    private static Map<String, String> variables(String css) {
        Map<String, String> vars = new HashMap<>();
        Matcher m = Pattern.compile("--([a-z-]+):\\s*(#[0-9a-fA-F]{6})").matcher(css);
        while (m.find()) {
            vars.put(m.group(1), m.group(2));
        }
        return vars;
    }

    static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String hex) {
        double[] rgb = new double[3];
        for (int i = 0; i < 3; i++) {
            double c = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
            rgb[i] = c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    }
}
