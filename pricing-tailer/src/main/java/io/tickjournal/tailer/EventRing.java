package io.tickjournal.tailer;

/**
 * The events of one instrument that its windows may still need, oldest first: trade prints,
 * order-flow increments and mid returns, each with the receive time of the record behind it.
 * Windows ({@link Window}) walk it with their own cursors, absolute event numbers that only
 * grow; the ring forgets events every window has passed ({@link #releaseBefore}).
 * <p>
 * <b>Memory follows the rate:</b> the ring doubles when full and halves when under a quarter
 * full (never below its initial capacity), so a burst costs memory only while it is inside the
 * longest window. At {@link #maxCapacity()} it no longer grows: the caller must drop the oldest
 * event ({@link #dropOldest()}) and say so in the features (see {@link FeatureSet#FLAG_INCOMPLETE_WINDOW}).
 * Growing and shrinking allocate; a steady rate does not.
 * <p>
 * Layout: one {@code long[]} with four longs an event (time, kind, a, b) at
 * {@code (number & mask) * 4}, so each window's cursor reads one stream of memory.
 * <pre>
 * | kind          | a              | b          |
 * |---------------|----------------|------------|
 * | TRADE_BUY     | price mantissa | size       |
 * | TRADE_SELL    | price mantissa | size       |
 * | TRADE_UNKNOWN | price mantissa | size       |
 * | OFI           | increment      | unused (0) |
 * | RETURN        | return, 1e-9   | unused (0) |
 * </pre>
 * One thread (the feature engine's).
 */
final class EventRing
{
    static final byte TRADE_BUY = 1;
    static final byte TRADE_SELL = 2;
    static final byte TRADE_UNKNOWN = 3;
    static final byte OFI = 4;
    static final byte RETURN = 5;

    private final int minCapacity;
    private final int maxCapacity;
    private long[] events;
    private int mask;
    private long head;
    private long tail;

    /**
     * @param minCapacity initial and smallest capacity, a power of two.
     * @param maxCapacity largest capacity, a power of two: the memory ceiling.
     */
    EventRing(final int minCapacity, final int maxCapacity)
    {
        if (Integer.bitCount(minCapacity) != 1 || Integer.bitCount(maxCapacity) != 1 || minCapacity > maxCapacity)
        {
            throw new IllegalArgumentException("capacities must be powers of two, min <= max: " + minCapacity + ", " + maxCapacity);
        }
        this.minCapacity = minCapacity;
        this.maxCapacity = maxCapacity;
        allocate(minCapacity);
    }

    private void allocate(final int capacity)
    {
        events = new long[capacity << 2];
        mask = capacity - 1;
    }

    /** @return the number of the oldest event kept. */
    long head()
    {
        return head;
    }

    /** @return the number the next event gets. */
    long tail()
    {
        return tail;
    }

    /** @return events kept. */
    int size()
    {
        return (int)(tail - head);
    }

    /** @return the current capacity. */
    int capacity()
    {
        return mask + 1;
    }

    /** @return the memory ceiling in events. */
    int maxCapacity()
    {
        return maxCapacity;
    }

    /** @return true when full at the ceiling: the next {@link #append} needs {@link #dropOldest()} first. */
    boolean atCeiling()
    {
        return tail - head == maxCapacity;
    }

    /**
     * Append an event, growing when full below the ceiling.
     *
     * @return its number.
     * @throws IllegalStateException when full at the ceiling (a caller bug: drop first).
     */
    long append(final long timeNs, final byte eventKind, final long valueA, final long valueB)
    {
        if (tail - head > mask)
        {
            if (mask + 1 >= maxCapacity)
            {
                throw new IllegalStateException("event ring full at its ceiling of " + maxCapacity);
            }
            resize((mask + 1) << 1);
        }
        final int at = ((int)tail & mask) << 2;
        final long[] events = this.events;
        events[at] = timeNs;
        events[at + 1] = eventKind;
        events[at + 2] = valueA;
        events[at + 3] = valueB;
        return tail++;
    }

    /** Forget the oldest event (the ceiling was reached). */
    void dropOldest()
    {
        head++;
    }

    /**
     * Forget every event before {@code number} (all windows have passed them); shrink, halving
     * until at least a quarter full (or at the initial capacity).
     */
    void releaseBefore(final long number)
    {
        if (number > head)
        {
            head = Math.min(number, tail);
            int capacity = mask + 1;
            while (capacity > minCapacity && tail - head < (capacity >> 2))
            {
                capacity >>= 1;
            }
            if (capacity != mask + 1)
            {
                resize(capacity);
            }
        }
    }

    private void resize(final int capacity)
    {
        final long[] old = events;
        final int oldMask = mask;
        allocate(capacity);
        // The events [head, tail) are at most two runs in the old array and at most two in the new one:
        // copy run by run (it was one arraycopy call an event, for every event, at each doubling).
        long n = head;
        while (n < tail)
        {
            final int from = (int)n & oldMask;
            final int to = (int)n & mask;
            final long run = Math.min(tail - n, Math.min(oldMask + 1 - from, mask + 1 - to));
            System.arraycopy(old, from << 2, events, to << 2, (int)run << 2);
            n += run;
        }
    }

    /**
     * The array behind the ring (valid until the next append or release, which may replace it).
     *
     * @return events as (time, kind, a, b) at {@link #slot}.
     */
    long[] events()
    {
        return events;
    }

    /**
     * @param number an event's number.
     * @return where its time is in {@link #events()}; kind, a and b follow.
     */
    int slot(final long number)
    {
        return ((int)number & mask) << 2;
    }

    long time(final long number)
    {
        return events[((int)number & mask) << 2];
    }

    byte kind(final long number)
    {
        return (byte)events[(((int)number & mask) << 2) + 1];
    }

    long a(final long number)
    {
        return events[(((int)number & mask) << 2) + 2];
    }

    long b(final long number)
    {
        return events[(((int)number & mask) << 2) + 3];
    }
}
