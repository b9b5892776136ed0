package io.tickjournal.bridge;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.wire.MoldUdp64;
import io.tickjournal.journal.wire.MoldUdp64PacketBuilder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The MoldUDP64 re-request server: answers a unicast request (session, sequence, count) with the
 * packets holding those messages, read from the journal.
 * <p>
 * Requests are capped ({@link #maxMessagesPerRequest}); a request for a day or range the journal
 * does not hold is refused with a heartbeat naming the session's next sequence (so the requester
 * learns the range, as MoldUDP64 allows); requests for unknown sessions, malformed requests and
 * requests without the shared secret get no answer. Every refusal is counted and reported once per
 * reason.
 * <p>
 * <b>Not an amplifier.</b> UDP sources can be forged, and an answer is up to a thousand times larger
 * than its request, so every limit is per source <i>address</i> (a requester cannot get round it by
 * changing its port) and counts bytes as well as requests: per second, at most
 * {@link #maxRequestsPerSecond} requests are served and {@link #maxBytesPerSecond} bytes answered to
 * one address (an answer is cut at a packet boundary rather than exceed it; the requester asks
 * again for the rest). The table of addresses holds at most {@code maxRequesters} entries and is
 * emptied each second (time buckets); an address arriving when it is full gets nothing until the
 * next second, so the server answers at most {@code maxRequesters * maxBytesPerSecond} a second
 * whatever the traffic. The secret is compared in constant time, and the server refuses to bind
 * anything but a loopback address without one.
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
    private final long maxBytesPerSecond;
    private final int maxPayload;
    private final NanoClock clock;
    private final ErrorReporter errors;
    private final Map<String, JournalTailer> tailers = new HashMap<>();
    private final RequesterBudgets budgets;
    private final ByteBuffer request = ByteBuffer.allocateDirect(2048);
    private final UnsafeBuffer requestView = new UnsafeBuffer(request);
    private final byte[] sessionBytes = new byte[MoldUdp64.SESSION_LENGTH];
    private MoldUdp64PacketBuilder builder;
    private DatagramChannel socket;
    private volatile boolean serving;

    volatile long requestsServed;
    volatile long messagesResent;
    volatile long refused;
    volatile long ignored;
    volatile long answersCut;
    volatile long bytesAnswered;

    /** One requester's answers a second: the MoldUDP64 reference sizes re-requests for gaps of a few packets. */
    public static final long DEFAULT_MAX_BYTES_PER_SECOND = 2L << 20;
    /** Requesters tracked per second: tailers are few; more addresses than this in one second is an attack. */
    public static final int DEFAULT_MAX_REQUESTERS = 1024;

    /**
     * A server with the default byte limit and requester table ({@link #DEFAULT_MAX_BYTES_PER_SECOND},
     * {@link #DEFAULT_MAX_REQUESTERS}).
     *
     * @param bindAddress           where to listen (a configured interface address and port).
     * @param partitionsByCode      partition code (the session's first 2 characters) to partition directory.
     * @param secret                bytes a request must carry after its 20 bytes, or null (or empty) for none:
     *                              then only a loopback address may be bound.
     * @param maxMessagesPerRequest the most messages one request is answered with.
     * @param maxRequestsPerSecond  the most requests served per requester address per second.
     * @param maxPayload            packet payload limit.
     * @param clock                 the clock for rate limiting.
     * @param errors                the error handler.
     * @throws IllegalArgumentException when asked to bind a non-loopback address without a secret.
     */
    public RetransmitServer(
        final InetSocketAddress bindAddress, final Map<String, Path> partitionsByCode, final byte[] secret,
        final int maxMessagesPerRequest, final int maxRequestsPerSecond, final int maxPayload,
        final NanoClock clock, final ErrorReporter errors)
    {
        this(bindAddress, partitionsByCode, secret, maxMessagesPerRequest, maxRequestsPerSecond, DEFAULT_MAX_BYTES_PER_SECOND,
            DEFAULT_MAX_REQUESTERS, maxPayload, clock, errors);
    }

    /**
     * @param bindAddress           where to listen (a configured interface address and port).
     * @param partitionsByCode      partition code (the session's first 2 characters) to partition directory.
     * @param secret                bytes a request must carry after its 20 bytes, or null (or empty) for none:
     *                              then only a loopback address may be bound.
     * @param maxMessagesPerRequest the most messages one request is answered with.
     * @param maxRequestsPerSecond  the most requests served per requester address per second.
     * @param maxBytesPerSecond     the most bytes answered per requester address per second.
     * @param maxRequesters         requester addresses tracked in one second; more get nothing that second.
     * @param maxPayload            packet payload limit.
     * @param clock                 the clock for rate limiting.
     * @param errors                the error handler.
     * @throws IllegalArgumentException when asked to bind a non-loopback address without a secret.
     */
    public RetransmitServer(
        final InetSocketAddress bindAddress, final Map<String, Path> partitionsByCode, final byte[] secret,
        final int maxMessagesPerRequest, final int maxRequestsPerSecond, final long maxBytesPerSecond, final int maxRequesters,
        final int maxPayload, final NanoClock clock, final ErrorReporter errors)
    {
        final boolean hasSecret = secret != null && secret.length > 0;
        if (!hasSecret && (bindAddress.isUnresolved() || !bindAddress.getAddress().isLoopbackAddress()))
        {
            throw new IllegalArgumentException("re-request server: refusing to listen on " + bindAddress +
                " without a secret (anyone who can reach it could read the journal and aim its answers at others); " +
                "set replication.secret or bind to 127.0.0.1");
        }
        if (maxBytesPerSecond < MoldUdp64.HEADER_LENGTH || maxRequesters < 1)
        {
            throw new IllegalArgumentException("re-request server: maxBytesPerSecond " + maxBytesPerSecond +
                " must be at least " + MoldUdp64.HEADER_LENGTH + " and maxRequesters " + maxRequesters + " at least 1");
        }
        this.bindAddress = bindAddress;
        this.partitionsByCode = Map.copyOf(partitionsByCode);
        this.secret = hasSecret ? secret.clone() : null;
        this.maxMessagesPerRequest = maxMessagesPerRequest;
        this.maxRequestsPerSecond = maxRequestsPerSecond;
        this.maxBytesPerSecond = maxBytesPerSecond;
        this.budgets = new RequesterBudgets(maxRequesters);
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
            serving = true;
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
        if (!serving)
        {
            return 0;
        }
        try
        {
            int work = 0;
            SocketAddress from;
            while (work < 16 && (from = receive()) != null)
            {
                work++;
                try
                {
                    handle(from, request.position());
                }
                catch (final Exception | OutOfMemoryError ex)
                {
                    // One request's failure (a send the network refuses, a journal error) is that request's alone.
                    refused++;
                    errors.report("re-request failed", ex);
                }
            }
            return work;
        }
        catch (final Throwable ex)
        {
            // The agent is about to end: release the port so requesters are not left talking to nobody.
            serving = false;
            CloseHelper.quietClose(socket);
            throw ex;
        }
    }

    /** @return true while the socket is open and served; false once the server failed or closed. */
    public boolean isServing()
    {
        return serving;
    }

    private SocketAddress receive() throws IOException
    {
        request.clear();
        return socket.receive(request);
    }

    private void handle(final SocketAddress from, final int length) throws IOException
    {
        final int expectedLength = MoldUdp64.REQUEST_LENGTH + (secret == null ? 0 : secret.length);
        if (length != expectedLength || (secret != null && !secretMatches(requestView, MoldUdp64.REQUEST_LENGTH, secret)))
        {
            ignored++;
            errors.report("re-request ignored: " + (length != expectedLength ?
                "length " + length + " (want " + expectedLength + ")" : "wrong secret"), null);
            return;
        }
        requestView.getBytes(0, sessionBytes);
        final int day = MoldUdp64.day(sessionBytes);
        final Path partition = partitionsByCode.get(new String(sessionBytes, 0, 2, StandardCharsets.US_ASCII));
        if (day < 0 || partition == null || !Files.isDirectory(partition))
        {
            ignored++;
            errors.report("re-request ignored: unknown session", null);
            return;
        }
        final Budget budget = budgets.of(((InetSocketAddress)from).getAddress(), clock.nanoTime());
        if (budget == null)
        {
            refused++;
            errors.report("re-request refused: " + budgets.capacity() + " requesters already this second", null);
            return;
        }
        if (++budget.requests > maxRequestsPerSecond)
        {
            refused++;
            errors.report("re-request refused: rate limit for " + budget.address, null);
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
            send(builder.control(sessionBytes.clone(), available + 1, MoldUdp64.HEARTBEAT_COUNT), budget, from);
            return;
        }
        tailer.moveTo(day, first);
        final byte[] session = sessionBytes.clone();
        builder.begin(session, first);
        final long last = Math.min(available, first + count - 1);
        long sequence = first;
        boolean sentAll = true;
        int packets = 0;
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
            sentAll = sendPacket(budget, from);
            if (!sentAll)
            {
                break;
            }
            packets++;
            builder.begin(session, sequence);
        }
        if (sentAll && builder.count() > 0)
        {
            sentAll = sendPacket(budget, from);
            packets += sentAll ? 1 : 0;
        }
        if (packets > 0)
        {
            requestsServed++;
        }
        else
        {
            refused++;
        }
        if (!sentAll)
        {
            answersCut++;
            errors.report("re-request answer cut: " + maxBytesPerSecond + " bytes a second answered to " + budget.address, null);
        }
    }

    private boolean addToPacket(final int day, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        return builder.add(buffer, offset, length);
    }

    /** Send the built packet if the requester's byte budget allows it. */
    private boolean sendPacket(final Budget budget, final SocketAddress to) throws IOException
    {
        final int messages = builder.count();
        if (send(builder.finish(), budget, to))
        {
            messagesResent += messages;
            return true;
        }
        return false;
    }

    private boolean send(final ByteBuffer packet, final Budget budget, final SocketAddress to) throws IOException
    {
        final int bytes = packet.remaining();
        if (budget.bytes + bytes > maxBytesPerSecond)
        {
            return false;
        }
        budget.bytes += bytes;
        bytesAnswered += bytes;
        socket.send(packet, to);
        return true;
    }

    /**
     * Compare a secret in constant time: every byte is read and compared whatever the first
     * difference, so the time taken says nothing about how much of a guess was right.
     *
     * @param buffer holding the candidate.
     * @param offset where the candidate starts.
     * @param secret the secret (as long as the candidate).
     * @return true when equal.
     */
    static boolean secretMatches(final DirectBuffer buffer, final int offset, final byte[] secret)
    {
        int difference = 0;
        for (int i = 0; i < secret.length; i++)
        {
            difference |= buffer.getByte(offset + i) ^ secret[i];
        }
        return difference == 0;
    }

    @Override
    public void onClose()
    {
        serving = false;
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

    /** @return answers cut short by the byte limit. */
    public long answersCut()
    {
        return answersCut;
    }

    /** @return bytes sent in answers (packets and refusals). */
    public long bytesAnswered()
    {
        return bytesAnswered;
    }

    /** @return requester addresses in this second's table (never more than maxRequesters). */
    public int requesterCount()
    {
        return budgets.size();
    }

    /** What one address used this second. */
    private static final class Budget
    {
        InetAddress address;
        int requests;
        long bytes;
    }

    /**
     * Per-address budgets for the current second: a table of at most {@code capacity} entries, all
     * dropped when the second ends (a time bucket: no entry outlives it, so the table never grows and
     * nothing is evicted while live). Entries come from a preallocated pool.
     */
    private static final class RequesterBudgets
    {
        private final Map<InetAddress, Budget> byAddress;
        private final Budget[] pool;
        private int used;
        private long secondStartNs;
        private boolean started;

        RequesterBudgets(final int capacity)
        {
            byAddress = new HashMap<>(capacity * 2);
            pool = new Budget[capacity];
            for (int i = 0; i < capacity; i++)
            {
                pool[i] = new Budget();
            }
        }

        /** @return the address's budget this second, or null when the table is full. */
        Budget of(final InetAddress address, final long nowNs)
        {
            if (!started || nowNs - secondStartNs >= 1_000_000_000L)
            {
                started = true;
                secondStartNs = nowNs;
                byAddress.clear();
                used = 0;
            }
            final Budget existing = byAddress.get(address);
            if (existing != null)
            {
                return existing;
            }
            if (used == pool.length)
            {
                return null;
            }
            final Budget budget = pool[used++];
            budget.address = address;
            budget.requests = 0;
            budget.bytes = 0;
            byAddress.put(address, budget);
            return budget;
        }

        int capacity()
        {
            return pool.length;
        }

        int size()
        {
            return byAddress.size();
        }
    }

    @Override
    public String toString()
    {
        return "RetransmitServer" + Arrays.asList(bindAddress, partitionsByCode.keySet());
    }
}
