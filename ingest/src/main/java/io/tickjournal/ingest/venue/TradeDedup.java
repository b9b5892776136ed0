package io.tickjournal.ingest.venue;

/**
 * Drops trades a feed already journaled: what both connections deliver while one replaces the
 * other, and venue repeats. A policy per venue, because ids differ: rising numbers (Binance, OKX),
 * UUIDs (Bybit), unique but unordered numbers (Upbit's {@code sequential_id}).
 * One instance per (instrument, stream); the feed's thread only.
 */
public interface TradeDedup
{
    /** The id was not journaled before: journal it. */
    int NEW = 0;
    /** The id was journaled before: drop it. */
    int DUPLICATE = 1;

    /** Told about ids that can never arrive now. */
    interface GapListener
    {
        /**
         * Ids {@code from..to} (inclusive) were never received.
         *
         * @param from first missing id.
         * @param to   last missing id.
         */
        void onGap(long from, long to);
    }

    /**
     * Offer an id.
     *
     * @param id          the trade id (or its hash, for ids that are not numbers).
     * @param overlapping true while another connection of the same streams is open (a rotation):
     *                    a jump in ids may then be filled by the other connection, so it is not
     *                    a gap until the overlap ends.
     * @param gaps        told at once of ids skipped when not overlapping.
     * @return {@link #NEW} or {@link #DUPLICATE}.
     */
    int offer(long id, boolean overlapping, GapListener gaps);

    /**
     * Offer a trade that covers a range of ids: a venue message aggregating several fills names
     * only the last (OKX {@code tradeId} with {@code count}), and the ids before it were filled,
     * not lost. By default only the last id is offered.
     *
     * @param firstId     the first id covered, or null when the trade covers one id.
     * @param lastId      the trade id.
     * @param overlapping see {@link #offer}.
     * @param gaps        see {@link #offer}.
     * @return {@link #NEW} or {@link #DUPLICATE} (decided by the last id).
     */
    default int offerRange(final long firstId, final long lastId, final boolean overlapping, final GapListener gaps)
    {
        return offer(lastId, overlapping, gaps);
    }

    /**
     * The overlap ended: ids skipped during it that neither connection delivered are gaps now.
     *
     * @param gaps told of each run of missing ids.
     */
    void overlapEnded(GapListener gaps);

    /** Forget everything (a new day of ids, a venue reset). */
    void clear();
}
