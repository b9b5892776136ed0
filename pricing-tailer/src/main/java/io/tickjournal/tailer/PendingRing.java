package io.tickjournal.tailer;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Arrays;

/**
 * Messages held out of order, keyed by sequence within a window of {@code capacity} sequences,
 * their bytes copied into one growing region that is compacted when it fills. No allocation in
 * steady state. One thread.
 */
final class PendingRing
{
    private static final long EMPTY = Long.MIN_VALUE;

    private final int mask;
    private final long[] seqs;
    private final int[] offsets;
    private final int[] lengths;
    private ExpandableDirectByteBuffer data;
    private ExpandableDirectByteBuffer spare;
    private final int compactAt;
    private int used;
    private int count;
    private long minSeq = Long.MAX_VALUE;

    PendingRing(final int capacity, final int compactAtBytes)
    {
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.mask = capacity - 1;
        this.seqs = new long[capacity];
        this.offsets = new int[capacity];
        this.lengths = new int[capacity];
        Arrays.fill(seqs, EMPTY);
        this.data = new ExpandableDirectByteBuffer(1 << 16);
        this.spare = new ExpandableDirectByteBuffer(1 << 16);
        this.compactAt = compactAtBytes;
    }

    int count()
    {
        return count;
    }

    int capacity()
    {
        return mask + 1;
    }

    /** @return the lowest sequence held, or {@link Long#MAX_VALUE}. */
    long minSeq()
    {
        if (count == 0)
        {
            return Long.MAX_VALUE;
        }
        if (minSeq == Long.MAX_VALUE)
        {
            for (final long s : seqs)
            {
                if (s != EMPTY && s < minSeq)
                {
                    minSeq = s;
                }
            }
        }
        return minSeq;
    }

    /** @return the highest sequence held, or {@link Long#MIN_VALUE} (a scan: for day ends, not per message). */
    long maxSeq()
    {
        long max = Long.MIN_VALUE;
        if (count > 0)
        {
            for (final long s : seqs)
            {
                if (s != EMPTY && s > max)
                {
                    max = s;
                }
            }
        }
        return max;
    }

    /** @return 1 stored, 0 already held (duplicate), -1 no room (another sequence holds the slot). */
    int put(final long seq, final DirectBuffer buffer, final int offset, final int length)
    {
        final int slot = (int)(seq & mask);
        if (seqs[slot] == seq)
        {
            return 0;
        }
        if (seqs[slot] != EMPTY)
        {
            return -1;
        }
        if (used + length > compactAt)
        {
            compact();
        }
        data.putBytes(used, buffer, offset, length);
        seqs[slot] = seq;
        offsets[slot] = used;
        lengths[slot] = length;
        used += length;
        count++;
        if (seq < minSeq)
        {
            minSeq = seq;
        }
        return 1;
    }

    boolean has(final long seq)
    {
        return seqs[(int)(seq & mask)] == seq;
    }

    MutableDirectBuffer buffer()
    {
        return data;
    }

    int offsetOf(final long seq)
    {
        return offsets[(int)(seq & mask)];
    }

    int lengthOf(final long seq)
    {
        return lengths[(int)(seq & mask)];
    }

    void remove(final long seq)
    {
        final int slot = (int)(seq & mask);
        if (seqs[slot] == seq)
        {
            seqs[slot] = EMPTY;
            count--;
            if (seq == minSeq)
            {
                minSeq = Long.MAX_VALUE;
            }
            if (count == 0)
            {
                used = 0;
                minSeq = Long.MAX_VALUE;
            }
        }
    }

    void clear()
    {
        Arrays.fill(seqs, EMPTY);
        count = 0;
        used = 0;
        minSeq = Long.MAX_VALUE;
    }

    private void compact()
    {
        int position = 0;
        for (int i = 0; i < seqs.length; i++)
        {
            if (seqs[i] != EMPTY)
            {
                spare.putBytes(position, data, offsets[i], lengths[i]);
                offsets[i] = position;
                position += lengths[i];
            }
        }
        final ExpandableDirectByteBuffer swap = data;
        data = spare;
        spare = swap;
        used = position;
    }
}
