package io.tickjournal.tailer;

/**
 * An L2 book of one (venue, instrument): price levels in sorted arrays (bids descending, asks
 * ascending), updated in place by binary search. Exact integer mantissas at the instrument's
 * exponents. A book is usable only after a snapshot ({@link #valid()}); a reset invalidates it; a
 * crossed book ({@link #crossed()}) is flagged, never silently used. No allocation after construction.
 */
public final class OrderBook
{
    private final int venueId;
    private final int instrumentId;
    private final long[] bidPrices;
    private final long[] bidSizes;
    private final long[] askPrices;
    private final long[] askSizes;
    private int bidCount;
    private int askCount;
    private boolean valid;
    private long droppedLevels;
    private long lastVenueSeq;

    /**
     * @param venueId      venue.
     * @param instrumentId instrument.
     * @param maxLevels    levels kept per side (deeper ones are dropped and counted).
     */
    public OrderBook(final int venueId, final int instrumentId, final int maxLevels)
    {
        this.venueId = venueId;
        this.instrumentId = instrumentId;
        this.bidPrices = new long[maxLevels];
        this.bidSizes = new long[maxLevels];
        this.askPrices = new long[maxLevels];
        this.askSizes = new long[maxLevels];
    }

    /** @return venue id. */
    public int venueId()
    {
        return venueId;
    }

    /** @return instrument id. */
    public int instrumentId()
    {
        return instrumentId;
    }

    /** @return true once a snapshot made it whole, until a reset. */
    public boolean valid()
    {
        return valid;
    }

    /** @return true when the best bid is at or above the best ask. */
    public boolean crossed()
    {
        return bidCount > 0 && askCount > 0 && bidPrices[0] >= askPrices[0];
    }

    /** @return true when valid, not crossed and both sides present. */
    public boolean usable()
    {
        return valid && bidCount > 0 && askCount > 0 && bidPrices[0] < askPrices[0];
    }

    /** Empty both sides and mark the book unusable until the next snapshot. */
    public void reset()
    {
        bidCount = 0;
        askCount = 0;
        valid = false;
    }

    /** Begin a snapshot: empty both sides; levels follow with {@link #set}; {@link #endSnapshot} makes it valid. */
    public void beginSnapshot()
    {
        bidCount = 0;
        askCount = 0;
    }

    /**
     * @param venueSeq the snapshot's update id.
     */
    public void endSnapshot(final long venueSeq)
    {
        valid = true;
        lastVenueSeq = venueSeq;
    }

    /**
     * Set a level (size 0 removes it).
     *
     * @param bid   side.
     * @param price price mantissa.
     * @param size  size mantissa, 0 to remove.
     */
    public void set(final boolean bid, final long price, final long size)
    {
        if (bid)
        {
            bidCount = set(bidPrices, bidSizes, bidCount, price, size, true);
        }
        else
        {
            askCount = set(askPrices, askSizes, askCount, price, size, false);
        }
    }

    /** @param venueSeq last update id applied. */
    public void applied(final long venueSeq)
    {
        lastVenueSeq = venueSeq;
    }

    private int set(final long[] prices, final long[] sizes, final int count, final long price, final long size, final boolean descending)
    {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            final long p = prices[mid];
            if (p == price)
            {
                if (size == 0)
                {
                    System.arraycopy(prices, mid + 1, prices, mid, count - mid - 1);
                    System.arraycopy(sizes, mid + 1, sizes, mid, count - mid - 1);
                    return count - 1;
                }
                sizes[mid] = size;
                return count;
            }
            if (descending ? p > price : p < price)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        if (size == 0)
        {
            return count;
        }
        if (lo >= prices.length)
        {
            droppedLevels++;
            return count;
        }
        final int newCount = Math.min(count + 1, prices.length);
        if (count == prices.length)
        {
            droppedLevels++;
        }
        System.arraycopy(prices, lo, prices, lo + 1, newCount - lo - 1);
        System.arraycopy(sizes, lo, sizes, lo + 1, newCount - lo - 1);
        prices[lo] = price;
        sizes[lo] = size;
        return newCount;
    }

    /** @return bid levels. */
    public int bidCount()
    {
        return bidCount;
    }

    /** @return ask levels. */
    public int askCount()
    {
        return askCount;
    }

    /** @param level 0 = best. @return its price. */
    public long bidPrice(final int level)
    {
        return bidPrices[level];
    }

    /** @param level 0 = best. @return its size. */
    public long bidSize(final int level)
    {
        return bidSizes[level];
    }

    /** @param level 0 = best. @return its price. */
    public long askPrice(final int level)
    {
        return askPrices[level];
    }

    /** @param level 0 = best. @return its size. */
    public long askSize(final int level)
    {
        return askSizes[level];
    }

    /** @return levels dropped beyond the capacity. */
    public long droppedLevels()
    {
        return droppedLevels;
    }

    /** @return the last venue update id applied. */
    public long lastVenueSeq()
    {
        return lastVenueSeq;
    }
}
