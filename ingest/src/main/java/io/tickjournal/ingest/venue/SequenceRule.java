package io.tickjournal.ingest.venue;

import io.tickjournal.journal.Records;

/**
 * A venue's book sequencing rule as a pure function of (the last id applied, the event's ids):
 * whether to apply an event, drop it as a duplicate, treat it as a gap, as a reset, or as a
 * keep-alive that changes nothing. Tested by tables taken from each venue's documentation.
 * <p>
 * Ids follow {@link MarketEvent#ids}: {@code first} is the event's first update id (Binance
 * {@code U}), {@code last} its last ({@code u}, OKX {@code seqId}, Bybit {@code u}), {@code prev}
 * the previous event's last id where the venue sends it (Binance USD-M {@code pu}, OKX
 * {@code prevSeqId}); absent ids are {@link Records#NULL_LONG}.
 */
public enum SequenceRule
{
    /**
     * Binance spot: an event whose {@code u} is at or below the last applied id is old; it applies
     * when {@code U <= last + 1}; after a REST snapshot the first event must have
     * {@code U <= lastUpdateId + 1 <= u}.
     */
    FIRST_LAST,
    /**
     * Binance USD-M: each event names the previous event's last id ({@code pu}); it applies when
     * {@code pu == last}. After a REST snapshot the first event must straddle it:
     * {@code U <= lastUpdateId <= u} (its {@code pu} is then older than the snapshot, which is
     * why the straddle, not {@code pu}, is checked at the join).
     */
    PREV_CHAIN,
    /**
     * OKX {@code books}: {@code prevSeqId == last} applies; an event with {@code seqId == prevSeqId}
     * is the documented empty keep-alive (no change). After maintenance OKX may reset the sequence:
     * an update with {@code seqId < prevSeqId} whose {@code prevSeqId} still names the last applied
     * id, after which chaining resumes from the new {@code seqId}; as documented it is applied (the
     * book stays whole). A reset that does not chain is a {@link #RESET}: rejoin. The event just
     * applied, delivered again by a rotation's other connection, is a duplicate.
     */
    PREV_CHAIN_OKX,
    /** Bybit: each delta's {@code u} is the last + 1; {@code u == 1} is a reset (its snapshot replaces the book). */
    CONTIGUOUS,
    /** Full books every message (Upbit, Bithumb): every event applies. */
    NONE;

    /** Apply the event and make its last id the last applied. */
    public static final int APPLY = 0;
    /** Already applied (a repeat, or the other connection of a rotation): drop it. */
    public static final int DUPLICATE = 1;
    /** Events were lost between the last applied and this one: resync the instrument. */
    public static final int GAP = 2;
    /** The venue restarted the sequence: rejoin (the venue's snapshot follows or is fetched). */
    public static final int RESET = 3;
    /** A keep-alive that changes nothing and moves nothing. */
    public static final int KEEPALIVE = 4;

    private static final String[] VERDICTS = {"apply", "duplicate", "gap", "reset", "keepalive"};

    /**
     * @param verdict a verdict constant.
     * @return its name.
     */
    public static String describe(final int verdict)
    {
        return verdict >= 0 && verdict < VERDICTS.length ? VERDICTS[verdict] : "verdict " + verdict;
    }

    /**
     * Check a live event against the last id applied.
     *
     * @param lastApplied the last id applied to the book.
     * @param first       the event's first id (or null).
     * @param last        the event's last id.
     * @param prev        the event's previous id (or null).
     * @return a verdict.
     */
    public int check(final long lastApplied, final long first, final long last, final long prev)
    {
        switch (this)
        {
            case FIRST_LAST:
                if (last <= lastApplied)
                {
                    return DUPLICATE;
                }
                return first != Records.NULL_LONG && first <= lastApplied + 1 ? APPLY : GAP;
            case PREV_CHAIN:
                if (last <= lastApplied)
                {
                    return DUPLICATE;
                }
                return prev == lastApplied ? APPLY : GAP;
            case PREV_CHAIN_OKX:
                if (prev == lastApplied && prev != Records.NULL_LONG)
                {
                    // Includes the maintenance reset (seqId < prevSeqId): it chains, so it applies.
                    return last == prev ? KEEPALIVE : APPLY;
                }
                if (last == lastApplied)
                {
                    return DUPLICATE;
                }
                if (prev != Records.NULL_LONG && last < prev)
                {
                    return RESET;
                }
                return last < lastApplied ? DUPLICATE : GAP;
            case CONTIGUOUS:
                if (last == 1)
                {
                    return RESET;
                }
                if (last <= lastApplied)
                {
                    return DUPLICATE;
                }
                return last == lastApplied + 1 ? APPLY : GAP;
            case NONE:
            default:
                return APPLY;
        }
    }

    /**
     * Check the first event after a snapshot whose id is {@code snapshotId} (REST joins).
     *
     * @param snapshotId the snapshot's last update id.
     * @param first      the event's first id.
     * @param last       the event's last id.
     * @param prev       the event's previous id.
     * @return {@link #DUPLICATE} (older than the snapshot: drop it and wait for the next),
     *         {@link #APPLY} (it straddles the snapshot) or {@link #GAP} (the snapshot is older
     *         than the event: fetch another).
     */
    public int join(final long snapshotId, final long first, final long last, final long prev)
    {
        switch (this)
        {
            case FIRST_LAST:
                if (last <= snapshotId)
                {
                    return DUPLICATE;
                }
                return first != Records.NULL_LONG && first <= snapshotId + 1 ? APPLY : GAP;
            case PREV_CHAIN:
                if (last < snapshotId)
                {
                    return DUPLICATE;
                }
                return first != Records.NULL_LONG && first <= snapshotId ? APPLY : GAP;
            default:
                return check(snapshotId, first, last, prev);
        }
    }

    /** @return what a broken rule means, in the venue's terms (the detail of GAP_DETECTED). */
    public String gapDescription()
    {
        return switch (this)
        {
            case FIRST_LAST -> "depth U beyond last u + 1";
            case PREV_CHAIN -> "depth pu chain broken";
            case PREV_CHAIN_OKX -> "prevSeqId does not chain to the last seqId";
            case CONTIGUOUS -> "u is not the last u + 1";
            case NONE -> "sequence broken";
        };
    }

    /**
     * The id a gap status names as expected.
     *
     * @param lastApplied the last id applied.
     * @return the id the next event should have carried.
     */
    public long expected(final long lastApplied)
    {
        return this == PREV_CHAIN || this == PREV_CHAIN_OKX ? lastApplied : lastApplied + 1;
    }

    /**
     * The id a gap status names as received.
     *
     * @param first the event's first id.
     * @param last  its last id.
     * @param prev  its previous id.
     * @return the id the rule compared.
     */
    public long received(final long first, final long last, final long prev)
    {
        return switch (this)
        {
            case FIRST_LAST -> first;
            case PREV_CHAIN, PREV_CHAIN_OKX -> prev;
            default -> last;
        };
    }
}
