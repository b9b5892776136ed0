package io.tickjournal.ops;

import io.tickjournal.tailer.FeatureSet;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The hash {@code replay} prints of what it produced, in order: to multicast, every record sent
 * (partition, day, sequence, bytes); to the features, every record's position and every feature
 * set emitted (instrument, ids, exponents, mantissas, flags). Two runs of the same replay print the same hash; a different output a different one.
 * <p>
 * Four FNV-1a-style lanes, folded together at the end: one lane is a chain of dependent
 * multiplications (3 cycles each), which cost replay a fifth of its time over a feature set's 35
 * values and a record's bytes. Record bytes go to the four lanes in turn; a feature set's entries
 * are mixed each on its own and summed, one word for the chain.
 * Not cryptographic, not persisted: only two runs of one build are ever compared. One thread.
 */
final class OutputHash
{
    private static final long PRIME = 1099511628211L;
    private static final long BASIS = 1469598103934665603L;
    private static final long MIX = 0x9E3779B97F4A7C15L;
    private static final long PRIME2 = 0xC2B2AE3D27D4EB4FL;

    private long h0 = BASIS;
    private long h1 = BASIS ^ 1;
    private long h2 = BASIS ^ 2;
    private long h3 = BASIS ^ 3;

    /**
     * @param partition index of the record's partition in the replay.
     * @param day       its day.
     * @param sequence  its sequence.
     * @param buffer    its bytes.
     * @param offset    where they start.
     * @param length    how many.
     */
    void onRecord(final int partition, final int day, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        long a = (h0 ^ partition) * PRIME;
        long b = (h1 ^ day) * PRIME;
        long c = (h2 ^ sequence) * PRIME;
        long d = (h3 ^ length) * PRIME;
        int i = 0;
        for (; i + 32 <= length; i += 32)
        {
            a = (a ^ buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN)) * PRIME;
            b = (b ^ buffer.getLong(offset + i + 8, ByteOrder.LITTLE_ENDIAN)) * PRIME;
            c = (c ^ buffer.getLong(offset + i + 16, ByteOrder.LITTLE_ENDIAN)) * PRIME;
            d = (d ^ buffer.getLong(offset + i + 24, ByteOrder.LITTLE_ENDIAN)) * PRIME;
        }
        for (; i + 8 <= length; i += 8)
        {
            a = (a ^ buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN)) * PRIME;
        }
        for (; i < length; i++)
        {
            b = (b ^ buffer.getByte(offset + i)) * PRIME;
        }
        h0 = a;
        h1 = b;
        h2 = c;
        h3 = d;
    }

    /**
     * @param venueId      the instrument's venue.
     * @param instrumentId the instrument.
     * @param features     its features after the record.
     */
    void onFeatures(final int venueId, final int instrumentId, final FeatureSet features)
    {
        // Each (id, exponent, mantissa) mixed on its own and the mixes summed: no chain of dependent
        // multiplications through the set (the order of a set's entries is fixed by the engine, and each
        // entry carries its id, so the sum still names every value).
        long sum = 0;
        int count = 0;
        for (int s = 0, slots = features.slots(); s < slots; s++)
        {
            final long mantissa = features.slotMantissa(s);
            if (mantissa != Long.MIN_VALUE) // absent otherwise
            {
                long x = (mantissa ^ (features.slotKey(s) * MIX)) * PRIME2;
                x ^= x >>> 31;
                sum += x;
                count++;
            }
        }
        h0 = (h0 ^ venueId) * PRIME;
        h1 = (h1 ^ instrumentId) * PRIME;
        h2 = (h2 ^ features.flags() ^ ((long)count << 32)) * PRIME;
        h3 = (h3 ^ sum) * PRIME;
    }

    /**
     * A record by its position only (partition, day, sequence): in a replay to the features, the
     * bytes are the journal's and the features that follow them are what was produced.
     *
     * @param partition index of the record's partition in the replay.
     * @param day       its day.
     * @param sequence  its sequence.
     */
    void onPosition(final int partition, final int day, final long sequence)
    {
        h0 = (h0 ^ partition) * PRIME;
        h1 = (h1 ^ day) * PRIME;
        h2 = (h2 ^ sequence) * PRIME;
    }

    /** @return the lanes folded into one value. */
    long value()
    {
        long h = BASIS;
        h = (h ^ h0) * PRIME;
        h = (h ^ h1) * PRIME;
        h = (h ^ h2) * PRIME;
        h = (h ^ h3) * PRIME;
        return h ^ (h >>> 29);
    }
}
