package io.tickjournal.ops;

import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.gen.SyntheticMarket;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A badly broken partition is reported as one summary line and a few examples, not a line per problem. */
class VerifySummaryTest
{
    private static final int DAY = TradingDay.parse("2026-11-20");

    @TempDir
    Path root;

    @Test
    void thousandsOfProblemsAreOneSummaryLineAndAFewExamples()
    {
        final Path dir = root.resolve("journal/binance-spot");
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(1024);
        final SyntheticMarket market = new SyntheticMarket(3, Venues.BINANCE_SPOT, 1, 6_500_000, 1_000_000L);
        final long t0 = TradingDay.startNs(DAY) + 3_600_000_000_000L;
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            for (int i = 0; i < 5000; i++)
            {
                // every other record 1 ms earlier than the one before it: 2,500 times "receive time goes back" (every odd record)
                writer.append(buffer, 0, market.encodeTrade(buffer, 0, t0 + (i / 2) * 2_000_000L + (i % 2 == 0 ? 1_000_000L : 0)));
            }
        }
        final Cli verify = Cli.run("verify", "--no-books", dir.toString());
        assertEquals(1, verify.exit, verify.toString());
        assertTrue(verify.out.contains("BROKEN binance-spot: 2,500 problem(s): 2,500 x receive time goes back by N ns"), verify.out);
        assertEquals(VerifyCommand.EXAMPLES, verify.out.lines().filter(l -> l.contains("PROBLEM")).count(), verify.out);
        assertTrue(verify.out.contains("... and 2,497 more"), verify.out);
        assertTrue(verify.out.lines().count() <= 8, "a handful of lines, not thousands: " + verify.out.lines().count());
    }
}
