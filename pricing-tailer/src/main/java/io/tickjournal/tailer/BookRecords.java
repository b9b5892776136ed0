package io.tickjournal.tailer;

import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.StreamKind;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.DirectBuffer;

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
                for (final BookSnapshotDecoder.BidsDecoder level : snapshot.bids())
                {
                    book.set(true, level.price(), level.size());
                }
                for (final BookSnapshotDecoder.AsksDecoder level : snapshot.asks())
                {
                    book.set(false, level.price(), level.size());
                }
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
                for (final BookDeltaDecoder.BidsDecoder level : delta.bids())
                {
                    book.set(true, level.price(), level.size());
                }
                for (final BookDeltaDecoder.AsksDecoder level : delta.asks())
                {
                    book.set(false, level.price(), level.size());
                }
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
    private static StreamKind stream(final int blockLength, final VenueStatusDecoder status)
    {
        if (blockLength < VenueStatusDecoder.streamEncodingOffset() + VenueStatusDecoder.streamEncodingLength())
        {
            return StreamKind.NONE;
        }
        return status.stream();
    }
}
