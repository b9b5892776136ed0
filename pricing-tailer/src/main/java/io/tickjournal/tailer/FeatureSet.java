package io.tickjournal.tailer;

import io.tickjournal.journal.decimal.Decimals;

/**
 * The features of one instrument after one record: ids with exact mantissas and exponents, and
 * flags. A feature whose value is not representable is left out, never approximated. Reused.
 */
public final class FeatureSet
{
    /**
     * Flag: a window of this instrument misses an event it should hold (dropped at the memory
     * ceiling of its event ring, or a mid return too large to square exactly), so its sums are
     * short until that event would have left the window. Journaled in the FeatureSnapshot's flags
     * (above the bits data records use).
     */
    public static final int FLAG_INCOMPLETE_WINDOW = 1 << 8;

    private final int[] ids = new int[128];
    private final long[] mantissas = new long[128];
    private final int[] exponents = new int[128];
    private int count;
    private int flags;

    void clear()
    {
        count = 0;
        flags = 0;
    }

    void flags(final int flags)
    {
        this.flags = flags;
    }

    /** @return the flags ({@link #FLAG_INCOMPLETE_WINDOW}). */
    public int flags()
    {
        return flags;
    }

    void add(final int id, final long mantissa, final int exponent)
    {
        if (mantissa == Long.MIN_VALUE || count == ids.length)
        {
            return;
        }
        ids[count] = id;
        mantissas[count] = mantissa;
        exponents[count] = exponent;
        count++;
    }

    /** @return how many features. */
    public int count()
    {
        return count;
    }

    /** @param i index. @return feature id. */
    public int id(final int i)
    {
        return ids[i];
    }

    /** @param i index. @return mantissa. */
    public long mantissa(final int i)
    {
        return mantissas[i];
    }

    /** @param i index. @return exponent. */
    public int exponent(final int i)
    {
        return exponents[i];
    }

    /**
     * @param id a feature id.
     * @return its index, or -1.
     */
    public int indexOf(final int id)
    {
        for (int i = 0; i < count; i++)
        {
            if (ids[i] == id)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * A feature as text (views, CSV; not the hot path).
     *
     * @param id a feature id.
     * @return its decimal text, or empty.
     */
    public String text(final int id)
    {
        final int i = indexOf(id);
        return i < 0 ? "" : Decimals.toString(mantissas[i], exponents[i]);
    }
}
