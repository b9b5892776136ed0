package io.tickjournal.tailer;

import io.tickjournal.journal.gen.SyntheticMarket;
import io.tickjournal.journal.wire.MoldUdp64;
import io.tickjournal.journal.wire.MoldUdp64PacketBuilder;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds what a tailer receives, for tests: valid records from a seeded synthetic market, and
 * MoldUDP64 packets (data, heartbeat, end of session, or hand-made bad ones) carrying them.
 */
final class Wire
{
    private Wire()
    {
    }

    /**
     * Records of a seeded market: a definition, a snapshot, then trades and deltas.
     *
     * @param count records wanted.
     * @param seed  market seed.
     * @param startNs receive time of the first record.
     * @return each record's bytes.
     */
    static List<byte[]> records(final int count, final long seed, final long startNs)
    {
        final SyntheticMarket market = new SyntheticMarket(seed, 1, 7, 6_500_000, 1_000_000L);
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final List<byte[]> records = new ArrayList<>();
        long t = startNs;
        for (int i = 0; i < count; i++)
        {
            t += 1_000_000L;
            final int length = i == 0 ? market.encodeDefinition(buffer, 0, t, "BTCUSDT", "BTC-USDT") :
                i == 1 ? market.encodeSnapshot(buffer, 0, t, 5) :
                (i % 3) == 0 ? market.encodeTrade(buffer, 0, t) : market.encodeDelta(buffer, 0, t, 3);
            final byte[] bytes = new byte[length];
            buffer.getBytes(0, bytes);
            records.add(bytes);
        }
        return records;
    }

    /**
     * A data packet.
     *
     * @param code     partition code.
     * @param day      the session's day.
     * @param sequence sequence of the first message.
     * @param messages the messages.
     * @return a copy of the packet's bytes.
     */
    static UnsafeBuffer packet(final String code, final int day, final long sequence, final byte[]... messages)
    {
        final MoldUdp64PacketBuilder builder = new MoldUdp64PacketBuilder(MoldUdp64PacketBuilder.MAX_UDP_PAYLOAD);
        builder.begin(MoldUdp64.session(code, day), sequence);
        for (final byte[] message : messages)
        {
            if (!builder.add(new UnsafeBuffer(message), 0, message.length))
            {
                throw new IllegalArgumentException("does not fit");
            }
        }
        return copy(builder.finish());
    }

    /**
     * A heartbeat or end of session.
     *
     * @param code         partition code.
     * @param day          the session's day.
     * @param nextSequence the sender's next sequence.
     * @param count        {@link MoldUdp64#HEARTBEAT_COUNT} or {@link MoldUdp64#END_OF_SESSION_COUNT}.
     * @return the packet's bytes.
     */
    static UnsafeBuffer control(final String code, final int day, final long nextSequence, final int count)
    {
        return copy(new MoldUdp64PacketBuilder(1472).control(MoldUdp64.session(code, day), nextSequence, count));
    }

    static UnsafeBuffer heartbeat(final String code, final int day, final long nextSequence)
    {
        return control(code, day, nextSequence, MoldUdp64.HEARTBEAT_COUNT);
    }

    static UnsafeBuffer endOfSession(final String code, final int day, final long nextSequence)
    {
        return control(code, day, nextSequence, MoldUdp64.END_OF_SESSION_COUNT);
    }

    private static UnsafeBuffer copy(final ByteBuffer packet)
    {
        final byte[] bytes = new byte[packet.remaining()];
        packet.duplicate().get(bytes);
        return new UnsafeBuffer(bytes);
    }
}
