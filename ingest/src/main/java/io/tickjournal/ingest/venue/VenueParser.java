package io.tickjournal.ingest.venue;

/**
 * Turns one venue frame (a WebSocket message or a REST body) into a {@link MarketFrame}. One
 * instance per connection, reused for every frame; steady state allocates nothing.
 * <p>
 * Contract: on {@link ParseError#OK} the frame is filled completely; on any other code the frame
 * must be treated as empty, and the next call parses normally (no state carries over from a bad
 * frame).
 */
public interface VenueParser
{
    /**
     * Parse a frame.
     *
     * @param bytes  the frame's bytes (valid during the call only).
     * @param offset first byte.
     * @param length byte count.
     * @param into   filled with what the frame held.
     * @return {@link ParseError#OK} or an error code.
     */
    int parse(byte[] bytes, int offset, int length, MarketFrame into);

    /**
     * Parse a REST book snapshot (venues whose book joins from REST).
     *
     * @param bytes  the body.
     * @param offset first byte.
     * @param length byte count.
     * @param into   filled with one {@link MarketEvent#BOOK_SNAPSHOT} event.
     * @return {@link ParseError#OK} or an error code.
     */
    default int parseSnapshot(final byte[] bytes, final int offset, final int length, final MarketFrame into)
    {
        return parse(bytes, offset, length, into);
    }

    /** @return the detail of the last failure (the field, the decimal error), or an empty string. */
    String errorDetail();
}
