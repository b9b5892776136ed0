package io.tickjournal.bridge;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a channel's packets go: its own socket. Created by the channel on the bridge thread and
 * reachable by nothing else.
 */
public interface PacketSink extends AutoCloseable
{
    /**
     * Send one whole packet.
     *
     * @param packet the bytes, from position to limit.
     * @return true when sent; false when the socket had no room (try again later).
     * @throws IOException when the network refused it (no route, interface down).
     */
    boolean send(ByteBuffer packet) throws IOException;

    @Override
    void close();

    /** Makes a channel's sink, on the bridge thread. */
    @FunctionalInterface
    interface Factory
    {
        PacketSink open(ChannelConfig config) throws IOException;
    }
}
