package io.tickjournal.bridge;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.gen.SyntheticMarket;
import io.tickjournal.journal.wire.Replication;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicationSourceTest
{
    static final int DAY = TradingDay.parse("2026-11-25");
    static final byte[] SECRET = "k3y".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path root;

    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(1024);
    private final SyntheticMarket market = new SyntheticMarket(21, 1, 1, 9_500_000, 1_000_000L);
    private final List<String> log = new ArrayList<>();
    private PartitionWriter writer;
    private ReplicationSource source;
    private long nowNs;
    private long t = TradingDay.startNs(DAY) + 1;

    @BeforeEach
    void start()
    {
        writer = new PartitionWriter(root.resolve("binance-spot"));
        write(500);
        source = new ReplicationSource(new java.net.InetSocketAddress("127.0.0.1", 0),
            Map.of("binance-spot", root.resolve("binance-spot")), SECRET, 1_000_000_000L, 5_000_000_000L, 64 * 1024,
            () -> nowNs, new ErrorReporter(log::add));
        source.onStart();
    }

    @AfterEach
    void stop()
    {
        source.onClose();
        writer.close();
    }

    private void write(final int n)
    {
        for (int i = 0; i < n; i++)
        {
            t += 1000;
            writer.append(buffer, 0, (i & 3) == 0 ? market.encodeDelta(buffer, 0, t, 10) : market.encodeTrade(buffer, 0, t));
        }
    }

    private SocketChannel connect(final String partition, final int day, final long seq, final byte[] secret) throws IOException
    {
        final SocketChannel client = SocketChannel.open(source.localAddress());
        client.write(hello(partition, day, seq, secret));
        client.configureBlocking(false);
        return client;
    }

    static ByteBuffer hello(final String partition, final int day, final long seq, final byte[] secret)
    {
        final byte[] name = partition.getBytes(StandardCharsets.US_ASCII);
        final ByteBuffer hello = ByteBuffer.allocate(20 + name.length + secret.length).order(Replication.ORDER);
        hello.putInt(Replication.MAGIC).putShort((short)name.length).put(name).putInt(day).putLong(seq)
            .putShort((short)secret.length).put(secret).flip();
        return hello;
    }

    /** Frames read: {length, day, seq} plus record bytes. */
    private List<Object[]> read(final SocketChannel client, final int frames) throws IOException
    {
        final List<Object[]> got = new ArrayList<>();
        final ByteBuffer in = ByteBuffer.allocate(1 << 20).order(Replication.ORDER);
        for (int spins = 0; got.size() < frames && spins < 100_000; spins++)
        {
            source.doWork();
            if (client.read(in) < 0)
            {
                break;
            }
            in.flip();
            while (in.remaining() >= 16)
            {
                final int len = in.getInt(in.position());
                final int body = len < 0 ? 0 : len;
                if (in.remaining() < 16 + body)
                {
                    break;
                }
                in.getInt();
                final int day = in.getInt();
                final long seq = in.getLong();
                final byte[] bytes = new byte[body];
                in.get(bytes);
                got.add(new Object[]{len, day, seq, bytes});
            }
            in.compact();
        }
        return got;
    }

    private List<byte[]> journal()
    {
        final List<byte[]> all = new ArrayList<>();
        try (JournalTailer tailer = JournalTailer.open(root.resolve("binance-spot"), null))
        {
            tailer.poll((d, s, b, o, l) ->
            {
                final byte[] bytes = new byte[l];
                b.getBytes(o, bytes);
                all.add(bytes);
            }, Integer.MAX_VALUE);
        }
        return all;
    }

    @Test
    void shouldReproduceTheJournalByteForByteFromTheMiddleOfADayThenLive() throws IOException
    {
        try (SocketChannel client = connect("binance-spot", DAY, 200, SECRET))
        {
            final List<Object[]> frames = read(client, 301);
            assertEquals(301, frames.size());
            write(100); // live
            frames.addAll(read(client, 100));
            final List<byte[]> journal = journal();
            assertEquals(401, frames.size());
            for (int i = 0; i < frames.size(); i++)
            {
                assertEquals(DAY, frames.get(i)[1]);
                assertEquals(200L + i, frames.get(i)[2], "dense from the requested sequence");
                assertArrayEquals(journal.get(199 + i), (byte[])frames.get(i)[3], "record " + (200 + i) + " byte for byte");
            }
            nowNs += 1_000_000_000L;
            final List<Object[]> heartbeat = read(client, 1);
            assertEquals(0, heartbeat.get(0)[0], "heartbeat when idle");
            assertEquals(601L, heartbeat.get(0)[2], "heartbeat names the next sequence");
        }
    }

    @Test
    void shouldRefuseWrongSecretAndUnknownPartitionOrRange() throws IOException
    {
        for (final SocketChannel client : List.of(
            connect("binance-spot", DAY, 1, "nope".getBytes(StandardCharsets.US_ASCII)),
            connect("okx-spot", DAY, 1, SECRET),
            connect("binance-spot", DAY, 9_999, SECRET)))
        {
            try (client)
            {
                final List<Object[]> frames = read(client, 1);
                assertEquals(1, frames.size());
                assertEquals(Replication.REFUSED_LENGTH, frames.get(0)[0]);
            }
        }
        assertEquals(3, source.clientsRefused());
        assertTrue(log.stream().anyMatch(l -> l.contains("wrong secret")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("unknown partition")), log.toString());
    }

    @Test
    void shouldDropAClientThatTakesNothingWithoutSlowingTheWriter() throws IOException
    {
        write(60_000); // ~9 MB, more than the socket buffers below hold
        // A fixed receive buffer: the kernel cannot grow the window of a client that never reads.
        try (SocketChannel stalled = SocketChannel.open())
        {
            stalled.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
            stalled.connect(source.localAddress());
            stalled.write(hello("binance-spot", DAY, 1, SECRET));
            for (int i = 0; i < 2000; i++)
            {
                source.doWork();
            }
            assertEquals(1, source.clientCount());
            assertTrue(stalled.isConnected());
            final long before = writer.appendedCount();
            write(1000);
            assertEquals(before + 1000, writer.appendedCount(), "the writer never waits for replication");
            // The kernel keeps moving bytes from the source's send buffer to the client's receive buffer
            // for a while after the loop above (on a loaded machine, much later), and every write it then
            // accepts is progress. So the clock moves a second at a time: the client is dropped once its
            // buffers are full and 5 s pass with nothing taken, however late the kernel filled them.
            for (int step = 0; step < 10_000 && source.clientCount() > 0; step++)
            {
                nowNs += 1_000_000_000L;
                source.doWork();
            }
            assertEquals(0, source.clientCount(), "stalled client dropped");
            assertEquals(1, source.clientsDropped());
            assertTrue(log.stream().anyMatch(l -> l.contains("took nothing for 5000 ms")), log.toString());
        }
    }
}
