package io.tickjournal.ingest.venue;

import org.agrona.collections.LongHashSet;

/**
 * {@link TradeDedup} for ids that are unique but not ordered, or not numbers (Bybit's UUID trade
 * ids by hash, Upbit's and Bithumb's {@code sequential_id}): the last {@code capacity} ids
 * journaled are remembered in a set, the oldest forgotten first. No gap can be seen in such ids,
 * so none is reported. Allocation-free after construction. The feed's thread only.
 */
public final class RecentIds implements TradeDedup
{
    private final LongHashSet set;
    private final long[] ring;
    private int head;
    private int size;

    /**
     * @param capacity ids remembered (more than a rotation's overlap delivers).
     */
    public RecentIds(final int capacity)
    {
        this.ring = new long[capacity];
        this.set = new LongHashSet(capacity * 2);
    }

    @Override
    public int offer(final long id, final boolean overlapping, final GapListener gaps)
    {
        if (set.contains(id))
        {
            return DUPLICATE;
        }
        if (size == ring.length)
        {
            set.remove(ring[head]);
        }
        else
        {
            size++;
        }
        ring[head] = id;
        head = (head + 1) % ring.length;
        set.add(id);
        return NEW;
    }

    @Override
    public void overlapEnded(final GapListener gaps)
    {
    }

    @Override
    public void clear()
    {
        set.clear();
        head = 0;
        size = 0;
    }
}
