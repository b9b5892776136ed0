package io.tickjournal.journal;

import io.tickjournal.journal.gen.SyntheticMarket;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A journal on a 20 MiB tmpfs the test mounts: the writer stops appending before the disk is full
 * (with a pretoucher 16 MiB ahead, which used to fill it and kill the JVM with SIGBUS), and resumes
 * without a torn record when space returns.
 */
class DiskFullTest
{
    private static final int DAY = TradingDay.parse("2026-11-25");

    @TempDir
    Path root;

    @Test
    void aWriterPausesBeforeTheDiskIsFullAndResumesWhenSpaceReturns() throws Exception
    {
        final Tmpfs tmpfs = Tmpfs.mount(root.resolve("mnt"), 20);
        assumeTrue(tmpfs != null, "this machine does not let the test mount a tmpfs: " + Tmpfs.whyNot);
        try (tmpfs)
        {
            final Path dir = tmpfs.dir().resolve("binance-spot");
            final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
            final SyntheticMarket market = new SyntheticMarket(5, 1, 1, 6_500_000, 1_000_000L);
            long t = TradingDay.startNs(DAY) + 1;
            long written = 0;
            long refused = 0;
            final Path filler;
            try (Pretoucher pretoucher = new Pretoucher(16 << 20); PartitionWriter writer = new PartitionWriter(dir))
            {
                pretoucher.register(writer);
                final long reserve = writer.diskSpace().reserveBytes();
                assertEquals(2 << 20, reserve, "a tenth of 20 MiB");
                filler = tmpfs.fill("filler", 8 << 20);
                long minUsable = Long.MAX_VALUE;
                for (int i = 0; i < 400_000 && refused < 1000; i++)
                {
                    t += 1000;
                    final int length = (i & 3) == 0 ? market.encodeDelta(buffer, 0, t, 10) : market.encodeTrade(buffer, 0, t);
                    final long index = writer.append(buffer, 0, length);
                    if (index >= 0)
                    {
                        assertTrue(refused == 0, "nothing is appended while paused (before space returns)");
                        written++;
                    }
                    else
                    {
                        assertEquals(PartitionWriter.NO_SPACE, index);
                        refused++;
                    }
                    minUsable = Math.min(minUsable, writer.diskSpace().usableBytes());
                }
                assertTrue(refused >= 1000, "the disk filled and the writer paused after " + written + " records");
                assertTrue(writer.spacePaused());
                assertTrue(minUsable >= reserve / 2, "free space never went below half the reserve: " + minUsable);
                pretoucher.unregister(writer);

                Files.delete(filler);
                t += PartitionWriter.PAUSED_CHECK_INTERVAL_NS;
                long resumed = 0;
                for (int i = 0; i < 10_000; i++)
                {
                    t += 1000;
                    final long index = writer.append(buffer, 0, market.encodeTrade(buffer, 0, t));
                    assertTrue(index >= 0, "space returned: appends resume at once");
                    resumed++;
                }
                written += resumed;
                assertTrue(!writer.spacePaused());
            }
            final JournalVerifier.Report report = JournalVerifier.verify(dir);
            assertTrue(report.ok(), report.problems().toString());
            final List<byte[]> records = JournalRecords.readAll(dir);
            assertEquals(written, records.size(), "every accepted record, no refused one, no torn one");
            long lastTime = Long.MIN_VALUE;
            for (final byte[] record : records)
            {
                final long time = new org.agrona.concurrent.UnsafeBuffer(record).getLong(Records.RECEIVE_TIME_OFFSET, Records.ORDER);
                assertTrue(time > lastTime);
                lastTime = time;
            }
        }
    }
}
