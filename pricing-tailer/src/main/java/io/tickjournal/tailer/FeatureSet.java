package io.tickjournal.tailer;

import io.tickjournal.journal.decimal.Decimals;
import io.tickjournal.journal.sbe.FeatureSnapshotEncoder;
import org.agrona.MutableDirectBuffer;

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
     * Write the features as the entries of a FeatureSnapshot's {@code values} group, exactly as
     * {@link FeatureSnapshotEncoder.ValuesEncoder} lays them out (featureId uint16, mantissa int64,
     * exponent int8: 11 bytes each, little-endian), straight from this set's arrays: the feature
     * writer's per-record cost was a third in the generated encoder's per-entry calls.
     *
     * @param buffer destination, with room for {@code count() * 11} bytes at {@code offset}.
     * @param offset where the first entry goes (just after the group's header).
     * @return bytes written.
     */
    int putValues(final MutableDirectBuffer buffer, final int offset)
    {
        final int stride = FeatureSnapshotEncoder.ValuesEncoder.sbeBlockLength();
        final int n = count;
        buffer.boundsCheck(offset, n * stride);
        int at = offset;
        for (int i = 0; i < n; i++)
        {
            buffer.putShort(at, (short)ids[i], FeatureSnapshotEncoder.BYTE_ORDER);
            buffer.putLong(at + 2, mantissas[i], FeatureSnapshotEncoder.BYTE_ORDER);
            buffer.putByte(at + 10, (byte)exponents[i]);
            at += stride;
        }
        return at - offset;
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
