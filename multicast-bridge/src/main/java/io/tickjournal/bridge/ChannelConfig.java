package io.tickjournal.bridge;

import io.tickjournal.journal.wire.MoldUdp64;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One bridge channel: which partition it tails and where its packets go. Validated on
 * construction, immutable after.
 *
 * @param partitionDir      the journal partition to tail.
 * @param partitionCode     2 characters naming the partition in the MoldUDP64 session.
 * @param destination       multicast group (or unicast address) and port.
 * @param interfaceName     network interface multicast leaves through ({@code lo} in tests and the demo).
 * @param ttl               multicast TTL; 0 keeps packets on this host.
 * @param maxPayload        largest UDP payload, header included (1472 fits an Ethernet MTU).
 * @param heartbeatIntervalNs idle time after which a heartbeat is sent.
 * @param startDay          where a bridge with no saved position starts: the first record of this
 *                          trading day, or of the earliest day when -1 (a restarted bridge always
 *                          resumes after the last record it sent).
 */
public record ChannelConfig(
    Path partitionDir,
    String partitionCode,
    InetSocketAddress destination,
    String interfaceName,
    int ttl,
    int maxPayload,
    long heartbeatIntervalNs,
    int startDay)
{
    /** Start a fresh bridge at the beginning of the partition. */
    public static final int FROM_EARLIEST_DAY = -1;

    /** Default heartbeat: once a second when idle, as MoldUDP64 feeds usually do. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_NS = 1_000_000_000L;

    public ChannelConfig
    {
        Objects.requireNonNull(partitionDir, "partitionDir");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(interfaceName, "interfaceName");
        MoldUdp64.session(partitionCode, 0); // validates the code, naming it
        if (ttl < 0 || ttl > 255)
        {
            throw new IllegalArgumentException("ttl must be 0..255, got " + ttl);
        }
        if (heartbeatIntervalNs <= 0)
        {
            throw new IllegalArgumentException("heartbeat interval must be positive, got " + heartbeatIntervalNs + " ns");
        }
        if (destination.isUnresolved())
        {
            throw new IllegalArgumentException("destination " + destination + " does not resolve");
        }
    }

    /**
     * A loopback-only channel (TTL 0 on {@code lo}) as tests and the demo use.
     *
     * @param partitionDir  the partition.
     * @param partitionCode its 2-character code.
     * @param group         multicast group, e.g. 239.255.10.1.
     * @param port          UDP port.
     * @return the config.
     */
    public static ChannelConfig loopback(final Path partitionDir, final String partitionCode, final String group, final int port)
    {
        return new ChannelConfig(partitionDir, partitionCode, new InetSocketAddress(group, port), "lo", 0,
            MoldUdp64.DEFAULT_MAX_PAYLOAD, DEFAULT_HEARTBEAT_INTERVAL_NS, FROM_EARLIEST_DAY);
    }

    /**
     * The interface packets leave through.
     *
     * @return the interface.
     * @throws IllegalArgumentException when it does not exist.
     */
    public NetworkInterface networkInterface()
    {
        try
        {
            final NetworkInterface nif = NetworkInterface.getByName(interfaceName);
            if (nif == null)
            {
                throw new IllegalArgumentException("no network interface named '" + interfaceName + "'");
            }
            return nif;
        }
        catch (final SocketException ex)
        {
            throw new IllegalArgumentException("cannot look up network interface '" + interfaceName + "'", ex);
        }
    }

    public boolean isMulticast()
    {
        final InetAddress address = destination.getAddress();
        return address.isMulticastAddress();
    }
}
