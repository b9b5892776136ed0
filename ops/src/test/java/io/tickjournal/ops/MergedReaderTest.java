package io.tickjournal.ops;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The merged reader hands over exactly the records of its range, whether it merges or reads one partition directly. */
class MergedReaderTest
{
    private static final int DAY = TradingDay.parse("2026-11-20");
    private static final long START = TradingDay.startNs(DAY) + 3_600_000_000_000L;

    @TempDir
    Path root;

    @Test
    void onePartitionReadDirectlyGivesTheRangesRecordsByteForByte()
    {
        final Path dir = root.resolve("binance-spot");
        TestJournals.write(dir, Venues.BINANCE_SPOT, 1, "BTCUSDT", START, 2_000, 1);
        final long fromNs = START + 300_000_000L;
        final long toNs = START + 1_200_000_000L;
        // independent: every record of the partition, kept when its receive time is in [from, to)
        final List<String> expected = new ArrayList<>();
        try (JournalTailer tailer = JournalTailer.open(dir, null))
        {
            while (tailer.readOne((d, s, b, o, l) ->
            {
                final long t = Records.receiveTimeNs(b, o);
                if (t >= fromNs && t < toNs)
                {
                    expected.add(text(0, d, s, b, o, l));
                }
            }))
            {
                // all
            }
        }
        final List<String> read = new ArrayList<>();
        try (MergedReader reader = new MergedReader(List.of(dir), fromNs, toNs))
        {
            // small reads: the first record (read ahead at opening) and the direct reads after it both count
            while (reader.read((p, d, s, b, o, l) -> read.add(text(p, d, s, b, o, l)), 7) > 0)
            {
                // all
            }
            assertEquals(0, reader.read((p, d, s, b, o, l) -> read.add("after the end"), 7));
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, read);

        final List<String> whole = new ArrayList<>();
        try (MergedReader reader = new MergedReader(List.of(dir), TradingDay.startNs(DAY), TradingDay.startNs(DAY + 1)))
        {
            while (reader.read((p, d, s, b, o, l) -> whole.add(text(p, d, s, b, o, l)), 4096) > 0)
            {
                // all
            }
        }
        assertEquals(2_002, whole.size(), "definition, snapshot and 2,000 records");
    }

    @Test
    void anEmptyRangeGivesNothing()
    {
        final Path dir = root.resolve("binance-spot");
        TestJournals.write(dir, Venues.BINANCE_SPOT, 1, "BTCUSDT", START, 100, 1);
        try (MergedReader reader = new MergedReader(List.of(dir), START + 500_000_000_000L, START + 600_000_000_000L))
        {
            assertEquals(0, reader.read((p, d, s, b, o, l) -> { }, 10));
            assertEquals(0, reader.read((p, d, s, b, o, l) -> { }, 10));
        }
    }

    private static String text(final int partition, final int day, final long sequence, final org.agrona.DirectBuffer buffer,
        final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return partition + "/" + day + "/" + sequence + ":" + java.util.HexFormat.of().formatHex(bytes);
    }
}
