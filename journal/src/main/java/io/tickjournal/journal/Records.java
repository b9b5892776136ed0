package io.tickjournal.journal;

import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Fixed offsets of the common block every record starts with, so generic code (seek, verify,
 * bridge, audit) reads them without knowing the template.
 *
 * <pre>
 * | offset (after the 8-byte SBE header) | field         | type   |
 * |--------------------------------------|---------------|--------|
 * | 0                                    | receiveTimeNs | int64  |
 * | 8                                    | eventTimeNs   | int64  |
 * | 16                                   | venueSeq      | int64  |
 * | 24                                   | rawIndex      | int64  |
 * | 32                                   | venueId       | uint16 |
 * | 34                                   | flags         | uint16 |
 * | 36                                   | instrumentId  | int32  |
 * </pre>
 */
public final class Records
{
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    public static final int RECEIVE_TIME_OFFSET = HEADER_LENGTH;
    public static final int EVENT_TIME_OFFSET = HEADER_LENGTH + 8;
    public static final int VENUE_SEQ_OFFSET = HEADER_LENGTH + 16;
    public static final int RAW_INDEX_OFFSET = HEADER_LENGTH + 24;
    public static final int VENUE_ID_OFFSET = HEADER_LENGTH + 32;
    public static final int FLAGS_OFFSET = HEADER_LENGTH + 34;
    public static final int INSTRUMENT_ID_OFFSET = HEADER_LENGTH + 36;
    /** Smallest possible record: header plus the common block. */
    public static final int MIN_LENGTH = HEADER_LENGTH + 40;

    /** Null value of int64 fields (SBE's). */
    public static final long NULL_LONG = Long.MIN_VALUE;

    /** Flag: the record came from a REST snapshot rather than the stream. */
    public static final int FLAG_FROM_SNAPSHOT = 1 << 1;

    /**
     * Flag: the record was held back and journaled after records received later than it (book
     * events buffered during a join are journaled after their snapshot). Its receive time is the
     * true one, so it may be earlier than the record before it; time seeks treat it as part of
     * the moment it was journaled.
     */
    public static final int FLAG_DEFERRED = 1 << 2;

    /**
     * Write the common block every record starts with (after {@code wrapAndApplyHeader} of any
     * encoder of this schema, whose fields 1 to 7 are this block at these offsets).
     *
     * @param buffer        the record.
     * @param offset        where its SBE header starts.
     * @param receiveTimeNs receive time.
     * @param eventTimeNs   venue event time or {@link #NULL_LONG}.
     * @param venueSeq      venue sequence or {@link #NULL_LONG}.
     * @param rawIndex      raw frame index or {@link #NULL_LONG}.
     * @param venueId       venue id.
     * @param flags         flags.
     * @param instrumentId  instrument id.
     */
    public static void putCommon(
        final MutableDirectBuffer buffer, final int offset, final long receiveTimeNs, final long eventTimeNs,
        final long venueSeq, final long rawIndex, final int venueId, final int flags, final int instrumentId)
    {
        buffer.putLong(offset + RECEIVE_TIME_OFFSET, receiveTimeNs, ORDER);
        buffer.putLong(offset + EVENT_TIME_OFFSET, eventTimeNs, ORDER);
        buffer.putLong(offset + VENUE_SEQ_OFFSET, venueSeq, ORDER);
        buffer.putLong(offset + RAW_INDEX_OFFSET, rawIndex, ORDER);
        buffer.putShort(offset + VENUE_ID_OFFSET, (short)venueId, ORDER);
        buffer.putShort(offset + FLAGS_OFFSET, (short)flags, ORDER);
        buffer.putInt(offset + INSTRUMENT_ID_OFFSET, instrumentId, ORDER);
    }

    /**
     * @param buffer the record.
     * @param offset where it starts.
     * @return its flags.
     */
    public static int flags(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(FLAGS_OFFSET + offset, ORDER) & 0xFFFF;
    }

    private Records()
    {
    }

    public static int templateId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + 2, ORDER) & 0xFFFF;
    }

    public static long receiveTimeNs(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + RECEIVE_TIME_OFFSET, ORDER);
    }

    public static long eventTimeNs(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + EVENT_TIME_OFFSET, ORDER);
    }

    public static long venueSeq(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + VENUE_SEQ_OFFSET, ORDER);
    }

    public static long rawIndex(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + RAW_INDEX_OFFSET, ORDER);
    }

    public static int venueId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + VENUE_ID_OFFSET, ORDER) & 0xFFFF;
    }

    public static int instrumentId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + INSTRUMENT_ID_OFFSET, ORDER);
    }
}
