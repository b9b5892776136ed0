package io.tickjournal.ops;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A bench's MoldUDP64 packets, kept off the heap in memory-mapped segments of scratch files, with
 * each packet's first sequence and record count: a 10 M-record day packs into about 1.75 GB of
 * packets, more than the launcher's heap (kept as one {@code byte[]} each, they ended the bench
 * with an {@code OutOfMemoryError}). Single-threaded; {@link #close} unmaps (the caller deletes the
 * directory).
 */
final class PacketStore implements AutoCloseable
{
    /** Size of one mapped segment by default; a packet never spans two. */
    static final int SEGMENT_BYTES = 256 << 20;

    private final Path dir;
    private final int segmentBytes;
    private final List<MappedByteBuffer> segments = new ArrayList<>();
    private final UnsafeBuffer segment = new UnsafeBuffer(0, 0);
    private int segmentPosition;
    private long[] addresses = new long[1 << 16];
    private int[] lengths = new int[1 << 16];
    private long[] firstSequences = new long[1 << 16];
    private int[] counts = new int[1 << 16];
    private int size;

    /**
     * @param dir where the segment files go (a scratch directory the caller deletes).
     */
    PacketStore(final Path dir)
    {
        this(dir, SEGMENT_BYTES);
    }

    /**
     * @param dir          where the segment files go (a scratch directory the caller deletes).
     * @param segmentBytes size of each mapped segment: the largest packet it can keep.
     */
    PacketStore(final Path dir, final int segmentBytes)
    {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.segmentPosition = segmentBytes;
    }

    /**
     * Keep a copy of one packet.
     *
     * @param packet        the packet, from its position to its limit (its position is not moved).
     * @param firstSequence the sequence of its first record.
     * @param count         its record count.
     */
    void add(final ByteBuffer packet, final long firstSequence, final int count)
    {
        final int length = packet.remaining();
        if (length > segmentBytes)
        {
            throw new IllegalArgumentException("packet of " + length + " bytes is larger than a segment (" + segmentBytes + ")");
        }
        if (segmentPosition + length > segmentBytes)
        {
            final MappedByteBuffer mapped = IoUtil.mapNewFile(dir.resolve("packets-" + segments.size()).toFile(), segmentBytes, false);
            segments.add(mapped);
            segment.wrap(mapped);
            segmentPosition = 0;
        }
        if (size == addresses.length)
        {
            final int grown = size * 2;
            addresses = Arrays.copyOf(addresses, grown);
            lengths = Arrays.copyOf(lengths, grown);
            firstSequences = Arrays.copyOf(firstSequences, grown);
            counts = Arrays.copyOf(counts, grown);
        }
        segment.putBytes(segmentPosition, packet, packet.position(), length);
        addresses[size] = segment.addressOffset() + segmentPosition;
        lengths[size] = length;
        firstSequences[size] = firstSequence;
        counts[size] = count;
        size++;
        segmentPosition += length;
    }

    /** @return packets kept. */
    int size()
    {
        return size;
    }

    /**
     * Point a view at packet {@code k}.
     *
     * @param k    the packet, from 0.
     * @param view wrapped over the packet's bytes.
     */
    void wrap(final int k, final UnsafeBuffer view)
    {
        view.wrap(addresses[k], lengths[k]);
    }

    /** @return the sequence of packet {@code k}'s first record. */
    long firstSequence(final int k)
    {
        return firstSequences[k];
    }

    /** @return the record count of packet {@code k}. */
    int count(final int k)
    {
        return counts[k];
    }

    @Override
    public void close()
    {
        for (final MappedByteBuffer mapped : segments)
        {
            IoUtil.unmap(mapped);
        }
        segments.clear();
        size = 0;
    }
}
