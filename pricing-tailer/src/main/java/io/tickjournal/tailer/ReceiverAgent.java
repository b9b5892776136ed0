package io.tickjournal.tailer;

import io.tickjournal.journal.RecordHandler;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.wire.MoldUdp64;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins the configured MoldUDP64 channels, reads its own non-blocking sockets on its own thread
 * (no hand-off), validates each packet and hands it to the sequencer of its session; it also owns
 * the unicast socket re-requests go out of and come back on, and steps every sequencer's recovery.
 * <p>
 * It trusts nothing on the wire: each multicast socket is bound to its group (not the wildcard), so
 * unicast to the port is never read, and joined on the configured interface; where a subscription
 * names a source address, packets from any other are counted ({@link #filtered}) and dropped; the
 * re-request socket is connected to the configured server, so the kernel delivers answers from it
 * alone. Malformed packets (bad framing, wrong length) and foreign ones (unknown session) are counted
 * and dropped; the sequencers check sessions against the tailer's day (from {@code epochClock}) and
 * validate every record. Recovery failures go to a bounded distinct-error log ({@link #errorLog()}).
 * One thread creates and uses every socket ({@link #onStart()}).
 */
public final class ReceiverAgent implements Agent
{
    /**
     * One partition to receive.
     *
     * @param partition     partition name (for TCP replay).
     * @param partitionCode its 2-character code in the sessions.
     * @param group         multicast group and port (or a unicast address to bind).
     * @param interfaceName interface to join on ({@code lo} in tests and the demo).
     * @param replicaDir    local replica for gap repair, or null.
     * @param startDay      first day to release (-1: the first day seen).
     * @param startSeq      first sequence (1: the whole day; 0: join live).
     * @param source        the only address packets of this group are accepted from (the bridge host), or
     *                      null for any.
     */
    public record Subscription(
        String partition, String partitionCode, InetSocketAddress group, String interfaceName, Path replicaDir,
        int startDay, long startSeq, InetAddress source)
    {
        /**
         * A subscription that accepts packets from any source address.
         *
         * @param partition     partition name (for TCP replay).
         * @param partitionCode its 2-character code in the sessions.
         * @param group         multicast group and port (or a unicast address to bind).
         * @param interfaceName interface to join on.
         * @param replicaDir    local replica for gap repair, or null.
         * @param startDay      first day to release (-1: the first day seen).
         * @param startSeq      first sequence (1: the whole day; 0: join live).
         */
        public Subscription(
            final String partition, final String partitionCode, final InetSocketAddress group, final String interfaceName,
            final Path replicaDir, final int startDay, final long startSeq)
        {
            this(partition, partitionCode, group, interfaceName, replicaDir, startDay, startSeq, null);
        }
    }

    /** Size of the distinct-error log: bounded, so a flapping source cannot grow it. */
    public static final int ERROR_LOG_BYTES = 64 * 1024;

    private final List<Subscription> subscriptions;
    private final InetSocketAddress rerequestServer;
    private final InetSocketAddress replicationSource;
    private final byte[] secret;
    private final Sequencer.Settings settings;
    private final RecordHandler listener;
    private final NanoClock clock;
    private final EpochClock epochClock;
    private final AtomicBuffer errorBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(ERROR_LOG_BYTES));
    private final DistinctErrorLog errorLog;
    private final List<DatagramChannel> sockets = new ArrayList<>();
    private final List<InetAddress> socketSources = new ArrayList<>();
    private int clockDay = RecordOrdering.NO_CLOCK;
    private long clockDayEndMs = Long.MIN_VALUE;
    private final List<ReplicaReader> readers = new ArrayList<>();
    /** Published whole once {@link #onStart()} built every sequencer (views on other threads read it). */
    private volatile Sequencer[] sequencers;
    private byte[][] codes;
    private DatagramChannel rerequestSocket;
    private final ByteBuffer packet = ByteBuffer.allocateDirect(65_536);
    private final UnsafeBuffer packetView = new UnsafeBuffer(packet);
    private final ByteBuffer request = ByteBuffer.allocateDirect(MoldUdp64.REQUEST_LENGTH + 256);
    private final UnsafeBuffer requestView = new UnsafeBuffer(request);

    public long packets;
    public long malformed;
    public long foreign;
    public long sendFailures;
    /** Packets from an address other than the subscription's configured source. */
    public long filtered;
    /** ICMP port-unreachable reports on the re-request socket (the server is not listening). */
    public long rerequestUnreachable;
    /** Errors that could not be recorded (the error log was full). */
    public long errorsNotLogged;

    /**
     * @param subscriptions     the partitions.
     * @param rerequestServer   the bridge's re-request server, or null.
     * @param replicationSource the feeder's replication source (TCP replay), or null.
     * @param secret            shared secret for both (empty for none).
     * @param settings          recovery knobs.
     * @param listener          receives every partition's records, each partition in order.
     * @param clock             clock for recovery timers.
     * @param epochClock        wall clock (ms) giving the tailer's trading day: sessions more than one day
     *                          from it are dropped.
     */
    public ReceiverAgent(
        final List<Subscription> subscriptions, final InetSocketAddress rerequestServer,
        final InetSocketAddress replicationSource, final byte[] secret, final Sequencer.Settings settings,
        final RecordHandler listener, final NanoClock clock, final EpochClock epochClock)
    {
        this.subscriptions = List.copyOf(subscriptions);
        this.rerequestServer = rerequestServer;
        this.replicationSource = replicationSource;
        this.secret = secret.clone();
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
        this.epochClock = epochClock;
        this.errorLog = new DistinctErrorLog(errorBuffer, epochClock);
    }

    @Override
    public void onStart()
    {
        try
        {
            if (rerequestServer != null)
            {
                rerequestSocket = DatagramChannel.open(StandardProtocolFamily.INET);
                rerequestSocket.bind(new InetSocketAddress(rerequestServer.getAddress().isLoopbackAddress() ?
                    InetAddress.getLoopbackAddress() : null, 0));
                // Connected: the kernel delivers datagrams from the configured server only.
                rerequestSocket.connect(rerequestServer);
                rerequestSocket.configureBlocking(false);
            }
            final Sequencer[] built = new Sequencer[subscriptions.size()];
            codes = new byte[subscriptions.size()][];
            final Map<InetSocketAddress, DatagramChannel> byGroup = new LinkedHashMap<>();
            for (int i = 0; i < subscriptions.size(); i++)
            {
                final Subscription s = subscriptions.get(i);
                final ReplicaReader reader = s.replicaDir() != null ? new ReplicaReader(s.replicaDir()) : null;
                if (reader != null)
                {
                    readers.add(reader);
                }
                built[i] = new Sequencer(s.partitionCode(), s.partition(), listener, reader,
                    rerequestSocket != null ? this::rerequest : null,
                    replicationSource != null ?
                        (p, d, q, buffer) -> new ReplicationClient(replicationSource, p, d, q, secret, buffer) : null,
                    settings, s.startDay(), s.startSeq(), this::onError);
                codes[i] = s.partitionCode().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                if (!byGroup.containsKey(s.group()))
                {
                    byGroup.put(s.group(), open(s));
                    socketSources.add(s.source());
                }
            }
            sequencers = built;
            sockets.addAll(byGroup.values());
            updateClockDay();
        }
        catch (final IOException ex)
        {
            onClose();
            throw new UncheckedIOException("cannot open receiver sockets", ex);
        }
    }

    private static DatagramChannel open(final Subscription s) throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
        final InetAddress address = s.group().getAddress();
        if (address.isMulticastAddress())
        {
            final NetworkInterface nif = NetworkInterface.getByName(s.interfaceName());
            if (nif == null)
            {
                channel.close();
                throw new SocketException("no interface " + s.interfaceName());
            }
            // Bound to the group, not the wildcard: unicast to the port, and other groups joined on
            // this host with the same port, never reach this socket.
            channel.bind(new InetSocketAddress(address, s.group().getPort()));
            channel.join(address, nif);
        }
        else
        {
            channel.bind(s.group());
        }
        channel.configureBlocking(false);
        return channel;
    }

    private void rerequest(final byte[] session, final long sequence, final int count)
    {
        request.clear();
        requestView.putBytes(0, session);
        requestView.putLong(MoldUdp64.SEQUENCE_OFFSET, sequence, MoldUdp64.ORDER);
        requestView.putShort(MoldUdp64.COUNT_OFFSET, (short)count, MoldUdp64.ORDER);
        requestView.putBytes(MoldUdp64.REQUEST_LENGTH, secret);
        request.limit(MoldUdp64.REQUEST_LENGTH + secret.length);
        try
        {
            if (rerequestSocket.write(request) == 0)
            {
                sendFailures++;
            }
        }
        catch (final IOException ex)
        {
            sendFailures++;
            onError(ex);
        }
    }

    @Override
    public int doWork() throws IOException
    {
        final long nowNs = clock.nanoTime();
        updateClockDay();
        int work = 0;
        for (int i = 0, n = sockets.size(); i < n; i++)
        {
            work += drain(sockets.get(i), socketSources.get(i), false, nowNs);
        }
        if (rerequestSocket != null)
        {
            try
            {
                work += drain(rerequestSocket, null, true, nowNs);
            }
            catch (final PortUnreachableException ex)
            {
                // The connected server is not listening; recovery moves on by its timeouts.
                rerequestUnreachable++;
                onError(ex);
            }
        }
        for (final Sequencer sequencer : sequencers)
        {
            work += sequencer.poll(nowNs);
        }
        return work;
    }

    private void updateClockDay()
    {
        final long nowMs = epochClock.time();
        if (nowMs >= clockDayEndMs || nowMs < clockDayEndMs - TradingDay.MILLIS_PER_DAY)
        {
            clockDay = TradingDay.ofEpochNs(nowMs * 1_000_000L);
            clockDayEndMs = (clockDay + 1L) * TradingDay.MILLIS_PER_DAY;
            for (final Sequencer sequencer : sequencers)
            {
                sequencer.clockDay(clockDay);
            }
        }
    }

    private int drain(
        final DatagramChannel socket, final InetAddress source, final boolean fromRerequest, final long nowNs) throws IOException
    {
        int work = 0;
        for (int k = 0; k < 64; k++)
        {
            packet.clear();
            final SocketAddress from = socket.receive(packet);
            if (from == null)
            {
                break;
            }
            work++;
            packets++;
            if (source != null && !source.equals(((InetSocketAddress)from).getAddress()))
            {
                filtered++;
                continue;
            }
            final int length = packet.position();
            final int count = MoldUdp64.validate(packetView, 0, length);
            if (count < 0)
            {
                malformed++;
                continue;
            }
            final Sequencer sequencer = sequencerOf(packetView);
            if (sequencer == null)
            {
                foreign++;
                continue;
            }
            sequencer.onPacket(packetView, 0, count, fromRerequest, nowNs);
        }
        return work;
    }

    private Sequencer sequencerOf(final UnsafeBuffer buffer)
    {
        final byte a = buffer.getByte(0);
        final byte b = buffer.getByte(1);
        for (int i = 0; i < codes.length; i++)
        {
            if (codes[i][0] == a && codes[i][1] == b)
            {
                return sequencers[i];
            }
        }
        return null;
    }

    private void onError(final Throwable error)
    {
        if (!errorLog.record(error))
        {
            errorsNotLogged++;
        }
    }

    /**
     * The distinct-error log (read it with Agrona's {@code ErrorLogReader}, from any thread).
     *
     * @return its buffer.
     */
    public AtomicBuffer errorLog()
    {
        return errorBuffer;
    }

    /**
     * The local address of the re-request socket (after {@link #onStart()}), or null without one.
     *
     * @return the address.
     * @throws IOException when it cannot be read.
     */
    public InetSocketAddress rerequestLocalAddress() throws IOException
    {
        return rerequestSocket == null ? null : (InetSocketAddress)rerequestSocket.getLocalAddress();
    }

    /** @return the sequencers, in subscription order (after {@link #onStart()}). */
    public List<Sequencer> sequencers()
    {
        return sequencers == null ? List.of() : List.of(sequencers);
    }

    @Override
    public void onClose()
    {
        if (sequencers != null)
        {
            for (final Sequencer s : sequencers)
            {
                if (s != null)
                {
                    s.close();
                }
            }
        }
        CloseHelper.quietCloseAll(sockets);
        CloseHelper.quietClose(rerequestSocket);
        CloseHelper.quietCloseAll(readers);
        sockets.clear();
    }

    @Override
    public String roleName()
    {
        return "pricing-receiver";
    }
}
