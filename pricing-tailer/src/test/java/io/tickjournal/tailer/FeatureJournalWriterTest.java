package io.tickjournal.tailer;

import io.tickjournal.journal.DiskSpace;
import io.tickjournal.journal.JournalRecords;
import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.Tmpfs;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.gen.SyntheticMarket;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The feature partition of a restarted tailer: the same records a single uninterrupted run writes, none twice. */
class FeatureJournalWriterTest
{
    @TempDir
    Path root;

    private static final int DAY = TradingDay.parse("2026-11-20");

    /** Two venues' synthetic markets (one canonical instrument) interleaved in one input partition; the records written. */
    static long writeInput(final Path dir, final int records, final long startNs)
    {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final SyntheticMarket a = new SyntheticMarket(11, 1, 1, 6_500_000, 1_000_000L);
        final SyntheticMarket b = new SyntheticMarket(12, 5, 1, 6_500_100, 1_000_000L);
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            long t = startNs;
            writer.append(buffer, 0, a.encodeDefinition(buffer, 0, t, "BTCUSDT", "BTC-USDT"));
            writer.append(buffer, 0, b.encodeDefinition(buffer, 0, t, "BTCUSDT", "BTC-USDT"));
            writer.append(buffer, 0, a.encodeSnapshot(buffer, 0, t, 20));
            writer.append(buffer, 0, b.encodeSnapshot(buffer, 0, t, 20));
            for (int i = 0; i < records; i++)
            {
                t += 1_000_000L;
                final SyntheticMarket m = (i & 1) == 0 ? a : b;
                writer.append(buffer, 0, i % 3 == 0 ? m.encodeTrade(buffer, 0, t) : m.encodeDelta(buffer, 0, t, 10));
            }
            return writer.appendedCount();
        }
    }

    /** Feed an engine journaling to {@code out} with the input from the day's start; stop after {@code limit} records. */
    private static void run(final Path input, final Path out, final long limit)
    {
        final FeatureEngine engine = FeatureEngine.withDefaults();
        try (FeatureJournalWriter writer = new FeatureJournalWriter(out);
            JournalTailer tailer = JournalTailer.open(input, null))
        {
            engine.addListener(writer);
            long n = 0;
            while (n < limit && tailer.readOne(engine))
            {
                n++;
            }
        }
    }

    @Test
    void aWriterRestartedMidDayOnTheReplayedDayWritesWhatOneRunWouldHaveWrittenNoneTwice()
    {
        final Path input = root.resolve("input");
        final long total = writeInput(input, 6_000, TradingDay.startNs(DAY) + 1_000_000_000L);

        run(input, root.resolve("once"), Long.MAX_VALUE);
        // crash after 2,500 records, restart from the day's start; crash again after 4,100; then run to the end
        run(input, root.resolve("restarted"), 2_500);
        run(input, root.resolve("restarted"), 4_100);
        run(input, root.resolve("restarted"), Long.MAX_VALUE);

        final List<byte[]> once = JournalRecords.readAll(root.resolve("once"));
        final List<byte[]> restarted = JournalRecords.readAll(root.resolve("restarted"));
        assertTrue(once.size() > total / 2, "feature records: " + once.size());
        assertEquals(once.size(), restarted.size(), "no feature record twice, none missing");
        for (int i = 0; i < once.size(); i++)
        {
            assertTrue(Arrays.equals(once.get(i), restarted.get(i)), "feature record " + i + " differs");
        }
    }

    @Test
    void featureRecordsTheFullDiskRefusesAreCountedNotDroppedSilently() throws Exception
    {
        final Tmpfs tmpfs = Tmpfs.mount(root.resolve("disk"), 20);
        assumeTrue(tmpfs != null, "this machine does not let the test mount a tmpfs: " + Tmpfs.whyNot);
        final Path input = root.resolve("input");
        writeInput(input, 20_000, TradingDay.startNs(DAY) + 1_000_000_000L);
        final FeatureEngine engine = FeatureEngine.withDefaults();
        try (tmpfs;
            FeatureJournalWriter writer = new FeatureJournalWriter(tmpfs.dir().resolve("features"));
            JournalTailer tailer = JournalTailer.open(input, null))
        {
            // the partition opened with room; then the disk fills up to a little above the journal's reserve
            final long free = java.nio.file.Files.getFileStore(tmpfs.dir()).getUsableSpace();
            tmpfs.fill("filler", free - (DiskSpace.MIN_RESERVE_BYTES + (256 << 10)));
            engine.addListener(writer);
            while (tailer.readOne(engine))
            {
                // 20,000 feature records of about 300 bytes: far more than the 256 KiB left above the reserve
            }
            assertTrue(writer.refused() > 0, "refused: " + writer.refused() + ", written " + writer.written());
            assertEquals(engine.emitted(), writer.written() + writer.refused(), "every feature set written or counted");
        }
    }
}
