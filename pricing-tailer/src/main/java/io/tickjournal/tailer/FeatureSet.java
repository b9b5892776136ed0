package io.tickjournal.tailer;

import io.tickjournal.journal.decimal.Decimals;
import io.tickjournal.journal.sbe.FeatureSnapshotEncoder;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

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

    private static final boolean NATIVE_ORDER = java.nio.ByteOrder.nativeOrder() == FeatureSnapshotEncoder.BYTE_ORDER;

    /** Most features a set holds. */
    static final int CAPACITY = 128;

    /**
     * Entry i at {@code 2i} (mantissa) and {@code 2i + 1} (id in the high 32 bits, exponent in the
     * low 32): one array and two stores an entry. With three arrays an entry was three stores,
     * each with its own range check, and filling 35 after every record was an eighth of the tailer.
     */
    private final long[] entries = new long[CAPACITY << 1];
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
        final int i = count;
        if (mantissa == Long.MIN_VALUE || i == CAPACITY)
        {
            return;
        }
        final long[] entries = this.entries;
        final int at = i << 1;
        entries[at] = mantissa;
        entries[at + 1] = ((long)id << 32) | (exponent & 0xFFFF_FFFFL);
        count = i + 1;
    }

    /** @return how many features. */
    public int count()
    {
        return count;
    }

    /** @param i index. @return feature id. */
    public int id(final int i)
    {
        return (int)(entries[(i << 1) + 1] >>> 32);
    }

    /** @param i index. @return mantissa. */
    public long mantissa(final int i)
    {
        return entries[i << 1];
    }

    /** @param i index. @return its id (high 32 bits) and exponent (low 32 bits) in one word, as stored. */
    public long key(final int i)
    {
        return entries[(i << 1) + 1];
    }

    /** @param i index. @return exponent. */
    public int exponent(final int i)
    {
        return (int)entries[(i << 1) + 1];
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
        final long[] entries = this.entries;
        int at = offset;
        if (NATIVE_ORDER)
        {
            // the whole range is checked above: each put need not check again
            final byte[] array = buffer.byteArray();
            long address = buffer.addressOffset() + offset;
            for (int i = 0; i < n; i++)
            {
                final long meta = entries[(i << 1) + 1];
                UnsafeApi.putShort(array, address, (short)(meta >>> 32));
                UnsafeApi.putLong(array, address + 2, entries[i << 1]);
                UnsafeApi.putByte(array, address + 10, (byte)meta);
                address += stride;
            }
            return n * stride;
        }
        for (int i = 0; i < n; i++)
        {
            final long meta = entries[(i << 1) + 1];
            buffer.putShort(at, (short)(meta >>> 32), FeatureSnapshotEncoder.BYTE_ORDER);
            buffer.putLong(at + 2, entries[i << 1], FeatureSnapshotEncoder.BYTE_ORDER);
            buffer.putByte(at + 10, (byte)meta);
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
            if (id(i) == id)
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
        return i < 0 ? "" : Decimals.toString(mantissa(i), exponent(i));
    }
}
