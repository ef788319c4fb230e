package io.datapusher.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.datapusher.delivery.DeliveryStatus;
import io.datapusher.delivery.MinuteCount;

/**
 * Deliveries ended per minute over the last hour, by status, drawn as inline SVG on the server:
 * stacked bars (succeeded below, failed above), and the same figures as rows for a table, so the
 * chart needs no script and a screen reader gets the numbers.
 */
public record DeliveryChart(String svg, List<Row> rows, long succeeded, long failed) {

    static final int MINUTES = 60;
    static final Duration WINDOW = Duration.ofMinutes(MINUTES);
    private static final int WIDTH = 600;
    private static final int HEIGHT = 150;
    private static final int LEFT = 40;
    private static final int TOP = 10;
    private static final int BOTTOM = 20;
    private static final String SUCCESS_COLOUR = "#1a7f37";
    private static final String FAILED_COLOUR = "#b42318";
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    public record Row(String minute, long succeeded, long failed) {
    }

    /** The first minute the chart shows, for the query. */
    static Instant since(Instant now) {
        return now.truncatedTo(ChronoUnit.MINUTES).minus(WINDOW.minusMinutes(1));
    }

    static DeliveryChart of(List<MinuteCount> counts, Instant now) {
        Instant first = since(now);
        long[] succeeded = new long[MINUTES];
        long[] failed = new long[MINUTES];
        for (MinuteCount count : counts) {
            int slot = (int) Duration.between(first, count.minute()).toMinutes();
            if (slot < 0 || slot >= MINUTES) {
                continue;
            }
            if (count.status() == DeliveryStatus.SUCCESS) {
                succeeded[slot] += count.count();
            } else if (count.status() == DeliveryStatus.FAILED) {
                failed[slot] += count.count();
            }
        }
        long max = 1;
        long totalSucceeded = 0;
        long totalFailed = 0;
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < MINUTES; i++) {
            max = Math.max(max, succeeded[i] + failed[i]);
            totalSucceeded += succeeded[i];
            totalFailed += failed[i];
            if (succeeded[i] + failed[i] > 0) {
                rows.add(new Row(MINUTE.format(first.plus(Duration.ofMinutes(i))), succeeded[i], failed[i]));
            }
        }
        return new DeliveryChart(svg(first, succeeded, failed, max, totalSucceeded, totalFailed), rows, totalSucceeded,
                totalFailed);
    }

    /** Only numbers and fixed words go into the markup, so it needs no escaping. */
    private static String svg(Instant first, long[] succeeded, long[] failed, long max, long totalSucceeded,
            long totalFailed) {
        int plotHeight = HEIGHT - TOP - BOTTOM;
        double slot = (double) (WIDTH - LEFT) / MINUTES;
        StringBuilder out = new StringBuilder();
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" aria-labelledby=\"chart-title\">");
        out.append("<title id=\"chart-title\">Deliveries per minute, last hour: ").append(totalSucceeded)
                .append(" succeeded, ").append(totalFailed).append(" failed</title>");
        int baseline = TOP + plotHeight;
        out.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(baseline).append("\" x2=\"").append(WIDTH)
                .append("\" y2=\"").append(baseline).append("\" stroke=\"#57606a\"/>");
        out.append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(TOP + 8)
                .append("\" text-anchor=\"end\" font-size=\"11\" fill=\"#24292f\">").append(max).append("</text>");
        out.append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(baseline)
                .append("\" text-anchor=\"end\" font-size=\"11\" fill=\"#24292f\">0</text>");
        for (int i = 0; i < MINUTES; i++) {
            double x = LEFT + i * slot + 1;
            double okHeight = (double) succeeded[i] / max * plotHeight;
            double failedHeight = (double) failed[i] / max * plotHeight;
            if (succeeded[i] > 0) {
                rect(out, x, baseline - okHeight, slot - 2, okHeight, SUCCESS_COLOUR);
            }
            if (failed[i] > 0) {
                rect(out, x, baseline - okHeight - failedHeight, slot - 2, failedHeight, FAILED_COLOUR);
            }
        }
        label(out, LEFT, "start", MINUTE.format(first));
        label(out, LEFT + (WIDTH - LEFT) / 2, "middle", MINUTE.format(first.plus(Duration.ofMinutes(MINUTES / 2))));
        label(out, WIDTH, "end", MINUTE.format(first.plus(Duration.ofMinutes(MINUTES - 1))) + " UTC");
        return out.append("</svg>").toString();
    }

    private static void rect(StringBuilder out, double x, double y, double width, double height, String colour) {
        out.append(
                String.format(java.util.Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                        x, y, width, height, colour));
    }

    private static void label(StringBuilder out, int x, String anchor, String text) {
        out.append("<text x=\"").append(x).append("\" y=\"").append(HEIGHT - 4).append("\" text-anchor=\"").append(anchor)
                .append("\" font-size=\"11\" fill=\"#24292f\">").append(text).append("</text>");
    }
}
