package io.tickjournal.journal;

import io.tickjournal.journal.sbe.FeatureSnapshotEncoder;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A feature partition interleaves its input partitions, so receive time may go back between its
 * records: that is not a fault there. A feature whose input does not move forward (a duplicate after
 * a restart) is.
 */
class FeaturePartitionVerifyTest
{
    private static final int DAY = TradingDay.parse("2026-11-25");

    @TempDir
    Path root;

    private static int feature(final ExpandableDirectByteBuffer buffer, final int venueId, final long receiveTimeNs, final long inputSeq)
    {
        final FeatureSnapshotEncoder encoder = new FeatureSnapshotEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .receiveTimeNs(receiveTimeNs)
            .eventTimeNs(Records.NULL_LONG)
            .venueSeq(inputSeq)
            .rawIndex(Partition.index(DAY, inputSeq))
            .venueId(venueId)
            .flags(0)
            .instrumentId(1);
        encoder.valuesCount(1).next().featureId(1).mantissa(6_500_000).exponent((byte)-2);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /** Two inputs, A's records received a little later than B's but interleaved by arrival: times go back and forth. */
    private Path write(final boolean repeatOne)
    {
        final Path dir = root.resolve("features");
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(1024);
        final long t0 = TradingDay.startNs(DAY) + 1_000_000_000L;
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            for (int i = 1; i <= 1000; i++)
            {
                writer.append(buffer, 0, feature(buffer, 1, t0 + i * 1000L + 700, i));
                writer.append(buffer, 0, feature(buffer, 2, t0 + i * 1000L, i));
                if (repeatOne && i == 500)
                {
                    writer.append(buffer, 0, feature(buffer, 1, t0 + i * 1000L + 700, i));
                }
            }
        }
        return dir;
    }

    @Test
    void aCleanFeaturePartitionWhoseInputsInterleaveVerifies()
    {
        final JournalVerifier.Report report = JournalVerifier.verify(write(false));
        assertTrue(report.ok(), report.problems().size() + " problems, first: " + report.problems().stream().findFirst());
        assertEquals(2000, report.records());
    }

    @Test
    void aFeatureWhoseInputRepeatsIsBroken()
    {
        final JournalVerifier.Report report = JournalVerifier.verify(write(true));
        assertFalse(report.ok());
        assertEquals(1, report.problems().size(), report.problems().toString());
        assertTrue(report.problems().get(0).reason().contains("feature input of venue 1 does not move forward"), report.problems().toString());
        assertEquals(1001, report.problems().get(0).sequence(), "the repeat follows 500 pairs: the 1,001st record");
    }
}
