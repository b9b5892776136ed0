package io.tickjournal.tailer;

/**
 * An L2 book of one (venue, instrument): price levels in sorted arrays updated in place. Exact
 * integer mantissas at the instrument's exponents. A book is usable only after a snapshot
 * ({@link #valid()}); a reset invalidates it; a crossed book ({@link #crossed()}) is flagged, never
 * silently used. No allocation after construction.
 * <p>
 * <b>Layout:</b> each side is one ascending array of keys with the best level at the end (bids
 * keyed by price, asks by the negated price), kept as a <i>gap buffer</i>: the free slots of the
 * array are one gap, which sits where the side was last inserted into or removed from. An insert
 * or a removal moves only the levels between the gap and where it happens, and a book's updates
 * come in runs next to each other (a delta's levels, the next delta around the same mid), so that
 * is a few levels, wherever in the side the run is. (With the free slots at the end, every
 * insert or removal moved every level better than it: on a book holding levels above the ones
 * that change, that was most of the tailer's time.) A search starts at the level the previous
 * update of that side touched and gallops from there (1, 2, 4, ... levels, then a binary search).
 * When a side is full, its worst level is dropped and counted.
 */
public final class OrderBook
{
    private final int venueId;
    private final int instrumentId;
    private final Side bids;
    private final Side asks;
    private boolean valid;
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
        this.bids = new Side(maxLevels);
        this.asks = new Side(maxLevels);
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
        return bids.count > 0 && asks.count > 0 && bids.bestKey() >= -asks.bestKey();
    }

    /** @return true when valid, not crossed and both sides present. */
    public boolean usable()
    {
        return valid && bids.count > 0 && asks.count > 0 && bids.bestKey() < -asks.bestKey();
    }

    /** Empty both sides and mark the book unusable until the next snapshot. */
    public void reset()
    {
        bids.clear();
        asks.clear();
        valid = false;
    }

    /** Begin a snapshot: empty both sides; levels follow with {@link #set}; {@link #endSnapshot} makes it valid. */
    public void beginSnapshot()
    {
        bids.clear();
        asks.clear();
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
            bids.set(price, size);
        }
        else
        {
            asks.set(-price, size);
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
        bids.setFirst(price, size);
    }

    /** {@link #setFirstBid} of the ask side. */
    void setFirstAsk(final long price, final long size)
    {
        asks.setFirst(-price, size);
    }

    /** {@link #set} of a bid level (a record's side is one loop, with no test of the side per level). */
    void setBid(final long price, final long size)
    {
        bids.set(price, size);
    }

    /** {@link #set} of an ask level. */
    void setAsk(final long price, final long size)
    {
        asks.set(-price, size);
    }

    /** @param venueSeq last update id applied. */
    public void applied(final long venueSeq)
    {
        lastVenueSeq = venueSeq;
    }

    /** @return bid levels. */
    public int bidCount()
    {
        return bids.count;
    }

    /** @return ask levels. */
    public int askCount()
    {
        return asks.count;
    }

    /** @param level 0 = best. @return its price. */
    public long bidPrice(final int level)
    {
        return bids.key(bids.count - 1 - level);
    }

    /** @param level 0 = best. @return its size. */
    public long bidSize(final int level)
    {
        return bids.size(bids.count - 1 - level);
    }

    /** @param level 0 = best. @return its price. */
    public long askPrice(final int level)
    {
        return -asks.key(asks.count - 1 - level);
    }

    /** @param level 0 = best. @return its size. */
    public long askSize(final int level)
    {
        return asks.size(asks.count - 1 - level);
    }

    /** @return levels dropped beyond the capacity. */
    public long droppedLevels()
    {
        return bids.dropped + asks.dropped;
    }

    /** @return the last venue update id applied. */
    public long lastVenueSeq()
    {
        return lastVenueSeq;
    }

    /**
     * One side: levels at logical indices {@code [0, count)}, ascending by key, best last. Logical
     * index i is at physical index i before the gap and {@code i + (gapEnd - gapStart)} after it;
     * the gap {@code [gapStart, gapEnd)} holds the {@code capacity - count} free slots.
     */
    private static final class Side
    {
        private final long[] keys;
        private final long[] sizes;
        private final int capacity;
        private int count;
        private int gapStart;
        private int gapEnd;
        /** The logical index the last update touched (a search hint only). */
        private int finger;
        /** Levels below the best where the last record's first level was (a search hint only). */
        private int firstDepth;
        private long dropped;

        Side(final int capacity)
        {
            this.keys = new long[capacity];
            this.sizes = new long[capacity];
            this.capacity = capacity;
            this.gapEnd = capacity;
        }

        void clear()
        {
            count = 0;
            gapStart = 0;
            gapEnd = capacity;
        }

        private int physical(final int index)
        {
            return index < gapStart ? index : index + (gapEnd - gapStart);
        }

        long key(final int index)
        {
            return keys[physical(index)];
        }

        long size(final int index)
        {
            return sizes[physical(index)];
        }

        /** @return the best level's key (the side is not empty). */
        long bestKey()
        {
            return keys[physical(count - 1)];
        }

        void setFirst(final long key, final long size)
        {
            finger = count - 1 - firstDepth;
            set(key, size);
            firstDepth = count - 1 - finger;
        }

        void set(final long key, final long size)
        {
            final int at = find(key);
            if (at >= 0)
            {
                finger = at;
                if (size == 0)
                {
                    moveGap(at); // the level is now the first slot after the gap
                    gapEnd++;
                    count--;
                }
                else
                {
                    sizes[physical(at)] = size;
                }
                return;
            }
            final int insertAt = -at - 1;
            finger = insertAt;
            if (size == 0)
            {
                return;
            }
            if (count < capacity)
            {
                insert(insertAt, key, size);
                return;
            }
            dropped++;
            if (insertAt == 0)
            {
                return; // worse than every level of a full side
            }
            // full: drop the worst level (index 0) and insert below the better ones
            moveGap(0);
            gapEnd++;
            count--;
            insert(insertAt - 1, key, size);
            finger = insertAt - 1;
        }

        private void insert(final int index, final long key, final long size)
        {
            moveGap(index);
            keys[gapStart] = key;
            sizes[gapStart] = size;
            gapStart++;
            count++;
        }

        /** Move the gap so that it starts at logical index {@code index} (moving the levels in between). */
        private void moveGap(final int index)
        {
            final int start = gapStart;
            final int end = gapEnd;
            if (index < start)
            {
                final int n = start - index;
                System.arraycopy(keys, index, keys, end - n, n);
                System.arraycopy(sizes, index, sizes, end - n, n);
                gapStart = index;
                gapEnd = end - n;
            }
            else if (index > start)
            {
                final int n = index - start;
                System.arraycopy(keys, end, keys, start, n);
                System.arraycopy(sizes, end, sizes, start, n);
                gapStart = index;
                gapEnd = end + n;
            }
        }

        /**
         * Logical index of {@code key}, or {@code -(insertion point) - 1}: gallop from the finger
         * towards the key, then binary search the bracket.
         */
        private int find(final long key)
        {
            final int count = this.count;
            if (count == 0)
            {
                return -1;
            }
            final int hint = finger;
            final int h = hint < 0 ? 0 : Math.min(hint, count - 1);
            final long k = key(h);
            if (k == key)
            {
                return h;
            }
            if (k < key)
            {
                // key(lo - 1) < key throughout
                int lo = h + 1;
                int hi = lo;
                int step = 1;
                while (hi < count && key(hi) < key)
                {
                    lo = hi + 1;
                    step <<= 1;
                    hi = h + step;
                }
                if (hi < count && key(hi) == key)
                {
                    return hi;
                }
                return binarySearch(lo, Math.min(hi, count), key);
            }
            // key(hi) > key throughout
            int hi = h;
            int lo = h - 1;
            int step = 1;
            while (lo >= 0 && key(lo) > key)
            {
                hi = lo;
                step <<= 1;
                lo = h - step;
            }
            if (lo >= 0 && key(lo) == key)
            {
                return lo;
            }
            return binarySearch(Math.max(lo, 0), hi, key);
        }

        /** Binary search of logical {@code [from, to)}. */
        private int binarySearch(final int from, final int to, final long key)
        {
            int lo = from;
            int hi = to - 1;
            while (lo <= hi)
            {
                final int mid = (lo + hi) >>> 1;
                final long k = key(mid);
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
    }
}
