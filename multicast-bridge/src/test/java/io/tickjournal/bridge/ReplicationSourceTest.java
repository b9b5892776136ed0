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
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetSocketAddress;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ReplicationSourceTest
{
    static final int DAY = TradingDay.parse("2026-11-25");
    static final byte[] SECRET = "k3y".getBytes(StandardCharsets.US_ASCII);
    static final long HELLO_TIMEOUT_NS = 2_000_000_000L;

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
        source = new ReplicationSource(new InetSocketAddress("127.0.0.1", 0),
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

    private ReplicationSource limited(final int maxClients, final int maxPending, final int bufferBytes, final ErrorReporter errors)
    {
        final ReplicationSource limited = new ReplicationSource(new InetSocketAddress("127.0.0.1", 0),
            Map.of("binance-spot", root.resolve("binance-spot")), SECRET, 1_000_000_000L, 5_000_000_000L, bufferBytes,
            maxClients, maxPending, HELLO_TIMEOUT_NS, () -> nowNs, errors);
        limited.onStart();
        return limited;
    }

    private static long directBytesInUse()
    {
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()))
            {
                return pool.getMemoryUsed();
            }
        }
        throw new IllegalStateException("no direct buffer pool MXBean");
    }

    /** Reads until a frame or the end of the stream: the first frame's length, or null at end of stream. */
    private static Integer firstFrameLength(final ReplicationSource server, final SocketChannel client) throws IOException
    {
        final ByteBuffer in = ByteBuffer.allocate(64 * 1024).order(Replication.ORDER);
        for (int spins = 0; spins < 100_000; spins++)
        {
            server.doWork();
            if (client.read(in) < 0)
            {
                return in.position() >= 4 ? in.getInt(0) : null;
            }
            if (in.position() >= Replication.FRAME_HEADER_LENGTH)
            {
                return in.getInt(0);
            }
        }
        throw new AssertionError("neither a frame nor the end of the stream");
    }

    private static boolean closedByServer(final ReplicationSource server, final SocketChannel client) throws IOException
    {
        final ByteBuffer in = ByteBuffer.allocate(64);
        for (int spins = 0; spins < 100_000; spins++)
        {
            server.doWork();
            try
            {
                if (client.read(in) < 0)
                {
                    return true;
                }
            }
            catch (final IOException reset)
            {
                return true;
            }
        }
        return false;
    }

    @Test
    void shouldAllocateNoClientBufferForConnectionsThatSendNoHello() throws IOException
    {
        final int bufferBytes = 1 << 20;
        final ReplicationSource limited = limited(8, 256, bufferBytes, new ErrorReporter(log::add));
        final List<SocketChannel> silent = new ArrayList<>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                limited.doWork(); // warm up whatever the first duty cycles allocate
            }
            final long before = directBytesInUse();
            for (int i = 0; i < 45; i++)
            {
                silent.add(SocketChannel.open(limited.localAddress()));
            }
            for (int i = 0; i < 100 && limited.pendingCount() < 45; i++)
            {
                limited.doWork();
            }
            final long grown = directBytesInUse() - before;
            assertEquals(45, limited.pendingCount(), "every silent connection accepted and waiting for its hello");
            assertEquals(0, limited.clientCount());
            assertTrue(grown < bufferBytes, "45 silent connections took " + grown + " bytes of direct memory; " +
                "one client buffer is " + bufferBytes);
            assertEquals(0, limited.buffersAllocated());

            try (SocketChannel replica = connectTo(limited, "binance-spot", DAY, 1, SECRET))
            {
                assertEquals(Integer.valueOf(journal().get(0).length), firstFrameLength(limited, replica),
                    "a replica is still served, from its first record");
                assertEquals(1, limited.buffersAllocated(), "its buffer is allocated after its valid hello");
            }
        }
        finally
        {
            for (final SocketChannel c : silent)
            {
                c.close();
            }
            limited.onClose();
        }
    }

    @Test
    void shouldCloseConnectionsThatSendNoValidHelloWithinTheDeadline() throws IOException
    {
        final ReplicationSource limited = limited(8, 256, 64 * 1024, new ErrorReporter(log::add));
        try (SocketChannel silent = SocketChannel.open(limited.localAddress());
            SocketChannel halfHello = SocketChannel.open(limited.localAddress()))
        {
            final ByteBuffer hello = hello("binance-spot", DAY, 1, SECRET);
            hello.limit(9); // magic, name length and three bytes of the name, then nothing
            halfHello.write(hello);
            silent.configureBlocking(false);
            halfHello.configureBlocking(false);
            for (int i = 0; i < 100 && limited.pendingCount() < 2; i++)
            {
                limited.doWork();
            }
            assertEquals(2, limited.pendingCount());
            nowNs += HELLO_TIMEOUT_NS - 1;
            limited.doWork();
            assertEquals(2, limited.pendingCount(), "not before the deadline");
            nowNs += 1;
            assertTrue(closedByServer(limited, silent), "a silent connection is closed at the deadline");
            assertTrue(closedByServer(limited, halfHello), "so is one that sent half a hello");
            assertEquals(0, limited.pendingCount());
            assertEquals(2, limited.helloTimeouts());
            assertTrue(log.stream().anyMatch(l -> l.contains("no valid hello within")), log.toString());
        }
        finally
        {
            limited.onClose();
        }
    }

    @Test
    void shouldRefuseAValidHelloBeyondTheClientCapAndServeTheNextOneWhenASlotFrees() throws IOException
    {
        final ReplicationSource limited = limited(2, 256, 64 * 1024, new ErrorReporter(log::add));
        final SocketChannel first = connectTo(limited, "binance-spot", DAY, 1, SECRET);
        try (SocketChannel second = connectTo(limited, "binance-spot", DAY, 1, SECRET))
        {
            assertTrue(firstFrameLength(limited, first) > 0);
            assertTrue(firstFrameLength(limited, second) > 0);
            try (SocketChannel third = connectTo(limited, "binance-spot", DAY, 1, SECRET))
            {
                assertEquals(Replication.REFUSED_LENGTH, firstFrameLength(limited, third), "the protocol's refusal frame");
                assertTrue(closedByServer(limited, third), "then the close");
            }
            assertEquals(2, limited.clientCount());
            assertEquals(1, limited.clientsRefused());
            assertTrue(log.stream().anyMatch(l -> l.contains("2 clients already served")), log.toString());

            first.close();
            for (int i = 0; i < 10_000 && limited.clientCount() > 1; i++)
            {
                nowNs += 1_000_000_000L; // heartbeats find the closed socket
                limited.doWork();
            }
            try (SocketChannel fourth = connectTo(limited, "binance-spot", DAY, 1, SECRET))
            {
                assertTrue(firstFrameLength(limited, fourth) > 0, "a freed slot serves the next replica");
            }
            assertEquals(2, limited.buffersAllocated(), "output buffers are reused, never more than the cap");
        }
        finally
        {
            first.close();
            limited.onClose();
        }
    }

    @Test
    void shouldCloseTheOldestWaitingConnectionSoAFloodCannotLockAReplicaOut() throws IOException
    {
        final ReplicationSource limited = limited(8, 4, 64 * 1024, new ErrorReporter(log::add));
        final List<SocketChannel> silent = new ArrayList<>();
        try
        {
            for (int i = 0; i < 6; i++)
            {
                final SocketChannel c = SocketChannel.open(limited.localAddress());
                c.configureBlocking(false);
                silent.add(c);
                for (int j = 0; j < 100 && limited.clientsAccepted() < i + 1; j++)
                {
                    limited.doWork();
                }
            }
            assertEquals(4, limited.pendingCount(), "never more than maxPending wait");
            assertEquals(2, limited.pendingEvicted());
            assertTrue(closedByServer(limited, silent.get(0)), "the oldest closed first");
            assertTrue(closedByServer(limited, silent.get(1)));
            try (SocketChannel replica = connectTo(limited, "binance-spot", DAY, 1, SECRET))
            {
                assertTrue(firstFrameLength(limited, replica) > 0, "a replica arriving during the flood is served");
            }
        }
        finally
        {
            for (final SocketChannel c : silent)
            {
                c.close();
            }
            limited.onClose();
        }
    }

    @Test
    void shouldRefuseOneClientWhoseBufferTheJvmCannotAllocateAndGoOnServing() throws IOException
    {
        // A real OutOfMemoryError from ByteBuffer.allocateDirect: ask for more than the JVM's direct-memory limit,
        // which is the maximum heap (-Xmx1g in the build) unless set explicitly.
        assumeTrue(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .noneMatch(a -> a.startsWith("-XX:MaxDirectMemorySize")), "direct-memory limit set explicitly");
        final int tooBig = Integer.MAX_VALUE - 64;
        assumeTrue(Runtime.getRuntime().maxMemory() < tooBig, "the direct-memory limit would allow the allocation");
        final ReplicationSource limited = limited(8, 256, tooBig, new ErrorReporter(log::add));
        try
        {
            try (SocketChannel replica = connectTo(limited, "binance-spot", DAY, 1, SECRET))
            {
                assertEquals(Replication.REFUSED_LENGTH, firstFrameLength(limited, replica), "refused, not fatal");
            }
            assertTrue(limited.isServing());
            assertEquals(1, limited.clientErrors());
            assertTrue(log.stream().anyMatch(l -> l.contains("direct memory refused a client buffer")), log.toString());
            try (SocketChannel again = connectTo(limited, "binance-spot", DAY, 1, SECRET))
            {
                assertEquals(Replication.REFUSED_LENGTH, firstFrameLength(limited, again), "still accepting and answering");
            }
        }
        finally
        {
            limited.onClose();
        }
    }

    @Test
    void shouldDropOnlyTheConnectionOnWhichAnErrorWasThrown() throws IOException
    {
        final boolean[] thrown = {false};
        final ErrorReporter failing = new ErrorReporter(line ->
        {
            log.add(line);
            if (line.contains("not a replication hello") && !thrown[0])
            {
                thrown[0] = true;
                throw new OutOfMemoryError("simulated: Java heap space");
            }
        });
        final ReplicationSource limited = limited(8, 256, 64 * 1024, failing);
        try (SocketChannel garbage = SocketChannel.open(limited.localAddress()))
        {
            garbage.write(ByteBuffer.wrap(new byte[]{1, 2, 3, 4, 5, 6, 7, 8}));
            garbage.configureBlocking(false);
            assertTrue(closedByServer(limited, garbage));
            assertTrue(thrown[0]);
            assertEquals(1, limited.clientErrors(), "counted");
            assertTrue(log.stream().anyMatch(l -> l.contains("failed before its hello")), log.toString());
            try (SocketChannel replica = connectTo(limited, "binance-spot", DAY, 1, SECRET))
            {
                assertTrue(firstFrameLength(limited, replica) > 0, "the source goes on serving");
            }
        }
        finally
        {
            limited.onClose();
        }
    }

    @Test
    void shouldCloseItsPortWhenItCanNoLongerServe() throws IOException
    {
        final ErrorReporter broken = new ErrorReporter(line ->
        {
            log.add(line);
            if (line.contains("not a replication hello"))
            {
                throw new InternalError("simulated: the serving loop itself fails");
            }
        });
        final ReplicationSource limited = limited(8, 256, 64 * 1024, broken);
        final InetSocketAddress address = limited.localAddress();
        try (SocketChannel served = connectTo(limited, "binance-spot", DAY, 1, SECRET);
            SocketChannel garbage = SocketChannel.open(address))
        {
            assertTrue(firstFrameLength(limited, served) > 0);
            garbage.write(ByteBuffer.wrap(new byte[]{1, 2, 3, 4, 5, 6, 7, 8}));
            Error escaped = null;
            for (int i = 0; i < 100_000 && escaped == null; i++)
            {
                try
                {
                    limited.doWork();
                }
                catch (final InternalError ex)
                {
                    escaped = ex;
                }
            }
            assertTrue(escaped != null, "the error ends the agent (its runner reports it)");
            assertThrows(ConnectException.class, () -> SocketChannel.open(address).close(),
                "no longer serving, so no longer accepting: a replica sees the refusal at once");
            assertFalse(limited.isServing());
            assertTrue(closedByServer(limited, served), "and the served clients are closed, not left hanging");
            assertTrue(log.stream().anyMatch(l -> l.contains("stopped serving")), log.toString());
        }
        finally
        {
            limited.onClose();
        }
    }

    private static SocketChannel connectTo(final ReplicationSource server, final String partition, final int day, final long seq,
        final byte[] secret) throws IOException
    {
        final SocketChannel client = SocketChannel.open(server.localAddress());
        client.write(hello(partition, day, seq, secret));
        client.configureBlocking(false);
        return client;
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
