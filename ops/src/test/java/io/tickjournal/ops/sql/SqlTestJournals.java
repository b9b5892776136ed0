package io.tickjournal.ops.sql;

import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.gen.SyntheticMarket;
import io.tickjournal.journal.sbe.FeatureSnapshotEncoder;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import io.tickjournal.journal.sbe.StreamKind;
import io.tickjournal.journal.sbe.TopOfBookEncoder;
import io.tickjournal.journal.sbe.VenueStatusEncoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.ExpandableDirectByteBuffer;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A generated day with every kind of record the QuestDB loader writes: a definition and a snapshot, then
 * one record per ms cycling trade, book delta, top of book; a gap and a resync every 200 records and a
 * feature snapshot every 50.
 */
public final class SqlTestJournals
{
    private SqlTestJournals()
    {
    }

    /** More trades and deltas (no definition or snapshot), as a writer that reopened the partition would append them. */
    public static void append(final Path dir, final int venueId, final int instrumentId, final long startNs, final int records,
        final long seed)
    {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final SyntheticMarket market = new SyntheticMarket(seed, venueId, instrumentId, 6_500_000, 1_000_000L);
        long t = startNs;
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            for (int i = 0; i < records; i++)
            {
                t += 1_000_000L;
                writer.append(buffer, 0, (i & 1) == 0 ? market.encodeTrade(buffer, 0, t) : market.encodeDelta(buffer, 0, t, 10));
            }
        }
    }

    public static long write(final Path dir, final int venueId, final int instrumentId, final String symbol, final long startNs,
        final int records, final long seed)
    {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final SyntheticMarket market = new SyntheticMarket(seed, venueId, instrumentId, 6_500_000, 1_000_000L);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final TopOfBookEncoder top = new TopOfBookEncoder();
        final VenueStatusEncoder status = new VenueStatusEncoder();
        final FeatureSnapshotEncoder feature = new FeatureSnapshotEncoder();
        final SplittableRandom random = new SplittableRandom(seed);
        long t = startNs;
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            writer.append(buffer, 0, market.encodeDefinition(buffer, 0, t, symbol, symbol.replace("USDT", "-USDT")));
            writer.append(buffer, 0, market.encodeSnapshot(buffer, 0, t, 20));
            for (int i = 0; i < records; i++)
            {
                t += 1_000_000L;
                switch (i % 3)
                {
                    case 0 -> writer.append(buffer, 0, market.encodeTrade(buffer, 0, t));
                    case 1 -> writer.append(buffer, 0, market.encodeDelta(buffer, 0, t, 10));
                    default ->
                    {
                        final long bid = 6_500_000_00_000_000L + random.nextLong(1_000) * 1_000_000L;
                        top.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(t).eventTimeNs(t - 300_000 - random.nextInt(500_000))
                            .venueSeq(9_000_000L + i).rawIndex(Records.NULL_LONG).venueId(venueId).flags(0).instrumentId(instrumentId)
                            .bidPrice(bid).bidSize(1 + random.nextLong(100_000_000L))
                            .askPrice(bid + (1 + random.nextInt(5)) * 1_000_000L).askSize(1 + random.nextLong(100_000_000L))
                            .priceExponent((byte)SyntheticMarket.PRICE_EXPONENT).sizeExponent((byte)SyntheticMarket.SIZE_EXPONENT);
                        writer.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + top.encodedLength());
                    }
                }
                if (i % 50 == 49)
                {
                    feature.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(t).eventTimeNs(t).venueSeq(i).rawIndex(Records.NULL_LONG)
                        .venueId(venueId).flags(0).instrumentId(instrumentId);
                    final FeatureSnapshotEncoder.ValuesEncoder values = feature.valuesCount(2);
                    values.next().featureId(1).mantissa(random.nextLong(1_000_000)).exponent((byte)-4);
                    values.next().featureId(2).mantissa(-random.nextLong(1_000_000)).exponent((byte)-6);
                    writer.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + feature.encodedLength());
                }
                if (i % 200 == 199)
                {
                    for (final VenueStatusKind kind : new VenueStatusKind[]{VenueStatusKind.GAP_DETECTED, VenueStatusKind.RESYNCED})
                    {
                        status.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(t).eventTimeNs(Records.NULL_LONG)
                            .venueSeq(Records.NULL_LONG).rawIndex(Records.NULL_LONG).venueId(venueId).flags(0)
                            .instrumentId(instrumentId).status(kind).connectionId(3).expectedSeq(100L + i).receivedSeq(105L + i)
                            .stream(StreamKind.BOOK).detail("missed 5, resync \"book\"");
                        writer.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + status.encodedLength());
                    }
                }
            }
            return writer.appendedCount();
        }
    }

    /**
     * Run a loader (at least one step, so it sees what was appended since) until it has read every partition to its end and QuestDB acknowledged it (each request goes
     * out on the loader's flush thread, so steps without work are waits, bounded by time, not by a count).
     *
     * @param loader the loader.
     * @return whether it caught up within a minute.
     */
    public static boolean loadToEnd(final QuestDbLoader loader)
    {
        final long deadlineNs = System.nanoTime() + 60_000_000_000L;
        do
        {
            if (loader.doWork() == 0)
            {
                Thread.yield();
            }
        }
        while (!loader.isCaughtUp() && System.nanoTime() - deadlineNs < 0);
        return loader.isCaughtUp();
    }
}
