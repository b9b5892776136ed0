package io.tickjournal.tailer;

import io.tickjournal.journal.decimal.Decimals;

/** The features of one instrument after one record: ids with exact mantissas and exponents. Reused. */
public final class FeatureSet
{
    private final int[] ids = new int[128];
    private final long[] mantissas = new long[128];
    private final int[] exponents = new int[128];
    private int count;

    void clear()
    {
        count = 0;
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
