package io.tickjournal.ingest.sim;

import io.netty.channel.Channel;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One client connection of the simulator: its path, the streams it is subscribed to and its
 * timers. Simulator thread only.
 */
public final class SimConnection
{
    final Channel channel;
    final long openedMs;
    final int number;
    String path = "";
    /** Binance's combined endpoint wraps each message in {@code {"stream":..,"data":..}}. */
    boolean combined;
    final Set<String> streams = new LinkedHashSet<>();
    long lastKeepaliveMs;
    boolean stalled;
    boolean ageClosed;
    long closeAtMs;

    SimConnection(final Channel channel, final long openedMs, final int number)
    {
        this.channel = channel;
        this.openedMs = openedMs;
        this.lastKeepaliveMs = openedMs;
        this.number = number;
    }

    /** @return the path it connected to. */
    public String path()
    {
        return path;
    }

    /** @return the streams it is subscribed to (live view; simulator thread only). */
    public Set<String> streams()
    {
        return streams;
    }

    /**
     * A connection id in the shape venues print ({@code conn_id}, {@code connId}): fixed per connection.
     *
     * @param length hex digits.
     * @return the id.
     */
    public String connId(final int length)
    {
        final String hex = String.format("%016x", 0x5a4d3ae5_50000000L + number * 0x9e3779b97f4a7c15L);
        return hex.substring(0, Math.min(length, 16));
    }
}
