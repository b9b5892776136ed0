import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.RecordHandler;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.gen.SyntheticMarket;
import io.tickjournal.journal.wire.MoldUdp64;
import io.tickjournal.journal.wire.MoldUdp64PacketBuilder;
import io.tickjournal.tailer.FeatureEngine;
import io.tickjournal.tailer.Sequencer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One build's side of the tailer A/B ({@code ab-tailer.sh}): compiled once against the old
 * build's jars and once against the new one's, each copy loaded in its own class loader by
 * {@code TailerAb}, which calls these static methods by reflection with JDK types only. The
 * sequencer is made by reflection because its constructor changed between the builds; the
 * per-record path (onPacket, the engine) is called directly.
 */
public final class TailerAbDriver
{
    private TailerAbDriver()
    {
    }

    /** The bench's day: a definition, a 20-level snapshot, then records 3 trades : 1 ten-level delta, spacingNs apart. */
    public static long writeDay(final String dir, final int day, final int records, final long spacingNs)
    {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final SyntheticMarket market = new SyntheticMarket(7, 1, 1, 6_500_000, 1_000_000L);
        try (PartitionWriter writer = new PartitionWriter(Path.of(dir)))
        {
            long t = TradingDay.startNs(day) + 1;
            writer.append(buffer, 0, market.encodeDefinition(buffer, 0, t, "BTCUSDT", "BTC-USDT"));
            writer.append(buffer, 0, market.encodeSnapshot(buffer, 0, t, 20));
            for (int i = 0; i < records; i++)
            {
                t += spacingNs;
                writer.append(buffer, 0, (i & 3) == 0 ? market.encodeDelta(buffer, 0, t, 10) : market.encodeTrade(buffer, 0, t));
            }
            return writer.appendedCount();
        }
    }

    /** The day packed into MoldUDP64 packets as the bridge packs them (as many records as fit in 1,472 bytes). */
    public static List<byte[]> packets(final String dir, final int day)
    {
        final List<byte[]> packets = new ArrayList<>();
        final byte[] session = MoldUdp64.session("TB", day);
        final MoldUdp64PacketBuilder builder = new MoldUdp64PacketBuilder(MoldUdp64.DEFAULT_MAX_PAYLOAD);
        builder.begin(session, 1);
        try (JournalTailer tailer = JournalTailer.open(Path.of(dir), null))
        {
            while (tailer.readOne((d, seq, b, o, l) ->
            {
                if (!builder.add(b, o, l))
                {
                    packets.add(bytes(builder.finish()));
                    builder.begin(session, seq);
                    builder.add(b, o, l);
                }
            }))
            {
                // pack
            }
        }
        packets.add(bytes(builder.finish()));
        return packets;
    }

    private static byte[] bytes(final java.nio.ByteBuffer packet)
    {
        final byte[] copy = new byte[packet.remaining()];
        packet.get(copy);
        return copy;
    }

    /**
     * Sequencer + books + features over every packet; the first packet (creating the instrument) before the clock starts.
     *
     * @return {records delivered, feature sets emitted}; the caller times the call.
     */
    public static long[] sequencerPass(final List<byte[]> packets, final int day) throws Exception
    {
        final FeatureEngine engine = FeatureEngine.withDefaults();
        final Sequencer sequencer = sequencer(engine, day);
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        view.wrap(packets.get(0));
        sequencer.onPacket(view, 0, MoldUdp64.count(view, 0), false, 0);
        Runner.mark();
        for (int k = 1; k < packets.size(); k++)
        {
            view.wrap(packets.get(k));
            sequencer.onPacket(view, 0, MoldUdp64.count(view, 0), false, 0);
        }
        return new long[]{sequencer.counters().delivered, engine.emitted()};
    }

    /** Journal read + features (no sequencer). @return {records, feature sets emitted}. */
    public static long[] enginePass(final String dir)
    {
        final FeatureEngine engine = FeatureEngine.withDefaults();
        long n = 0;
        try (JournalTailer tailer = JournalTailer.open(Path.of(dir), null))
        {
            Runner.mark();
            final RecordHandler handler = engine;
            while (tailer.readOne(handler))
            {
                n++;
            }
        }
        return new long[]{n, engine.emitted()};
    }

    /** The raw journal read (the ceiling): each record's receive time summed. @return {records, checksum}. */
    public static long[] rawPass(final String dir)
    {
        final long[] sum = {0, 0};
        try (JournalTailer tailer = JournalTailer.open(Path.of(dir), null))
        {
            Runner.mark();
            final RecordHandler touch = (d, s, b, o, l) ->
            {
                sum[0]++;
                sum[1] += Records.receiveTimeNs(b, o);
            };
            while (tailer.readOne(touch))
            {
                // all
            }
        }
        return sum;
    }

    private static Sequencer sequencer(final FeatureEngine engine, final int day) throws Exception
    {
        for (final Constructor<?> c : Sequencer.class.getConstructors())
        {
            if (c.getParameterCount() == 9) // before issue 11
            {
                return (Sequencer)c.newInstance("TB", "bench", engine, null, null, null, Sequencer.Settings.defaults(), -1, 1L);
            }
            if (c.getParameterCount() == 10) // since: an error handler, and the tailer's own day
            {
                final org.agrona.ErrorHandler errors = Throwable::printStackTrace;
                final Sequencer s = (Sequencer)c.newInstance("TB", "bench", engine, null, null, null, Sequencer.Settings.defaults(),
                    -1, 1L, errors);
                Sequencer.class.getMethod("clockDay", int.class).invoke(s, day);
                return s;
            }
        }
        throw new IllegalStateException("no known Sequencer constructor");
    }

    /** Where the runner's clock starts: set after setup (opening a queue, creating the instrument), read by the runner. */
    public static final class Runner
    {
        public static volatile long markCpuNs;
        public static volatile long markWallNs;
        public static volatile long markAllocBytes;

        static void mark()
        {
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
            markAllocBytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            markCpuNs = threads.getCurrentThreadCpuTime();
            markWallNs = System.nanoTime();
        }
    }
}
