package io.tickjournal.ops;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchReportTest
{
    @Test
    void aThroughputTargetHoldsWhenOursIsAtLeastTheWantedShareOfTheReference()
    {
        final BenchRow met = BenchRow.throughput("bridge", 700_000, "bare NIO", 730_000, 0.0, 0.95);
        final BenchRow missed = BenchRow.throughput("bridge", 690_000, "bare NIO", 730_000, 0.0, 0.95);

        assertEquals(700_000 / 730_000.0, met.ratio(), 1e-12);
        assertTrue(met.met());
        assertFalse(missed.met());
    }

    @Test
    void aLatencyTargetHoldsWhenOursIsAtMostTheAllowedMultipleOfTheReference()
    {
        assertTrue(BenchRow.latency("p50", 12.0, "bare NIO", 6.0, Double.NaN, 2.0).met());
        assertFalse(BenchRow.latency("p50", 12.5, "bare NIO", 6.0, Double.NaN, 2.0).met());
        assertNull(BenchRow.latency("p99", 1.0, "bare NIO", 6.0, Double.NaN, Double.NaN).met());
    }

    @Test
    void theTableHasOneRowPerMeasurementWithTheMachineDateRatioAndVerdict()
    {
        final BenchReport report = new BenchReport();
        report.add(BenchRow.throughput("journal append, trade 76 B", 2_400_000, "raw Chronicle append", 3_000_000, 0.003, 0.8));
        report.add(BenchRow.throughput("bridge", 400_000, "Aeron", 300_000, 0.001, 2.0));

        final String table = report.markdown("test machine", Instant.parse("2026-11-30T01:02:03Z"));

        final String[] lines = table.split("\n");
        assertEquals("Measured 2026-11-30T01:02:03Z on test machine", lines[0]);
        assertEquals("| stage | ours | reference (same run) | reference | ratio | target | allocation, ours |", lines[2]);
        assertEquals("| journal append, trade 76 B | 2.40 M/s | raw Chronicle append | 3.00 M/s | 0.80x | >= 0.80x met | 0.003 B/record |",
            lines[4]);
        assertEquals("| bridge | 400,000/s | Aeron | 300,000/s | 1.33x | >= 2.00x **missed** | 0.001 B/record |", lines[5]);
        assertEquals(6, lines.length);
    }
}
