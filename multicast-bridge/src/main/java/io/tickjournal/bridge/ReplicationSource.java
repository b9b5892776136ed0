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
 * <b>Threading:</b> an agent; the listening socket, the client sockets and the tailers belong to
 * its thread.
 */
public final class ReplicationSource implements Agent
{
    private final InetSocketAddress bindAddress;
    private final Map<String, Path> partitions;
    private final byte[] secret;
    private final long heartbeatIntervalNs;
    private final long stallTimeoutNs;
    private final int bufferBytes;
    private final NanoClock clock;
    private final ErrorReporter errors;
    private final List<Client> clients = new ArrayList<>();
    private ServerSocketChannel server;

    volatile long clientsAccepted;
    volatile long clientsDropped;
    volatile long clientsRefused;
    volatile long recordsSent;

    /**
     * @param bindAddress         where to listen.
     * @param partitions          partition name to directory, the partitions it may serve.
     * @param secret              the secret clients must send, or null for none.
     * @param heartbeatIntervalNs idle time before a heartbeat frame.
     * @param stallTimeoutNs      how long a client may take nothing before it is dropped.
     * @param bufferBytes         output buffer per client.
     * @param clock               the clock.
     * @param errors              the error handler.
     */
    public ReplicationSource(
        final InetSocketAddress bindAddress, final Map<String, Path> partitions, final byte[] secret,
        final long heartbeatIntervalNs, final long stallTimeoutNs, final int bufferBytes,
        final NanoClock clock, final ErrorReporter errors)
    {
        this.bindAddress = bindAddress;
        this.partitions = Map.copyOf(partitions);
        this.secret = secret == null ? new byte[0] : secret.clone();
        this.heartbeatIntervalNs = heartbeatIntervalNs;
        this.stallTimeoutNs = stallTimeoutNs;
        this.bufferBytes = bufferBytes;
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
        final long nowNs = clock.nanoTime();
        int work = 0;
        SocketChannel accepted;
        while ((accepted = server.accept()) != null)
        {
            accepted.configureBlocking(false);
            accepted.socket().setTcpNoDelay(true);
            clients.add(new Client(accepted, nowNs));
            clientsAccepted++;
            work++;
        }
        for (int i = clients.size() - 1; i >= 0; i--)
        {
            final Client client = clients.get(i);
            try
            {
                work += client.doWork(nowNs);
            }
            catch (final IOException | RuntimeException ex)
            {
                errors.report("replication client " + client.remote + " dropped", ex);
                client.closed = true;
            }
            if (client.closed)
            {
                client.close();
                clients.remove(i);
            }
        }
        return work;
    }

    @Override
    public void onClose()
    {
        clients.forEach(Client::close);
        clients.clear();
        CloseHelper.close(server);
    }

    @Override
    public String roleName()
    {
        return "replication-source";
    }

    public int clientCount()
    {
        return clients.size();
    }

    public long clientsDropped()
    {
        return clientsDropped;
    }

    public long clientsRefused()
    {
        return clientsRefused;
    }

    public long recordsSent()
    {
        return recordsSent;
    }

    private final class Client
    {
        final SocketChannel socket;
        final String remote;
        final ByteBuffer in = ByteBuffer.allocate(Replication.MAX_HELLO_LENGTH).order(Replication.ORDER);
        final ByteBuffer out = ByteBuffer.allocateDirect(bufferBytes).order(Replication.ORDER);
        final UnsafeBuffer outView = new UnsafeBuffer(out);
        JournalTailer tailer;
        boolean closed;
        boolean refusing;
        long lastProgressNs;
        long lastFrameNs;
        int day;
        long nextSequence;

        Client(final SocketChannel socket, final long nowNs) throws IOException
        {
            this.socket = socket;
            this.remote = String.valueOf(socket.getRemoteAddress());
            this.lastProgressNs = nowNs;
            this.lastFrameNs = nowNs;
            out.limit(0);
        }

        int doWork(final long nowNs) throws IOException
        {
            if (tailer == null && !refusing)
            {
                return readHello(nowNs);
            }
            int work = flush(nowNs);
            if (refusing)
            {
                if (!out.hasRemaining())
                {
                    closed = true;
                }
                return work;
            }
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

        private int readHello(final long nowNs) throws IOException
        {
            if (socket.read(in) < 0)
            {
                closed = true;
                return 1;
            }
            final int have = in.position();
            if (have < 6)
            {
                return 0;
            }
            if (in.getInt(0) != Replication.MAGIC)
            {
                return refuse("not a replication hello");
            }
            final int nameLength = in.getShort(4) & 0xFFFF;
            if (nameLength > 255)
            {
                return refuse("partition name too long");
            }
            if (have < 6 + nameLength + 14)
            {
                return 0;
            }
            final int secretLength = in.getShort(6 + nameLength + 12) & 0xFFFF;
            if (secretLength > 255)
            {
                return refuse("secret too long");
            }
            if (have < 6 + nameLength + 14 + secretLength)
            {
                return 0;
            }
            final byte[] nameBytes = new byte[nameLength];
            in.get(6, nameBytes);
            final String name = new String(nameBytes, StandardCharsets.US_ASCII);
            final int wantDay = in.getInt(6 + nameLength);
            final long wantSeq = in.getLong(6 + nameLength + 4);
            final byte[] given = new byte[secretLength];
            in.get(6 + nameLength + 14, given);
            if (!MessageDigest.isEqual(given, secret))
            {
                return refuse("wrong secret");
            }
            final Path dir = partitions.get(name);
            if (dir == null || !Files.isDirectory(dir))
            {
                return refuse("unknown partition '" + name + "'");
            }
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
                    return refuse("no record " + wantDay + "/" + wantSeq + " in " + name);
                }
            }
            day = wantDay;
            nextSequence = Math.max(1, wantSeq);
            lastProgressNs = nowNs;
            return 1;
        }

        private int refuse(final String why)
        {
            clientsRefused++;
            errors.report("replication hello from " + remote + " refused: " + why, null);
            refusing = true;
            out.clear();
            frameHeader(Replication.REFUSED_LENGTH, -1, -1);
            out.flip();
            return 1;
        }

        void close()
        {
            if (tailer != null)
            {
                tailer.close();
            }
            try
            {
                socket.close();
            }
            catch (final IOException ex)
            {
                errors.report("closing replication client " + remote, ex);
            }
        }
    }

}
