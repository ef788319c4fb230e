package io.datapusher.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.datapusher.delivery.DeliveryStatus;
import io.datapusher.delivery.MinuteCount;

class DeliveryChartTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:30:40Z");

    @Test
    void theWindow_isTheLast60Minutes_endingWithTheCurrentOne() {
        assertEquals(Instant.parse("2026-11-29T11:31:00Z"), DeliveryChart.since(NOW));
    }

    @Test
    void counts_becomeStackedBars_rowsAndTotals_andMinutesOutsideAreLeftOut() {
        DeliveryChart chart = DeliveryChart.of(List.of(
                new MinuteCount(Instant.parse("2026-11-29T11:31:00Z"), DeliveryStatus.SUCCESS, 4),
                new MinuteCount(Instant.parse("2026-11-29T12:30:00Z"), DeliveryStatus.SUCCESS, 6),
                new MinuteCount(Instant.parse("2026-11-29T12:30:00Z"), DeliveryStatus.FAILED, 2),
                new MinuteCount(Instant.parse("2026-11-29T11:30:00Z"), DeliveryStatus.FAILED, 99)), NOW);

        assertEquals(10, chart.succeeded());
        assertEquals(2, chart.failed());
        assertEquals(List.of(new DeliveryChart.Row("11:31", 4, 0), new DeliveryChart.Row("12:30", 6, 2)), chart.rows());
        assertTrue(chart.svg().contains("last hour: 10 succeeded, 2 failed"));
        // the tallest bar (8) is the scale: its label, and 3 bars (two greens, one red)
        assertTrue(chart.svg().contains(">8</text>"));
        assertEquals(3, chart.svg().split("<rect ", -1).length - 1);
        assertFalse(chart.svg().contains("99"));
    }

    @Test
    void anEmptyHour_drawsNoBars() {
        DeliveryChart chart = DeliveryChart.of(List.of(), NOW);
        assertEquals(0, chart.svg().split("<rect ", -1).length - 1);
        assertTrue(chart.rows().isEmpty());
    }
}
