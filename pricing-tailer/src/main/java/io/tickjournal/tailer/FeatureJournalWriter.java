package io.tickjournal.tailer;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.FeatureSnapshotEncoder;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import org.agrona.ExpandableDirectByteBuffer;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Journals features as their own partition: one FeatureSnapshot per emitted feature set, stamped
 * with the input record's receive time (so it lands in the same trading day), its sequence in
 * {@code venueSeq}, its (day, sequence) index in {@code rawIndex} and the feature set's flags.
 * Downstream users tail it like any partition. Called on the engine's thread.
 * <p>
 * <b>Resuming.</b> A restarted tailer replays the day from its start (the engine needs the whole
 * day to rebuild books and windows), so the writer must not journal again what the partition
 * already holds. On opening it reads the partition's last day and takes, per venue, the input
 * index of the last feature record there; feature sets of inputs at or before that index, and of
 * inputs from earlier days, are skipped ({@link #skipped()}). Since features are a pure function
 * of the records, the first feature set written after a restart is the one an uninterrupted run
 * would have written next: the partition equals a backfill, with no duplicate. (Inputs are matched
 * per venue because the input index is per partition and each partition is one venue's feed.)
 */
public final class FeatureJournalWriter implements FeatureEngine.Listener, AutoCloseable
{
    private final PartitionWriter writer;
    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final FeatureSnapshotEncoder encoder = new FeatureSnapshotEncoder();
    /** Per venue id: the input index of its last feature record already journaled (-1: none). */
    private final long[] resumeIndexByVenue;
    /** Inputs of days before this index are already reflected (the start of the partition's last day). */
    private final long resumeFloorIndex;
    private boolean resuming;
    private long skipped;

    /**
     * @param dir the feature partition (created if missing; resumed if it has records).
     */
    public FeatureJournalWriter(final Path dir)
    {
        long[] lastByVenue = new long[0];
        long floor = Long.MIN_VALUE;
        if (Partition.hasCycleFiles(dir))
        {
            try (JournalTailer tailer = JournalTailer.open(dir, null))
            {
                final int lastDay = tailer.queue().lastCycle();
                if (lastDay >= 0 && tailer.moveTo(lastDay, 1))
                {
                    floor = Partition.index(lastDay, 1);
                    final long[][] last = {lastByVenue};
                    while (tailer.readOne((d, s, b, o, l) ->
                    {
                        final int venue = Records.venueId(b, o);
                        if (venue >= last[0].length)
                        {
                            final int old = last[0].length;
                            last[0] = Arrays.copyOf(last[0], venue + 1);
                            Arrays.fill(last[0], old, venue + 1, -1L);
                        }
                        last[0][venue] = Math.max(last[0][venue], Records.rawIndex(b, o));
                    }))
                    {
                        // scan the last day
                    }
                    lastByVenue = last[0];
                }
            }
        }
        this.resumeIndexByVenue = lastByVenue;
        this.resumeFloorIndex = floor;
        this.resuming = floor != Long.MIN_VALUE;
        this.writer = new PartitionWriter(dir);
    }

    @Override
    public void onFeatures(
        final FeatureEngine.Instrument instrument, final FeatureSet features, final int day, final long sequence,
        final long receiveTimeNs)
    {
        final long inputIndex = Partition.index(day, sequence);
        if (resuming && alreadyJournaled(instrument.venueId(), inputIndex))
        {
            skipped++;
            return;
        }
        encoder.wrapAndApplyHeader(buffer, 0, header)
            .receiveTimeNs(receiveTimeNs)
            .eventTimeNs(Records.NULL_LONG)
            .venueSeq(sequence)
            .rawIndex(inputIndex)
            .venueId(instrument.venueId())
            .flags(features.flags())
            .instrumentId(instrument.instrumentId());
        final FeatureSnapshotEncoder.ValuesEncoder values = encoder.valuesCount(features.count());
        for (int i = 0; i < features.count(); i++)
        {
            values.next().featureId(features.id(i)).mantissa(features.mantissa(i)).exponent((byte)features.exponent(i));
        }
        writer.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private boolean alreadyJournaled(final int venueId, final long inputIndex)
    {
        if (inputIndex < resumeFloorIndex)
        {
            return true;
        }
        return venueId < resumeIndexByVenue.length && inputIndex <= resumeIndexByVenue[venueId];
    }

    /** @return feature sets not journaled because the partition already held them (after a restart). */
    public long skipped()
    {
        return skipped;
    }

    /** @return feature records written. */
    public long written()
    {
        return writer.appendedCount();
    }

    @Override
    public void close()
    {
        writer.close();
    }
}
