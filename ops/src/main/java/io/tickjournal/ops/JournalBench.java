package io.tickjournal.ops;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.RecordHandler;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.gen.SyntheticMarket;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
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
 * records (a trade; a ten-level book delta), from one thread into a real partition on disk, beside
 * the reference measured in the same run: Chronicle Queue's own raw append ({@code writingDocument},
 * one native copy) and raw read ({@code readingDocument}) of the same bytes, with no validation, no
 * SBE, no sequence or space checks. Our figures are reported as a ratio of it. The appends take
 * turns in short rounds and each side keeps its best, so a load change on a shared machine hits both.
 */
@Command(name = "journal", mixinStandardHelpOptions = true,
    description = "Append and tail a partition: throughput, HdrHistogram percentiles, bytes allocated per record.")
public final class JournalBench implements Callable<Integer>
{
    private static final int POOL = 1024;
    private static final int ROUNDS = 4;

    @Option(names = "--trades", description = "trade records per pass (default: ${DEFAULT-VALUE})", defaultValue = "2000000")
    int trades;

    @Option(names = "--deltas", description = "10-level delta records per pass (default: ${DEFAULT-VALUE})", defaultValue = "500000")
    int deltas;

    @Option(names = "--dir", description = "where to put the scratch journals (default: a temporary directory)")
    Path dir;

    /** What this run measured beside its references; {@code bench all} collects it. */
    final BenchReport report = new BenchReport();

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
        double appendRate;
        double appendAllocation;
        double tailRate;
        double tailAllocation;
        double rawAppendRate;
        final Path rawDir = partition.resolveSibling(partition.getFileName() + "-raw");
        final long[] rawNowMs = {dayStart / 1_000_000L};
        try (PartitionWriter writer = new PartitionWriter(partition);
            SingleChronicleQueue rawQueue = SingleChronicleQueueBuilder.binary(rawDir).rollCycle(Partition.ROLL_CYCLE)
                .timeProvider(() -> rawNowMs[0]).build();
            ExcerptAppender rawAppender = rawQueue.createAppender())
        {
            long t = dayStart + 1;
            // warm-up and throughput pass: no timer per record
            final int warmup = Math.min(count, 500_000);
            for (int i = 0; i < warmup; i++)
            {
                t = appendOne(writer, pool, lengths, i, t);
                rawAppend(rawAppender, pool, lengths, i);
            }
            // Ours and the reference take turns, ROUNDS rounds each: on a shared machine the load moves
            // within seconds, so alternating short rounds and keeping each side's best compares like with like.
            final int perRound = Math.max(1, count / ROUNDS);
            long elapsed = Long.MAX_VALUE;
            long rawElapsed = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++)
            {
                final long start = System.nanoTime();
                for (int i = 0; i < perRound; i++)
                {
                    t = appendOne(writer, pool, lengths, i, t);
                }
                elapsed = Math.min(elapsed, System.nanoTime() - start);
                final long rawStart = System.nanoTime();
                for (int i = 0; i < perRound; i++)
                {
                    rawAppend(rawAppender, pool, lengths, i);
                }
                rawElapsed = Math.min(rawElapsed, System.nanoTime() - rawStart);
            }
            rawAppendRate = perRound * 1e9 / rawElapsed;

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
            appendRate = perRound * 1e9 / elapsed;
            System.out.printf("  append throughput  %,12.0f records/s  (%,.0f MB/s; best of %d rounds of %,d)%n",
                appendRate, perRound * (double)lengths[0] * 1e3 / elapsed, ROUNDS, perRound);
            System.out.printf("  append latency     %s%n", BenchSupport.percentiles(histogram));
            appendAllocation = allocated / (double)count;
            System.out.printf("  append allocation  %.3f bytes/record (%,d bytes over %,d records)%n",
                appendAllocation, allocated, count);
        }

        // Reads take turns too: ROUNDS rounds of the same number of records from ours and from the
        // reference queue, each side's best round kept.
        final double rawReadRate;
        try (JournalTailer tailer = JournalTailer.open(partition, null);
            SingleChronicleQueue rawQueue = SingleChronicleQueueBuilder.binary(rawDir).rollCycle(Partition.ROLL_CYCLE).build();
            ExcerptTailer rawTailer = rawQueue.createTailer())
        {
            final RecordHandler handler = this::onRecord;
            tailer.poll(handler, 200_000); // warm-up
            for (int i = 0; i < 200_000; i++)
            {
                rawRead(rawTailer);
            }
            final int perRound = Math.max(1, count / ROUNDS);
            long elapsed = Long.MAX_VALUE;
            long rawElapsed = Long.MAX_VALUE;
            long read = 0;
            long allocated = 0;
            for (int round = 0; round < ROUNDS; round++)
            {
                final long allocBefore = BenchSupport.allocatedBytes();
                final long start = System.nanoTime();
                int got = 0;
                int n;
                while (got < perRound && (n = tailer.poll(handler, Math.min(10_000, perRound - got))) > 0)
                {
                    got += n;
                }
                final long took = System.nanoTime() - start;
                allocated += BenchSupport.allocatedBytes() - allocBefore;
                read += got;
                if (got == perRound)
                {
                    elapsed = Math.min(elapsed, took);
                }
                final long rawStart = System.nanoTime();
                int rawGot = 0;
                while (rawGot < perRound && rawRead(rawTailer))
                {
                    rawGot++;
                }
                if (rawGot == perRound)
                {
                    rawElapsed = Math.min(rawElapsed, System.nanoTime() - rawStart);
                }
            }
            tailRate = perRound * 1e9 / elapsed;
            rawReadRate = perRound * 1e9 / rawElapsed;
            tailAllocation = allocated / (double)read;
            System.out.printf("  tail throughput    %,12.0f records/s  (best of %d rounds of %,d, taking turns with the reference)%n",
                tailRate, ROUNDS, perRound);
            System.out.printf("  tail allocation    %.3f bytes/record%n", tailAllocation);
        }
        org.agrona.IoUtil.delete(partition.toFile(), false);

        System.out.printf("  raw Chronicle      %,12.0f appends/s, %,.0f reads/s (best of %d rounds each, taking turns with ours; " +
            "same bytes, writingDocument/readingDocument)%n", rawAppendRate, rawReadRate, ROUNDS);
        final double[] raw = {rawAppendRate, rawReadRate};
        final String label = kind + " " + lengths[0] + " B";
        report.add(BenchRow.throughput("journal append, " + label, appendRate, "raw Chronicle append, same bytes", raw[0],
            appendAllocation, 0.8));
        report.add(BenchRow.throughput("journal tail, " + label, tailRate, "raw Chronicle read, same bytes", raw[1],
            tailAllocation, Double.NaN));
        org.agrona.IoUtil.delete(rawDir.toFile(), false);
        if (sink == 42)
        {
            System.out.println();
        }
    }

    private static void rawAppend(final ExcerptAppender appender, final UnsafeBuffer pool, final int[] lengths, final int i)
    {
        final int slot = i & (POOL - 1);
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().unsafeWrite(pool.addressOffset() + slot * 512L, lengths[slot]);
        }
    }

    private boolean rawRead(final ExcerptTailer tailer)
    {
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            sink += bytes.readLong(bytes.readPosition() + Records.RECEIVE_TIME_OFFSET) + bytes.readRemaining();
            return true;
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
