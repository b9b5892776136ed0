package io.tickjournal.tailer;

/**
 * An L2 book of one (venue, instrument): price levels in sorted arrays updated in place. Exact
 * integer mantissas at the instrument's exponents. A book is usable only after a snapshot
 * ({@link #valid()}); a reset invalidates it; a crossed book ({@link #crossed()}) is flagged, never
 * silently used. No allocation after construction.
 * <p>
 * <b>Layout:</b> each side is one ascending array of keys with the best level at the end (bids
 * keyed by price, asks by the negated price), because almost every update lands near the top: an
 * insert or removal moves only the levels better than it. (Best-first arrays moved the whole book
 * on every new top level: a third of the tailer's time on deep books.) A search starts at the
 * level the previous update of that side touched and gallops from there (1, 2, 4, ... levels, then
 * a binary search), since a delta's levels are usually next to each other. When a side is full,
 * its worst level is dropped and counted.
 */
public final class OrderBook
{
    private final int venueId;
    private final int instrumentId;
    private final long[] bidKeys;
    private final long[] bidSizes;
    private final long[] askKeys;
    private final long[] askSizes;
    private int bidCount;
    private int askCount;
    private int bidFinger;
    private int askFinger;
    /** Levels below the best where the last record's first level of each side was (a search hint only). */
    private int bidFirstDepth;
    private int askFirstDepth;
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
        this.bidKeys = new long[maxLevels];
        this.bidSizes = new long[maxLevels];
        this.askKeys = new long[maxLevels];
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
        return bidCount > 0 && askCount > 0 && bidKeys[bidCount - 1] >= -askKeys[askCount - 1];
    }

    /** @return true when valid, not crossed and both sides present. */
    public boolean usable()
    {
        return valid && bidCount > 0 && askCount > 0 && bidKeys[bidCount - 1] < -askKeys[askCount - 1];
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
            setBid(price, size);
        }
        else
        {
            setAsk(price, size);
        }
    }

    /**
     * {@link #set} of the first bid level of a record: its search starts as deep below the best
     * level as the previous record's first level was, not where that record's last level was.
     * A venue lists a side's levels best first, so a record's first level is near the top while the
     * previous record ended ten or more levels below it (from there it was a gallop and a binary
     * search for every record).
     */
    void setFirstBid(final long price, final long size)
    {
        bidFinger = bidCount - 1 - bidFirstDepth;
        setBid(price, size);
        bidFirstDepth = bidCount - 1 - bidFinger;
    }

    /** {@link #setFirstBid} of the ask side. */
    void setFirstAsk(final long price, final long size)
    {
        askFinger = askCount - 1 - askFirstDepth;
        setAsk(price, size);
        askFirstDepth = askCount - 1 - askFinger;
    }

    /** {@link #set} of a bid level (a record's side is one loop, with no test of the side per level). */
    void setBid(final long price, final long size)
    {
        final int at = find(bidKeys, bidCount, price, bidFinger);
        bidCount = set(bidKeys, bidSizes, bidCount, at, price, size);
        bidFinger = at >= 0 ? at : -at - 1;
    }

    /** {@link #set} of an ask level. */
    void setAsk(final long price, final long size)
    {
        final int at = find(askKeys, askCount, -price, askFinger);
        askCount = set(askKeys, askSizes, askCount, at, -price, size);
        askFinger = at >= 0 ? at : -at - 1;
    }

    /** @param venueSeq last update id applied. */
    public void applied(final long venueSeq)
    {
        lastVenueSeq = venueSeq;
    }

    /** Set a level on one side (ascending keys, best last) where {@link #find} placed it; returns the new count. */
    private int set(final long[] keys, final long[] sizes, final int count, final int at, final long key, final long size)
    {
        if (at >= 0)
        {
            if (size == 0)
            {
                System.arraycopy(keys, at + 1, keys, at, count - at - 1);
                System.arraycopy(sizes, at + 1, sizes, at, count - at - 1);
                return count - 1;
            }
            sizes[at] = size;
            return count;
        }
        if (size == 0)
        {
            return count;
        }
        final int insertAt = -at - 1;
        if (count < keys.length)
        {
            System.arraycopy(keys, insertAt, keys, insertAt + 1, count - insertAt);
            System.arraycopy(sizes, insertAt, sizes, insertAt + 1, count - insertAt);
            keys[insertAt] = key;
            sizes[insertAt] = size;
            return count + 1;
        }
        droppedLevels++;
        if (insertAt == 0)
        {
            return count; // worse than every level of a full side
        }
        // full: drop the worst level (index 0) and insert below the better ones
        System.arraycopy(keys, 1, keys, 0, insertAt - 1);
        System.arraycopy(sizes, 1, sizes, 0, insertAt - 1);
        keys[insertAt - 1] = key;
        sizes[insertAt - 1] = size;
        return count;
    }

    /**
     * Index of {@code key} in ascending {@code keys[0, count)}, or {@code -(insertion point) - 1}:
     * gallop from {@code hint} towards the key, then binary search the bracket.
     */
    private static int find(final long[] keys, final int count, final long key, final int hint)
    {
        if (count == 0)
        {
            return -1;
        }
        final int h = hint < 0 ? 0 : Math.min(hint, count - 1);
        final long k = keys[h];
        if (k == key)
        {
            return h;
        }
        if (k < key)
        {
            // keys[lo - 1] < key throughout
            int lo = h + 1;
            int hi = lo;
            int step = 1;
            while (hi < count && keys[hi] < key)
            {
                lo = hi + 1;
                step <<= 1;
                hi = h + step;
            }
            if (hi < count && keys[hi] == key)
            {
                return hi;
            }
            return binarySearch(keys, lo, Math.min(hi, count), key);
        }
        // keys[hi] > key throughout
        int hi = h;
        int lo = h - 1;
        int step = 1;
        while (lo >= 0 && keys[lo] > key)
        {
            hi = lo;
            step <<= 1;
            lo = h - step;
        }
        if (lo >= 0 && keys[lo] == key)
        {
            return lo;
        }
        return binarySearch(keys, Math.max(lo, 0), hi, key);
    }

    /** {@code Arrays.binarySearch} over {@code [from, to)} without its range check (the bracket is ours). */
    private static int binarySearch(final long[] keys, final int from, final int to, final long key)
    {
        int lo = from;
        int hi = to - 1;
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            final long k = keys[mid];
            if (k < key)
            {
                lo = mid + 1;
            }
            else if (k > key)
            {
                hi = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -(lo + 1);
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
        return bidKeys[bidCount - 1 - level];
    }

    /** @param level 0 = best. @return its size. */
    public long bidSize(final int level)
    {
        return bidSizes[bidCount - 1 - level];
    }

    /** @param level 0 = best. @return its price. */
    public long askPrice(final int level)
    {
        return -askKeys[askCount - 1 - level];
    }

    /** @param level 0 = best. @return its size. */
    public long askSize(final int level)
    {
        return askSizes[askCount - 1 - level];
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
