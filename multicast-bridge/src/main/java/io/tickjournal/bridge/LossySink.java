package io.tickjournal.bridge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Fault injection between a bridge channel and its socket, for the demo and tests: drops,
 * duplicates and reorders packets with a seeded random, as a lossy network would. Never used
 * unless asked for; the journal and the position logic are unaffected (the bridge believes every
 * packet was sent, exactly as with real loss after the NIC).
 */
public final class LossySink implements PacketSink
{
    private final PacketSink real;
    private final SplittableRandom random;
    private final int lossPpm;
    private ByteBuffer held;
    private long dropped;

    /**
     * @param real the socket.
     * @param loss probability of dropping a packet; half of it again duplicates, half reorders.
     * @param seed random seed.
     */
    public LossySink(final PacketSink real, final double loss, final long seed)
    {
        this.real = real;
        if (!(loss >= 0 && loss < 1))
        {
            throw new IllegalArgumentException("loss must be in [0, 1), got " + loss);
        }
        this.lossPpm = (int)Math.round(loss * 1_000_000);
        this.random = new SplittableRandom(seed);
    }

    /**
     * A factory wrapping {@link DatagramSink}.
     *
     * @param loss probability of dropping a packet.
     * @param seed random seed.
     * @return the factory.
     */
    public static PacketSink.Factory factory(final double loss, final long seed)
    {
        return config -> new LossySink(new DatagramSink(config), loss, seed + config.partitionCode().hashCode());
    }

    /** @return packets dropped. */
    public long dropped()
    {
        return dropped;
    }

    @Override
    public boolean send(final ByteBuffer packet) throws IOException
    {
        // Integer parts per million: no floating point in the send path even when injecting faults.
        final int r = random.nextInt(1_000_000);
        if (r < lossPpm)
        {
            dropped++;
            packet.position(packet.limit());
            return true;
        }
        if (r < lossPpm + lossPpm / 2 && held == null)
        {
            held = ByteBuffer.allocate(packet.remaining()).put(packet).flip();
            return true;
        }
        final ByteBuffer copy = r < 2 * lossPpm ? ByteBuffer.allocate(packet.remaining()).put(packet.duplicate()).flip() : null;
        final boolean sent = real.send(packet);
        if (copy != null)
        {
            real.send(copy);
        }
        if (held != null && sent)
        {
            real.send(held);
            held = null;
        }
        return sent;
    }

    @Override
    public void close()
    {
        real.close();
    }
}
