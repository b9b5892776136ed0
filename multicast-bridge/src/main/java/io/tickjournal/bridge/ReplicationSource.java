package io.tickjournal.bridge;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.wire.Replication;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TCP replication source: streams a partition to replicas from a requested (day, sequence) on,
 * live, with heartbeats (see {@link Replication} for the protocol).
 * <p>
 * Each client has its own tailer and a bounded output buffer; the journal is the backlog, so a
 * slow client only falls behind and never slows the feeder. A client whose socket takes nothing
 * for {@link #stallTimeoutNs} is dropped (it may reconnect and resume from its own last position).
 * <p>
 * <b>Nothing is spent on a stranger.</b> A connection that has not yet sent a valid hello is
 * <i>pending</i>: it holds its socket and a {@link Replication#MAX_HELLO_LENGTH}-byte heap buffer,
 * nothing else. It must complete a valid hello within {@link #helloTimeoutNs} or it is closed; at
 * most {@link #maxPending} connections are pending at once (the oldest is closed to make room, so
 * idle connections cannot lock a real replica out; a real replica sends its hello at once). Only a
 * valid hello (magic, secret, partition, position) gets a tailer and an output buffer, and at most
 * {@link #maxClients} are served at once: a valid hello beyond that gets the protocol's refusal
 * frame. Output buffers are direct, allocated on first need and reused, so this source never holds
 * more than {@code maxClients * bufferBytes} of them; an allocation the JVM refuses
 * ({@link OutOfMemoryError}) refuses that one client and nothing else.
 * <p>
 * <b>Failure:</b> an exception (or a refused allocation) on one connection drops that connection,
 * is counted ({@link #clientErrors()}) and reported. Anything else that escapes the duty cycle closes
 * the listening socket and every connection before it ends the agent, so the process never goes on
 * accepting connections it no longer serves (replicas see "connection refused", not silence).
 * <p>
 * <b>Threading:</b> an agent; the listening socket, the connections, the buffers and the tailers
 * belong to its thread.
 */
public final class ReplicationSource implements Agent
{
    /** Served clients: a handful of replicas and TCP replays per pricing host. */
    public static final int DEFAULT_MAX_CLIENTS = 32;
    /** Connections still to send their hello; beyond it the oldest is closed. */
    public static final int DEFAULT_MAX_PENDING = 256;
    /** A replica sends its hello as soon as it is connected; 3 s leaves room for a slow tunnel. */
    public static final long DEFAULT_HELLO_TIMEOUT_NS = 3_000_000_000L;
    /** Connections accepted per duty cycle, so a connection flood cannot starve the served clients. */
    static final int ACCEPTS_PER_CYCLE = 32;

    private final InetSocketAddress bindAddress;
    private final Map<String, Path> partitions;
    private final byte[] secret;
    private final long heartbeatIntervalNs;
    private final long stallTimeoutNs;
    private final int bufferBytes;
    private final int maxClients;
    private final int maxPending;
    private final long helloTimeoutNs;
    private final NanoClock clock;
    private final ErrorReporter errors;
    private final List<Connection> pending = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private final ArrayDeque<ByteBuffer> freeBuffers = new ArrayDeque<>();
    private final ByteBuffer refusal = ByteBuffer.allocate(Replication.FRAME_HEADER_LENGTH).order(Replication.ORDER);
    private ServerSocketChannel server;
    private volatile boolean serving;

    volatile long clientsAccepted;
    volatile long clientsDropped;
    volatile long clientsRefused;
    volatile long helloTimeouts;
    volatile long pendingEvicted;
    volatile long clientErrors;
    volatile long recordsSent;
    volatile int buffersAllocated;

    /**
     * A source with the default limits ({@link #DEFAULT_MAX_CLIENTS}, {@link #DEFAULT_MAX_PENDING},
     * {@link #DEFAULT_HELLO_TIMEOUT_NS}).
     *
     * @param bindAddress         where to listen.
     * @param partitions          partition name to directory, the partitions it may serve.
     * @param secret              the secret clients must send, or null for none.
     * @param heartbeatIntervalNs idle time before a heartbeat frame.
     * @param stallTimeoutNs      how long a client may take nothing before it is dropped.
     * @param bufferBytes         output buffer per served client.
     * @param clock               the clock.
     * @param errors              the error handler.
     */
    public ReplicationSource(
        final InetSocketAddress bindAddress, final Map<String, Path> partitions, final byte[] secret,
        final long heartbeatIntervalNs, final long stallTimeoutNs, final int bufferBytes,
        final NanoClock clock, final ErrorReporter errors)
    {
        this(bindAddress, partitions, secret, heartbeatIntervalNs, stallTimeoutNs, bufferBytes,
            DEFAULT_MAX_CLIENTS, DEFAULT_MAX_PENDING, DEFAULT_HELLO_TIMEOUT_NS, clock, errors);
    }

    /**
     * @param bindAddress         where to listen.
     * @param partitions          partition name to directory, the partitions it may serve.
     * @param secret              the secret clients must send, or null for none.
     * @param heartbeatIntervalNs idle time before a heartbeat frame.
     * @param stallTimeoutNs      how long a client may take nothing before it is dropped.
     * @param bufferBytes         output buffer per served client (direct, allocated after a valid hello).
     * @param maxClients          clients served at once; a valid hello beyond it is refused.
     * @param maxPending          connections waiting for their hello at once; beyond it the oldest is closed.
     * @param helloTimeoutNs      a connection with no valid hello this long after it was accepted is closed.
     * @param clock               the clock.
     * @param errors              the error handler.
     */
    public ReplicationSource(
        final InetSocketAddress bindAddress, final Map<String, Path> partitions, final byte[] secret,
        final long heartbeatIntervalNs, final long stallTimeoutNs, final int bufferBytes,
        final int maxClients, final int maxPending, final long helloTimeoutNs,
        final NanoClock clock, final ErrorReporter errors)
    {
        if (maxClients < 1 || maxPending < 1 || helloTimeoutNs <= 0 || bufferBytes < Replication.FRAME_HEADER_LENGTH)
        {
            throw new IllegalArgumentException("replication source: maxClients " + maxClients + ", maxPending " + maxPending +
                ", helloTimeoutNs " + helloTimeoutNs + ", bufferBytes " + bufferBytes + ": each must be positive");
        }
        this.bindAddress = bindAddress;
        this.partitions = Map.copyOf(partitions);
        this.secret = secret == null ? new byte[0] : secret.clone();
        this.heartbeatIntervalNs = heartbeatIntervalNs;
        this.stallTimeoutNs = stallTimeoutNs;
        this.bufferBytes = bufferBytes;
        this.maxClients = maxClients;
        this.maxPending = maxPending;
        this.helloTimeoutNs = helloTimeoutNs;
        this.clock = clock;
        this.errors = errors;
    }

    @Override
    public void onStart()
    {
        try
        {
            server = ServerSocketChannel.open();
            server.bind(bindAddress);
            server.configureBlocking(false);
            serving = true;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot bind replication source to " + bindAddress, ex);
        }
    }

    public InetSocketAddress localAddress() throws IOException
    {
        return (InetSocketAddress)server.getLocalAddress();
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
            final long nowNs = clock.nanoTime();
            return accept(nowNs) + pollPending(nowNs) + pollClients(nowNs);
        }
        catch (final Throwable ex)
        {
            stopServing(ex);
            throw ex;
        }
    }

    private int accept(final long nowNs)
    {
        int work = 0;
        boolean polled = false;
        while (work < ACCEPTS_PER_CYCLE)
        {
            final SocketChannel accepted;
            try
            {
                accepted = server.accept();
            }
            catch (final IOException ex)
            {
                // e.g. out of file descriptors: the connection stays in the backlog; make room and go on.
                errors.report("replication source cannot accept", ex);
                if (!pending.isEmpty())
                {
                    evictOldestPending();
                }
                break;
            }
            if (accepted == null)
            {
                break;
            }
            work++;
            clientsAccepted++;
            if (pending.size() >= maxPending && !polled)
            {
                // Promote every waiting connection whose hello has arrived before making room (once a
                // cycle): under a flood of reconnecting idle clients, a replica whose hello is already
                // in its socket must never be the one closed.
                polled = true;
                pollPending(nowNs);
            }
            if (pending.size() >= maxPending)
            {
                evictOldestPending();
            }
            final Connection connection = new Connection(accepted, nowNs);
            pending.add(connection);
            try
            {
                accepted.configureBlocking(false);
                accepted.socket().setTcpNoDelay(true);
                connection.remote = String.valueOf(accepted.getRemoteAddress());
            }
            catch (final IOException ex)
            {
                connection.failed = true;
                errors.report("replication connection setup failed", ex);
            }
        }
        return work;
    }

    private void evictOldestPending()
    {
        final Connection oldest = pending.remove(0);
        pendingEvicted++;
        errors.report("replication source: " + maxPending + " connections waiting for a hello; the oldest closed", null);
        closeQuietly(oldest.socket);
    }

    private int pollPending(final long nowNs)
    {
        int work = 0;
        for (int i = pending.size() - 1; i >= 0; i--)
        {
            final Connection connection = pending.get(i);
            int result;
            try
            {
                result = connection.failed ? Connection.CLOSE : connection.readHello();
            }
            catch (final Exception | OutOfMemoryError ex)
            {
                clientErrors++;
                errors.report("replication connection " + connection.remote + " failed before its hello", ex);
                result = Connection.CLOSE;
            }
            if (result == Connection.WAITING && nowNs - connection.acceptedNs >= helloTimeoutNs)
            {
                helloTimeouts++;
                errors.report("replication connection sent no valid hello within " + helloTimeoutNs / 1_000_000 + " ms; closed", null);
                result = Connection.CLOSE;
            }
            if (result == Connection.WAITING)
            {
                continue;
            }
            pending.remove(i);
            work++;
            if (result == Connection.HELLO)
            {
                promote(connection, nowNs);
            }
            else
            {
                closeQuietly(connection.socket);
            }
        }
        return work;
    }

    private void promote(final Connection connection, final long nowNs)
    {
        final Hello hello = connection.hello;
        final Path dir = partitions.get(hello.partition);
        if (!MessageDigest.isEqual(hello.secret, secret))
        {
            refuse(connection, "wrong secret");
        }
        else if (dir == null || !Files.isDirectory(dir))
        {
            refuse(connection, "unknown partition '" + hello.partition + "'");
        }
        else if (clients.size() >= maxClients)
        {
            refuse(connection, maxClients + " clients already served");
        }
        else
        {
            final ByteBuffer out = acquireBuffer();
            if (out == null)
            {
                refuse(connection, "no memory for another " + bufferBytes + "-byte client buffer");
                return;
            }
            final Client client = new Client(connection.socket, connection.remote, out, nowNs);
            clients.add(client);
            try
            {
                final String why = client.start(dir, hello.day, hello.sequence, nowNs);
                if (why != null)
                {
                    clients.remove(clients.size() - 1);
                    client.release();
                    refuse(connection, why);
                }
            }
            catch (final Exception | OutOfMemoryError ex)
            {
                clientErrors++;
                errors.report("replication client " + client.remote + " could not start", ex);
                clients.remove(clients.size() - 1);
                client.release();
                closeQuietly(connection.socket);
            }
        }
    }

    private int pollClients(final long nowNs)
    {
        int work = 0;
        for (int i = clients.size() - 1; i >= 0; i--)
        {
            final Client client = clients.get(i);
            try
            {
                work += client.doWork(nowNs);
            }
            catch (final Exception | OutOfMemoryError ex)
            {
                clientErrors++;
                errors.report("replication client " + client.remote + " dropped", ex);
                client.closed = true;
            }
            if (client.closed)
            {
                clients.remove(i);
                client.close();
            }
        }
        return work;
    }

    /** Direct output buffers are reused: allocated only when no released one is free. */
    private ByteBuffer acquireBuffer()
    {
        final ByteBuffer free = freeBuffers.poll();
        if (free != null)
        {
            return free.clear();
        }
        try
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(bufferBytes).order(Replication.ORDER);
            buffersAllocated++;
            return buffer;
        }
        catch (final OutOfMemoryError ex)
        {
            clientErrors++;
            errors.report("replication source: direct memory refused a client buffer", ex);
            return null;
        }
    }

    private void refuse(final Connection connection, final String why)
    {
        clientsRefused++;
        errors.report("replication hello from " + connection.remote + " refused: " + why, null);
        refusal.clear();
        refusal.putInt(Replication.REFUSED_LENGTH).putInt(-1).putLong(-1).flip();
        try
        {
            connection.socket.write(refusal); // 16 bytes always fit a fresh socket's buffer; best effort
        }
        catch (final IOException ignore)
        {
            // the peer is gone already: nothing to tell it
        }
        closeQuietly(connection.socket);
    }

    private void stopServing(final Throwable cause)
    {
        serving = false;
        CloseHelper.quietClose(server);
        for (final Connection connection : pending)
        {
            closeQuietly(connection.socket);
        }
        pending.clear();
        for (final Client client : clients)
        {
            client.closeQuietly();
        }
        clients.clear();
        try
        {
            errors.report("replication source stopped serving and closed its port " + bindAddress, cause);
        }
        catch (final Throwable ignore)
        {
            // the agent runner reports the cause itself
        }
    }

    private static void closeQuietly(final SocketChannel socket)
    {
        try
        {
            socket.close();
        }
        catch (final IOException ignore)
        {
            // closing: nothing left to do with it
        }
    }

    @Override
    public void onClose()
    {
        serving = false;
        pending.forEach(c -> closeQuietly(c.socket));
        pending.clear();
        clients.forEach(Client::close);
        clients.clear();
        freeBuffers.clear();
        CloseHelper.close(server);
    }

    @Override
    public String roleName()
    {
        return "replication-source";
    }

    /** @return true while the listening socket is open and served; false once it failed or closed. */
    public boolean isServing()
    {
        return serving;
    }

    /** @return clients served now (after a valid hello). */
    public int clientCount()
    {
        return clients.size();
    }

    /** @return connections waiting for their hello now. */
    public int pendingCount()
    {
        return pending.size();
    }

    public long clientsAccepted()
    {
        return clientsAccepted;
    }

    public long clientsDropped()
    {
        return clientsDropped;
    }

    public long clientsRefused()
    {
        return clientsRefused;
    }

    /** @return connections closed for sending no valid hello in time. */
    public long helloTimeouts()
    {
        return helloTimeouts;
    }

    /** @return pending connections closed to make room for newer ones. */
    public long pendingEvicted()
    {
        return pendingEvicted;
    }

    /** @return connections dropped on an exception or a refused allocation. */
    public long clientErrors()
    {
        return clientErrors;
    }

    /** @return direct output buffers allocated so far (never more than maxClients). */
    public int buffersAllocated()
    {
        return buffersAllocated;
    }

    public long recordsSent()
    {
        return recordsSent;
    }

    /** A parsed hello. */
    private static final class Hello
    {
        String partition;
        int day;
        long sequence;
        byte[] secret;
    }

    /**
     * A connection still to send its hello: a socket and a small heap buffer, nothing else.
     */
    private final class Connection
    {
        static final int WAITING = 0;
        static final int HELLO = 1;
        static final int CLOSE = 2;

        final SocketChannel socket;
        final long acceptedNs;
        final ByteBuffer in = ByteBuffer.allocate(Replication.MAX_HELLO_LENGTH).order(Replication.ORDER);
        String remote = "?";
        boolean failed;
        Hello hello;

        Connection(final SocketChannel socket, final long acceptedNs)
        {
            this.socket = socket;
            this.acceptedNs = acceptedNs;
        }

        /** @return {@link #WAITING}, {@link #HELLO} (framing valid: {@link #hello} set) or {@link #CLOSE}. */
        int readHello() throws IOException
        {
            if (socket.read(in) < 0)
            {
                return CLOSE;
            }
            final int have = in.position();
            if (have < 6)
            {
                return WAITING;
            }
            if (in.getInt(0) != Replication.MAGIC)
            {
                refuse(this, "not a replication hello");
                return CLOSE;
            }
            final int nameLength = in.getShort(4) & 0xFFFF;
            if (nameLength > 255)
            {
                refuse(this, "partition name too long");
                return CLOSE;
            }
            if (have < 6 + nameLength + 14)
            {
                return WAITING;
            }
            final int secretLength = in.getShort(6 + nameLength + 12) & 0xFFFF;
            if (secretLength > 255)
            {
                refuse(this, "secret too long");
                return CLOSE;
            }
            if (have < 6 + nameLength + 14 + secretLength)
            {
                return WAITING;
            }
            final byte[] nameBytes = new byte[nameLength];
            in.get(6, nameBytes);
            hello = new Hello();
            hello.partition = new String(nameBytes, StandardCharsets.US_ASCII);
            hello.day = in.getInt(6 + nameLength);
            hello.sequence = in.getLong(6 + nameLength + 4);
            hello.secret = new byte[secretLength];
            in.get(6 + nameLength + 14, hello.secret);
            return HELLO;
        }
    }

    /** A client after a valid hello: its tailer and its (reused) output buffer. */
    private final class Client
    {
        final SocketChannel socket;
        final String remote;
        final ByteBuffer out;
        final UnsafeBuffer outView;
        JournalTailer tailer;
        boolean closed;
        boolean released;
        long lastProgressNs;
        long lastFrameNs;
        int day;
        long nextSequence;

        Client(final SocketChannel socket, final String remote, final ByteBuffer out, final long nowNs)
        {
            this.socket = socket;
            this.remote = remote;
            this.out = out;
            this.outView = new UnsafeBuffer(out);
            this.lastProgressNs = nowNs;
            this.lastFrameNs = nowNs;
            out.clear().limit(0);
        }

        /** @return null when it starts streaming, or why the position is refused. */
        String start(final Path dir, final int wantDay, final long wantSeq, final long nowNs)
        {
            tailer = JournalTailer.open(dir, null);
            if (!tailer.moveTo(wantDay, Math.max(1, wantSeq)))
            {
                final long inDay = Partition.recordsInDay(tailer.queue(), wantDay);
                if (wantSeq == inDay + 1 && inDay > 0)
                {
                    tailer.moveTo(wantDay, inDay); // caught up: start after the last record
                    tailer.readOne((d, s, b, o, l) -> { });
                }
                else if (inDay == 0 && wantSeq <= 1 && wantDay > tailer.queue().lastCycle())
                {
                    tailer.toEnd(); // a day still to come: take it live from its first record
                }
                else
                {
                    return "no record " + wantDay + "/" + wantSeq;
                }
            }
            day = wantDay;
            nextSequence = Math.max(1, wantSeq);
            lastProgressNs = nowNs;
            return null;
        }

        int doWork(final long nowNs) throws IOException
        {
            int work = flush(nowNs);
            if (!out.hasRemaining())
            {
                out.clear();
                int n = 0;
                while (n < 1024 && tailer.offerOne(this::onRecord) > 0)
                {
                    n++;
                }
                if (n == 0 && nowNs - lastFrameNs >= heartbeatIntervalNs)
                {
                    frameHeader(Replication.HEARTBEAT_LENGTH, day, nextSequence);
                    n = 1;
                }
                out.flip();
                if (n > 0)
                {
                    lastFrameNs = nowNs;
                    work += n + flush(nowNs);
                }
            }
            if (out.hasRemaining() && nowNs - lastProgressNs > stallTimeoutNs)
            {
                clientsDropped++;
                errors.report("replication client " + remote + " took nothing for " + stallTimeoutNs / 1_000_000 +
                    " ms; dropped (it may reconnect and resume)", null);
                closed = true;
            }
            return work;
        }

        private boolean onRecord(final int d, final long sequence, final DirectBuffer buffer, final int offset, final int length)
        {
            if (out.remaining() < Replication.FRAME_HEADER_LENGTH + length)
            {
                if (out.position() == 0)
                {
                    throw new IllegalStateException("record of " + length + " bytes is larger than the client buffer");
                }
                return false;
            }
            frameHeader(length, d, sequence);
            outView.putBytes(out.position(), buffer, offset, length);
            out.position(out.position() + length);
            day = d;
            nextSequence = sequence + 1;
            recordsSent++;
            return true;
        }

        private void frameHeader(final int length, final int d, final long sequence)
        {
            out.putInt(length).putInt(d).putLong(sequence);
        }

        private int flush(final long nowNs) throws IOException
        {
            if (!out.hasRemaining())
            {
                lastProgressNs = nowNs;
                return 0;
            }
            final int written = socket.write(out);
            if (written > 0)
            {
                lastProgressNs = nowNs;
                return 1;
            }
            return 0;
        }

        /** Give the output buffer back for the next client (once). */
        void release()
        {
            if (tailer != null)
            {
                tailer.close();
                tailer = null;
            }
            if (!released)
            {
                released = true;
                freeBuffers.push(out);
            }
        }

        void close()
        {
            release();
            try
            {
                socket.close();
            }
            catch (final IOException ex)
            {
                errors.report("closing replication client " + remote, ex);
            }
        }

        void closeQuietly()
        {
            try
            {
                release();
            }
            catch (final RuntimeException ignore)
            {
                // stopping: the socket still gets closed
            }
            ReplicationSource.closeQuietly(socket);
        }
    }
}
