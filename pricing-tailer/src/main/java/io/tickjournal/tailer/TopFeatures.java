package io.tickjournal.tailer;

/**
 * The top-of-book features of one instrument: best bid and ask, mid, spread, microprice and top-N
 * size imbalance. The quotients change only with the book or the ticker, never with a trade, so
 * they are computed again only after {@link #changed()}. Exact integers; one thread.
 */
final class TopFeatures
{
    private final WideMath.Acc128 scratch = new WideMath.Acc128();
    private boolean stale = true;
    private long bid;
    private long ask;
    private long microprice;
    private long imbalance;

    /** The book or the ticker of the instrument changed. */
    void changed()
    {
        stale = true;
    }

    /** Slots of the top's features in a {@link FeatureSet}, from the first given to {@link #keys}. */
    static final int SLOTS = 6;

    /**
     * Set the ids and exponents of the top's slots.
     *
     * @param f             the set.
     * @param slot          the first slot.
     * @param priceExponent the instrument's price exponent.
     */
    static void keys(final FeatureSet f, final int slot, final int priceExponent)
    {
        f.key(slot, FeatureIds.BEST_BID, priceExponent);
        f.key(slot + 1, FeatureIds.BEST_ASK, priceExponent);
        f.key(slot + 2, FeatureIds.MID, priceExponent - 1);
        f.key(slot + 3, FeatureIds.SPREAD, priceExponent);
        f.key(slot + 4, FeatureIds.MICROPRICE, priceExponent);
        f.key(slot + 5, FeatureIds.IMBALANCE, -6);
    }

    /**
     * Set the values of the top's slots: its features when {@code usable}, else all absent.
     *
     * @param instrument      its instrument.
     * @param usable          whether its top is valid now.
     * @param imbalanceLevels N of the top-N imbalance.
     * @param f               the set, keys set by {@link #keys}.
     * @param slot            the first slot.
     */
    void values(final FeatureEngine.Instrument instrument, final boolean usable, final int imbalanceLevels, final FeatureSet f,
        final int slot)
    {
        if (!usable)
        {
            for (int i = 0; i < SLOTS; i++)
            {
                f.value(slot + i, Long.MIN_VALUE);
            }
            return;
        }
        if (stale)
        {
            compute(instrument, imbalanceLevels);
        }
        f.value(slot, bid);
        f.value(slot + 1, ask);
        f.value(slot + 2, (bid + ask) * 5);
        f.value(slot + 3, ask - bid);
        f.value(slot + 4, microprice);
        f.value(slot + 5, imbalance);
    }

    private void compute(final FeatureEngine.Instrument instrument, final int imbalanceLevels)
    {
        bid = instrument.bid();
        ask = instrument.ask();
        final long bidSize = instrument.bidSize();
        final long askSize = instrument.askSize();
        microprice = Long.MIN_VALUE;
        if (bidSize + askSize > 0)
        {
            // (bid * askSize + ask * bidSize) / (bidSize + askSize), truncated
            scratch.clear();
            scratch.addProduct(bid, askSize);
            scratch.addProduct(ask, bidSize);
            // the microprice lies between bid and ask: from the bid, one 64-bit division instead of a 128-bit one
            microprice = scratch.divide(bidSize + askSize, bid);
        }
        long sumBid = 0;
        long sumAsk = 0;
        final OrderBook book = instrument.book;
        if (book.usable())
        {
            final int bids = Math.min(imbalanceLevels, book.bidCount());
            for (int i = 0; i < bids; i++)
            {
                sumBid += book.bidSize(i);
            }
            final int asks = Math.min(imbalanceLevels, book.askCount());
            for (int i = 0; i < asks; i++)
            {
                sumAsk += book.askSize(i);
            }
        }
        else
        {
            sumBid = bidSize;
            sumAsk = askSize;
        }
        imbalance = sumBid + sumAsk > 0 ? WideMath.mulDiv(sumBid - sumAsk, 1_000_000L, sumBid + sumAsk) : Long.MIN_VALUE;
        stale = false;
    }
}
