package io.tickjournal.ops;

import io.tickjournal.journal.wire.MoldUdp64;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * A receiver that drains a loopback multicast group on its own thread while a sender benchmark runs,
 * counting MoldUDP64 packets and messages. Without one, the kernel drops each looped-back datagram
 * (TTL 0 on {@code lo}) instead of copying it to a socket, which flatters every sender.
 *
 * <p>Threading: started and closed by the benchmark thread; the counters are written by the drain
 * thread only and read after {@link #close()} or through the volatile {@link #messages()}.
 */
final class DrainingReceiver implements AutoCloseable
{
    private final DatagramChannel channel;
    private final Thread thread;
    private volatile long packets;
    private volatile long messages;

    DrainingReceiver(final String group, final int port) throws IOException
    {
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
        channel.bind(new InetSocketAddress(InetAddress.getByName(group), port)); // this group only
        channel.join(InetAddress.getByName(group), NetworkInterface.getByName("lo"));
        thread = new Thread(this::drain, "bench-receiver");
        thread.setDaemon(true);
        thread.start();
    }

    private void drain()
    {
        final ByteBuffer packet = ByteBuffer.allocateDirect(65536).order(ByteOrder.BIG_ENDIAN);
        long p = 0;
        long m = 0;
        try
        {
            while (true)
            {
                packet.clear();
                channel.receive(packet);
                final int count = packet.getShort(MoldUdp64.COUNT_OFFSET) & 0xFFFF;
                p++;
                if (count != MoldUdp64.END_OF_SESSION_COUNT)
                {
                    m += count;
                }
                packets = p;
                messages = m;
            }
        }
        catch (final ClosedChannelException ex)
        {
            // closed: done
        }
        catch (final IOException ex)
        {
            ex.printStackTrace();
        }
    }

    long packets()
    {
        return packets;
    }

    long messages()
    {
        return messages;
    }

    /**
     * Wait until the receiver has counted {@code wanted} messages or has received nothing new for
     * {@code quietMs}.
     *
     * @return the messages received.
     */
    long awaitMessages(final long wanted, final long quietMs) throws InterruptedException
    {
        long last = -1;
        long quietSince = System.nanoTime();
        while (messages < wanted)
        {
            final long now = messages;
            if (now != last)
            {
                last = now;
                quietSince = System.nanoTime();
            }
            else if (System.nanoTime() - quietSince > quietMs * 1_000_000L)
            {
                break;
            }
            Thread.sleep(1);
        }
        return messages;
    }

    @Override
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            // closing
        }
        try
        {
            thread.join(1000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
