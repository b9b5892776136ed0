package io.tickjournal.journal.wire;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Packs journal records into one MoldUDP64 packet at a time, up to a fixed payload size.
 * Packing depends only on record sizes, so the same day always yields the same packets.
 * <p>
 * Threading: owned by one sender thread. The packet lives in a direct buffer that the owner
 * hands to its socket with {@link #byteBuffer()}.
 */
public final class MoldUdp64PacketBuilder
{
    /** Largest UDP payload over IPv4; a single record bigger than the configured payload goes alone, up to this. */
    public static final int MAX_UDP_PAYLOAD = 65_507;

    private final ByteBuffer byteBuffer;
    private final UnsafeBuffer buffer;
    private final int maxPayload;
    private byte[] session;
    private long firstSequence;
    private int count;
    private int length;

    /**
     * @param maxPayload largest UDP payload to build (header included), e.g. 1472.
     */
    public MoldUdp64PacketBuilder(final int maxPayload)
    {
        if (maxPayload < MoldUdp64.HEADER_LENGTH + MoldUdp64.MESSAGE_LENGTH_FIELD + 1 || maxPayload > 65_507)
        {
            throw new IllegalArgumentException("max payload must be between 23 and 65507 bytes, got " + maxPayload);
        }
        this.maxPayload = maxPayload;
        this.byteBuffer = ByteBuffer.allocateDirect(MAX_UDP_PAYLOAD);
        this.buffer = new UnsafeBuffer(byteBuffer);
    }

    /**
     * Start a data packet.
     *
     * @param session       10 session bytes.
     * @param firstSequence sequence of the first message that will be added.
     */
    public void begin(final byte[] session, final long firstSequence)
    {
        this.session = session;
        this.firstSequence = firstSequence;
        this.count = 0;
        this.length = MoldUdp64.HEADER_LENGTH;
    }

    /**
     * Whether a message of this length still fits.
     *
     * @param messageLength the message's bytes.
     * @return true when {@link #add} would succeed.
     */
    public boolean fits(final int messageLength)
    {
        if (count == 0)
        {
            return canEverFit(messageLength);
        }
        return count < MoldUdp64.MAX_MESSAGES && length + MoldUdp64.MESSAGE_LENGTH_FIELD + messageLength <= maxPayload;
    }

    /**
     * Whether a message of this length can be sent at all: alone in a packet (which may then
     * exceed the configured payload, up to the UDP maximum).
     *
     * @param messageLength the message's bytes.
     * @return true when an empty packet holds it.
     */
    public boolean canEverFit(final int messageLength)
    {
        return MoldUdp64.HEADER_LENGTH + MoldUdp64.MESSAGE_LENGTH_FIELD + messageLength <= MAX_UDP_PAYLOAD;
    }

    /**
     * Append a message (the record bytes, copied).
     *
     * @param src    the record.
     * @param offset where it starts.
     * @param len    its length.
     * @return false when it does not fit (nothing written).
     */
    public boolean add(final DirectBuffer src, final int offset, final int len)
    {
        if (!fits(len))
        {
            return false;
        }
        buffer.putShort(length, (short)len, MoldUdp64.ORDER);
        buffer.putBytes(length + MoldUdp64.MESSAGE_LENGTH_FIELD, src, offset, len);
        length += MoldUdp64.MESSAGE_LENGTH_FIELD + len;
        count++;
        return true;
    }

    /**
     * Finish the packet: write the header and expose the bytes.
     *
     * @return the packet, positioned for a socket write.
     */
    public ByteBuffer finish()
    {
        MoldUdp64.putHeader(buffer, session, firstSequence, count);
        byteBuffer.limit(length).position(0);
        return byteBuffer;
    }

    /**
     * Build a header-only packet: heartbeat ({@code count} 0) or end of session (0xFFFF).
     *
     * @param session      10 session bytes.
     * @param nextSequence the next sequence the session will use.
     * @param count        {@link MoldUdp64#HEARTBEAT_COUNT} or {@link MoldUdp64#END_OF_SESSION_COUNT}.
     * @return the packet, positioned for a socket write.
     */
    public ByteBuffer control(final byte[] session, final long nextSequence, final int count)
    {
        this.session = session;
        this.firstSequence = nextSequence;
        this.count = 0;
        this.length = MoldUdp64.HEADER_LENGTH;
        MoldUdp64.putHeader(buffer, session, nextSequence, count);
        byteBuffer.limit(MoldUdp64.HEADER_LENGTH).position(0);
        return byteBuffer;
    }

    /** Rewind the finished packet for another write attempt (after a failed send). */
    public ByteBuffer retry()
    {
        return byteBuffer.position(0);
    }

    public int count()
    {
        return count;
    }

    public long firstSequence()
    {
        return firstSequence;
    }

    public int length()
    {
        return length;
    }

    public UnsafeBuffer buffer()
    {
        return buffer;
    }
}
