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

    /**
     * Add the features of a usable top.
     *
     * @param instrument      its instrument (whose top is valid).
     * @param imbalanceLevels N of the top-N imbalance.
     * @param f               where to add.
     */
    void addTo(final FeatureEngine.Instrument instrument, final int imbalanceLevels, final FeatureSet f)
    {
        if (stale)
        {
            compute(instrument, imbalanceLevels);
        }
        final int pe = instrument.priceExponent;
        f.add(FeatureIds.BEST_BID, bid, pe);
        f.add(FeatureIds.BEST_ASK, ask, pe);
        f.add(FeatureIds.MID, (bid + ask) * 5, pe - 1);
        f.add(FeatureIds.SPREAD, ask - bid, pe);
        f.add(FeatureIds.MICROPRICE, microprice, pe);
        f.add(FeatureIds.IMBALANCE, imbalance, -6);
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
            microprice = scratch.divide(bidSize + askSize);
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
