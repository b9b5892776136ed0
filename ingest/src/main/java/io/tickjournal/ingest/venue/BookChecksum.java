package io.tickjournal.ingest.venue;

/**
 * A venue's check of the local book against a checksum it sends (OKX's CRC32 of the top 25
 * levels as the venue wrote them). Keeps its own copy of one instrument's book with the venue's
 * text scales. One per instrument; the feed's thread only.
 */
public interface BookChecksum
{
    /** Forget the book (a rejoin follows). */
    void clear();

    /**
     * Apply an event's levels (a snapshot replaces, a delta updates) and check its checksum.
     *
     * @param event a BOOK_SNAPSHOT or BOOK_DELTA event.
     * @return true when the event has no checksum (or zero, which means none) or it matches.
     */
    boolean applyAndCheck(MarketEvent event);

    /** @return the checksum the local book gave on the last check (for the status record). */
    long lastComputed();
}
