package io.tickjournal.ingest.venue;

/** Where a venue's book snapshot comes from when a book joins or rejoins. */
public enum SnapshotSource
{
    /** A REST request; deltas are buffered meanwhile and joined by the venue's rule (Binance). */
    REST,
    /** The stream sends a snapshot after subscribing; a rejoin resubscribes the book stream (Bybit, OKX, Coinbase). */
    IN_STREAM,
    /** Every message is a whole book (Upbit, Bithumb): nothing to join. */
    EVERY_MESSAGE
}
