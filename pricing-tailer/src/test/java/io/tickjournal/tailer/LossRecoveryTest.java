package io.tickjournal.tailer;

import io.tickjournal.bridge.BridgeAgent;
import io.tickjournal.bridge.ChannelConfig;
import io.tickjournal.bridge.DatagramSink;
import io.tickjournal.bridge.ErrorReporter;
import io.tickjournal.bridge.LossySink;
import io.tickjournal.bridge.PacketSink;
import io.tickjournal.bridge.ReplicationSource;
import io.tickjournal.bridge.RetransmitServer;
import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.gen.SyntheticMarket;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real bridge sends a journal over loopback multicast (TTL 0) through a lossy path; the tailer
 * repairs every gap and its records, books and features equal those of a loss-free run bit for bit.
 */
class LossRecoveryTest
{
    private static final AtomicInteger PORTS = new AtomicInteger(46_100 + (int)(ProcessHandle.current().pid() % 500) * 4);
    private static final int DAY = TradingDay.parse("2026-11-24");
    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.US_ASCII);
    /** The tailer's wall clock: noon of the journal's day (sessions more than a day from it are refused). */
    private static final org.agrona.concurrent.EpochClock CLOCK_AT_DAY = () -> TradingDay.startNs(DAY) / 1_000_000L + 43_200_000L;

    @TempDir
    Path root;

    private final List<Agent> agents = new ArrayList<>();

    @AfterEach
    void close()
    {
        for (final Agent agent : agents)
        {
            agent.onClose();
        }
    }

    /** Writes a journal: definition, snapshot, then trades and 10-level deltas, optionally over a day roll. */
    static long writeJournal(final Path dir, final int records, final boolean dayRoll, final long seed)
    {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final SyntheticMarket market = new SyntheticMarket(seed, 1, 7, 6_500_000, 1_000_000L);
        long t = TradingDay.startNs(DAY) + (dayRoll ? TradingDay.NANOS_PER_DAY - records * 500_000L : 1_000_000_000L);
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            writer.append(buffer, 0, market.encodeDefinition(buffer, 0, t, "BTCUSDT", "BTC-USDT"));
            writer.append(buffer, 0, market.encodeSnapshot(buffer, 0, t, 20));
            for (int i = 0; i < records; i++)
            {
                t += 1_000_000L;
                final int length = (i % 3) == 0 ? market.encodeTrade(buffer, 0, t) : market.encodeDelta(buffer, 0, t, 10);
                writer.append(buffer, 0, length);
            }
            return writer.appendedCount();
        }
    }

    /** What a run saw: every record in order, and a digest of every feature value. */
    static final class Observer implements io.tickjournal.journal.RecordHandler
    {
        final FeatureEngine engine = FeatureEngine.withDefaults();
        final List<String> order = new ArrayList<>();
        long recordDigest = 1469598103934665603L;
        long featureDigest = 1469598103934665603L;
        long records;
        int lastDay = -1;
        long lastSeq;
        String violation;

        Observer()
        {
            engine.addListener((instrument, f, day, seq, time) ->
            {
                for (int i = 0; i < f.count(); i++)
                {
                    featureDigest = (featureDigest ^ f.id(i)) * 1099511628211L;
                    featureDigest = (featureDigest ^ f.mantissa(i)) * 1099511628211L;
                    featureDigest = (featureDigest ^ f.exponent(i)) * 1099511628211L;
                }
            });
        }

        @Override
        public void onRecord(final int day, final long sequence, final DirectBuffer buffer, final int offset, final int length)
        {
            if (violation == null && !((day == lastDay && sequence == lastSeq + 1) || (day > lastDay && sequence == 1)))
            {
                violation = "after " + lastDay + "/" + lastSeq + " came " + day + "/" + sequence;
            }
            lastDay = day;
            lastSeq = sequence;
            records++;
            for (int i = 0; i < length; i++)
            {
                recordDigest = (recordDigest ^ buffer.getByte(offset + i)) * 1099511628211L;
            }
            engine.onRecord(day, sequence, buffer, offset, length);
        }
    }

    static Observer reference(final Path dir)
    {
        final Observer observer = new Observer();
        try (JournalTailer tailer = JournalTailer.open(dir, null))
        {
            while (tailer.readOne(observer))
            {
                // all
            }
        }
        return observer;
    }

    /** Drops, duplicates and reorders packets with a seeded random, between the bridge and the wire. */
    static PacketSink.Factory lossy(final double loss, final long seed, final long[] dropped)
    {
        return config ->
        {
            final LossySink sink = new LossySink(new DatagramSink(config), loss, seed);
            return new PacketSink()
            {
                @Override
                public boolean send(final ByteBuffer packet) throws IOException
                {
                    final boolean sent = sink.send(packet);
                    dropped[0] = sink.dropped();
                    return sent;
                }

                @Override
                public void close()
                {
                    sink.close();
                }
            };
        };
    }

    private final class Rig
    {
        final int port = PORTS.getAndAdd(1);
        final String group = "239.255.77." + (1 + port % 200);
        final Path journal = root.resolve("binance-spot");
        BridgeAgent bridge;
        RetransmitServer retransmit;
        ReplicationSource replication;
        ReceiverAgent receiver;
        ReplicaSink replicaSink;

        BridgeAgent bridge(final PacketSink.Factory sinks)
        {
            final ChannelConfig base = ChannelConfig.loopback(journal, "BS", group, port);
            final ChannelConfig config = new ChannelConfig(base.partitionDir(), base.partitionCode(), base.destination(),
                base.interfaceName(), 0, base.maxPayload(), 5_000_000L, base.startDay());
            bridge = new BridgeAgent(List.of(config), root.resolve("bridge-state"), sinks, System::nanoTime,
                new ErrorReporter(s -> { }));
            bridge.onStart();
            agents.add(bridge);
            return bridge;
        }

        void services()
        {
            retransmit = new RetransmitServer(new InetSocketAddress("127.0.0.1", 0), Map.of("BS", journal), SECRET,
                1024, 100_000, 1472, System::nanoTime, new ErrorReporter(s -> { }));
            retransmit.onStart();
            agents.add(retransmit);
            replication = new ReplicationSource(new InetSocketAddress("127.0.0.1", 0), Map.of("binance-spot", journal),
                SECRET, 10_000_000L, 5_000_000_000L, 1 << 20, System::nanoTime, new ErrorReporter(s -> { }));
            replication.onStart();
            agents.add(replication);
        }

        final Path replicaDir = root.resolve("replica").resolve("binance-spot");

        void replica() throws IOException
        {
            replicaSink = new ReplicaSink(replication.localAddress(), SECRET,
                List.of(new ReplicaSink.Replica("binance-spot", replicaDir, DAY)), 50_000_000L, System::nanoTime, s -> { });
            replicaSink.onStart();
            agents.add(replicaSink);
        }

        ReceiverAgent receiver(final Observer observer, final boolean withReplica, final long startSeq) throws IOException
        {
            if (withReplica && replicaSink == null)
            {
                replica();
            }
            receiver = new ReceiverAgent(
                List.of(new ReceiverAgent.Subscription("binance-spot", "BS", new InetSocketAddress(group, port), "lo",
                    withReplica ? replicaDir : null, -1, startSeq)),
                retransmit.localAddress(), replication.localAddress(), SECRET, Sequencer.Settings.defaults(), observer,
                System::nanoTime, CLOCK_AT_DAY);
            receiver.onStart();
            agents.add(receiver);
            return receiver;
        }

        void runUntil(final Observer observer, final long records) throws Exception
        {
            final long deadline = System.nanoTime() + 60_000_000_000L;
            while (observer.records < records && System.nanoTime() < deadline)
            {
                if (bridge != null)
                {
                    bridge.doWork();
                }
                retransmit.doWork();
                replication.doWork();
                if (replicaSink != null)
                {
                    replicaSink.doWork();
                }
                receiver.doWork();
            }
        }
    }

    private SequencerCounters lossyRun(final double loss, final boolean withReplica, final boolean dayRoll) throws Exception
    {
        final Rig rig = new Rig();
        final long total = writeJournal(rig.journal, 20_000, dayRoll, 11);
        final Observer expected = reference(rig.journal);
        assertEquals(total, expected.records);
        final long[] dropped = {0};
        rig.bridge(lossy(loss, 99, dropped));
        rig.services();
        final Observer observer = new Observer();
        rig.receiver(observer, withReplica, 1);
        rig.runUntil(observer, total);

        final SequencerCounters counters = rig.receiver.sequencers().get(0).counters();
        assertEquals(null, observer.violation, counters.toString());
        assertEquals(total, observer.records, "every record exactly once: " + counters);
        assertEquals(expected.recordDigest, observer.recordDigest, "the same bytes in the same order");
        assertEquals(expected.featureDigest, observer.featureDigest, "books and features equal the loss-free run bit for bit");
        assertTrue(dropped[0] > 0, "the path really lost packets");
        assertTrue(counters.gaps > 0, counters.toString());
        assertEquals(0, counters.unrecovered);
        if (dayRoll)
        {
            assertTrue(observer.lastDay == DAY + 1, "crossed into the next day");
        }
        return counters;
    }

    @Test
    void onePercentLossWithReorderingAndDuplicatesIsRepairedByReRequest() throws Exception
    {
        final SequencerCounters counters = lossyRun(0.01, false, false);
        assertTrue(counters.recoveredByRerequest > 0, counters.toString());
    }

    @Test
    void fivePercentLossAcrossADayRollIsRepairedFromTheReplica() throws Exception
    {
        final SequencerCounters counters = lossyRun(0.05, true, true);
        assertTrue(counters.recoveredFromReplica > 0, counters.toString());
    }

    @Test
    void aLateJoinerCatchesUpFromTheReplicaThenJoinsLive() throws Exception
    {
        final Rig rig = new Rig();
        final long first = writeJournal(rig.journal, 10_000, false, 5);
        rig.bridge(DatagramSink::new);
        rig.services();
        // The bridge sends the first part before the tailer exists; the replica sink copies it.
        rig.replica();
        final long deadline = System.nanoTime() + 30_000_000_000L;
        int idle = 0;
        while ((rig.replicaSink.recordsWritten() < first || idle < 1000) && System.nanoTime() < deadline)
        {
            idle = rig.bridge.doWork() == 0 ? idle + 1 : 0;
            rig.replication.doWork();
            rig.replicaSink.doWork();
        }
        final Observer observer = new Observer();
        rig.receiver(observer, true, 1);
        rig.runUntil(observer, first);
        // Then the feed goes on: the same tailer takes it live from multicast with no gap.
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final SyntheticMarket more = new SyntheticMarket(6, 1, 7, 6_500_000, 1_000_000L);
        try (PartitionWriter writer = new PartitionWriter(rig.journal))
        {
            long t = TradingDay.startNs(DAY) + 100_000_000_000L;
            for (int i = 0; i < 2_000; i++)
            {
                t += 1_000_000L;
                writer.append(buffer, 0, (i & 1) == 0 ? more.encodeTrade(buffer, 0, t) : more.encodeDelta(buffer, 0, t, 10));
            }
        }
        final long total = first + 2_000;
        rig.runUntil(observer, total);
        final Observer expected = reference(rig.journal);
        final SequencerCounters counters = rig.receiver.sequencers().get(0).counters();
        assertEquals(total, observer.records, counters.toString());
        assertEquals(null, observer.violation);
        assertEquals(expected.featureDigest, observer.featureDigest);
        assertTrue(counters.recoveredFromReplica >= first - 10, "the day so far came from the replica: " + counters);
        assertTrue(counters.messages >= 1_900, "then live multicast: " + counters);
    }

    @Test
    void bridgeAndTailerRestartsLoseAndRepeatNothing() throws Exception
    {
        final Rig rig = new Rig();
        final long total = writeJournal(rig.journal, 15_000, false, 8);
        final Observer expected = reference(rig.journal);
        rig.bridge(DatagramSink::new);
        rig.services();
        final Observer observer = new Observer();
        rig.receiver(observer, false, 1);
        rig.runUntil(observer, 4_000);
        // Kill the bridge mid-stream and start a new one: it resumes after its last packet.
        rig.bridge.onClose();
        agents.remove(rig.bridge);
        rig.bridge(DatagramSink::new);
        rig.runUntil(observer, 8_000);
        // Kill the tailer: a new one starts from the beginning of the day and rebuilds the same state.
        rig.receiver.onClose();
        agents.remove(rig.receiver);
        final Observer second = new Observer();
        rig.receiver(second, false, 1);
        rig.runUntil(second, total);
        assertEquals(total, second.records, rig.receiver.sequencers().get(0).counters().toString());
        assertEquals(null, second.violation);
        assertEquals(expected.recordDigest, second.recordDigest);
        assertEquals(expected.featureDigest, second.featureDigest);
    }

    @Test
    void twoPartitionsOnOneMulticastPortAreToldApartBySession() throws Exception
    {
        final int port = PORTS.getAndAdd(1);
        final String group = "239.255.78." + (1 + port % 200);
        final Path spot = root.resolve("binance-spot");
        final Path usdm = root.resolve("binance-usdm");
        final long spotRecords = writeJournal(spot, 3_000, false, 21);
        final long usdmRecords = writeJournal(usdm, 2_000, false, 22);
        final BridgeAgent bridge = new BridgeAgent(List.of(
            ChannelConfig.loopback(spot, "BS", group, port), ChannelConfig.loopback(usdm, "BU", group, port)),
            root.resolve("state"), DatagramSink::new, System::nanoTime, new ErrorReporter(s -> { }));
        bridge.onStart();
        agents.add(bridge);
        final long[] total = {0};
        final ReceiverAgent receiver = new ReceiverAgent(List.of(
            new ReceiverAgent.Subscription("binance-spot", "BS", new InetSocketAddress(group, port), "lo", null, -1, 1),
            new ReceiverAgent.Subscription("binance-usdm", "BU", new InetSocketAddress(group, port), "lo", null, -1, 1)),
            null, null, new byte[0], Sequencer.Settings.defaults(), (day, seq, buffer, offset, length) -> total[0]++,
            System::nanoTime, CLOCK_AT_DAY);
        receiver.onStart();
        agents.add(receiver);
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline &&
            receiver.sequencers().stream().mapToLong(q -> q.counters().delivered).sum() < spotRecords + usdmRecords)
        {
            bridge.doWork();
            receiver.doWork();
        }
        assertEquals(spotRecords, receiver.sequencers().get(0).counters().delivered);
        assertEquals(usdmRecords, receiver.sequencers().get(1).counters().delivered);
        assertEquals(0, receiver.foreign);
        assertEquals(0, receiver.sequencers().get(0).counters().gaps + receiver.sequencers().get(1).counters().gaps);
        assertEquals(spotRecords + usdmRecords, total[0]);
    }

    @Test
    void garbageAndForeignPacketsAreCountedAndSurvived() throws Exception
    {
        final Rig rig = new Rig();
        final long total = writeJournal(rig.journal, 3_000, false, 3);
        final Observer expected = reference(rig.journal);
        rig.bridge(DatagramSink::new);
        rig.services();
        final Observer observer = new Observer();
        rig.receiver(observer, false, 1);
        try (DatagramChannel attacker = DatagramChannel.open(java.net.StandardProtocolFamily.INET))
        {
            attacker.setOption(java.net.StandardSocketOptions.IP_MULTICAST_IF, java.net.NetworkInterface.getByName("lo"));
            attacker.setOption(java.net.StandardSocketOptions.IP_MULTICAST_TTL, 0);
            final InetSocketAddress target = new InetSocketAddress(rig.group, rig.port);
            final SplittableRandom random = new SplittableRandom(1);
            for (int i = 0; i < 200; i++)
            {
                final byte[] junk = new byte[random.nextInt(1, 200)];
                random.nextBytes(junk);
                if (i % 4 == 0 && junk.length >= 20)
                {
                    // a well-framed packet of an unknown session
                    System.arraycopy("ZZ20261124".getBytes(StandardCharsets.US_ASCII), 0, junk, 0, 10);
                    ByteBuffer.wrap(junk).putShort(18, (short)0);
                    attacker.send(ByteBuffer.wrap(junk, 0, 20), target);
                }
                else if (i % 4 == 1 && junk.length >= 22)
                {
                    // our session, but a message length past the end of the packet
                    System.arraycopy("BS20261124".getBytes(StandardCharsets.US_ASCII), 0, junk, 0, 10);
                    ByteBuffer.wrap(junk).putShort(18, (short)1).putShort(20, (short)5000);
                    attacker.send(ByteBuffer.wrap(junk), target);
                }
                else
                {
                    attacker.send(ByteBuffer.wrap(junk), target);
                }
                rig.bridge.doWork();
                rig.receiver.doWork();
            }
        }
        rig.runUntil(observer, total);
        assertEquals(total, observer.records);
        assertEquals(expected.featureDigest, observer.featureDigest);
        assertTrue(rig.receiver.malformed > 50, "malformed " + rig.receiver.malformed);
        assertTrue(rig.receiver.foreign > 10, "foreign " + rig.receiver.foreign);
    }

    @Test
    void garbageWithTheRightSessionTakesNoSequenceSlotAndFeaturesEqualTheJournal() throws Exception
    {
        final Rig rig = new Rig();
        final long total = writeJournal(rig.journal, 3_000, false, 4);
        final Observer expected = reference(rig.journal);
        rig.services();
        final Observer observer = new Observer();
        rig.receiver(observer, false, 1);
        try (DatagramChannel attacker = DatagramChannel.open(java.net.StandardProtocolFamily.INET))
        {
            attacker.setOption(java.net.StandardSocketOptions.IP_MULTICAST_IF, java.net.NetworkInterface.getByName("lo"));
            attacker.setOption(java.net.StandardSocketOptions.IP_MULTICAST_TTL, 0);
            final SplittableRandom random = new SplittableRandom(9);
            for (long sequence = 1; sequence <= 40; sequence++)
            {
                // the drill's datagram: the right session, a sequence the bridge is about to use, 64 garbage bytes
                final byte[] garbage = new byte[64];
                random.nextBytes(garbage);
                final ByteBuffer packet = ByteBuffer.allocate(20 + 2 + 64);
                packet.put(io.tickjournal.journal.wire.MoldUdp64.session("BS", DAY)).putLong(sequence).putShort((short)1)
                    .putShort((short)64).put(garbage).flip();
                attacker.send(packet, new InetSocketAddress(rig.group, rig.port));
            }
            for (int i = 0; i < 100; i++)
            {
                rig.receiver.doWork();
            }
        }
        rig.bridge(DatagramSink::new);
        rig.runUntil(observer, total);
        final SequencerCounters counters = rig.receiver.sequencers().get(0).counters();
        assertEquals(total, observer.records, counters.toString());
        assertEquals(null, observer.violation);
        assertEquals(expected.recordDigest, observer.recordDigest, "the journal's bytes, not the garbage");
        assertEquals(expected.featureDigest, observer.featureDigest);
        assertEquals(40, counters.invalid, counters.toString());
    }
}
