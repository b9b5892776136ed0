package io.tickjournal.ingest.venue;

import java.util.Arrays;

/**
 * {@link TradeDedup} for ids that are unique but not ordered, or not numbers (Bybit's UUID trade
 * ids by hash, Upbit's and Bithumb's {@code sequential_id}): the last {@code capacity} ids
 * journaled are remembered in a set, the oldest forgotten first. No gap can be seen in such ids,
 * so none is reported. Allocation-free after construction. The feed's thread only.
 * <p>
 * The set is its own open-addressing table of longs (linear probing, at most a quarter full,
 * Fibonacci hashing, removal by backward shift, so no tombstones ever accumulate), because it runs
 * once per trade: an offer is one probe that finds the id or the free slot it goes into, and, when
 * the window is full, one probe that removes the oldest id. Agrona's {@code LongHashSet} took a
 * lookup, an insert and a removal with chain compaction, about 60 ns a trade, a twentieth of a KRW
 * trade frame's whole ingest path.
 */
public final class RecentIds implements TradeDedup
{
    /** Marks a free slot; the id with this value is remembered by {@link #hasEmptyValue} instead. */
    private static final long EMPTY = 0;

    private final long[] table;
    private final int mask;
    private final int shift;
    private boolean hasEmptyValue;
    private final long[] ring;
    private int head;
    private int size;

    /**
     * @param capacity ids remembered (more than a rotation's overlap delivers).
     */
    public RecentIds(final int capacity)
    {
        if (capacity < 1 || capacity > 1 << 28)
        {
            throw new IllegalArgumentException("capacity must be 1 to 2^28, got " + capacity);
        }
        final int tableLength = Integer.highestOneBit(capacity * 4 - 1) << 1;
        this.table = new long[tableLength];
        this.mask = tableLength - 1;
        this.shift = 64 - Integer.numberOfTrailingZeros(tableLength);
        this.ring = new long[capacity];
    }

    @Override
    public int offer(final long id, final boolean overlapping, final GapListener gaps)
    {
        if (!add(id))
        {
            return DUPLICATE;
        }
        if (size == ring.length)
        {
            remove(ring[head]);
        }
        else
        {
            size++;
        }
        ring[head] = id;
        if (++head == ring.length)
        {
            head = 0;
        }
        return NEW;
    }

    @Override
    public void overlapEnded(final GapListener gaps)
    {
    }

    @Override
    public void clear()
    {
        Arrays.fill(table, EMPTY);
        hasEmptyValue = false;
        head = 0;
        size = 0;
    }

    private int home(final long id)
    {
        return (int)((id * 0x9E3779B97F4A7C15L) >>> shift);
    }

    /** @return false when the id is in the set already. */
    private boolean add(final long id)
    {
        if (id == EMPTY)
        {
            if (hasEmptyValue)
            {
                return false;
            }
            hasEmptyValue = true;
            return true;
        }
        final long[] slots = table;
        int i = home(id);
        long value;
        while ((value = slots[i]) != EMPTY)
        {
            if (value == id)
            {
                return false;
            }
            i = (i + 1) & mask;
        }
        slots[i] = id;
        return true;
    }

    private void remove(final long id)
    {
        if (id == EMPTY)
        {
            hasEmptyValue = false;
            return;
        }
        final long[] slots = table;
        int hole = home(id);
        long value;
        while ((value = slots[hole]) != id)
        {
            if (value == EMPTY)
            {
                return;
            }
            hole = (hole + 1) & mask;
        }
        // Backward shift: every later id of the run that may live in the hole moves into it, so each
        // id stays reachable from its home slot without a tombstone.
        int next = hole;
        while (true)
        {
            next = (next + 1) & mask;
            value = slots[next];
            if (value == EMPTY)
            {
                break;
            }
            final int home = home(value);
            // The id at 'next' may move back to 'hole' unless its home lies cyclically in (hole, next].
            final boolean homeBetween = hole <= next ? home > hole && home <= next : home > hole || home <= next;
            if (!homeBetween)
            {
                slots[hole] = value;
                hole = next;
            }
        }
        slots[hole] = EMPTY;
    }
}
