package io.tickjournal.ops;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.RecordHandler;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.gen.SyntheticMarket;
import io.tickjournal.journal.wire.MoldUdp64;
import io.tickjournal.journal.wire.MoldUdp64PacketBuilder;
import io.tickjournal.tailer.FeatureEngine;
import io.tickjournal.tailer.ReplicaReader;
import io.tickjournal.tailer.Sequencer;
import org.HdrHistogram.Histogram;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The pricing tailer's own costs, without sockets: MoldUDP64 packets (built from a journal)
 * through the sequencer, the books and the features; the feature engine alone; and the time to
 * repair a 1,000-record gap from the local replica.
 */
@Command(name = "tailer", mixinStandardHelpOptions = true,
    description = "Sequencer + books + features records/s, feature engine records/s, time to repair a 1,000-record gap from the replica.")
public final class TailerBench implements Callable<Integer>
{
    @Option(names = "--records", description = "records in the journal (default: ${DEFAULT-VALUE})", defaultValue = "1000000")
    int records;

    @Option(names = "--gaps", description = "1,000-record gaps to repair (default: ${DEFAULT-VALUE})", defaultValue = "200")
    int gaps;

    @Option(names = "--write-journal", description = "only write the bench's day (--records, 5,000 records a second) as " +
        "partition 'bench' of this journal directory and keep it, for replay and backfill to read; measures nothing")
    Path writeJournal;

    private static void keep(final MoldUdp64PacketBuilder builder, final PacketStore packets)
    {
        final long firstSequence = builder.firstSequence();
        final int count = builder.count();
        packets.add(builder.finish(), firstSequence, count);
    }

    /** The day the bench's records are stamped with. */
    static final String BENCH_DAY = "2026-11-25";

    /**
     * The bench's day: one instrument's definition and a 20-level snapshot, then {@code records}
     * records (3 trades : 1 ten-level delta) 200 us apart.
     */
    static void writeDay(final Path partition, final int day, final int records)
    {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final SyntheticMarket market = new SyntheticMarket(7, 1, 1, 6_500_000, 1_000_000L);
        try (PartitionWriter writer = new PartitionWriter(partition))
        {
            long t = TradingDay.startNs(day) + 1;
            writer.append(buffer, 0, market.encodeDefinition(buffer, 0, t, "BTCUSDT", "BTC-USDT"));
            writer.append(buffer, 0, market.encodeSnapshot(buffer, 0, t, 20));
            for (int i = 0; i < records; i++)
            {
                // 5,000 records a second: a million span 200 s, so the 60 s window's ring reaches its steady
                // size within the first third and the second half measures steady state (at 20,000 a second
                // the whole run fit in the window and the ring grew throughout: 67 B a record of growth).
                t += 200_000L;
                writer.append(buffer, 0, (i & 3) == 0 ? market.encodeDelta(buffer, 0, t, 10) : market.encodeTrade(buffer, 0, t));
            }
        }
    }

    @Override
    public Integer call() throws Exception
    {
        final int day = TradingDay.parse(BENCH_DAY);
        if (writeJournal != null)
        {
            final Path partition = writeJournal.resolve("bench");
            if (Files.exists(partition))
            {
                throw new IllegalArgumentException("--write-journal: " + partition + " exists; give a new directory");
            }
            final long startNs = System.nanoTime();
            writeDay(partition, day, records);
            System.out.printf("wrote %,d records (day %s, partition %s) in %.1f s%n", records + 2L, BENCH_DAY, partition,
                (System.nanoTime() - startNs) / 1e9);
            return 0;
        }
        final Path root = Files.createTempDirectory("tickjournal-tailer-bench");
        final PacketStore packets = new PacketStore(root);
        try
        {
            final Path partition = root.resolve("bench");
            writeDay(partition, day, records);
            // Pack the day into MoldUDP64 packets the way the bridge does (as many records as fit in 1472 bytes).
            final byte[] session = MoldUdp64.session("TB", day);
            final MoldUdp64PacketBuilder builder = new MoldUdp64PacketBuilder(MoldUdp64.DEFAULT_MAX_PAYLOAD);
            builder.begin(session, 1);
            try (JournalTailer tailer = JournalTailer.open(partition, null))
            {
                while (tailer.readOne((d, seq, b, o, l) ->
                {
                    if (!builder.add(b, o, l))
                    {
                        keep(builder, packets);
                        builder.begin(session, seq);
                        builder.add(b, o, l);
                    }
                }))
                {
                    // pack
                }
            }
            keep(builder, packets);
            final long total = records + 2;
            System.out.printf("java %s; %,d records (3 trades : 1 ten-level delta) in %,d packets%n",
                System.getProperty("java.version"), total, packets.size());

            // 1. sequencer + books + features, the engine alone, and the raw journal read (the ceiling), in the same passes
            //    (the first warms up). Allocation is counted over the whole pass and over its second half: the first
            //    60 s of record time grow each instrument's event ring to what the longest window holds (setup, once).
            for (int pass = 0; pass < 3; pass++)
            {
                final long rawCpuStart = BenchSupport.threadCpuNs();
                final long rawStart = System.nanoTime();
                final long[] checksum = {0};
                try (JournalTailer tailer = JournalTailer.open(partition, null))
                {
                    final RecordHandler touch = (d, s, b, o, l) -> checksum[0] += Records.receiveTimeNs(b, o);
                    while (tailer.readOne(touch))
                    {
                        // all
                    }
                }
                final long rawElapsed = System.nanoTime() - rawStart;
                final long rawCpu = Math.max(1, BenchSupport.threadCpuNs() - rawCpuStart);

                final FeatureEngine engine = FeatureEngine.withDefaults();
                final Sequencer sequencer = new Sequencer("TB", "bench", engine, null, null, null, Sequencer.Settings.defaults(), -1, 1,
                    Throwable::printStackTrace);
                sequencer.clockDay(day);
                final UnsafeBuffer view = new UnsafeBuffer(0, 0);
                // The first packet creates the instrument's state: setup, not steady state.
                packets.wrap(0, view);
                sequencer.onPacket(view, 0, MoldUdp64.count(view, 0), false, 0);
                final int half = packets.size() / 2;
                final long alloc = BenchSupport.allocatedBytes();
                long halfAlloc = 0;
                long halfDelivered = 0;
                final long cpuStart = BenchSupport.threadCpuNs();
                final long start = System.nanoTime();
                for (int k = 1; k < packets.size(); k++)
                {
                    if (k == half)
                    {
                        halfAlloc = BenchSupport.allocatedBytes();
                        halfDelivered = sequencer.counters().delivered;
                    }
                    packets.wrap(k, view);
                    sequencer.onPacket(view, 0, MoldUdp64.count(view, 0), false, 0);
                }
                final long elapsed = System.nanoTime() - start;
                final long cpu = Math.max(1, BenchSupport.threadCpuNs() - cpuStart);
                final long end = BenchSupport.allocatedBytes();
                if (sequencer.counters().delivered != total)
                {
                    throw new IllegalStateException("delivered " + sequencer.counters().delivered);
                }
                final FeatureEngine alone = FeatureEngine.withDefaults();
                final long aloneCpuStart = BenchSupport.threadCpuNs();
                final long aloneStart = System.nanoTime();
                try (JournalTailer tailer = JournalTailer.open(partition, null))
                {
                    final RecordHandler handler = alone;
                    while (tailer.readOne(handler))
                    {
                        // all
                    }
                }
                final long aloneElapsed = System.nanoTime() - aloneStart;
                final long aloneCpu = Math.max(1, BenchSupport.threadCpuNs() - aloneCpuStart);
                System.out.printf("pass %d: sequencer + books + features %,.0f records/s (%.0f ns/record; B allocated/record %.3f, " +
                    "second half %.3f; %,d feature sets); journal read + features %,.0f records/s; raw journal read %,.0f records/s " +
                    "(the ceiling, %x)%n", pass + 1, total * 1e9 / elapsed, (double)elapsed / total, (double)(end - alloc) / total,
                    (double)(end - halfAlloc) / (total - halfDelivered), engine.emitted(), total * 1e9 / aloneElapsed,
                    total * 1e9 / rawElapsed, checksum[0] & 0xF);
                System.out.printf("pass %d by thread CPU time: sequencer + books + features %,.0f records/s; journal read + features " +
                    "%,.0f records/s; raw journal read %,.0f records/s%n", pass + 1, total * 1e9 / cpu, total * 1e9 / aloneCpu,
                    total * 1e9 / rawCpu);
            }

            // 2. repair 1,000-record gaps from the replica (the journal itself stands in for the replica).
            final Histogram repair = new Histogram(10_000_000_000L, 3);
            try (ReplicaReader replica = new ReplicaReader(partition))
            {
                final Sequencer.Settings settings = new Sequencer.Settings(0, 50_000_000L, 1024, 1_000_000, 3, 2_000_000_000L,
                    10_000_000_000L, 1 << 16);
                final long[] delivered = {0};
                final Sequencer sequencer = new Sequencer("TB", "bench", (d, s, b, o, l) -> delivered[0]++, replica, null, null,
                    settings, -1, 1, Throwable::printStackTrace);
                sequencer.clockDay(day);
                final UnsafeBuffer view = new UnsafeBuffer(0, 0);
                final int stride = packets.size() / (gaps + 1);
                int done = 0;
                for (int i = 0; i < packets.size(); i++)
                {
                    packets.wrap(i, view);
                    final boolean skipHere = i % stride == stride / 2 && done < gaps;
                    if (skipHere)
                    {
                        // drop packets until 1,000 records are missing, then deliver the next one: a 1,000-record gap
                        long missing = 0;
                        while (missing < 1000 && i < packets.size() - 1)
                        {
                            missing += packets.count(i);
                            i++;
                        }
                        packets.wrap(i, view);
                        sequencer.onPacket(view, 0, MoldUdp64.count(view, 0), false, System.nanoTime());
                        final long t0 = System.nanoTime();
                        while (true)
                        {
                            final long now = System.nanoTime();
                            sequencer.poll(now);
                            if (!sequencer.recovering() && sequencer.nextSequence() > packets.firstSequence(i))
                            {
                                break;
                            }
                        }
                        repair.recordValue(System.nanoTime() - t0);
                        done++;
                        continue;
                    }
                    sequencer.onPacket(view, 0, MoldUdp64.count(view, 0), false, System.nanoTime());
                }
                System.out.printf("repair of a ~1,000-record gap from the replica (%d gaps, no reorder wait): %s%n", repair.getTotalCount(),
                    BenchSupport.percentiles(repair));
                System.out.printf("delivered %,d of %,d, gaps %d, from replica %,d%n", delivered[0], total, sequencer.counters().gaps,
                    sequencer.counters().recoveredFromReplica);
            }
        }
        finally
        {
            packets.close();
            org.agrona.IoUtil.delete(root.toFile(), false);
        }
        return 0;
    }
}
