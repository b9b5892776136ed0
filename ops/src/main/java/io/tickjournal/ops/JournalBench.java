package io.tickjournal.ops;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.RecordHandler;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.gen.SyntheticMarket;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Append and tail throughput, append latency percentiles and allocation per record for realistic
 * records (a trade; a ten-level book delta), from one thread into a real partition on disk.
 */
@Command(name = "journal", mixinStandardHelpOptions = true,
    description = "Append and tail a partition: throughput, HdrHistogram percentiles, bytes allocated per record.")
public final class JournalBench implements Callable<Integer>
{
    private static final int POOL = 1024;

    @Option(names = "--trades", description = "trade records per pass (default: ${DEFAULT-VALUE})", defaultValue = "5000000")
    int trades;

    @Option(names = "--deltas", description = "10-level delta records per pass (default: ${DEFAULT-VALUE})", defaultValue = "1000000")
    int deltas;

    @Option(names = "--dir", description = "where to put the scratch journals (default: a temporary directory)")
    Path dir;

    private long sink;

    @Override
    public Integer call() throws Exception
    {
        final Path root = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("tickjournal-bench");
        try
        {
            System.out.printf("java %s, %d cpus, heap %d MiB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            run(root.resolve("trades"), "trade", false, trades);
            run(root.resolve("deltas"), "10-level delta", true, deltas);
        }
        finally
        {
            if (dir == null)
            {
                org.agrona.IoUtil.delete(root.toFile(), false);
            }
        }
        return 0;
    }

    private void run(final Path partition, final String kind, final boolean delta, final int count)
    {
        final SyntheticMarket market = new SyntheticMarket(7, 1, 1, 9_500_000, 1_000_000L);
        final UnsafeBuffer pool = new UnsafeBuffer(ByteBuffer.allocateDirect(POOL * 512));
        final int[] lengths = new int[POOL];
        final long dayStart = TradingDay.startNs(TradingDay.parse("2026-11-25"));
        for (int i = 0; i < POOL; i++)
        {
            lengths[i] = delta ? market.encodeDelta(pool, i * 512, dayStart, 10) : market.encodeTrade(pool, i * 512, dayStart);
        }

        final Histogram histogram = new Histogram(10_000_000_000L, 3);
        try (PartitionWriter writer = new PartitionWriter(partition))
        {
            long t = dayStart + 1;
            // warm-up and throughput pass: no timer per record
            final int warmup = Math.min(count, 500_000);
            for (int i = 0; i < warmup; i++)
            {
                t = appendOne(writer, pool, lengths, i, t);
            }
            final long start = System.nanoTime();
            for (int i = 0; i < count; i++)
            {
                t = appendOne(writer, pool, lengths, i, t);
            }
            final long elapsed = System.nanoTime() - start;

            // latency pass, with allocation measured over the same records
            final long allocBefore = BenchSupport.allocatedBytes();
            for (int i = 0; i < count; i++)
            {
                final int slot = i & (POOL - 1);
                final int offset = slot * 512;
                pool.putLong(offset + Records.RECEIVE_TIME_OFFSET, ++t, Records.ORDER);
                final long s = System.nanoTime();
                writer.append(pool, offset, lengths[slot]);
                histogram.recordValue(System.nanoTime() - s);
            }
            final long allocated = BenchSupport.allocatedBytes() - allocBefore;

            System.out.printf("%n%s (%d bytes): %,d appends%n", kind, lengths[0], count);
            System.out.printf("  append throughput  %,12.0f records/s  (%,.0f MB/s)%n",
                count * 1e9 / elapsed, count * (double)lengths[0] * 1e3 / elapsed);
            System.out.printf("  append latency     %s%n", BenchSupport.percentiles(histogram));
            System.out.printf("  append allocation  %.3f bytes/record (%,d bytes over %,d records)%n",
                allocated / (double)count, allocated, count);
        }

        try (JournalTailer tailer = JournalTailer.open(partition, null))
        {
            final RecordHandler handler = this::onRecord;
            tailer.poll(handler, 200_000); // warm-up
            final long allocBefore = BenchSupport.allocatedBytes();
            final long start = System.nanoTime();
            long read = 0;
            int n;
            while ((n = tailer.poll(handler, 10_000)) > 0)
            {
                read += n;
            }
            final long elapsed = System.nanoTime() - start;
            final long allocated = BenchSupport.allocatedBytes() - allocBefore;
            System.out.printf("  tail throughput    %,12.0f records/s  (%,d records)%n", read * 1e9 / elapsed, read);
            System.out.printf("  tail allocation    %.3f bytes/record%n", allocated / (double)read);
        }
        org.agrona.IoUtil.delete(partition.toFile(), false);
        if (sink == 42)
        {
            System.out.println();
        }
    }

    private static long appendOne(
        final PartitionWriter writer, final UnsafeBuffer pool, final int[] lengths, final int i, final long t)
    {
        final int slot = i & (POOL - 1);
        final int offset = slot * 512;
        pool.putLong(offset + Records.RECEIVE_TIME_OFFSET, t + 1, Records.ORDER);
        writer.append(pool, offset, lengths[slot]);
        return t + 1;
    }

    private void onRecord(final int day, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        sink += Records.receiveTimeNs(buffer, offset) + length;
    }
}
