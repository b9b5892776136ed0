package io.tickjournal.tailer;

import io.tickjournal.journal.RecordHandler;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.BookDeltaEncoder;
import io.tickjournal.journal.sbe.BookSnapshotEncoder;
import io.tickjournal.journal.sbe.InstrumentDefinitionEncoder;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import io.tickjournal.journal.sbe.Side;
import io.tickjournal.journal.sbe.StreamKind;
import io.tickjournal.journal.sbe.TopOfBookEncoder;
import io.tickjournal.journal.sbe.TradeEncoder;
import io.tickjournal.journal.sbe.TradeKind;
import io.tickjournal.journal.sbe.VenueStatusEncoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * Encodes records for tests, one at a time into {@link #buffer} at offset 0, and hands each to a
 * handler with the next sequence of day 1 (or just encodes it, for a journal writer).
 * Prices and sizes are mantissas at the exponents given at construction.
 */
final class TestRecords
{
    final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final TradeEncoder trade = new TradeEncoder();
    private final TopOfBookEncoder top = new TopOfBookEncoder();
    private final BookSnapshotEncoder snapshot = new BookSnapshotEncoder();
    private final BookDeltaEncoder delta = new BookDeltaEncoder();
    private final VenueStatusEncoder status = new VenueStatusEncoder();
    private final InstrumentDefinitionEncoder definition = new InstrumentDefinitionEncoder();
    private final RecordHandler handler;
    private final int priceExponent;
    private final int sizeExponent;
    private final int day;
    private long sequence;

    TestRecords(final RecordHandler handler, final int priceExponent, final int sizeExponent)
    {
        this(handler, priceExponent, sizeExponent, 1);
    }

    TestRecords(final RecordHandler handler, final int priceExponent, final int sizeExponent, final int day)
    {
        this.handler = handler;
        this.priceExponent = priceExponent;
        this.sizeExponent = sizeExponent;
        this.day = day;
    }

    /** @return the sequence of the last record handed over. */
    long sequence()
    {
        return sequence;
    }

    private int deliver(final int length)
    {
        if (handler != null)
        {
            handler.onRecord(day, ++sequence, buffer, 0, length);
        }
        return length;
    }

    int definition(final int venue, final int instrument, final long timeNs, final String canonical, final MarketKind kind)
    {
        definition.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(timeNs).eventTimeNs(timeNs).venueSeq(Records.NULL_LONG)
            .rawIndex(Records.NULL_LONG).venueId(venue).flags(0).instrumentId(instrument).marketKind(kind)
            .priceExponent((byte)priceExponent).sizeExponent((byte)sizeExponent).priceGrouping(0).bookDepth(0).venueSymbol(canonical.replace("-", ""))
            .canonicalSymbol(canonical);
        return deliver(MessageHeaderEncoder.ENCODED_LENGTH + definition.encodedLength());
    }

    int trade(
        final int venue, final int instrument, final long timeNs, final long tradeId, final long price, final long size,
        final Side side, final TradeKind kind)
    {
        trade.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(timeNs).eventTimeNs(timeNs).venueSeq(tradeId)
            .rawIndex(Records.NULL_LONG).venueId(venue).flags(0).instrumentId(instrument).priceMantissa(price).sizeMantissa(size)
            .tradeTimeNs(timeNs).priceExponent((byte)priceExponent).sizeExponent((byte)sizeExponent).aggressor(side).kind(kind);
        return deliver(MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength());
    }

    int top(
        final int venue, final int instrument, final long timeNs, final long bid, final long bidSize, final long ask,
        final long askSize)
    {
        top.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(timeNs).eventTimeNs(timeNs).venueSeq(Records.NULL_LONG)
            .rawIndex(Records.NULL_LONG).venueId(venue).flags(0).instrumentId(instrument).bidPrice(bid).bidSize(bidSize)
            .askPrice(ask).askSize(askSize).priceExponent((byte)priceExponent).sizeExponent((byte)sizeExponent);
        return deliver(MessageHeaderEncoder.ENCODED_LENGTH + top.encodedLength());
    }

    int snapshot(final int venue, final int instrument, final long timeNs, final long[][] bids, final long[][] asks)
    {
        snapshot.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(timeNs).eventTimeNs(timeNs).venueSeq(1)
            .rawIndex(Records.NULL_LONG).venueId(venue).flags(Records.FLAG_FROM_SNAPSHOT).instrumentId(instrument)
            .priceExponent((byte)priceExponent).sizeExponent((byte)sizeExponent);
        final BookSnapshotEncoder.BidsEncoder b = snapshot.bidsCount(bids.length);
        for (final long[] level : bids)
        {
            b.next().price(level[0]).size(level[1]);
        }
        final BookSnapshotEncoder.AsksEncoder a = snapshot.asksCount(asks.length);
        for (final long[] level : asks)
        {
            a.next().price(level[0]).size(level[1]);
        }
        return deliver(MessageHeaderEncoder.ENCODED_LENGTH + snapshot.encodedLength());
    }

    int delta(final int venue, final int instrument, final long timeNs, final long[][] bids, final long[][] asks)
    {
        delta.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(timeNs).eventTimeNs(timeNs).venueSeq(2)
            .rawIndex(Records.NULL_LONG).venueId(venue).flags(0).instrumentId(instrument).firstVenueSeq(2).prevVenueSeq(1)
            .priceExponent((byte)priceExponent).sizeExponent((byte)sizeExponent);
        final BookDeltaEncoder.BidsEncoder b = delta.bidsCount(bids.length);
        for (final long[] level : bids)
        {
            b.next().price(level[0]).size(level[1]);
        }
        final BookDeltaEncoder.AsksEncoder a = delta.asksCount(asks.length);
        for (final long[] level : asks)
        {
            a.next().price(level[0]).size(level[1]);
        }
        return deliver(MessageHeaderEncoder.ENCODED_LENGTH + delta.encodedLength());
    }

    int status(final int venue, final int instrument, final long timeNs, final VenueStatusKind kind, final StreamKind stream)
    {
        status.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(timeNs).eventTimeNs(Records.NULL_LONG)
            .venueSeq(Records.NULL_LONG).rawIndex(Records.NULL_LONG).venueId(venue).flags(0).instrumentId(instrument)
            .status(kind).connectionId(1).expectedSeq(10).receivedSeq(12).stream(stream).detail("test");
        return deliver(MessageHeaderEncoder.ENCODED_LENGTH + status.encodedLength());
    }
}
