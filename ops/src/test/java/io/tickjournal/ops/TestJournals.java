package io.tickjournal.ops;

import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.gen.SyntheticMarket;
import org.agrona.ExpandableDirectByteBuffer;

import java.nio.file.Path;

/** Journals with known content for the subcommand tests. */
final class TestJournals
{
    private TestJournals()
    {
    }

    /**
     * Definition, a 20-level snapshot, then trades and 10-level deltas one per ms.
     *
     * @return records written.
     */
    static long write(final Path dir, final int venueId, final int instrumentId, final String symbol, final long startNs,
        final int records, final long seed)
    {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final SyntheticMarket market = new SyntheticMarket(seed, venueId, instrumentId, 6_500_000, 1_000_000L);
        long t = startNs;
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            writer.append(buffer, 0, market.encodeDefinition(buffer, 0, t, symbol, symbol.replace("USDT", "-USDT")));
            writer.append(buffer, 0, market.encodeSnapshot(buffer, 0, t, 20));
            for (int i = 0; i < records; i++)
            {
                t += 1_000_000L;
                writer.append(buffer, 0, (i % 3) == 0 ? market.encodeTrade(buffer, 0, t) : market.encodeDelta(buffer, 0, t, 10));
            }
            return writer.appendedCount();
        }
    }
}
