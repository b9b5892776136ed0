package io.tickjournal.bridge;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.wire.MoldUdp64;
import io.tickjournal.journal.wire.MoldUdp64PacketBuilder;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The MoldUDP64 re-request server: answers a unicast request (session, sequence, count) with the
 * packets holding those messages, read from the journal.
 * <p>
 * Requests are capped ({@link #maxMessagesPerRequest}) and rate-limited per requester; a request
 * for a day or range the journal does not hold is refused with a heartbeat naming the session's
 * next sequence (so the requester learns the range, as MoldUDP64 allows); requests for unknown
 * sessions, malformed requests and requests without the shared secret get no answer. Every refusal
 * is counted and reported once per reason.
 * <p>
 * <b>Threading:</b> an agent; its socket and tailers are created in {@link #onStart()} on its
 * own thread and used by nothing else.
 */
public final class RetransmitServer implements Agent
{
    private final InetSocketAddress bindAddress;
    private final Map<String, Path> partitionsByCode;
    private final byte[] secret;
    private final int maxMessagesPerRequest;
    private final int maxRequestsPerSecond;
    private final int maxPayload;
    private final NanoClock clock;
    private final ErrorReporter errors;
    private final Map<String, JournalTailer> tailers = new HashMap<>();
    private final Map<SocketAddress, long[]> buckets = new HashMap<>();
    private final ByteBuffer request = ByteBuffer.allocateDirect(2048);
    private final UnsafeBuffer requestView = new UnsafeBuffer(request);
    private final byte[] sessionBytes = new byte[MoldUdp64.SESSION_LENGTH];
    private MoldUdp64PacketBuilder builder;
    private DatagramChannel socket;

    volatile long requestsServed;
    volatile long messagesResent;
    volatile long refused;
    volatile long ignored;

    /**
     * @param bindAddress           where to listen (a configured interface address and port).
     * @param partitionsByCode      partition code (the session's first 2 characters) to partition directory.
     * @param secret                bytes a request must carry after its 20 bytes, or null for none.
     * @param maxMessagesPerRequest the most messages one request is answered with.
     * @param maxRequestsPerSecond  the most requests served per requester per second.
     * @param maxPayload            packet payload limit.
     * @param clock                 the clock for rate limiting.
     * @param errors                the error handler.
     */
    public RetransmitServer(
        final InetSocketAddress bindAddress, final Map<String, Path> partitionsByCode, final byte[] secret,
        final int maxMessagesPerRequest, final int maxRequestsPerSecond, final int maxPayload,
        final NanoClock clock, final ErrorReporter errors)
    {
        this.bindAddress = bindAddress;
        this.partitionsByCode = Map.copyOf(partitionsByCode);
        this.secret = secret == null ? null : secret.clone();
        this.maxMessagesPerRequest = maxMessagesPerRequest;
        this.maxRequestsPerSecond = maxRequestsPerSecond;
        this.maxPayload = maxPayload;
        this.clock = clock;
        this.errors = errors;
    }

    @Override
    public void onStart()
    {
        try
        {
            builder = new MoldUdp64PacketBuilder(maxPayload);
            socket = DatagramChannel.open();
            socket.bind(bindAddress);
            socket.configureBlocking(false);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot bind re-request server to " + bindAddress, ex);
        }
    }

    /**
     * The address the server listens on (after {@link #onStart()}).
     *
     * @return the bound address.
     */
    public InetSocketAddress localAddress()
    {
        try
        {
            return (InetSocketAddress)socket.getLocalAddress();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public int doWork() throws IOException
    {
        int work = 0;
        SocketAddress from;
        while (work < 16 && (from = receive()) != null)
        {
            work++;
            handle(from, request.position());
        }
        return work;
    }

    private SocketAddress receive() throws IOException
    {
        request.clear();
        return socket.receive(request);
    }

    private void handle(final SocketAddress from, final int length) throws IOException
    {
        final int expectedLength = MoldUdp64.REQUEST_LENGTH + (secret == null ? 0 : secret.length);
        if (length != expectedLength || !secretMatches())
        {
            ignored++;
            errors.report("re-request ignored: " + (length != expectedLength ?
                "length " + length + " (want " + expectedLength + ")" : "wrong secret"), null);
            return;
        }
        requestView.getBytes(0, sessionBytes);
        final int day = MoldUdp64.day(sessionBytes);
        final Path partition = partitionsByCode.get(new String(sessionBytes, 0, 2, java.nio.charset.StandardCharsets.US_ASCII));
        if (day < 0 || partition == null || !Files.isDirectory(partition))
        {
            ignored++;
            errors.report("re-request ignored: unknown session", null);
            return;
        }
        if (!allowed(from))
        {
            refused++;
            errors.report("re-request refused: rate limit for " + from, null);
            return;
        }
        final long first = MoldUdp64.sequence(requestView, 0);
        final int count = Math.min(MoldUdp64.count(requestView, 0), maxMessagesPerRequest);
        final JournalTailer tailer = tailers.computeIfAbsent(partition.toString(), k -> JournalTailer.open(partition, null));
        final long available = Partition.recordsInDay(tailer.queue(), day);
        if (first < 1 || count < 1 || first > available)
        {
            refused++;
            errors.report("re-request refused: outside the journal", null);
            socket.send(builder.control(sessionBytes.clone(), available + 1, MoldUdp64.HEARTBEAT_COUNT), from);
            return;
        }
        tailer.moveTo(day, first);
        final byte[] session = sessionBytes.clone();
        builder.begin(session, first);
        final long last = Math.min(available, first + count - 1);
        long sequence = first;
        while (sequence <= last)
        {
            final int read = tailer.offerOne(this::addToPacket);
            if (read > 0)
            {
                sequence++;
                continue;
            }
            if (read == 0 || builder.count() == 0)
            {
                break; // nothing more to read
            }
            send(from);
            builder.begin(session, sequence);
        }
        if (builder.count() > 0)
        {
            send(from);
        }
        requestsServed++;
    }

    private boolean addToPacket(final int day, final long sequence, final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        return builder.add(buffer, offset, length);
    }

    private void send(final SocketAddress to) throws IOException
    {
        messagesResent += builder.count();
        socket.send(builder.finish(), to);
    }

    private boolean secretMatches()
    {
        if (secret == null)
        {
            return true;
        }
        for (int i = 0; i < secret.length; i++)
        {
            if (requestView.getByte(MoldUdp64.REQUEST_LENGTH + i) != secret[i])
            {
                return false;
            }
        }
        return true;
    }

    private boolean allowed(final SocketAddress from)
    {
        final long nowNs = clock.nanoTime();
        final long[] bucket = buckets.computeIfAbsent(from, k -> new long[]{nowNs, 0});
        if (nowNs - bucket[0] >= 1_000_000_000L)
        {
            bucket[0] = nowNs;
            bucket[1] = 0;
        }
        return ++bucket[1] <= maxRequestsPerSecond;
    }

    @Override
    public void onClose()
    {
        CloseHelper.closeAll(tailers.values());
        CloseHelper.close(socket);
    }

    @Override
    public String roleName()
    {
        return "retransmit";
    }

    public long requestsServed()
    {
        return requestsServed;
    }

    public long messagesResent()
    {
        return messagesResent;
    }

    public long refused()
    {
        return refused;
    }

    public long ignored()
    {
        return ignored;
    }

    @Override
    public String toString()
    {
        return "RetransmitServer" + Arrays.asList(bindAddress, partitionsByCode.keySet());
    }
}
