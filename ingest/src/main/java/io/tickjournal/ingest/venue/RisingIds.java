package io.tickjournal.ingest.venue;

import io.tickjournal.journal.Records;

/**
 * {@link TradeDedup} for ids that rise (Binance trade and aggregate ids, OKX trade ids): every
 * id journaled within the last {@link #WINDOW} ids is remembered in a bitmap, so an id is a
 * duplicate only if it really was journaled. Keeping only the highest id would drop ids a
 * rotation's old connection delivers after the new one jumped ahead (old 101 and 102 after new
 * 103), and report a false gap.
 * <p>
 * A jump in ids is a gap at once on a single connection; during an overlap the skipped range is
 * remembered and reported, less whatever either connection filled in, when the overlap ends.
 * Allocation-free after construction. The feed's thread only.
 */
public final class RisingIds implements TradeDedup
{
    /** Ids remembered below the highest. */
    public static final int WINDOW = 1 << 16;
    private static final int MAX_PENDING = 64;

    private final long[] bits = new long[WINDOW / 64];
    private long highest = Records.NULL_LONG;
    private long floor;
    private final long[] pendingFrom = new long[MAX_PENDING];
    private final long[] pendingTo = new long[MAX_PENDING];
    private int pending;

    @Override
    public int offer(final long id, final boolean overlapping, final GapListener gaps)
    {
        if (highest == Records.NULL_LONG)
        {
            highest = id;
            floor = id;
            mark(id);
            return NEW;
        }
        if (id <= highest)
        {
            if (id < floor || marked(id))
            {
                return DUPLICATE;
            }
            mark(id);
            return NEW;
        }
        if (id > highest + 1)
        {
            if (overlapping && pending < MAX_PENDING)
            {
                pendingFrom[pending] = highest + 1;
                pendingTo[pending] = id - 1;
                pending++;
            }
            else
            {
                gaps.onGap(highest + 1, id - 1);
            }
        }
        advance(id);
        mark(id);
        highest = id;
        return NEW;
    }

    @Override
    public int offerRange(final long firstId, final long lastId, final boolean overlapping, final GapListener gaps)
    {
        if (firstId == Records.NULL_LONG || firstId >= lastId || lastId - firstId >= WINDOW)
        {
            return offer(lastId, overlapping, gaps);
        }
        if (highest != Records.NULL_LONG && lastId <= highest && (lastId < floor || marked(lastId)))
        {
            return DUPLICATE;
        }
        // The first id is checked for a gap before it; the rest of the range follows it without one.
        for (long id = firstId; id <= lastId; id++)
        {
            offer(id, overlapping, gaps);
        }
        return NEW;
    }

    @Override
    public void overlapEnded(final GapListener gaps)
    {
        for (int p = 0; p < pending; p++)
        {
            long runStart = Records.NULL_LONG;
            final long to = pendingTo[p];
            for (long id = Math.max(pendingFrom[p], floor); id <= to; id++)
            {
                if (!marked(id))
                {
                    if (runStart == Records.NULL_LONG)
                    {
                        runStart = id;
                    }
                }
                else if (runStart != Records.NULL_LONG)
                {
                    gaps.onGap(runStart, id - 1);
                    runStart = Records.NULL_LONG;
                }
            }
            if (runStart != Records.NULL_LONG)
            {
                gaps.onGap(runStart, to);
            }
            if (pendingFrom[p] < floor)
            {
                // Fell out of the window before the overlap ended: unknown, reported whole.
                gaps.onGap(pendingFrom[p], Math.min(to, floor - 1));
            }
        }
        pending = 0;
    }

    @Override
    public void clear()
    {
        java.util.Arrays.fill(bits, 0);
        highest = Records.NULL_LONG;
        pending = 0;
    }

    /** @return the highest id journaled, or null. */
    public long highest()
    {
        return highest;
    }

    private void advance(final long id)
    {
        final long newFloor = id - WINDOW + 1;
        if (newFloor <= floor)
        {
            return;
        }
        if (newFloor - floor >= WINDOW)
        {
            java.util.Arrays.fill(bits, 0);
        }
        else
        {
            for (long old = floor; old < newFloor; old++)
            {
                final int bit = (int)(old & (WINDOW - 1));
                bits[bit >>> 6] &= ~(1L << (bit & 63));
            }
        }
        floor = newFloor;
    }

    private boolean marked(final long id)
    {
        final int bit = (int)(id & (WINDOW - 1));
        return (bits[bit >>> 6] & (1L << (bit & 63))) != 0;
    }

    private void mark(final long id)
    {
        final int bit = (int)(id & (WINDOW - 1));
        bits[bit >>> 6] |= 1L << (bit & 63);
    }
}
