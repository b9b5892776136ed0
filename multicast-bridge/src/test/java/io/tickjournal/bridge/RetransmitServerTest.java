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
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
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

class RetransmitServerTest
{
    static final int DAY = TradingDay.parse("2026-11-25");
    static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path root;

    private RetransmitServer server;
    private DatagramChannel client;
    private final List<String> log = new ArrayList<>();
    private final List<byte[]> journal = new ArrayList<>();
    private long nowNs;

    @BeforeEach
    void start() throws IOException
    {
        final Path partition = root.resolve("binance-spot");
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(1024);
        final SyntheticMarket market = new SyntheticMarket(5, 1, 1, 9_500_000, 1_000_000L);
        try (PartitionWriter writer = new PartitionWriter(partition))
        {
            for (int i = 0; i < 200; i++)
            {
                final int len = (i % 3) == 0 ? market.encodeDelta(buffer, 0, TradingDay.startNs(DAY) + i, 10) :
                    market.encodeTrade(buffer, 0, TradingDay.startNs(DAY) + i);
                writer.append(buffer, 0, len);
            }
        }
        try (JournalTailer tailer = JournalTailer.open(partition, null))
        {
            tailer.poll((d, s, b, o, l) ->
            {
                final byte[] bytes = new byte[l];
                b.getBytes(o, bytes);
                journal.add(bytes);
            }, Integer.MAX_VALUE);
        }
        server = new RetransmitServer(new InetSocketAddress("127.0.0.1", 0), Map.of("BS", partition), SECRET, 100, 5,
            1472, () -> nowNs, new ErrorReporter(log::add));
        server.onStart();
        client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        client.configureBlocking(false);
    }

    @AfterEach
    void stop() throws IOException
    {
        server.onClose();
        client.close();
    }

    private void request(final String session, final long sequence, final int count, final byte[] secret) throws IOException
    {
        final ByteBuffer bb = ByteBuffer.allocate(20 + (secret == null ? 0 : secret.length));
        bb.put(session.getBytes(StandardCharsets.US_ASCII)).putLong(sequence).putShort((short)count);
        if (secret != null)
        {
            bb.put(secret);
        }
        client.send(bb.flip(), server.localAddress());
        for (int i = 0; i < 1000 && server.doWork() == 0; i++)
        {
            Thread.onSpinWait();
        }
    }

    /** Messages received in answer, with the sequence of each, or -(next sequence) for a heartbeat. */
    private List<long[]> responses(final List<byte[]> messages) throws IOException
    {
        final List<long[]> seqs = new ArrayList<>();
        final ByteBuffer bb = ByteBuffer.allocateDirect(65536);
        final UnsafeBuffer view = new UnsafeBuffer(bb);
        for (int spins = 0; spins < 200_000; spins++)
        {
            bb.clear();
            if (client.receive(bb) == null)
            {
                continue;
            }
            final int count = MoldUdp64.validate(view, 0, bb.position());
            assertTrue(count >= 0);
            final long first = MoldUdp64.sequence(view, 0);
            if (count == 0)
            {
                seqs.add(new long[]{-first});
            }
            int p = MoldUdp64.HEADER_LENGTH;
            for (int i = 0; i < count; i++)
            {
                final int len = view.getShort(p, MoldUdp64.ORDER) & 0xFFFF;
                final byte[] m = new byte[len];
                view.getBytes(p + 2, m);
                messages.add(m);
                seqs.add(new long[]{first + i});
                p += 2 + len;
            }
            spins = 0;
            if (spins == 0 && bb.position() == 0)
            {
                break;
            }
        }
        return seqs;
    }

    private RetransmitServer server(final int maxRequestsPerSecond, final long maxBytesPerSecond, final int maxRequesters)
    {
        final RetransmitServer limited = new RetransmitServer(new InetSocketAddress("127.0.0.1", 0), Map.of("BS", root.resolve("binance-spot")),
            SECRET, 100, maxRequestsPerSecond, maxBytesPerSecond, maxRequesters, 1472, () -> nowNs, new ErrorReporter(log::add));
        limited.onStart();
        return limited;
    }

    private static ByteBuffer requestBytes(final String session, final long sequence, final int count, final byte[] secret)
    {
        final ByteBuffer bb = ByteBuffer.allocate(20 + secret.length);
        bb.put(session.getBytes(StandardCharsets.US_ASCII)).putLong(sequence).putShort((short)count).put(secret);
        return bb.flip();
    }

    private static List<DatagramChannel> requesters(final String address, final int n) throws IOException
    {
        final List<DatagramChannel> channels = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            final DatagramChannel c = DatagramChannel.open().bind(new InetSocketAddress(address, 0));
            c.configureBlocking(false);
            channels.add(c);
        }
        return channels;
    }

    /** Everything that has arrived on the channels: {datagrams, bytes}. */
    private static long[] drain(final RetransmitServer limited, final List<DatagramChannel> channels) throws IOException
    {
        final ByteBuffer bb = ByteBuffer.allocate(65536);
        long datagrams = 0;
        long bytes = 0;
        for (int quiet = 0; quiet < 20_000; quiet++)
        {
            limited.doWork();
            for (final DatagramChannel c : channels)
            {
                bb.clear();
                if (c.receive(bb) != null)
                {
                    datagrams++;
                    bytes += bb.position();
                    quiet = 0;
                }
            }
        }
        return new long[]{datagrams, bytes};
    }

    private static void closeAll(final List<DatagramChannel> channels) throws IOException
    {
        for (final DatagramChannel c : channels)
        {
            c.close();
        }
    }

    @Test
    void shouldLimitRequestsPerAddressSoRotatingTheSourcePortDoesNotGetRoundIt() throws IOException
    {
        final RetransmitServer limited = server(5, 1L << 30, 64);
        final List<DatagramChannel> ports = requesters("127.0.0.1", 10);
        try
        {
            for (int round = 0; round < 5; round++)
            {
                for (final DatagramChannel port : ports)
                {
                    port.send(requestBytes("BS20261125", 1, 1, SECRET), limited.localAddress());
                }
            }
            final long[] answered = drain(limited, ports);
            assertEquals(5, limited.requestsServed(), "5 a second from 127.0.0.1, whatever its source ports");
            assertEquals(45, limited.refused());
            assertEquals(5, answered[0], "one packet per served request");
            nowNs += 1_000_000_000L;
            ports.get(7).send(requestBytes("BS20261125", 1, 1, SECRET), limited.localAddress());
            drain(limited, ports);
            assertEquals(6, limited.requestsServed(), "the next second, a new allowance");
        }
        finally
        {
            closeAll(ports);
            limited.onClose();
        }
    }

    @Test
    void shouldBoundTheBytesAnsweredToOneAddressPerSecondSoItIsNoAmplifier() throws IOException
    {
        final long maxBytes = 16 * 1024;
        final RetransmitServer limited = server(100, maxBytes, 64);
        final List<DatagramChannel> ports = requesters("127.0.0.1", 10);
        try
        {
            long sentBytes = 0;
            for (int round = 0; round < 5; round++)
            {
                for (final DatagramChannel port : ports)
                {
                    sentBytes += port.send(requestBytes("BS20261125", 1 + 20 * round, 100, SECRET), limited.localAddress());
                }
            }
            final long[] answered = drain(limited, ports);
            assertTrue(answered[1] > 0, "answered within the budget");
            assertTrue(answered[1] <= maxBytes, "50 requests (" + sentBytes + " bytes) from 10 ports of one address got " +
                answered[1] + " bytes back; the budget is " + maxBytes + " a second");
            assertTrue(limited.answersCut() > 0);
            assertTrue(log.stream().anyMatch(l -> l.contains("answer cut")), log.toString());

            nowNs += 1_000_000_000L;
            request("BS20261125", 37, 60, SECRET); // from this test's own client, also 127.0.0.1
            final List<byte[]> messages = new ArrayList<>();
            final List<long[]> seqs = responses(messages);
            assertEquals(60, messages.size(), "the next second, whole answers again");
            assertEquals(37, seqs.get(0)[0]);
            assertArrayEquals(journal.get(36), messages.get(0));
        }
        finally
        {
            closeAll(ports);
            limited.onClose();
        }
    }

    @Test
    void shouldTrackAtMostMaxRequestersAddressesASecond() throws IOException
    {
        final RetransmitServer limited = server(100, 1L << 30, 3);
        final List<DatagramChannel> addresses = new ArrayList<>();
        try
        {
            for (int i = 2; i <= 5; i++)
            {
                addresses.addAll(requesters("127.0.0." + i, 1));
            }
            for (final DatagramChannel a : addresses)
            {
                a.send(requestBytes("BS20261125", 1, 1, SECRET), limited.localAddress());
                drain(limited, List.of(a));
            }
            assertEquals(3, limited.requesterCount(), "the table never holds more than maxRequesters");
            assertEquals(3, limited.requestsServed());
            assertEquals(1, limited.refused(), "the fourth address gets nothing this second");
            nowNs += 1_000_000_000L;
            addresses.get(3).send(requestBytes("BS20261125", 1, 1, SECRET), limited.localAddress());
            assertEquals(1, drain(limited, List.of(addresses.get(3)))[0], "its turn the next second");
            assertEquals(1, limited.requesterCount(), "last second's entries are gone");
        }
        finally
        {
            closeAll(addresses);
            limited.onClose();
        }
    }

    @Test
    void shouldRefuseToListenBeyondLoopbackWithoutASecret()
    {
        for (final byte[] none : new byte[][]{null, new byte[0]})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new RetransmitServer(
                new InetSocketAddress("0.0.0.0", 0), Map.of("BS", root.resolve("binance-spot")), none, 100, 5, 1472,
                () -> nowNs, new ErrorReporter(log::add)));
            assertTrue(ex.getMessage().contains("without a secret"), ex.getMessage());
            assertFalse(ex.getMessage().contains("\n"), "one line");
        }
        final RetransmitServer loopback = new RetransmitServer(new InetSocketAddress("127.0.0.1", 0),
            Map.of("BS", root.resolve("binance-spot")), null, 100, 5, 1472, () -> nowNs, new ErrorReporter(log::add));
        loopback.onStart();
        loopback.onClose();
        final RetransmitServer anywhere = new RetransmitServer(new InetSocketAddress("0.0.0.0", 0),
            Map.of("BS", root.resolve("binance-spot")), SECRET, 100, 5, 1472, () -> nowNs, new ErrorReporter(log::add));
        anywhere.onStart();
        anywhere.onClose();
    }

    @Test
    void shouldRefuseAWrongSecretOfTheRightLengthWhereverItDiffers() throws IOException
    {
        request("BS20261125", 1, 10, "x3cret".getBytes(StandardCharsets.US_ASCII)); // wrong first byte
        request("BS20261125", 1, 10, "s3crex".getBytes(StandardCharsets.US_ASCII)); // right prefix, wrong last byte
        request("BS20261125", 1, 10, "s3cre".getBytes(StandardCharsets.US_ASCII)); // a prefix of the secret
        assertTrue(responses(new ArrayList<>()).isEmpty());
        assertEquals(3, server.ignored());
        request("BS20261125", 1, 10, SECRET);
        assertEquals(10, responses(new ArrayList<>()).size());
    }

    @Test
    void shouldCompareEveryByteOfTheSecretWhateverTheFirstDifference()
    {
        final int[] reads = {0};
        final UnsafeBuffer counting = new UnsafeBuffer(new byte[64])
        {
            @Override
            public byte getByte(final int index)
            {
                reads[0]++;
                return super.getByte(index);
            }
        };
        final byte[] secret = "s3cret-and-then-some".getBytes(StandardCharsets.US_ASCII);
        final String[] candidates = {"X3cret-and-then-some", "s3cret-and-then-somX", "s3cret-and-then-some"};
        final boolean[] expected = {false, false, true};
        for (int i = 0; i < candidates.length; i++)
        {
            counting.putBytes(20, candidates[i].getBytes(StandardCharsets.US_ASCII));
            reads[0] = 0;
            assertEquals(expected[i], RetransmitServer.secretMatches(counting, 20, secret), candidates[i]);
            assertEquals(secret.length, reads[0], candidates[i] + ": every byte read, not an early exit");
        }
    }

    @Test
    void shouldReleaseItsPortWhenItCanNoLongerServe() throws IOException
    {
        final RetransmitServer broken = new RetransmitServer(new InetSocketAddress("127.0.0.1", 0), Map.of("BS", root.resolve("binance-spot")),
            SECRET, 100, 5, 1472, () -> nowNs, new ErrorReporter(line ->
            {
                if (line.contains("re-request failed") || line.contains("ignored"))
                {
                    throw new InternalError("simulated: the serving loop itself fails");
                }
            }));
        broken.onStart();
        final InetSocketAddress address = broken.localAddress();
        try
        {
            client.send(ByteBuffer.wrap(new byte[]{1, 2, 3}), address);
            InternalError escaped = null;
            for (int i = 0; i < 100_000 && escaped == null; i++)
            {
                try
                {
                    broken.doWork();
                }
                catch (final InternalError ex)
                {
                    escaped = ex;
                }
            }
            assertTrue(escaped != null, "the error ends the agent (its runner reports it)");
            assertFalse(broken.isServing());
            try (DatagramChannel rebound = DatagramChannel.open().bind(address))
            {
                assertEquals(address, rebound.getLocalAddress(), "the port is released, not held by a dead server");
            }
        }
        finally
        {
            broken.onClose();
        }
    }

    @Test
    void shouldReturnExactlyTheMissingMessages() throws IOException
    {
        request("BS20261125", 37, 60, SECRET);
        final List<byte[]> messages = new ArrayList<>();
        final List<long[]> seqs = responses(messages);
        assertEquals(60, messages.size());
        for (int i = 0; i < 60; i++)
        {
            assertEquals(37 + i, seqs.get(i)[0]);
            assertArrayEquals(journal.get(36 + i), messages.get(i), "message " + (37 + i) + " as in the journal");
        }
        assertEquals(1, server.requestsServed());
        assertEquals(60, server.messagesResent());
    }

    @Test
    void shouldCapTheAnswerAndStopAtTheEndOfTheJournal() throws IOException
    {
        request("BS20261125", 1, 500, SECRET);
        final List<byte[]> capped = new ArrayList<>();
        responses(capped);
        assertEquals(100, capped.size(), "capped at maxMessagesPerRequest");

        request("BS20261125", 180, 50, SECRET);
        final List<byte[]> tail = new ArrayList<>();
        responses(tail);
        assertEquals(21, tail.size(), "only what the journal holds: 180..200");
    }

    @Test
    void shouldRefuseBadRequestsClearlyAndSurvive() throws IOException
    {
        request("BS20261125", 500, 10, SECRET); // beyond the journal
        final List<long[]> refusal = responses(new ArrayList<>());
        assertEquals(1, refusal.size());
        assertEquals(-201, refusal.get(0)[0], "refused with a heartbeat naming the next sequence");

        request("BS20261126", 1, 10, SECRET); // a day the journal does not hold
        assertEquals(-1, responses(new ArrayList<>()).get(0)[0]);

        request("XX20261125", 1, 10, SECRET); // unknown partition: no answer
        request("BS20261125", 1, 10, "wrong!".getBytes(StandardCharsets.US_ASCII));
        request("BS20261125", 1, 10, null); // no secret
        client.send(ByteBuffer.wrap(new byte[]{1, 2, 3}), server.localAddress()); // garbage
        server.doWork();
        assertTrue(responses(new ArrayList<>()).isEmpty());
        assertEquals(4, server.ignored());
        assertEquals(2, server.refused());

        nowNs += 1_000_000_000L; // a fresh second: the two refused above counted against the last one
        for (int i = 0; i < 6; i++)
        {
            request("BS20261125", 1, 1, SECRET);
        }
        assertEquals(3, server.refused(), "the sixth request in a second is over the rate limit");
        nowNs += 1_000_000_000L;
        request("BS20261125", 1, 1, SECRET);
        assertEquals(3, server.refused(), "a new second, a new allowance");
        assertTrue(log.stream().anyMatch(l -> l.contains("rate limit")));
    }
}
