package io.tickjournal.ops;

import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.sbe.BookDeltaEncoder;
import io.tickjournal.journal.sbe.BookSnapshotEncoder;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import io.tickjournal.journal.sbe.StreamKind;
import io.tickjournal.journal.sbe.VenueStatusEncoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code verify} rebuilds books by the same rule as the feature engine: only a book gap (or a whole-feed one) invalidates a book. */
class VerifyBooksTest
{
    private static final long START = TradingDay.startNs(TradingDay.parse("2026-11-20")) + 1_000_000_000L;

    @TempDir
    Path root;

    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    private int snapshot(final long time, final long bid, final long ask)
    {
        final BookSnapshotEncoder e = new BookSnapshotEncoder();
        e.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(time).eventTimeNs(time).venueSeq(1).rawIndex(Records.NULL_LONG)
            .venueId(1).flags(Records.FLAG_FROM_SNAPSHOT).instrumentId(1).priceExponent((byte)-2).sizeExponent((byte)-3);
        e.bidsCount(1).next().price(bid).size(1_000);
        e.asksCount(1).next().price(ask).size(1_000);
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int bidDelta(final long time, final long bid)
    {
        final BookDeltaEncoder e = new BookDeltaEncoder();
        e.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(time).eventTimeNs(time).venueSeq(3).rawIndex(Records.NULL_LONG)
            .venueId(1).flags(0).instrumentId(1).firstVenueSeq(2).prevVenueSeq(1).priceExponent((byte)-2).sizeExponent((byte)-3);
        e.bidsCount(1).next().price(bid).size(500);
        e.asksCount(0);
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int gap(final long time, final StreamKind stream)
    {
        final VenueStatusEncoder e = new VenueStatusEncoder();
        e.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(time).eventTimeNs(Records.NULL_LONG).venueSeq(Records.NULL_LONG)
            .rawIndex(Records.NULL_LONG).venueId(1).flags(0).instrumentId(1).status(VenueStatusKind.GAP_DETECTED).connectionId(1)
            .expectedSeq(10).receivedSeq(12).stream(stream).detail("trade ids");
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private Cli verify(final StreamKind gapStream)
    {
        final Path partition = root.resolve(gapStream.name()).resolve("p");
        try (PartitionWriter writer = new PartitionWriter(partition))
        {
            writer.append(buffer, 0, snapshot(START, 10_000, 10_010));
            writer.append(buffer, 0, gap(START + 1, gapStream));
            // a bid above the ask: the book this delta lands on is crossed
            writer.append(buffer, 0, bidDelta(START + 2, 10_020));
        }
        return Cli.run("verify", partition.toString());
    }

    @Test
    void aTradeIdGapDoesNotStopVerifyRebuildingTheBook()
    {
        final Cli cli = verify(StreamKind.TRADE);
        assertEquals(1, cli.exit, cli.toString());
        assertTrue(cli.out.contains("2026-11-20/3: book of instrument 1 crossed after this delta"), cli.out);
    }

    @Test
    void aBookGapInvalidatesTheBookUntilTheNextSnapshot()
    {
        final Cli cli = verify(StreamKind.BOOK);
        assertEquals(0, cli.exit, cli.toString());
        assertTrue(cli.out.contains("books rebuild cleanly"), cli.out);
    }
}
