package io.tickjournal.journal;

import io.tickjournal.journal.gen.SyntheticMarket;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Touching pages ahead of a writer, concurrently with it, never changes a byte it writes. */
class PretoucherTest
{
    @TempDir
    Path root;

    private static List<byte[]> write(final Path dir, final Pretoucher pretoucher)
    {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final SyntheticMarket market = new SyntheticMarket(5, 1, 1, 6_500_000, 1_000_000L);
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            if (pretoucher != null)
            {
                pretoucher.register(writer);
            }
            long t = TradingDay.startNs(TradingDay.parse("2026-11-25")) + 1;
            for (int i = 0; i < 300_000; i++)
            {
                t += 1000;
                writer.append(buffer, 0, (i & 3) == 0 ? market.encodeDelta(buffer, 0, t, 10) : market.encodeTrade(buffer, 0, t));
            }
            if (pretoucher != null)
            {
                pretoucher.unregister(writer);
            }
        }
        return JournalRecords.readAll(dir);
    }

    @Test
    void recordsWrittenWhilePagesAreTouchedAheadAreIdentical()
    {
        final List<byte[]> plain = write(root.resolve("plain"), null);
        final List<byte[]> touched;
        final long pages;
        try (Pretoucher pretoucher = new Pretoucher(8 << 20))
        {
            touched = write(root.resolve("touched"), pretoucher);
            pages = pretoucher.pagesTouched();
        }
        assertTrue(pages > 100, "the pretoucher touched " + pages + " pages");
        assertEquals(plain.size(), touched.size());
        for (int i = 0; i < plain.size(); i++)
        {
            assertTrue(java.util.Arrays.equals(plain.get(i), touched.get(i)), "record " + i);
        }
        assertTrue(JournalVerifier.verify(root.resolve("touched")).ok());
    }

    @Test
    void anIdleStepAllocatesNothing() throws Exception
    {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final SyntheticMarket market = new SyntheticMarket(5, 1, 1, 6_500_000, 1_000_000L);
        try (Pretoucher pretoucher = new Pretoucher(1 << 20);
            PartitionWriter writer = new PartitionWriter(root.resolve("idle")))
        {
            pretoucher.register(writer);
            long t = TradingDay.startNs(TradingDay.parse("2026-11-25")) + 1;
            for (int i = 0; i < 50_000; i++)
            {
                t += 1000;
                writer.append(buffer, 0, market.encodeTrade(buffer, 0, t));
            }
            final Thread thread = Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().equals("tickjournal-pretoucher")).findFirst().orElseThrow();
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
            Thread.sleep(300); // the pages ahead are touched: from here every step finds nothing to do
            final long before = threads.getThreadAllocatedBytes(thread.getId());
            Thread.sleep(1_000); // a step every 200 us while idle: a few thousand steps
            final long allocated = threads.getThreadAllocatedBytes(thread.getId()) - before;
            assertTrue(allocated < 16 << 10, "the pretoucher's idle steps allocated " + allocated + " bytes in a second");
            pretoucher.unregister(writer);
        }
    }
}
