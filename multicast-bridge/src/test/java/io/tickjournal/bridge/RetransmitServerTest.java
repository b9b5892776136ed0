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
