package io.tickjournal.ingest.venue;

/**
 * How a venue answers subscription requests, which decides when a connection is live and how
 * subscriptions are batched.
 */
public enum AckModel
{
    /** One answer per request, matched by request id (Binance {@code {"result":null,"id":1}}, Bybit {@code op: subscribe}). */
    PER_REQUEST,
    /** One answer per argument of a request (OKX: an {@code event: subscribe} per channel and instrument). */
    PER_ARG,
    /** One answer listing every subscription (Coinbase's {@code subscriptions} message). */
    LIST,
    /** No answer: live once sent. */
    NONE,
    /**
     * No answer, and every subscription message replaces the previous one (Upbit, Bithumb v2):
     * the whole list goes in one message, and a change resends the whole list. Batching would
     * silently unsubscribe the earlier batches.
     */
    REPLACES
}
