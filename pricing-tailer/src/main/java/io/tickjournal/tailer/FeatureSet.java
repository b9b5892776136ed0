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
     * The engine fills the set by slot: slot s holds a mantissa in {@code values[s]} (or
     * {@link Long#MIN_VALUE}: absent) and its id and exponent in {@code keys[s]} (id in the high 32
     * bits, exponent in the low 32). The keys of a slot depend only on the instrument and the window
     * layout, so the engine writes them when the instrument changes, not after every record; after a
     * record it writes one value per feature and nothing else. (Appending 35 entries with their ids,
     * exponents and a skip test each, after every record, was an eighth of the tailer.)
     */
    private final long[] values = new long[CAPACITY];
    private final long[] keys = new long[CAPACITY];
    private int slots;
    private Object layout;

    /**
     * The features present, in slot order: entry i at {@code 2i} (mantissa) and {@code 2i + 1} (key),
     * built from the slots on the first read after a fill (a reader pays for it, the engine does not).
     */
    private final long[] entries = new long[CAPACITY << 1];
    private int count;
    private boolean counted = true;
    private boolean compacted = true;
    private int flags;

    void clear()
    {
        slots = 0;
        count = 0;
        counted = true;
        compacted = true;
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

    /**
     * Append a feature after the slots filled so far (left out when {@code mantissa} is
     * {@link Long#MIN_VALUE}, or beyond {@link #CAPACITY}).
     */
    void add(final int id, final long mantissa, final int exponent)
    {
        final int s = slots;
        if (s == CAPACITY)
        {
            return;
        }
        layout = null;
        keys[s] = key(id, exponent);
        values[s] = mantissa;
        slots = s + 1;
        counted = false;
        compacted = false;
    }

    /** @return the owner of the slot keys now held ({@link #layout(Object, int)}), or null. */
    Object layout()
    {
        return layout;
    }

    /**
     * Begin a fill of {@code slots} slots whose keys were set for {@code owner} (it keeps them until
     * another owner's); every slot's value must then be set ({@link #value}).
     */
    void layout(final Object owner, final int slots)
    {
        if (slots > CAPACITY)
        {
            throw new IllegalArgumentException(slots + " features, more than a set holds (" + CAPACITY + ")");
        }
        this.layout = owner;
        this.slots = slots;
        this.counted = false;
        this.compacted = false;
        this.flags = 0;
    }

    /** Set the id and exponent of a slot. */
    void key(final int slot, final int id, final int exponent)
    {
        keys[slot] = key(id, exponent);
    }

    /** Set the mantissa of a slot ({@link Long#MIN_VALUE}: the feature is absent). */
    void value(final int slot, final long mantissa)
    {
        values[slot] = mantissa;
    }

    private static long key(final int id, final int exponent)
    {
        return ((long)id << 32) | (exponent & 0xFFFF_FFFFL);
    }

    private void compact()
    {
        final long[] values = this.values;
        final long[] keys = this.keys;
        final long[] entries = this.entries;
        int n = 0;
        for (int s = 0, slots = this.slots; s < slots; s++)
        {
            final long mantissa = values[s];
            if (mantissa != Long.MIN_VALUE)
            {
                entries[n << 1] = mantissa;
                entries[(n << 1) + 1] = keys[s];
                n++;
            }
        }
        count = n;
        counted = true;
        compacted = true;
    }

    /** @return how many features. */
    public int count()
    {
        if (!counted)
        {
            // a scan, not a compaction: the feature writer needs the count and then writes from the slots
            final long[] values = this.values;
            int n = 0;
            for (int s = 0, slots = this.slots; s < slots; s++)
            {
                n += values[s] != Long.MIN_VALUE ? 1 : 0;
            }
            count = n;
            counted = true;
        }
        return count;
    }

    /**
     * @return the slots of the last fill, present features and absent ones: with {@link #slotMantissa}
     * and {@link #slotKey}, the features in order without building the indexed view (a reader that
     * visits every feature, e.g. a hash, need not pay for {@link #mantissa(int)}'s compaction).
     */
    public int slots()
    {
        return slots;
    }

    /** @param slot a slot below {@link #slots()}. @return its mantissa, or {@link Long#MIN_VALUE} when the feature is absent. */
    public long slotMantissa(final int slot)
    {
        return values[slot];
    }

    /** @param slot a slot below {@link #slots()}. @return its id (high 32 bits) and exponent (low 32 bits) in one word. */
    public long slotKey(final int slot)
    {
        return keys[slot];
    }

    /** @param i index. @return feature id. */
    public int id(final int i)
    {
        return (int)(key(i) >>> 32);
    }

    /** @param i index. @return mantissa. */
    public long mantissa(final int i)
    {
        if (!compacted)
        {
            compact();
        }
        return entries[i << 1];
    }

    /** @param i index. @return its id (high 32 bits) and exponent (low 32 bits) in one word, as stored. */
    public long key(final int i)
    {
        if (!compacted)
        {
            compact();
        }
        return entries[(i << 1) + 1];
    }

    /** @param i index. @return exponent. */
    public int exponent(final int i)
    {
        return (int)key(i);
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
        final int n = count();
        buffer.boundsCheck(offset, n * stride);
        // straight from the slots, in slot order, skipping the absent ones (no compaction)
        final long[] values = this.values;
        final long[] keys = this.keys;
        final int slots = this.slots;
        if (NATIVE_ORDER)
        {
            // the whole range is checked above: each put need not check again
            final byte[] array = buffer.byteArray();
            long address = buffer.addressOffset() + offset;
            for (int s = 0; s < slots; s++)
            {
                final long mantissa = values[s];
                if (mantissa != Long.MIN_VALUE)
                {
                    final long meta = keys[s];
                    UnsafeApi.putShort(array, address, (short)(meta >>> 32));
                    UnsafeApi.putLong(array, address + 2, mantissa);
                    UnsafeApi.putByte(array, address + 10, (byte)meta);
                    address += stride;
                }
            }
            return n * stride;
        }
        int at = offset;
        for (int s = 0; s < slots; s++)
        {
            final long mantissa = values[s];
            if (mantissa != Long.MIN_VALUE)
            {
                final long meta = keys[s];
                buffer.putShort(at, (short)(meta >>> 32), FeatureSnapshotEncoder.BYTE_ORDER);
                buffer.putLong(at + 2, mantissa, FeatureSnapshotEncoder.BYTE_ORDER);
                buffer.putByte(at + 10, (byte)meta);
                at += stride;
            }
        }
        return at - offset;
    }

    /**
     * @param id a feature id.
     * @return its index, or -1.
     */
    public int indexOf(final int id)
    {
        final int count = count();
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
