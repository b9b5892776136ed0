package io.tickjournal.bridge;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.gen.SyntheticMarket;
import io.tickjournal.journal.wire.MoldUdp64;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bridge end to end on loopback multicast (interface lo, TTL 0), stepped by hand. */
class BridgeAgentTest
{
    static final int DAY = TradingDay.parse("2026-11-25");
    static final String GROUP = "239.255.77.1";

    @TempDir
    Path root;

    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
    private final SyntheticMarket market = new SyntheticMarket(3, 1, 1, 9_500_000, 1_000_000L);
    private final List<String> log = new ArrayList<>();
    private DatagramChannel receiver;
    private int port;
    private long nowNs = 1_000_000_000L;

    /** One received packet, decoded. */
    record Packet(String session, long sequence, int count, List<byte[]> messages)
    {
    }

    @BeforeEach
    void joinGroupOnLoopback() throws IOException
    {
        final NetworkInterface lo = NetworkInterface.getByName("lo");
        receiver = DatagramChannel.open(StandardProtocolFamily.INET)
            .setOption(StandardSocketOptions.SO_REUSEADDR, true)
            .setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20)
            .bind(new InetSocketAddress(0));
        port = ((InetSocketAddress)receiver.getLocalAddress()).getPort();
        receiver.join(InetAddress.getByName(GROUP), lo);
        receiver.configureBlocking(false);
    }

    @AfterEach
    void close() throws IOException
    {
        receiver.close();
    }

    private BridgeAgent bridge(final PacketSink.Factory sinks)
    {
        final ChannelConfig config = ChannelConfig.loopback(root.resolve("binance-spot"), "BS", GROUP, port);
        final BridgeAgent agent = new BridgeAgent(List.of(config), root.resolve("state"), sinks, () -> nowNs,
            new ErrorReporter(log::add));
        agent.onStart();
        return agent;
    }

    private List<Packet> drain(final BridgeAgent agent, final List<Packet> into) throws IOException
    {
        final ByteBuffer bb = ByteBuffer.allocateDirect(65536);
        final UnsafeBuffer view = new UnsafeBuffer(bb);
        for (int idle = 0; idle < 50; )
        {
            final int work = agent.doWork();
            boolean got = false;
            bb.clear();
            while (receiver.receive(bb) != null)
            {
                got = true;
                bb.flip();
                final int len = bb.limit();
                final int count = MoldUdp64.validate(view, 0, len);
                assertTrue(count >= 0, "well-formed MoldUDP64 packet");
                final byte[] session = new byte[10];
                view.getBytes(0, session);
                final List<byte[]> messages = new ArrayList<>();
                int p = MoldUdp64.HEADER_LENGTH;
                for (int i = 0; count != MoldUdp64.END_OF_SESSION_COUNT && i < count; i++)
                {
                    final int ml = view.getShort(p, MoldUdp64.ORDER) & 0xFFFF;
                    final byte[] m = new byte[ml];
                    view.getBytes(p + 2, m);
                    messages.add(m);
                    p += 2 + ml;
                }
                into.add(new Packet(new String(session, StandardCharsets.US_ASCII), MoldUdp64.sequence(view, 0), count, messages));
                bb.clear();
            }
            idle = work == 0 && !got ? idle + 1 : 0;
            if (work == 0 && !got)
            {
                Thread.onSpinWait();
            }
        }
        return into;
    }

    private List<byte[]> journalRecords(final int day)
    {
        final List<byte[]> records = new ArrayList<>();
        try (JournalTailer tailer = JournalTailer.open(root.resolve("binance-spot"), null))
        {
            tailer.moveTo(day, 1);
            tailer.poll((d, s, b, o, l) ->
            {
                if (d == day)
                {
                    final byte[] bytes = new byte[l];
                    b.getBytes(o, bytes);
                    records.add(bytes);
                }
            }, Integer.MAX_VALUE);
        }
        return records;
    }

    private void write(final PartitionWriter writer, final long startNs, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            final int len = (i & 3) == 0 ? market.encodeDelta(buffer, 0, startNs + i * 1000L, 10) : market.encodeTrade(buffer, 0, startNs + i * 1000L);
            assertTrue(writer.append(buffer, 0, len) >= 0);
        }
    }

    /** Check the packets carry every journal record of each day exactly once, in order, then end the day. */
    private void assertDenseAndEqual(final List<Packet> packets, final int day, final boolean ended)
    {
        final String session = "BS" + TradingDay.format(day).replace("-", "");
        final List<byte[]> expected = journalRecords(day);
        long next = 1;
        int eos = 0;
        for (final Packet p : packets)
        {
            if (!p.session().equals(session))
            {
                continue;
            }
            if (p.count() == MoldUdp64.END_OF_SESSION_COUNT)
            {
                eos++;
                assertEquals(next, p.sequence(), "end of session carries the next sequence");
                continue;
            }
            if (p.count() == 0)
            {
                assertEquals(next, p.sequence(), "heartbeat carries the next sequence");
                continue;
            }
            assertEquals(0, eos, "nothing after the end of session");
            assertEquals(next, p.sequence(), "no gap, no repeat");
            for (final byte[] m : p.messages())
            {
                assertArrayEquals(expected.get((int)next - 1), m, "message " + next + " is the journal record's bytes");
                next++;
            }
        }
        assertEquals(expected.size() + 1, next, "every record of " + session + " sent");
        assertEquals(ended ? 1 : 0, eos);
    }

    @Test
    void shouldSendEveryRecordDenseAndInOrderAcrossPacketsAndADayRoll() throws IOException
    {
        try (PartitionWriter writer = new PartitionWriter(root.resolve("binance-spot")))
        {
            write(writer, TradingDay.startNs(DAY + 1) - 1_500_000L, 3000); // 1.5 ms before midnight, 1 µs apart: half each side
        }
        final BridgeAgent agent = bridge(DatagramSink::new);
        final List<Packet> packets = drain(agent, new ArrayList<>());
        agent.onClose();

        assertDenseAndEqual(packets, DAY, true);
        assertDenseAndEqual(packets, DAY + 1, false);
        assertTrue(packets.size() > 100, "many packets: " + packets.size());
        assertTrue(packets.stream().allMatch(p -> 20 + p.messages().stream().mapToInt(m -> 2 + m.length).sum() <= 1472));
        assertEquals(1, agent.counters().endOfSessions());
    }

    @Test
    void shouldResumeAfterRestartWithNoGapAndNoRepeat() throws IOException
    {
        final List<Packet> packets = new ArrayList<>();
        try (PartitionWriter writer = new PartitionWriter(root.resolve("binance-spot")))
        {
            write(writer, TradingDay.startNs(DAY) + 1, 1000);
            final BridgeAgent first = bridge(DatagramSink::new);
            // a few duty cycles only, then the bridge "dies" mid-stream
            for (int i = 0; i < 5; i++)
            {
                first.doWork();
            }
            first.onClose();
            drain(bridgeThatDoesNotSend(), packets); // nothing more from the dead one
            write(writer, TradingDay.startNs(DAY) + 10_000_000L, 1000);
        }
        final int before = packets.size();
        assertTrue(before > 0 && before < 100, "the first bridge sent part of the day: " + before);
        final BridgeAgent second = bridge(DatagramSink::new);
        drain(second, packets);
        second.onClose();
        assertDenseAndEqual(packets, DAY, false);
    }

    private BridgeAgent bridgeThatDoesNotSend()
    {
        return new BridgeAgent(List.of(), root.resolve("unused"), DatagramSink::new, () -> nowNs, new ErrorReporter(log::add));
    }

    @Test
    void shouldLoseNothingWhenSendsFailAndRetry() throws IOException
    {
        try (PartitionWriter writer = new PartitionWriter(root.resolve("binance-spot")))
        {
            write(writer, TradingDay.startNs(DAY) + 1, 500);
        }
        final int[] attempts = {0};
        final BridgeAgent agent = bridge(config ->
        {
            final DatagramSink real = new DatagramSink(config);
            return new PacketSink()
            {
                @Override
                public boolean send(final ByteBuffer packet) throws IOException
                {
                    attempts[0]++;
                    if (attempts[0] % 3 == 0)
                    {
                        throw new IOException("Network is unreachable");
                    }
                    if (attempts[0] % 5 == 0)
                    {
                        return false; // socket buffer full
                    }
                    return real.send(packet);
                }

                @Override
                public void close()
                {
                    real.close();
                }
            };
        });
        final List<Packet> packets = drain(agent, new ArrayList<>());
        agent.onClose();
        assertDenseAndEqual(packets, DAY, false);
        assertTrue(agent.counters().sendFailures() > 5);
        assertTrue(agent.counters().sendBackPressured() > 0);
        assertTrue(log.stream().anyMatch(l -> l.contains("Network is unreachable")), log.toString());
        assertEquals(1, log.stream().filter(l -> l.contains("Network is unreachable")).count(),
            "a repeated error is reported once, not per packet");
    }

    @Test
    void shouldHeartbeatWhenIdleAndStartBeforeThePartitionExists() throws IOException
    {
        final BridgeAgent agent = bridge(DatagramSink::new); // no partition yet: it waits
        final List<Packet> packets = drain(agent, new ArrayList<>());
        assertEquals(0, packets.size());
        try (PartitionWriter writer = new PartitionWriter(root.resolve("binance-spot")))
        {
            write(writer, TradingDay.startNs(DAY) + 1, 10);
        }
        drain(agent, packets);
        final int data = packets.size();
        nowNs += ChannelConfig.DEFAULT_HEARTBEAT_INTERVAL_NS;
        drain(agent, packets);
        agent.onClose();
        assertEquals(data + 1, packets.size(), "one heartbeat after the idle interval");
        final Packet heartbeat = packets.get(packets.size() - 1);
        assertEquals(0, heartbeat.count());
        assertEquals(11, heartbeat.sequence(), "heartbeat names the next sequence");
        assertDenseAndEqual(packets, DAY, false);
        assertTrue(Arrays.asList("BS20261125").contains(heartbeat.session()));
    }
}
