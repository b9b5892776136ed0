package io.tickjournal.ingest.okx;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.VenueConnection;
import io.tickjournal.ingest.venue.FixtureJson;
import io.tickjournal.ingest.venue.VenueFeedHarness;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.Side;
import io.tickjournal.journal.sbe.StreamKind;
import io.tickjournal.journal.sbe.TopOfBookDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

import static io.tickjournal.ingest.venue.FixtureJson.decimal;
import static io.tickjournal.ingest.venue.FixtureJson.fixture;
import static io.tickjournal.ingest.venue.FixtureJson.mantissa;
import static io.tickjournal.ingest.venue.FixtureJson.text;
import static io.tickjournal.ingest.venue.VenueFeedHarness.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OKX through the real session and handler, the test playing the venue on a manual clock. */
class OkxFeedTest
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

    private static InstrumentSpec spec(final int id, final String instId)
    {
        return new InstrumentSpec(id, instId, instId, MarketKind.SPOT, -2, -8);
    }

    /** The acknowledgements OKX sends for a subscribe request: one per argument. */
    private static List<String> acks(final String request)
    {
        final JsonNode json = FixtureJson.tree(request);
        final List<String> out = new ArrayList<>();
        for (final JsonNode arg : json.get("args"))
        {
            out.add("{\"id\":\"" + json.get("id").asText() + "\",\"event\":\"" + json.get("op").asText() + "\",\"arg\":" + arg +
                ",\"connId\":\"a4d3ae55\"}");
        }
        return out;
    }

    private int live(final List<InstrumentSpec> instruments, final EnumSet<Channel> channels)
    {
        h = new VenueFeedHarness(dir, OkxProtocol.spot(), instruments, channels);
        h.openAll();
        final int connection = h.transport.connects.get(0);
        for (final String request : h.sent(connection))
        {
            for (final String ack : acks(request))
            {
                h.frame(connection, ack);
            }
        }
        assertEquals(VenueConnection.State.LIVE, h.session.active(0).state());
        return connection;
    }

    /** The venue's own book: OKX's exact strings per price, its check string and CRC32, independent of OkxChecksum. */
    private static final class VenueBook
    {
        final TreeMap<BigDecimal, String[]> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<BigDecimal, String[]> asks = new TreeMap<>();
        long seqId;

        String frame(final String instId, final boolean snapshot, final long prevSeqId, final long newSeqId, final String[][] bidLevels,
            final String[][] askLevels, final boolean corruptChecksum)
        {
            if (snapshot)
            {
                bids.clear();
                asks.clear();
            }
            apply(bids, bidLevels);
            apply(asks, askLevels);
            seqId = newSeqId;
            final int checksum = checksum() + (corruptChecksum ? 1 : 0);
            return "{\"arg\":{\"channel\":\"books\",\"instId\":\"" + instId + "\"},\"action\":\"" + (snapshot ? "snapshot" : "update") +
                "\",\"data\":[{\"asks\":" + levels(askLevels) + ",\"bids\":" + levels(bidLevels) + ",\"ts\":\"1597026383085\"," +
                "\"checksum\":" + checksum + ",\"prevSeqId\":" + (snapshot ? -1 : prevSeqId) + ",\"seqId\":" + newSeqId + "}]}";
        }

        private static void apply(final Map<BigDecimal, String[]> side, final String[][] levels)
        {
            for (final String[] level : levels)
            {
                if (new BigDecimal(level[1]).signum() == 0)
                {
                    side.remove(new BigDecimal(level[0]));
                }
                else
                {
                    side.put(new BigDecimal(level[0]), level);
                }
            }
        }

        private static String levels(final String[][] levels)
        {
            final List<String> out = new ArrayList<>();
            for (final String[] level : levels)
            {
                out.add("[\"" + level[0] + "\",\"" + level[1] + "\",\"0\",\"1\"]");
            }
            return "[" + String.join(",", out) + "]";
        }

        int checksum()
        {
            final List<String[]> b = new ArrayList<>(bids.values());
            final List<String[]> a = new ArrayList<>(asks.values());
            final List<String> parts = new ArrayList<>();
            for (int i = 0; i < 25; i++)
            {
                if (i < b.size())
                {
                    parts.add(b.get(i)[0] + ":" + b.get(i)[1]);
                }
                if (i < a.size())
                {
                    parts.add(a.get(i)[0] + ":" + a.get(i)[1]);
                }
            }
            final CRC32 crc = new CRC32();
            crc.update(String.join(":", parts).getBytes(StandardCharsets.US_ASCII));
            return (int)crc.getValue();
        }

        VenueFeedHarness.Book book()
        {
            final VenueFeedHarness.Book book = new VenueFeedHarness.Book();
            bids.values().forEach(l -> book.apply(book.bids, new BigDecimal(l[0]), new BigDecimal(l[1])));
            asks.values().forEach(l -> book.apply(book.asks, new BigDecimal(l[0]), new BigDecimal(l[1])));
            return book;
        }
    }

    private void assertBook(final VenueBook venue, final int instrumentId)
    {
        final VenueFeedHarness.Book journal = h.journalBook(instrumentId);
        assertTrue(journal.valid, "the journal's book is whole: " + h.statuses());
        assertEquals(venue.book().toString(), journal.toString(), "the journal's book is the venue's");
    }

    @Test
    void eachArgumentIsAcknowledgedAndTheLastAcknowledgementMakesTheConnectionLive()
    {
        h = new VenueFeedHarness(dir, OkxProtocol.spot(), List.of(spec(1, "BTC-USDT"), spec(2, "ETH-USDT")),
            EnumSet.of(Channel.TRADE, Channel.DEPTH, Channel.BOOK_TICKER));
        assertEquals("/ws/v5/public", h.transport.connectUris.get(0).getPath());
        h.openAll();
        final int c = h.transport.connects.get(0);
        assertEquals(1, h.sent(c).size(), "six arguments in one request (OKX counts requests an hour)");
        final List<String> acks = acks(h.sent(c).get(0));
        assertEquals(6, acks.size());
        assertTrue(acks.get(0).contains("\"channel\":\"trades\"") && acks.get(1).contains("\"channel\":\"books\"") &&
            acks.get(2).contains("\"channel\":\"bbo-tbt\""), acks.toString());
        for (int i = 0; i < 5; i++)
        {
            h.frame(c, acks.get(i));
            assertEquals(VenueConnection.State.SUBSCRIBING, h.session.active(0).state(), "after " + (i + 1) + " of 6");
        }
        h.frame(c, acks.get(5));
        assertEquals(VenueConnection.State.LIVE, h.session.active(0).state());
    }

    @Test
    void anErrorAnswerIsJournaledWithItsCodeAndTheFeedGoesOn()
    {
        final int c = live(List.of(spec(1, "BTC-USDT")), EnumSet.of(Channel.TRADE));
        h.frame(c, text("okx/subscribe_error.json"));
        final List<VenueFeedHarness.Status> refused = h.statuses(VenueStatusKind.SUBSCRIPTION_REFUSED);
        assertEquals(1, refused.size());
        assertTrue(refused.get(0).detail().contains("code 60012"), refused.get(0).detail());
        h.frame(c, text("okx/real_trades_2022.json"));
        assertEquals(1, h.records(TradeDecoder.TEMPLATE_ID).size());
    }

    @Test
    void aTextPingGoesEveryTwentySecondsAndThePongsKeepAQuietConnectionOpen()
    {
        final int c = live(List.of(spec(1, "BTC-USDT")), EnumSet.of(Channel.TRADE));
        final int requests = h.sent(c).size();
        h.advance(19 * SECOND);
        assertEquals(requests, h.sent(c).size());
        for (int round = 1; round <= 3; round++)
        {
            h.advance(SECOND);
            assertEquals(requests + round, h.sent(c).size());
            assertEquals("ping", h.sent(c).get(h.sent(c).size() - 1));
            h.frame(c, text("okx/pong.txt"));
            h.advance(19 * SECOND);
        }
        assertEquals(VenueConnection.State.LIVE, h.session.active(0).state());
        assertTrue(h.statuses(VenueStatusKind.MALFORMED_FRAME).isEmpty(), "pong is not a malformed frame");
        h.advance(SECOND);
        h.advance(31 * SECOND);
        assertEquals(List.of(c), h.transport.closes, "no pong: stalled");
    }

    @Test
    void theBookFollowsTheChainThroughKeepAliveAndMaintenanceResetAndAChecksumMismatchResubscribesOnlyThatBook()
    {
        final int c = live(List.of(spec(1, "BTC-USDT"), spec(2, "ETH-USDT")), EnumSet.of(Channel.TRADE, Channel.DEPTH));
        final VenueBook btc = new VenueBook();
        final VenueBook eth = new VenueBook();
        h.frame(c, btc.frame("BTC-USDT", true, -1, 10, new String[][] {{"8476.97", "256"}, {"8475.5", "101"}, {"8475", "1.5"}},
            new String[][] {{"8476.98", "415"}, {"8477", "7"}, {"8477.34", "85"}}, false));
        h.frame(c, eth.frame("ETH-USDT", true, -1, 500, new String[][] {{"300.1", "2"}}, new String[][] {{"300.2", "3"}}, false));
        h.frame(c, btc.frame("BTC-USDT", false, 10, 15, new String[][] {{"8475.5", "0"}, {"8476.10", "3"}},
            new String[][] {{"8476.98", "400.5"}}, false));
        // The empty keep-alive, then the maintenance reset (seqId < prevSeqId), then the chain from it.
        h.frame(c, btc.frame("BTC-USDT", false, 15, 15, new String[0][], new String[0][], false));
        h.frame(c, btc.frame("BTC-USDT", false, 15, 3, new String[][] {{"8474", "9"}}, new String[0][], false));
        h.frame(c, btc.frame("BTC-USDT", false, 3, 5, new String[0][], new String[][] {{"8477", "0"}}, false));
        assertBook(btc, 1);
        assertBook(eth, 2);
        assertTrue(h.statuses(VenueStatusKind.GAP_DETECTED).isEmpty(), h.statuses().toString());
        assertTrue(h.statuses(VenueStatusKind.BOOK_RESET).isEmpty(), "the keep-alive and the reset chain: no rejoin");
        assertEquals(5, h.handler.bookLastId(0));

        // The venue's book and ours differ (the checksum says so): rejoin that book only.
        final int sentBefore = h.sent(c).size();
        h.frame(c, btc.frame("BTC-USDT", false, 5, 8, new String[][] {{"8476", "1"}}, new String[0][], true));
        final List<VenueFeedHarness.Status> gaps = h.statuses(VenueStatusKind.GAP_DETECTED);
        assertEquals(1, gaps.size());
        assertEquals(StreamKind.BOOK, gaps.get(0).stream());
        assertEquals(1, gaps.get(0).instrumentId());
        assertTrue(gaps.get(0).detail().contains("checksum"), gaps.get(0).detail());
        assertEquals(1, h.statuses(VenueStatusKind.BOOK_RESET).size());
        final List<String> resubscribe = h.sent(c).subList(sentBefore, h.sent(c).size());
        assertEquals(2, resubscribe.size(), resubscribe.toString());
        assertEquals("unsubscribe", FixtureJson.tree(resubscribe.get(0)).get("op").asText());
        assertEquals("[{\"channel\":\"books\",\"instId\":\"BTC-USDT\"}]", FixtureJson.tree(resubscribe.get(0)).get("args").toString());
        assertEquals("subscribe", FixtureJson.tree(resubscribe.get(1)).get("op").asText());
        assertEquals("[{\"channel\":\"books\",\"instId\":\"BTC-USDT\"}]", FixtureJson.tree(resubscribe.get(1)).get("args").toString());
        assertFalse(h.journalBook(1).valid);
        // Acks of the resubscription; an update before the snapshot is dropped; ETH goes on.
        for (final String request : resubscribe)
        {
            acks(request).forEach(ack -> h.frame(c, ack));
        }
        h.frame(c, new VenueBook().frame("BTC-USDT", false, 8, 9, new String[][] {{"1", "1"}}, new String[0][], false));
        h.frame(c, eth.frame("ETH-USDT", false, 500, 501, new String[][] {{"300.1", "0"}, {"300.0", "1"}}, new String[0][], false));
        h.frame(c, btc.frame("BTC-USDT", true, -1, 100, new String[][] {{"8480.1", "1"}}, new String[][] {{"8480.2", "2"}}, false));
        h.frame(c, btc.frame("BTC-USDT", false, 100, 101, new String[][] {{"8480", "5"}}, new String[0][], false));
        assertBook(btc, 1);
        assertBook(eth, 2);
        assertEquals(3, h.statuses(VenueStatusKind.RESYNCED).size());

        // A broken chain is a gap too.
        h.frame(c, btc.frame("BTC-USDT", false, 105, 110, new String[][] {{"8479", "5"}}, new String[0][], false));
        final List<VenueFeedHarness.Status> chainGap = h.statuses(VenueStatusKind.GAP_DETECTED);
        assertEquals(2, chainGap.size());
        assertEquals(101, chainGap.get(1).expected());
        assertEquals(105, chainGap.get(1).received());
    }

    @Test
    void theServiceUpgradeNoticeOpensAReplacementConnection()
    {
        final int c = live(List.of(spec(1, "BTC-USDT")), EnumSet.of(Channel.TRADE));
        h.frame(c, text("okx/notice_service_upgrade.json"));
        assertEquals(1, h.statuses(VenueStatusKind.SHUTDOWN_NOTICE).size());
        assertEquals(2, h.transport.connects.size(), "the replacement opens before OKX closes the old one");
    }

    private static String trade(final long tradeId)
    {
        return "{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instId\":\"BTC-USDT\",\"tradeId\":\"" +
            tradeId + "\",\"px\":\"42219.9\",\"sz\":\"0.1\",\"side\":\"sell\",\"ts\":\"1630048897897\",\"count\":\"1\"," +
            "\"source\":\"0\",\"seqId\":1234}]}";
    }

    @Test
    void rotationAfterTheUpgradeNoticeJournalsEveryTradeOnceWithNoFalseGap()
    {
        final int old = live(List.of(spec(1, "BTC-USDT")), EnumSet.of(Channel.TRADE));
        h.frame(old, trade(100));
        h.frame(old, trade(101));
        h.frame(old, text("okx/notice_service_upgrade.json"));
        final int replacement = h.transport.connects.get(1);
        h.session.onOpen(replacement, h.clock.nanoTime());
        h.sent(replacement).forEach(r -> acks(r).forEach(a -> h.frame(replacement, a)));
        // The replacement starts ahead of the old connection, which then delivers what it had.
        h.frame(replacement, trade(103));
        h.frame(old, trade(102));
        h.frame(old, trade(103));
        h.advance(1);
        assertEquals(List.of(old), h.transport.closes, "switched once the replacement delivered every stream");
        h.frame(replacement, trade(104));
        final List<Long> ids = new ArrayList<>();
        final TradeDecoder decoder = new TradeDecoder();
        for (final UnsafeBuffer r : h.records(TradeDecoder.TEMPLATE_ID))
        {
            decoder.wrapAndApplyHeader(r, 0, header);
            ids.add(decoder.venueSeq());
        }
        assertEquals(List.of(100L, 101L, 103L, 102L, 104L), ids, "every id once, in arrival order");
        assertTrue(h.statuses(VenueStatusKind.GAP_DETECTED).isEmpty(), "102 came from the old connection: no gap");
        assertEquals(1, h.session.counters().duplicates);
    }

    @Test
    void tradesKeepTheFixtureNumbersAndAnAggregatedTradeIsNoGap()
    {
        final int c = live(List.of(spec(1, "BTC-USDT")), EnumSet.of(Channel.TRADE, Channel.BOOK_TICKER));
        final JsonNode t = fixture("okx/trades.json").get("data").get(0);
        final long tradeId = t.get("tradeId").asLong();
        final long count = t.get("count").asLong();
        h.frame(c, text("okx/real_trades_2022.json").replace("314161276", Long.toString(tradeId - count)));
        h.frame(c, text("okx/trades.json"));
        h.frame(c, text("okx/trades.json"));
        assertTrue(h.statuses(VenueStatusKind.GAP_DETECTED).isEmpty(), "ids " + (tradeId - count + 1) + ".." + tradeId +
            " are the fills of the aggregated trade: " + h.statuses());
        assertEquals(1, h.session.counters().duplicates);
        h.frame(c, text("okx/trades.json").replace(Long.toString(tradeId), Long.toString(tradeId + 2)).replace("\"3\"", "\"1\""));
        final List<VenueFeedHarness.Status> gaps = h.statuses(VenueStatusKind.GAP_DETECTED);
        assertEquals(1, gaps.size());
        assertEquals(StreamKind.TRADE, gaps.get(0).stream());
        assertEquals(tradeId + 1, gaps.get(0).expected());

        final List<UnsafeBuffer> trades = h.records(TradeDecoder.TEMPLATE_ID);
        assertEquals(3, trades.size());
        final TradeDecoder trade = new TradeDecoder();
        trade.wrapAndApplyHeader(trades.get(1), 0, header);
        assertEquals(Venues.OKX_SPOT, trade.venueId());
        assertEquals(tradeId, trade.venueSeq());
        assertEquals(mantissa(decimal(t.get("px")), -2), trade.priceMantissa());
        assertEquals(mantissa(decimal(t.get("sz")), -8), trade.sizeMantissa());
        assertEquals(Side.BUY, trade.aggressor());
        assertEquals(t.get("ts").asLong() * 1_000_000L, trade.tradeTimeNs());

        h.frame(c, text("okx/bbo-tbt.json").replace("BCH-USDT-SWAP", "BTC-USDT"));
        final TopOfBookDecoder top = new TopOfBookDecoder();
        top.wrapAndApplyHeader(h.records(TopOfBookDecoder.TEMPLATE_ID).get(0), 0, header);
        final JsonNode d = fixture("okx/bbo-tbt.json").get("data").get(0);
        assertEquals(mantissa(decimal(d.get("bids").get(0).get(0)), -2), top.bidPrice());
        assertEquals(mantissa(decimal(d.get("bids").get(0).get(1)), -8), top.bidSize());
        assertEquals(mantissa(decimal(d.get("asks").get(0).get(0)), -2), top.askPrice());
        assertEquals(mantissa(decimal(d.get("asks").get(0).get(1)), -8), top.askSize());
        assertEquals(d.get("seqId").asLong(), top.venueSeq());
    }

    @Test
    void theRealCapturedSnapshotVerifiesItsChecksumAndIsJournaledWhole()
    {
        final String instId = "BTC-USD-220304-32000-P";
        h = new VenueFeedHarness(dir, OkxProtocol.swap(),
            List.of(new InstrumentSpec(1, instId, instId, MarketKind.OPTION, -4, 0)), EnumSet.of(Channel.DEPTH));
        h.openAll();
        h.frame(h.transport.connects.get(0), text("okx/real_books-l2-tbt_snapshot_option_checksum.json"));
        assertTrue(h.statuses(VenueStatusKind.GAP_DETECTED).isEmpty(), h.statuses().toString());
        assertEquals(1, h.statuses(VenueStatusKind.RESYNCED).size());
        final BookSnapshotDecoder s = new BookSnapshotDecoder();
        s.wrapAndApplyHeader(h.records(BookSnapshotDecoder.TEMPLATE_ID).get(0), 0, header);
        final JsonNode asks = fixture("okx/real_books-l2-tbt_snapshot_option_checksum.json").get("data").get(0).get("asks");
        assertEquals(0, s.bids().count(), "the capture has no bids");
        int i = 0;
        for (final BookSnapshotDecoder.AsksDecoder a : s.asks())
        {
            assertEquals(mantissa(decimal(asks.get(i).get(0)), -4), a.price());
            assertEquals(mantissa(decimal(asks.get(i++).get(1)), 0), a.size());
        }
        assertEquals(asks.size(), i);
    }
}
