package io.tickjournal.tailer;

import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.BookSnapshotEncoder;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import io.tickjournal.journal.sbe.Side;
import io.tickjournal.journal.sbe.TopOfBookEncoder;
import io.tickjournal.journal.sbe.TradeEncoder;
import io.tickjournal.journal.sbe.TradeKind;
import io.tickjournal.journal.sbe.VenueStatusEncoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Feature values checked by hand on small books and trade sequences. */
class FeatureEngineTest
{
    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final FeatureEngine engine = new FeatureEngine(new long[]{1_000}, 2, 100);
    private final List<String> last = new ArrayList<>();
    private long seq;

    FeatureEngineTest()
    {
        engine.addListener((instrument, f, day, sequence, time) ->
        {
            last.clear();
            for (final int id : new int[]{FeatureIds.MID, FeatureIds.SPREAD, FeatureIds.MICROPRICE, FeatureIds.IMBALANCE,
                FeatureIds.WINDOW_BASE + FeatureIds.VWAP, FeatureIds.WINDOW_BASE + FeatureIds.TFI,
                FeatureIds.WINDOW_BASE + FeatureIds.TRADE_COUNT, FeatureIds.WINDOW_BASE + FeatureIds.OFI,
                FeatureIds.CROSS_BID, FeatureIds.CROSS_ASK, FeatureIds.CROSS_ASK_VENUE})
            {
                last.add(f.text(id));
            }
        });
    }

    private void snapshot(final int venue, final long timeNs, final long[][] bids, final long[][] asks)
    {
        final BookSnapshotEncoder e = new BookSnapshotEncoder();
        e.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(timeNs).eventTimeNs(timeNs).venueSeq(1)
            .rawIndex(Records.NULL_LONG).venueId(venue).flags(0).instrumentId(1).priceExponent((byte)-2).sizeExponent((byte)-3);
        final BookSnapshotEncoder.BidsEncoder b = e.bidsCount(bids.length);
        for (final long[] l : bids)
        {
            b.next().price(l[0]).size(l[1]);
        }
        final BookSnapshotEncoder.AsksEncoder a = e.asksCount(asks.length);
        for (final long[] l : asks)
        {
            a.next().price(l[0]).size(l[1]);
        }
        engine.onRecord(1, ++seq, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
    }

    private void trade(final long timeNs, final long price, final long size, final Side side)
    {
        final TradeEncoder e = new TradeEncoder();
        e.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(timeNs).eventTimeNs(timeNs).venueSeq(seq).rawIndex(Records.NULL_LONG)
            .venueId(1).flags(0).instrumentId(1).priceMantissa(price).sizeMantissa(size).tradeTimeNs(timeNs)
            .priceExponent((byte)-2).sizeExponent((byte)-3).aggressor(side).kind(TradeKind.TRADE);
        engine.onRecord(1, ++seq, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
    }

    @Test
    void topOfBookFeaturesAreExact()
    {
        // bid 100.00 x 1.000 and 99.99 x 3.000; ask 100.03 x 3.000 and 100.04 x 1.000
        snapshot(1, 1_000, new long[][]{{10000, 1000}, {9999, 3000}}, new long[][]{{10003, 3000}, {10004, 1000}});
        assertEquals("100.015", last.get(0), "mid");
        assertEquals("0.03", last.get(1), "spread");
        // microprice = (100.00 * 3 + 100.03 * 1) / 4 = 100.0075, truncated at 2 decimals
        assertEquals("100", last.get(2).replaceAll("\\.0+$", ""), "microprice truncates: " + last.get(2));
        assertEquals("0", last.get(3).replaceAll("\\.0+$", ""), "top-2 imbalance (4 - 4) / 8");
    }

    @Test
    void tradeWindowFeaturesAddAndExpire()
    {
        snapshot(1, 1_000, new long[][]{{10000, 1000}}, new long[][]{{10010, 1000}});
        trade(100_000_000L, 10000, 1000, Side.BUY);
        trade(200_000_000L, 10010, 3000, Side.SELL);
        // vwap = (100.00 * 1 + 100.10 * 3) / 4 = 100.075 -> 100.07 truncated
        assertEquals("100.07", last.get(4));
        assertEquals("-0.5", last.get(5).replaceAll("0+$", ""), "tfi (1 - 3) / 4");
        assertEquals("2", last.get(6));
        // 1.05 s later the first trade left the 1 s window; the second (at 0.2 s) too at 1.25 s
        trade(1_150_000_000L, 10000, 1000, Side.BUY);
        assertEquals("2", last.get(6), "the trade at 0.1 s expired");
        trade(1_250_000_000L, 10000, 1000, Side.BUY);
        assertEquals("2", last.get(6));
        assertEquals("100", last.get(4).replaceAll("\\.0+$", ""));
    }

    @Test
    void aResetBookStopsFeedingBookFeaturesUntilTheNextSnapshot()
    {
        snapshot(1, 1_000, new long[][]{{10000, 1000}}, new long[][]{{10010, 1000}});
        assertEquals("100.050", last.get(0));
        final VenueStatusEncoder s = new VenueStatusEncoder();
        s.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(2_000).eventTimeNs(Records.NULL_LONG).venueSeq(Records.NULL_LONG)
            .rawIndex(Records.NULL_LONG).venueId(1).flags(0).instrumentId(1).status(VenueStatusKind.BOOK_RESET)
            .connectionId(0).expectedSeq(Records.NULL_LONG).receivedSeq(Records.NULL_LONG).stream(io.tickjournal.journal.sbe.StreamKind.BOOK).detail("");
        engine.onRecord(1, ++seq, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + s.encodedLength());
        trade(3_000, 10000, 1000, Side.BUY);
        assertEquals("", last.get(0), "no mid from a reset book");
        snapshot(1, 4_000, new long[][]{{10001, 1000}}, new long[][]{{10011, 1000}});
        assertEquals("100.060", last.get(0));
    }

    @Test
    void crossVenueBestBidAndOfferUseEveryVenuesTop()
    {
        snapshot(1, 1_000, new long[][]{{10000, 1000}}, new long[][]{{10010, 1000}});
        final TopOfBookEncoder t = new TopOfBookEncoder();
        t.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(2_000).eventTimeNs(2_000).venueSeq(1).rawIndex(Records.NULL_LONG)
            .venueId(2).flags(0).instrumentId(1).bidPrice(100020).bidSize(5).askPrice(100080).askSize(5)
            .priceExponent((byte)-3).sizeExponent((byte)-3);
        engine.onRecord(1, ++seq, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + t.encodedLength());
        // Without definitions the two are different canonical instruments: each is its own best.
        assertEquals("100.080", last.get(9), "the finer exponent of the two venues");
        assertTrue(engine.instruments().size() == 2);
    }
}
