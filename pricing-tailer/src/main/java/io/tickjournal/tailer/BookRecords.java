package io.tickjournal.tailer;

import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.StreamKind;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Books from records: the one rule, shared by the feature engine and {@code verify}, for what a
 * journal record does to the {@link OrderBook} of its (venue, instrument).
 * <ul>
 * <li>A BookSnapshot replaces the book and makes it whole.</li>
 * <li>A BookDelta changes levels of a whole book; on a book that is not whole it is ignored
 *     (the book waits for the next snapshot).</li>
 * <li>A VenueStatus GAP_DETECTED or BOOK_RESET invalidates the book only when its {@code stream}
 *     is BOOK, or NONE (the whole feed; journals written before the field existed read as NONE, and
 *     a stream value this build does not know is taken as NONE: the safe side for a book).
 *     A trade-id gap (stream TRADE or AGG_TRADE) says nothing about the book and leaves it alone.</li>
 * </ul>
 * Decoders are reused: one instance per thread, no allocation per record.
 */
public final class BookRecords
{
    /** The record does not concern books. */
    public static final int NOT_A_BOOK_RECORD = 0;
    /** A snapshot replaced the book. */
    public static final int SNAPSHOT_APPLIED = 1;
    /** A delta changed a whole book. */
    public static final int DELTA_APPLIED = 2;
    /** A delta arrived for a book that is not whole: ignored until the next snapshot. */
    public static final int DELTA_WITHOUT_BOOK = 3;
    /** A gap or reset of the book (or of the whole feed) invalidated the book. */
    public static final int INVALIDATED = 4;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final BookSnapshotDecoder snapshot = new BookSnapshotDecoder();
    private final BookDeltaDecoder delta = new BookDeltaDecoder();
    private final VenueStatusDecoder status = new VenueStatusDecoder();

    /**
     * Whether a status invalidates the book of its instrument.
     *
     * @param kind   the status.
     * @param stream the stream it concerns.
     * @return true for a gap or reset of the book stream or of the whole feed.
     */
    public static boolean invalidatesBook(final VenueStatusKind kind, final StreamKind stream)
    {
        if (kind != VenueStatusKind.GAP_DETECTED && kind != VenueStatusKind.BOOK_RESET)
        {
            return false;
        }
        return stream == StreamKind.BOOK || stream == StreamKind.NONE || stream == StreamKind.NULL_VAL;
    }

    /**
     * Apply a record to its instrument's book.
     *
     * @param book       the book of the record's (venue, instrument).
     * @param templateId the record's template.
     * @param buffer     the record.
     * @param offset     where it starts.
     * @return one of the outcome constants of this class.
     */
    public int apply(final OrderBook book, final int templateId, final DirectBuffer buffer, final int offset)
    {
        switch (templateId)
        {
            case BookSnapshotDecoder.TEMPLATE_ID:
            {
                snapshot.wrapAndApplyHeader(buffer, offset, header);
                book.beginSnapshot();
                final int asksAt = applyLevels(book, true, buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength());
                applyLevels(book, false, buffer, asksAt);
                book.endSnapshot(snapshot.venueSeq());
                return SNAPSHOT_APPLIED;
            }
            case BookDeltaDecoder.TEMPLATE_ID:
            {
                if (!book.valid())
                {
                    return DELTA_WITHOUT_BOOK;
                }
                delta.wrapAndApplyHeader(buffer, offset, header);
                final int asksAt = applyLevels(book, true, buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength());
                applyLevels(book, false, buffer, asksAt);
                book.applied(delta.venueSeq());
                return DELTA_APPLIED;
            }
            case VenueStatusDecoder.TEMPLATE_ID:
            {
                status.wrapAndApplyHeader(buffer, offset, header);
                if (invalidatesBook(status.status(), stream(header.blockLength(), status)))
                {
                    book.reset();
                    return INVALIDATED;
                }
                return NOT_A_BOOK_RECORD;
            }
            default:
                return NOT_A_BOOK_RECORD;
        }
    }

    /** The status's stream; NONE for a record written before the field existed (a shorter block). */
    /**
     * One side's levels: the repeating group at {@code at} (block length and count, then entries of
     * price int64 at 0 and size int64 at 8, as BookSnapshot and BookDelta both lay them out), read
     * straight from the buffer after one bounds check of the whole group (the generated group
     * iterator checked every read and was a tenth of the tailer's time).
     *
     * @return where the group ends (the next group starts).
     */
    private static int applyLevels(final OrderBook book, final boolean bid, final DirectBuffer buffer, final int at)
    {
        final int blockLength = buffer.getShort(at, BookDeltaDecoder.BYTE_ORDER) & 0xFFFF;
        final int count = buffer.getShort(at + 2, BookDeltaDecoder.BYTE_ORDER) & 0xFFFF;
        final int first = at + BookDeltaDecoder.BidsDecoder.HEADER_SIZE;
        final int length = blockLength * count;
        if (count == 0)
        {
            return first + length;
        }
        if (blockLength < LEVEL_LENGTH)
        {
            throw new IllegalArgumentException("book level of " + blockLength + " bytes, shorter than price and size");
        }
        buffer.boundsCheck(first, length);
        if (NATIVE_ORDER)
        {
            final byte[] array = buffer.byteArray();
            final long address = buffer.addressOffset() + first;
            final long end = address + (long)count * blockLength;
            if (bid)
            {
                book.setFirstBid(UnsafeApi.getLong(array, address + PRICE_OFFSET), UnsafeApi.getLong(array, address + SIZE_OFFSET));
                for (long entry = address + blockLength; entry < end; entry += blockLength)
                {
                    book.setBid(UnsafeApi.getLong(array, entry + PRICE_OFFSET), UnsafeApi.getLong(array, entry + SIZE_OFFSET));
                }
            }
            else
            {
                book.setFirstAsk(UnsafeApi.getLong(array, address + PRICE_OFFSET), UnsafeApi.getLong(array, address + SIZE_OFFSET));
                for (long entry = address + blockLength; entry < end; entry += blockLength)
                {
                    book.setAsk(UnsafeApi.getLong(array, entry + PRICE_OFFSET), UnsafeApi.getLong(array, entry + SIZE_OFFSET));
                }
            }
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                final int entry = first + i * blockLength;
                book.set(bid, buffer.getLong(entry + PRICE_OFFSET, BookDeltaDecoder.BYTE_ORDER),
                    buffer.getLong(entry + SIZE_OFFSET, BookDeltaDecoder.BYTE_ORDER));
            }
        }
        return first + length;
    }

    private static final boolean NATIVE_ORDER = java.nio.ByteOrder.nativeOrder() == BookDeltaDecoder.BYTE_ORDER;
    private static final int PRICE_OFFSET = BookDeltaDecoder.BidsDecoder.priceEncodingOffset();
    private static final int SIZE_OFFSET = BookDeltaDecoder.BidsDecoder.sizeEncodingOffset();
    private static final int LEVEL_LENGTH = 16;

    static
    {
        // both book records and both sides share one level layout; a schema change must show up here
        if (BookSnapshotDecoder.BidsDecoder.priceEncodingOffset() != PRICE_OFFSET ||
            BookSnapshotDecoder.AsksDecoder.sizeEncodingOffset() != SIZE_OFFSET ||
            BookDeltaDecoder.AsksDecoder.priceEncodingOffset() != PRICE_OFFSET ||
            BookDeltaDecoder.AsksDecoder.sizeEncodingOffset() != SIZE_OFFSET ||
            BookSnapshotDecoder.BidsDecoder.sbeBlockLength() != LEVEL_LENGTH ||
            BookDeltaDecoder.BidsDecoder.sbeBlockLength() != LEVEL_LENGTH)
        {
            throw new IllegalStateException("book level layout changed: update BookRecords.applyLevels");
        }
    }

    private static StreamKind stream(final int blockLength, final VenueStatusDecoder status)
    {
        if (blockLength < VenueStatusDecoder.streamEncodingOffset() + VenueStatusDecoder.streamEncodingLength())
        {
            return StreamKind.NONE;
        }
        return status.stream();
    }
}
