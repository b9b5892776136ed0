package io.tickjournal.tailer;

/**
 * What a change of the best bid and offer adds to the windows: the order-flow imbalance
 * increment (Cont, Kukanov and Stoikov) and the mid return, both against the previous usable top
 * of the same instrument. After a book reset there is no previous top, so the first top after it
 * adds neither. Exact integers; one thread.
 */
final class TopFlow
{
    private boolean previous;
    private long prevBid;
    private long prevBidSize;
    private long prevAsk;
    private long prevAskSize;
    private long ofi;
    private long midReturn;
    private boolean hasReturn;

    /**
     * Take the new top; afterwards {@link #ofi()} and {@link #hasReturn()} / {@link #midReturn()}
     * describe the change.
     *
     * @return true when there was a previous top to compare with.
     */
    boolean onTop(final long bid, final long bidSize, final long ask, final long askSize)
    {
        final boolean compared = previous;
        hasReturn = false;
        ofi = 0;
        if (compared)
        {
            ofi = (bid >= prevBid ? bidSize : 0) - (bid <= prevBid ? prevBidSize : 0) -
                (ask <= prevAsk ? askSize : 0) + (ask >= prevAsk ? prevAskSize : 0);
            final long mid2 = bid + ask;
            final long prevMid2 = prevBid + prevAsk;
            if (mid2 != prevMid2)
            {
                // (mid - prevMid) / prevMid at 1e-9; MIN_VALUE when it does not fit 64 bits
                midReturn = WideMath.mulDiv(mid2 - prevMid2, 1_000_000_000L, prevMid2);
                hasReturn = true;
            }
        }
        prevBid = bid;
        prevBidSize = bidSize;
        prevAsk = ask;
        prevAskSize = askSize;
        previous = true;
        return compared;
    }

    /** Forget the previous top (the book was invalidated). */
    void reset()
    {
        previous = false;
    }

    /** @return the order-flow increment of the last change (0 with no previous top). */
    long ofi()
    {
        return ofi;
    }

    /** @return true when the last change moved the mid. */
    boolean hasReturn()
    {
        return hasReturn;
    }

    /** @return the last mid return at 1e-9 ({@link Long#MIN_VALUE} when it does not fit). */
    long midReturn()
    {
        return midReturn;
    }
}
