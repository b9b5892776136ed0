package io.tickjournal.journal;

import io.tickjournal.journal.gen.SyntheticMarket;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Appending allocates nothing per record. The free-space check runs once per 64 KiB appended, so an
 * allocation in it shows as a fraction of a byte per record in the benchmarks (48 bytes every 864
 * trades, from {@code FileStore.getUsableSpace()}): these tests catch it where a rate would hide it.
 */
class AppendAllocationTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    private static long allocated()
    {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void theFreeSpaceCheckAllocatesNothing()
    {
        final DiskSpace space = DiskSpace.of(dir);
        long sum = 0;
        for (int i = 0; i < 10_000; i++)
        {
            sum += space.usableBytes();
        }
        final long before = allocated();
        for (int i = 0; i < 10_000; i++)
        {
            sum += space.usableBytes();
        }
        final long bytes = allocated() - before;
        assertTrue(sum > 0, "the file system has room");
        assertEquals(0, bytes, "bytes allocated by 10,000 free-space checks");
    }

    @Test
    void aMillionAppendsAllocateOnlyWhatChronicleNeedsPerMappedChunk() throws Exception
    {
        final SyntheticMarket market = new SyntheticMarket(7, 1, 1, 9_500_000, 1_000_000L);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
        final long day = TradingDay.startNs(TradingDay.parse("2026-11-25"));
        final int length = market.encodeTrade(buffer, 0, day);
        try (PartitionWriter writer = new PartitionWriter(dir.resolve("binance-spot")))
        {
            long t = day + 1;
            for (int i = 0; i < 300_000; i++)
            {
                buffer.putLong(Records.RECEIVE_TIME_OFFSET, ++t, Records.ORDER);
                writer.append(buffer, 0, length);
            }
            final long before = allocated();
            for (int i = 0; i < 1_000_000; i++)
            {
                buffer.putLong(Records.RECEIVE_TIME_OFFSET, ++t, Records.ORDER);
                assertTrue(writer.append(buffer, 0, length) >= 0);
            }
            final long bytes = allocated() - before;
            // 80 MB of records: Chronicle maps a new 64 MiB chunk (672 bytes of objects) and grows its
            // index a few times. One allocation every 864 records (the space check before) is 55 KB.
            assertTrue(bytes < 16_384, "bytes allocated by a million appends: " + bytes);
        }
    }
}
