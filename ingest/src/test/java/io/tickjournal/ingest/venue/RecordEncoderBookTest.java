package io.tickjournal.ingest.venue;

import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Book records are checked as they are written: every level at the instrument's exponents exactly
 * (compared with BigDecimal), and a level that cannot be represented refuses the whole record with
 * the reason of the first bad value, bids before asks, price before size before signs.
 */
class RecordEncoderBookTest
{
    /** Whole-won prices, sizes at 10^-8: a KRW book. */
    private static final InstrumentSpec KRW = new InstrumentSpec(1, "KRW-BTC", "BTC-KRW", MarketKind.SPOT, 0, -8);

    private final RecordEncoder encoder = new RecordEncoder(7);
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);

    private static MarketEvent book(final String[][] bids, final String[][] asks)
    {
        final MarketFrame frame = new MarketFrame();
        final MarketEvent e = frame.nextEvent().kind(MarketEvent.BOOK_SNAPSHOT, Channel.DEPTH);
        final char[] symbol = "KRW-BTC".toCharArray();
        e.symbol(symbol, 0, symbol.length);
        add(e.bids(), bids);
        add(e.asks(), asks);
        return e;
    }

    private static void add(final MarketEvent.Levels side, final String[][] levels)
    {
        for (final String[] level : levels)
        {
            final BigDecimal price = new BigDecimal(level[0]);
            final BigDecimal size = new BigDecimal(level[1]);
            side.add(price.unscaledValue().longValueExact(), -price.scale(), size.unscaledValue().longValueExact(), -size.scale());
        }
    }

    private static List<String> expected(final String[][] levels)
    {
        final List<String> out = new ArrayList<>();
        for (final String[] level : levels)
        {
            out.add(new BigDecimal(level[0]).setScale(0).toPlainString() + " " + new BigDecimal(level[1]).setScale(8).toPlainString());
        }
        return out;
    }

    @Test
    void aSnapshotAndADeltaCarryEveryLevelExactlyAtTheInstrumentsExponents()
    {
        final String[][] bids = {{"1.16538E8", "0.00079276"}, {"116537000.0", "1.5"}, {"116536000", "0"}};
        final String[][] asks = {{"116539000.000", "7.9276E-4"}, {"1.1654E8", "12"}};
        final MarketEvent e = book(bids, asks);
        final int length = encoder.bookSnapshot(KRW, e, 1L, 2L, 0, buffer);
        final BookSnapshotDecoder snapshot = new BookSnapshotDecoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
        assertEquals(length, MessageHeaderDecoder.ENCODED_LENGTH + snapshot.sbeDecodedLength());
        snapshot.sbeRewind();
        final List<String> gotBids = new ArrayList<>();
        for (final BookSnapshotDecoder.BidsDecoder b : snapshot.bids())
        {
            gotBids.add(BigDecimal.valueOf(b.price(), -snapshot.priceExponent()).toPlainString() + " " +
                BigDecimal.valueOf(b.size(), -snapshot.sizeExponent()).toPlainString());
        }
        final List<String> gotAsks = new ArrayList<>();
        for (final BookSnapshotDecoder.AsksDecoder a : snapshot.asks())
        {
            gotAsks.add(BigDecimal.valueOf(a.price(), -snapshot.priceExponent()).toPlainString() + " " +
                BigDecimal.valueOf(a.size(), -snapshot.sizeExponent()).toPlainString());
        }
        assertEquals(expected(bids), gotBids);
        assertEquals(expected(asks), gotAsks);

        final int deltaLength = encoder.bookDelta(KRW, e, 1L, 2L, buffer, 0);
        final BookDeltaDecoder delta = new BookDeltaDecoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
        assertEquals(deltaLength, MessageHeaderDecoder.ENCODED_LENGTH + delta.sbeDecodedLength());
        delta.sbeRewind();
        final List<String> deltaAsks = new ArrayList<>();
        delta.bids().forEachRemaining(b -> { });
        for (final BookDeltaDecoder.AsksDecoder a : delta.asks())
        {
            deltaAsks.add(BigDecimal.valueOf(a.price(), -delta.priceExponent()).toPlainString() + " " +
                BigDecimal.valueOf(a.size(), -delta.sizeExponent()).toPlainString());
        }
        assertEquals(expected(asks), deltaAsks);
    }

    @Test
    void theFirstLevelThatCannotBeRepresentedRefusesTheRecordAndNamesWhy()
    {
        final String[][] good = {{"116538000", "0.5"}};
        final Object[][] cases = {
            // bids, asks, refusal
            {new String[][] {{"116538000", "0.5"}, {"116537000.5", "1"}}, good, "bid level price: "},
            {good, new String[][] {{"116539000", "0.5"}, {"116540000", "0.000000001"}}, "ask level size: "},
            {good, new String[][] {{"116539000", "-0.5"}}, "ask level: negative size"},
            {new String[][] {{"0", "0.5"}}, good, "bid level: price not positive"},
            {new String[][] {{"116537000.5", "0.000000001"}}, new String[][] {{"-1", "1"}}, "bid level price: "},
            {good, new String[][] {{"1E+19", "1"}}, "ask level price: "},
        };
        for (final Object[] c : cases)
        {
            final MarketEvent e = book((String[][])c[0], (String[][])c[1]);
            assertEquals(RecordEncoder.REFUSED, encoder.bookSnapshot(KRW, e, 1L, 2L, 0, buffer), (String)c[2]);
            assertEquals(true, encoder.refusal().toString().startsWith((String)c[2]), encoder.refusal() + " for " + c[2]);
            assertEquals(RecordEncoder.REFUSED, encoder.bookDelta(KRW, e, 1L, 2L, buffer, 0), (String)c[2]);
            assertEquals(true, encoder.refusal().toString().startsWith((String)c[2]), encoder.refusal() + " for " + c[2]);
        }
        // A refused record leaves nothing behind: the next one is whole.
        final String[][] asks = {{"116539000", "0.25"}};
        final int length = encoder.bookSnapshot(KRW, book(good, asks), 1L, 2L, 0, buffer);
        final BookSnapshotDecoder snapshot = new BookSnapshotDecoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
        assertEquals(length, MessageHeaderDecoder.ENCODED_LENGTH + snapshot.sbeDecodedLength());
        snapshot.sbeRewind();
        final BookSnapshotDecoder.BidsDecoder bidsDecoder = snapshot.bids();
        assertEquals(1, bidsDecoder.count());
        bidsDecoder.forEachRemaining(b -> { });
        final BookSnapshotDecoder.AsksDecoder a = snapshot.asks().next();
        assertEquals(0, new BigDecimal("0.25").compareTo(BigDecimal.valueOf(a.size(), -snapshot.sizeExponent())));
    }
}
