package io.tickjournal.ingest.bybit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.VenueConnection;
import io.tickjournal.ingest.venue.FixtureJson;
import io.tickjournal.ingest.venue.VenueFeedHarness;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.MarkPriceDecoder;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.Side;
import io.tickjournal.journal.sbe.StreamKind;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.tickjournal.ingest.venue.FixtureJson.decimal;
import static io.tickjournal.ingest.venue.FixtureJson.fixture;
import static io.tickjournal.ingest.venue.FixtureJson.mantissa;
import static io.tickjournal.ingest.venue.FixtureJson.text;
import static io.tickjournal.ingest.venue.FixtureJson.value;
import static io.tickjournal.ingest.venue.VenueFeedHarness.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bybit through the real session and handler, the test playing the venue on a manual clock. */
class BybitFeedTest
{
    @TempDir
    Path dir;

    private VenueFeedHarness h;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    @AfterEach
    void close()
    {
        if (h != null)
        {
            h.close();
        }
    }

    private static InstrumentSpec spec(final int id, final String symbol, final MarketKind kind)
    {
        return new InstrumentSpec(id, symbol, symbol.replace("USDT", "-USDT"), kind, -2, -6);
    }

    private int live(final List<InstrumentSpec> instruments, final EnumSet<Channel> channels, final boolean linear)
    {
        h = new VenueFeedHarness(dir, linear ? BybitProtocol.linear() : BybitProtocol.spot(), instruments, channels);
        h.openAll();
        final int connection = h.transport.connects.get(0);
        for (final String request : h.sent(connection))
        {
            h.frame(connection, ack(request));
        }
        assertEquals(VenueConnection.State.LIVE, h.session.active(0).state());
        return connection;
    }

    private static String ack(final String request)
    {
        final JsonNode json = FixtureJson.tree(request);
        return "{\"success\":true,\"ret_msg\":\"subscribe\",\"conn_id\":\"c\",\"req_id\":\"" + json.get("req_id").asText() +
            "\",\"op\":\"subscribe\"}";
    }

    private static String levels(final String[][] levels)
    {
        final List<String> out = new ArrayList<>();
        for (final String[] level : levels)
        {
            out.add("[\"" + level[0] + "\",\"" + level[1] + "\"]");
        }
        return "[" + String.join(",", out) + "]";
    }

    /** A book frame, applied to the venue's own model of the book too. */
    private static String book(
        final VenueFeedHarness.Book model, final boolean snapshot, final String symbol, final long u, final String[][] bids,
        final String[][] asks)
    {
        if (snapshot)
        {
            model.clear();
        }
        for (final String[] b : bids)
        {
            model.apply(model.bids, new BigDecimal(b[0]), new BigDecimal(b[1]));
        }
        for (final String[] a : asks)
        {
            model.apply(model.asks, new BigDecimal(a[0]), new BigDecimal(a[1]));
        }
        return "{\"topic\":\"orderbook.50." + symbol + "\",\"ts\":1687940967466,\"type\":\"" + (snapshot ? "snapshot" : "delta") +
            "\",\"data\":{\"s\":\"" + symbol + "\",\"b\":" + levels(bids) + ",\"a\":" + levels(asks) + ",\"u\":" + u +
            ",\"seq\":" + (1000 + u) + "},\"cts\":1687940967464}";
    }

    private void assertBook(final VenueFeedHarness.Book expected, final int instrumentId)
    {
        final VenueFeedHarness.Book journal = h.journalBook(instrumentId);
        assertTrue(journal.valid, "the journal's book is whole: " + h.statuses());
        assertEquals(expected.toString(), journal.toString(), "the journal's book is the venue's");
    }

    @Test
    void subscriptionsGoTenArgumentsARequestOnSpotAndTheConnectionIsLiveOnceEachIsAcknowledged()
    {
        final List<InstrumentSpec> instruments = new ArrayList<>();
        for (int i = 1; i <= 12; i++)
        {
            instruments.add(spec(i, "SYM" + i + "USDT", MarketKind.SPOT));
        }
        h = new VenueFeedHarness(dir, BybitProtocol.spot(), instruments, EnumSet.of(Channel.TRADE, Channel.DEPTH));
        assertEquals(1, h.session.slotCount());
        assertEquals("/v5/public/spot", h.transport.connectUris.get(0).getPath());
        h.openAll();
        final int connection = h.transport.connects.get(0);
        final List<String> requests = h.sent(connection);
        assertEquals(3, requests.size(), "24 streams in requests of at most 10");
        final Set<String> args = new HashSet<>();
        for (final String request : requests)
        {
            final JsonNode json = FixtureJson.tree(request);
            assertEquals("subscribe", json.get("op").asText());
            assertTrue(json.get("args").size() <= 10);
            json.get("args").forEach(a -> args.add(a.asText()));
        }
        assertEquals(24, args.size());
        assertTrue(args.contains("publicTrade.SYM7USDT") && args.contains("orderbook.50.SYM12USDT"), args.toString());
        h.frame(connection, ack(requests.get(0)));
        h.frame(connection, ack(requests.get(1)));
        assertEquals(VenueConnection.State.SUBSCRIBING, h.session.active(0).state());
        h.frame(connection, ack(requests.get(2)));
        assertEquals(VenueConnection.State.LIVE, h.session.active(0).state());
    }

    @Test
    void aRefusedSubscriptionIsJournaledWithTheVenuesReason()
    {
        h = new VenueFeedHarness(dir, BybitProtocol.spot(), List.of(spec(1, "BTCUSDT", MarketKind.SPOT)), EnumSet.of(Channel.TRADE));
        h.openAll();
        final int connection = h.transport.connects.get(0);
        final String id = FixtureJson.tree(h.sent(connection).get(0)).get("req_id").asText();
        h.frame(connection, "{\"success\":false,\"ret_msg\":\"error:handler not found\",\"conn_id\":\"c\",\"req_id\":\"" + id +
            "\",\"op\":\"subscribe\"}");
        final List<VenueFeedHarness.Status> refused = h.statuses(VenueStatusKind.SUBSCRIPTION_REFUSED);
        assertEquals(1, refused.size());
        assertTrue(refused.get(0).detail().contains("handler not found"), refused.get(0).detail());
    }

    @Test
    void aPingGoesEveryTwentySecondsAndThePongsKeepAQuietConnectionOpen()
    {
        final int connection = live(List.of(spec(1, "BTCUSDT", MarketKind.SPOT)), EnumSet.of(Channel.TRADE), false);
        final int requests = h.sent(connection).size();
        h.advance(19 * SECOND);
        assertEquals(requests, h.sent(connection).size(), "no ping before 20 s");
        for (int round = 1; round <= 3; round++)
        {
            h.advance(SECOND);
            final List<String> sent = h.sent(connection);
            assertEquals(requests + round, sent.size());
            assertEquals("{\"op\":\"ping\"}", sent.get(sent.size() - 1));
            h.frame(connection, text(round % 2 == 0 ? "bybit/pong_linear.json" : "bybit/pong_spot.json"));
            h.advance(19 * SECOND);
        }
        assertEquals(VenueConnection.State.LIVE, h.session.active(0).state(), "79 s without market data, kept by pongs");
        assertTrue(h.transport.closes.isEmpty());
        assertTrue(h.statuses(VenueStatusKind.MALFORMED_FRAME).isEmpty(), "pongs parse");
        // No pong: the stall timeout (30 s) closes it.
        h.advance(SECOND);
        h.advance(31 * SECOND);
        assertEquals(List.of(connection), h.transport.closes);
    }

    @Test
    void booksJoinOnTheSnapshotResyncOnlyTheInstrumentWithAGapAndReplaceTheBookOnAResetSnapshot()
    {
        final int c = live(List.of(spec(1, "BTCUSDT", MarketKind.SPOT), spec(2, "ETHUSDT", MarketKind.SPOT)),
            EnumSet.of(Channel.TRADE, Channel.DEPTH), false);
        final VenueFeedHarness.Book btc = new VenueFeedHarness.Book();
        final VenueFeedHarness.Book eth = new VenueFeedHarness.Book();
        h.frame(c, book(new VenueFeedHarness.Book(), false, "BTCUSDT", 99, new String[][] {{"1.00", "1"}}, new String[0][]));
        h.frame(c, book(btc, true, "BTCUSDT", 100, new String[][] {{"30000.10", "1.5"}, {"30000.00", "2"}},
            new String[][] {{"30000.20", "0.25"}, {"30001.00", "3"}}));
        h.frame(c, book(eth, true, "ETHUSDT", 500, new String[][] {{"2000.00", "10"}}, new String[][] {{"2000.10", "5"}}));
        h.frame(c, book(btc, false, "BTCUSDT", 101, new String[][] {{"30000.00", "0"}, {"29999.90", "4.000"}},
            new String[][] {{"30000.20", "0.5"}}));
        h.frame(c, book(eth, false, "ETHUSDT", 501, new String[][] {{"1999.90", "1"}}, new String[0][]));
        assertBook(btc, 1);
        assertBook(eth, 2);
        assertEquals(2, h.statuses(VenueStatusKind.RESYNCED).size());

        final int sentBefore = h.sent(c).size();
        h.frame(c, book(new VenueFeedHarness.Book(), false, "BTCUSDT", 103, new String[][] {{"29000.00", "1"}}, new String[0][]));
        final List<VenueFeedHarness.Status> gaps = h.statuses(VenueStatusKind.GAP_DETECTED);
        assertEquals(1, gaps.size());
        assertEquals(StreamKind.BOOK, gaps.get(0).stream());
        assertEquals(1, gaps.get(0).instrumentId());
        assertEquals(102, gaps.get(0).expected());
        assertEquals(103, gaps.get(0).received());
        assertEquals(1, h.statuses(VenueStatusKind.BOOK_RESET).size());
        final List<String> resubscribe = h.sent(c).subList(sentBefore, h.sent(c).size());
        assertEquals(2, resubscribe.size(), resubscribe.toString());
        assertEquals("unsubscribe", FixtureJson.tree(resubscribe.get(0)).get("op").asText());
        assertEquals("[\"orderbook.50.BTCUSDT\"]", FixtureJson.tree(resubscribe.get(0)).get("args").toString());
        assertEquals("subscribe", FixtureJson.tree(resubscribe.get(1)).get("op").asText());
        assertEquals("[\"orderbook.50.BTCUSDT\"]", FixtureJson.tree(resubscribe.get(1)).get("args").toString(),
            "only the broken book's stream");

        // ETH goes on; BTC deltas before the new snapshot are dropped.
        h.frame(c, book(eth, false, "ETHUSDT", 502, new String[][] {{"2000.00", "0"}}, new String[][] {{"2000.20", "1"}}));
        h.frame(c, book(new VenueFeedHarness.Book(), false, "BTCUSDT", 104, new String[][] {{"28000.00", "1"}}, new String[0][]));
        assertBook(eth, 2);
        assertFalse(h.journalBook(1).valid, "BTC is reset until its snapshot");
        h.frame(c, book(btc, true, "BTCUSDT", 200, new String[][] {{"30100.00", "1"}}, new String[][] {{"30100.50", "2"}}));
        h.frame(c, book(btc, false, "BTCUSDT", 201, new String[][] {{"30100.10", "0.3"}}, new String[0][]));
        assertBook(btc, 1);
        assertEquals(3, h.statuses(VenueStatusKind.RESYNCED).size());

        // u == 1: the venue restarted; its snapshot replaces the book and deltas continue from 1.
        h.frame(c, book(btc, true, "BTCUSDT", 1, new String[][] {{"30200.00", "7"}}, new String[][] {{"30200.10", "8"}}));
        final List<VenueFeedHarness.Status> resets = h.statuses(VenueStatusKind.BOOK_RESET);
        assertEquals(2, resets.size());
        assertTrue(resets.get(1).detail().contains("u = 1"), resets.get(1).detail());
        h.frame(c, book(btc, false, "BTCUSDT", 2, new String[][] {{"30199.00", "1"}}, new String[][] {{"30200.10", "0"}}));
        assertBook(btc, 1);
        assertBook(eth, 2);
        assertEquals(1, h.statuses(VenueStatusKind.GAP_DETECTED).size());
        assertEquals(2, h.handler.bookLastId(0));
    }

    @Test
    void aTradeDeliveredTwiceIsJournaledOnceAndBadInputIsJournaledByNameWhileTheFeedGoesOn()
    {
        final int c = live(List.of(spec(1, "BTCUSDT", MarketKind.SPOT)), EnumSet.of(Channel.TRADE), false);
        final String trade = text("bybit/publicTrade.json");
        h.frame(c, trade);
        h.frame(c, trade);
        h.frame(c, trade.replace("BTCUSDT", "XRPUSDT"));
        h.frame(c, trade.replace("\"16578.50\"", "\"16578.5x\""));
        h.frame(c, trade.replace("\"0.001\"", "\"0.0000001\"").replace("20f43950", "40f43950"));
        h.frame(c, trade.replace("20f43950", "30f43950"));
        assertEquals(2, h.records(TradeDecoder.TEMPLATE_ID).size(), "the repeat, the unknown symbol, the bad decimal and the too fine size are not trades");
        assertEquals(1, h.session.counters().duplicates);
        final List<VenueFeedHarness.Status> refused = h.statuses(VenueStatusKind.RECORD_REFUSED);
        assertEquals(2, refused.size());
        assertTrue(refused.get(0).detail().contains("unknown symbol 'XRPUSDT'"), refused.get(0).detail());
        assertTrue(refused.get(1).detail().contains("size"), refused.get(1).detail());
        final List<VenueFeedHarness.Status> malformed = h.statuses(VenueStatusKind.MALFORMED_FRAME);
        assertEquals(1, malformed.size());
        assertTrue(malformed.get(0).detail().contains("bad decimal"), malformed.get(0).detail());
    }

    private static String trade(final String id, final String price)
    {
        return "{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"ts\":1672304486868,\"data\":[{\"T\":1672304486865," +
            "\"s\":\"BTCUSDT\",\"S\":\"Buy\",\"v\":\"0.001\",\"p\":\"" + price + "\",\"L\":\"PlusTick\",\"i\":\"" + id +
            "\",\"BT\":false}]}";
    }

    @Test
    void rotationAtTheAgeLimitJournalsEveryTradeOnceFromBothConnections()
    {
        h = new VenueFeedHarness(dir, BybitProtocol.linear(), List.of(spec(1, "BTCUSDT", MarketKind.PERPETUAL)),
            EnumSet.of(Channel.TRADE), c -> c.withTimers(30 * SECOND, 120 * SECOND, 30 * SECOND, SECOND / 4, 5 * SECOND));
        h.openAll();
        final int old = h.transport.connects.get(0);
        h.sent(old).forEach(r -> h.frame(old, ack(r)));
        final String[] ids = {"a1f0c2de-0000-5b31-9112-a178eb6023af", "b2f0c2de-0000-5b31-9112-a178eb6023af",
            "c3f0c2de-0000-5b31-9112-a178eb6023af", "d4f0c2de-0000-5b31-9112-a178eb6023af", "e5f0c2de-0000-5b31-9112-a178eb6023af"};
        h.frame(old, trade(ids[0], "30000.01"));
        for (int s = 0; s < 9; s++)
        {
            h.advance(10 * SECOND);
            h.frame(old, text("bybit/pong_linear.json"));
        }
        assertEquals(2, h.transport.connects.size(), "the replacement opens one margin before the age limit");
        final int replacement = h.transport.connects.get(1);
        h.session.onOpen(replacement, h.clock.nanoTime());
        h.sent(replacement).forEach(r -> h.frame(replacement, ack(r)));
        h.advance(1);
        // Both deliver what Bybit sends on each: the same trades, interleaved.
        h.frame(old, trade(ids[1], "30000.02"));
        h.frame(replacement, trade(ids[1], "30000.02"));
        h.frame(old, trade(ids[2], "30000.03"));
        h.frame(replacement, trade(ids[2], "30000.03"));
        h.frame(old, trade(ids[3], "30000.04"));
        h.advance(1);
        assertTrue(h.transport.closes.contains(old), "switched once the replacement delivered every stream");
        h.frame(replacement, trade(ids[3], "30000.04"));
        h.frame(replacement, trade(ids[4], "30000.05"));
        final List<Long> prices = new ArrayList<>();
        final TradeDecoder decoder = new TradeDecoder();
        for (final UnsafeBuffer r : h.records(TradeDecoder.TEMPLATE_ID))
        {
            decoder.wrapAndApplyHeader(r, 0, header);
            prices.add(decoder.priceMantissa());
        }
        assertEquals(List.of(3000001L, 3000002L, 3000003L, 3000004L, 3000005L), prices, "each trade once, none lost");
        assertEquals(3, h.session.counters().duplicates);
        assertEquals(1, h.session.counters().rotations);
    }

    @Test
    void fixturesBecomeRecordsWithTheFixtureNumbers()
    {
        final int c = live(List.of(spec(1, "BTCUSDT", MarketKind.PERPETUAL)),
            EnumSet.of(Channel.TRADE, Channel.DEPTH, Channel.MARK_PRICE), true);
        assertEquals("/v5/public/linear", h.transport.connectUris.get(0).getPath());
        h.frame(c, text("bybit/publicTrade.json"));
        final JsonNode snapshot = fixture("bybit/orderbook_snapshot.json");
        final JsonNode delta = fixture("bybit/orderbook_delta.json");
        // The doc's snapshot and delta are from different days: the snapshot's u is set just below the delta's.
        ((ObjectNode)snapshot.get("data")).put("u", delta.get("data").get("u").asLong() - 1);
        h.frame(c, FixtureJson.write(snapshot));
        h.frame(c, text("bybit/orderbook_delta.json"));
        h.frame(c, "{\"topic\":\"tickers.BTCUSDT\",\"type\":\"snapshot\",\"data\":{\"symbol\":\"BTCUSDT\",\"markPrice\":\"17217.33\"," +
            "\"indexPrice\":\"17227.36123\",\"nextFundingTime\":\"1673280000000\",\"fundingRate\":\"-0.000212\"},\"cs\":1," +
            "\"ts\":1673272861686}");

        final TradeDecoder trade = new TradeDecoder();
        final List<UnsafeBuffer> trades = h.records(TradeDecoder.TEMPLATE_ID);
        assertEquals(1, trades.size());
        trade.wrapAndApplyHeader(trades.get(0), 0, header);
        final JsonNode t = fixture("bybit/publicTrade.json").get("data").get(0);
        assertEquals(Venues.BYBIT_LINEAR, trade.venueId());
        assertEquals(1, trade.instrumentId());
        assertEquals(mantissa(decimal(t.get("p")), -2), trade.priceMantissa());
        assertEquals(mantissa(decimal(t.get("v")), -6), trade.sizeMantissa());
        assertEquals(Side.BUY, trade.aggressor());
        assertEquals(Records.NULL_LONG, trade.venueSeq(), "a UUID is never journaled as an id");
        assertEquals(t.get("T").asLong() * 1_000_000L, trade.tradeTimeNs());

        assertEquals(1, h.records(BookSnapshotDecoder.TEMPLATE_ID).size(), h.statuses().toString());
        final BookSnapshotDecoder s = new BookSnapshotDecoder();
        s.wrapAndApplyHeader(h.records(BookSnapshotDecoder.TEMPLATE_ID).get(0), 0, header);
        assertEquals(snapshot.get("data").get("u").asLong(), s.venueSeq());
        assertEquals(snapshot.get("cts").asLong() * 1_000_000L, s.eventTimeNs());
        int i = 0;
        for (final BookSnapshotDecoder.BidsDecoder b : s.bids())
        {
            assertEquals(mantissa(decimal(snapshot.get("data").get("b").get(i).get(0)), -2), b.price());
            assertEquals(mantissa(decimal(snapshot.get("data").get("b").get(i++).get(1)), -6), b.size());
        }
        assertEquals(snapshot.get("data").get("b").size(), i);

        final BookDeltaDecoder d = new BookDeltaDecoder();
        d.wrapAndApplyHeader(h.records(BookDeltaDecoder.TEMPLATE_ID).get(0), 0, header);
        assertEquals(delta.get("data").get("u").asLong(), d.venueSeq());
        i = 0;
        for (final BookDeltaDecoder.BidsDecoder b : d.bids())
        {
            assertEquals(mantissa(decimal(delta.get("data").get("b").get(i).get(0)), -2), b.price());
            assertEquals(mantissa(decimal(delta.get("data").get("b").get(i++).get(1)), -6), b.size(), "zero sizes kept");
        }
        assertEquals(delta.get("data").get("b").size(), i);
        i = 0;
        for (final BookDeltaDecoder.AsksDecoder a : d.asks())
        {
            assertEquals(mantissa(decimal(delta.get("data").get("a").get(i).get(0)), -2), a.price());
            assertEquals(mantissa(decimal(delta.get("data").get("a").get(i++).get(1)), -6), a.size());
        }
        assertEquals(delta.get("data").get("a").size(), i);
        assertTrue(h.statuses(VenueStatusKind.GAP_DETECTED).isEmpty());

        final MarkPriceDecoder m = new MarkPriceDecoder();
        m.wrapAndApplyHeader(h.records(MarkPriceDecoder.TEMPLATE_ID).get(0), 0, header);
        assertEquals(0, new BigDecimal("17217.33").compareTo(value(m.markPrice(), m.priceExponent())));
        assertEquals(0, new BigDecimal("17227.36123").compareTo(value(m.indexPrice(), m.priceExponent())), "5 decimals kept");
        assertEquals(0, new BigDecimal("-0.000212").compareTo(value(m.fundingRateMantissa(), m.fundingRateExponent())));
        assertEquals(1673280000000L * 1_000_000L, m.nextFundingTimeNs());
    }
}
