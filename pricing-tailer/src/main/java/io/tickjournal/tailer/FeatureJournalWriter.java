package io.tickjournal.tailer;

import io.tickjournal.journal.Partition;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.FeatureSnapshotEncoder;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import org.agrona.ExpandableDirectByteBuffer;

import java.nio.file.Path;

/**
 * Journals features as their own partition: one FeatureSnapshot per emitted feature set, stamped
 * with the input record's receive time (so it lands in the same trading day), its sequence in
 * {@code venueSeq} and its (day, sequence) index in {@code rawIndex}. Downstream users tail it
 * like any partition. Called on the engine's thread.
 */
public final class FeatureJournalWriter implements FeatureEngine.Listener, AutoCloseable
{
    private final PartitionWriter writer;
    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final FeatureSnapshotEncoder encoder = new FeatureSnapshotEncoder();

    /**
     * @param dir the feature partition.
     */
    public FeatureJournalWriter(final Path dir)
    {
        this.writer = new PartitionWriter(dir);
    }

    @Override
    public void onFeatures(
        final FeatureEngine.Instrument instrument, final FeatureSet features, final int day, final long sequence,
        final long receiveTimeNs)
    {
        encoder.wrapAndApplyHeader(buffer, 0, header)
            .receiveTimeNs(receiveTimeNs)
            .eventTimeNs(Records.NULL_LONG)
            .venueSeq(sequence)
            .rawIndex(Partition.index(day, sequence))
            .venueId(instrument.venueId())
            .flags(0)
            .instrumentId(instrument.instrumentId());
        final FeatureSnapshotEncoder.ValuesEncoder values = encoder.valuesCount(features.count());
        for (int i = 0; i < features.count(); i++)
        {
            values.next().featureId(features.id(i)).mantissa(features.mantissa(i)).exponent((byte)features.exponent(i));
        }
        writer.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
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
