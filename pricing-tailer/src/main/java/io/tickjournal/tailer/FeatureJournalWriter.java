package io.tickjournal.tailer;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.Pretoucher;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.FeatureSnapshotEncoder;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.collections.Long2LongHashMap;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Journals features as their own partition: one FeatureSnapshot per emitted feature set, stamped
 * with the input record's receive time (so it lands in the same trading day), its sequence in
 * {@code venueSeq}, its (day, sequence) index in {@code rawIndex} and the feature set's flags.
 * Downstream users tail it like any partition. Called on the engine's thread.
 * <p>
 * <b>Resuming.</b> A restarted tailer replays the day from its start (the engine needs the whole
 * day to rebuild books and windows), so the writer must not journal again what the partition
 * already holds. On opening it reads the partition's last day and takes, per (venue, instrument),
 * the input index of the last feature record there; feature sets of inputs at or before that
 * index, and of inputs from earlier days, are skipped ({@link #skipped()}). Since features are a
 * pure function of the records, the first feature set written after a restart is the one an
 * uninterrupted run would have written next: the partition equals a backfill, with no duplicate.
 * (Input indices are per partition; an instrument's records all come from one partition, so per
 * instrument they only grow.)
 */
public final class FeatureJournalWriter implements FeatureEngine.Listener, AutoCloseable
{
    private final PartitionWriter writer;
    /** Room for the largest record: the header, the block and 128 values (FeatureSet's most) of 11 bytes. */
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final FeatureSnapshotEncoder encoder = new FeatureSnapshotEncoder();
    /** Per (venue, instrument): the input index of its last feature record already journaled; emptied as each passes it. */
    private final Long2LongHashMap resumeIndex = new Long2LongHashMap(Long.MIN_VALUE);
    /** Inputs of days before this index are already reflected (the start of the partition's last day). */
    private final long resumeFloorIndex;
    private long skipped;
    private long refused;
    private Pretoucher pretoucher;

    /**
     * @param dir the feature partition (created if missing; resumed if it has records).
     */
    public FeatureJournalWriter(final Path dir)
    {
        long floor = Long.MIN_VALUE;
        if (Partition.hasCycleFiles(dir))
        {
            try (JournalTailer tailer = JournalTailer.open(dir, null))
            {
                final int lastDay = tailer.queue().lastCycle();
                if (lastDay >= 0 && tailer.moveTo(lastDay, 1))
                {
                    floor = Partition.index(lastDay, 1);
                    while (tailer.readOne((d, s, b, o, l) ->
                    {
                        final long key = key(Records.venueId(b, o), Records.instrumentId(b, o));
                        resumeIndex.put(key, Math.max(resumeIndex.get(key), Records.rawIndex(b, o)));
                    }))
                    {
                        // scan the last day
                    }
                }
            }
        }
        this.resumeFloorIndex = floor;
        this.writer = new PartitionWriter(dir);
    }

    @Override
    public void onFeatures(
        final FeatureEngine.Instrument instrument, final FeatureSet features, final int day, final long sequence,
        final long receiveTimeNs)
    {
        final long inputIndex = Partition.index(day, sequence);
        if (inputIndex < resumeFloorIndex || (!resumeIndex.isEmpty() && alreadyJournaled(instrument, inputIndex)))
        {
            skipped++;
            return;
        }
        if (writer.append(buffer, 0, encode(buffer, 0, header, encoder, instrument, features, day, sequence, receiveTimeNs)) < 0)
        {
            refused++; // no room on the partition's disk: counted, never silent (a backfill writes the day again)
        }
    }

    /** @return the length of the FeatureSnapshot {@link #encode} writes for these features. */
    static int encodedLength(final FeatureSet features)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + FeatureSnapshotEncoder.BLOCK_LENGTH +
            FeatureSnapshotEncoder.ValuesEncoder.HEADER_SIZE + features.count() * FeatureSnapshotEncoder.ValuesEncoder.sbeBlockLength();
    }

    /**
     * Encode the FeatureSnapshot of one feature set: stamped with the input record's receive time,
     * its sequence in {@code venueSeq}, its (day, sequence) index in {@code rawIndex}, the set's flags.
     * The one encoding of a feature record (this writer's and {@link HandoffFeatureWriter}'s).
     *
     * @return its length ({@link #encodedLength}).
     */
    static int encode(
        final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header, final FeatureSnapshotEncoder encoder,
        final FeatureEngine.Instrument instrument, final FeatureSet features, final int day, final long sequence,
        final long receiveTimeNs)
    {
        encoder.wrapAndApplyHeader(buffer, offset, header)
            .receiveTimeNs(receiveTimeNs)
            .eventTimeNs(Records.NULL_LONG)
            .venueSeq(sequence)
            .rawIndex(Partition.index(day, sequence))
            .venueId(instrument.venueId())
            .flags(features.flags())
            .instrumentId(instrument.instrumentId());
        encoder.valuesCount(features.count());
        final int groupAt = offset + MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        return groupAt - offset + features.putValues(buffer, groupAt);
    }

    private static long key(final int venueId, final int instrumentId)
    {
        return ((long)venueId << 32) | (instrumentId & 0xFFFF_FFFFL);
    }

    private boolean alreadyJournaled(final FeatureEngine.Instrument instrument, final long inputIndex)
    {
        final long key = key(instrument.venueId(), instrument.instrumentId());
        final long last = resumeIndex.get(key);
        if (last == Long.MIN_VALUE)
        {
            return false;
        }
        if (inputIndex <= last)
        {
            return true;
        }
        resumeIndex.remove(key); // past its resume point: every later input of it is new
        return false;
    }

    /** @return feature sets not journaled because the partition already held them (after a restart). */
    public long skipped()
    {
        return skipped;
    }

    /**
     * Have a pretoucher touch this partition's pages ahead of the writes (a backfill writes a
     * feature record for every input record; first writes to new pages were a large part of it).
     *
     * @param pretoucher the pretoucher, started by the caller, closed after this writer.
     */
    public void pretouchWith(final Pretoucher pretoucher)
    {
        this.pretoucher = pretoucher;
        pretoucher.register(writer);
    }

    /**
     * @return feature records the partition refused (its disk full, or a record it could not accept): they are
     * missing from it, and a backfill of their day writes them again.
     */
    public long refused()
    {
        return refused;
    }

    /** @return feature records written. */
    public long written()
    {
        return writer.appendedCount();
    }

    @Override
    public void close()
    {
        if (pretoucher != null)
        {
            pretoucher.unregister(writer);
        }
        writer.close();
    }
}
