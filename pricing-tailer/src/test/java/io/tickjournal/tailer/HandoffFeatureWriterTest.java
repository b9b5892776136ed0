package io.tickjournal.tailer;

import io.tickjournal.journal.JournalRecords;
import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.PartitionLock;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.TradingDay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The feature partition appended on its own thread: the bytes the inline writer appends, in its order; failures end it in one line. */
class HandoffFeatureWriterTest
{
    @TempDir
    Path root;

    private static final int DAY = TradingDay.parse("2026-11-20");

    private static long writeInput(final Path dir, final int records)
    {
        return FeatureJournalWriterTest.writeInput(dir, records, TradingDay.startNs(DAY) + 1_000_000_000L);
    }

    private static long feed(final Path input, final FeatureEngine.Listener listener, final long limit)
    {
        final FeatureEngine engine = FeatureEngine.withDefaults().addListener(listener);
        long n = 0;
        try (JournalTailer tailer = JournalTailer.open(input, null))
        {
            while (n < limit && tailer.readOne(engine))
            {
                n++;
            }
        }
        return engine.emitted();
    }

    @Test
    void appendsTheBytesTheInlineWriterAppendsInTheSameOrderThroughARingThatFillsAndWraps()
    {
        final Path input = root.resolve("input");
        final long total = writeInput(input, 20_000);
        try (FeatureJournalWriter inline = new FeatureJournalWriter(root.resolve("inline")))
        {
            feed(input, inline, Long.MAX_VALUE);
        }
        final long emitted;
        final long written;
        // 8 KiB: room for about 25 records, so the engine waits for the appender again and again, and the ring wraps
        try (HandoffFeatureWriter handoff = new HandoffFeatureWriter(root.resolve("handoff"), 8 << 10, null))
        {
            emitted = feed(input, handoff, Long.MAX_VALUE);
            handoff.finish();
            written = handoff.written();
        }

        final List<byte[]> expected = JournalRecords.readAll(root.resolve("inline"));
        final List<byte[]> actual = JournalRecords.readAll(root.resolve("handoff"));
        assertTrue(expected.size() > total / 2, "feature records: " + expected.size());
        assertEquals(emitted, written, "every feature set handed over is appended");
        assertEquals(expected.size(), actual.size(), "feature records");
        for (int i = 0; i < expected.size(); i++)
        {
            assertTrue(Arrays.equals(expected.get(i), actual.get(i)), "feature record " + i + " differs");
        }
    }

    @Test
    void aRefusedAppendEndsTheEngineSideWithOneLineNamingTheCause()
    {
        final Path input = root.resolve("input");
        writeInput(input, 5_000);
        final AtomicInteger appends = new AtomicInteger();
        final HandoffFeatureWriter handoff = new HandoffFeatureWriter(root.resolve("handoff"), 8 << 10, null,
            (writer, buffer, offset, length) -> appends.incrementAndGet() == 1_000 ? PartitionWriter.NO_SPACE :
                writer.append(buffer, offset, length));
        final HandoffFeatureWriter.AppendFailedException failed =
            assertThrows(HandoffFeatureWriter.AppendFailedException.class, () -> feed(input, handoff, Long.MAX_VALUE));
        assertTrue(failed.getMessage().contains("no space"), failed.getMessage());
        assertFalse(failed.getMessage().contains("\n"), "one line: " + failed.getMessage());
        // the engine stopped within one ring of the failure (the ring holds ~25 records), not at the end of the input
        assertTrue(handoff.handedOver() < 1_100, "handed over " + handoff.handedOver());
        assertThrows(HandoffFeatureWriter.AppendFailedException.class, handoff::close, "closing reports it again");
        assertEquals(999, JournalRecords.readAll(root.resolve("handoff")).size(), "the records before the refused one stay");
    }

    @Test
    void whenTheEngineSideStopsEarlyClosingAppendsEverythingHandedOver()
    {
        final Path input = root.resolve("input");
        writeInput(input, 5_000);
        final long handedOver;
        try (HandoffFeatureWriter handoff = new HandoffFeatureWriter(root.resolve("handoff"), 64 << 10, null))
        {
            feed(input, handoff, 2_345);
            handedOver = handoff.handedOver();
        }
        assertTrue(handedOver > 2_000, "handed over " + handedOver);
        assertEquals(handedOver, JournalRecords.readAll(root.resolve("handoff")).size());
    }

    @Test
    void aPartitionAnotherWriterHoldsFailsTheConstructorWithTheWritersOwnException()
    {
        final Path dir = root.resolve("held");
        try (PartitionWriter holder = new PartitionWriter(dir))
        {
            assertThrows(PartitionLock.PartitionLockedException.class, () -> new HandoffFeatureWriter(dir, 8 << 10, null));
            assertEquals(0, holder.appendedCount());
        }
    }

    @Test
    void refusesAPartitionThatAlreadyHasRecords()
    {
        final Path input = root.resolve("input");
        writeInput(input, 10);
        assertThrows(IllegalArgumentException.class, () -> new HandoffFeatureWriter(input, 8 << 10, null));
    }
}
