package io.tickjournal.ingest.binance;

import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.FeedJournal;
import io.tickjournal.ingest.FeedSession;
import io.tickjournal.ingest.VenueFeedHandler;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.JournalContents;
import io.tickjournal.ingest.ManualClock;
import io.tickjournal.ingest.RecordingTransport;
import io.tickjournal.ingest.venue.MarketEvent;
import io.tickjournal.ingest.venue.MarketFrame;
import io.tickjournal.ingest.venue.ParseError;
import io.tickjournal.journal.Fixtures;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.MarkPriceDecoder;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.RawFrameDecoder;
import io.tickjournal.journal.sbe.Side;
import io.tickjournal.journal.sbe.TopOfBookDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.TradeKind;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Binance fixture goes through the real session, parser and encoder into a real journal,
 * and the records read back carry exactly the numbers of the fixture text (checked with BigDecimal).
 */
class BinanceFixturesTest
{
    private static final long NOW = 1_767_225_600_000_000_000L; // 2026-01-01T00:00Z

    @TempDir
    Path dir;

    private FeedSession session;
    private RecordingTransport transport;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    @AfterEach
    void close()
    {
        if (session != null)
        {
            session.close();
        }
    }

    private FeedSession start(final int venueId, final List<InstrumentSpec> instruments)
    {
        final FeedConfig config = io.tickjournal.ingest.venue.VenueRegistry.byId(venueId).defaults( dir.resolve(Venues.name(venueId)),
            URI.create("ws://127.0.0.1:1"), URI.create("http://127.0.0.1:1"), instruments,
            EnumSet.allOf(Channel.class));
        transport = new RecordingTransport();
        final FeedJournal journal = new FeedJournal(config.partitionDir(), venueId);
        session = new FeedSession(config, journal, new VenueFeedHandler(config, journal, io.tickjournal.ingest.venue.VenueRegistry.byId(config.venueId()).protocol()), transport, new ManualClock(NOW), 1);
        session.start(NOW);
        for (final int id : transport.connects)
        {
            session.onOpen(id, NOW);
        }
        return session;
    }

    private static String text(final String fixture)
    {
        return new String(Fixtures.bytes(fixture), StandardCharsets.UTF_8);
    }

    private static String field(final String json, final String name)
    {
        final Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"?([^\",}\\s]+)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    private static long mantissa(final String decimal, final int exponent)
    {
        return new BigDecimal(decimal).movePointLeft(exponent).longValueExact();
    }

    private int feed(final String fixture)
    {
        final byte[] bytes = Fixtures.bytes(fixture);
        final int before = (int)session.counters().frames;
        session.onFrame(transport.connects.get(0), bytes, bytes.length, NOW);
        assertEquals(before + 1, session.counters().frames);
        return 0;
    }

    private List<UnsafeBuffer> records(final int venueId, final int templateId)
    {
        return JournalContents.ofTemplate(JournalContents.read(dir.resolve(Venues.name(venueId))), templateId);
    }

    private static InstrumentSpec spot(final int id, final String symbol)
    {
        return new InstrumentSpec(id, symbol, symbol, MarketKind.SPOT, -8, -8);
    }

    @Test
    void spotTradesAggTradesAndTickersCarryTheFixtureNumbers()
    {
        start(Venues.BINANCE_SPOT, List.of(spot(1, "BNBBTC"), spot(2, "BTCUSDT"), spot(3, "BNBUSDT")));
        feed("binance-spot/trade.json");
        feed("binance-spot/aggTrade.json");
        feed("binance-spot/real_combined_aggTrade.json");
        feed("binance-spot/bookTicker.json");
        session.close();
        session = null;

        final List<UnsafeBuffer> trades = records(Venues.BINANCE_SPOT, TradeDecoder.TEMPLATE_ID);
        assertEquals(3, trades.size());
        final String[] files = {"binance-spot/trade.json", "binance-spot/aggTrade.json", "binance-spot/real_combined_aggTrade.json"};
        final int[] instruments = {1, 1, 2};
        final TradeDecoder trade = new TradeDecoder();
        for (int i = 0; i < 3; i++)
        {
            final String json = text(files[i]);
            trade.wrapAndApplyHeader(trades.get(i), 0, header);
            assertEquals(instruments[i], trade.instrumentId());
            assertEquals(mantissa(field(json, "p"), -8), trade.priceMantissa(), files[i]);
            assertEquals(mantissa(field(json, "q"), -8), trade.sizeMantissa(), files[i]);
            assertEquals(-8, trade.priceExponent());
            assertEquals(Long.parseLong(field(json, i == 0 ? "t" : "a")), trade.venueSeq(), files[i]);
            assertEquals(Long.parseLong(field(json, "E")) * 1_000_000L, trade.eventTimeNs());
            assertEquals(Long.parseLong(field(json, "T")) * 1_000_000L, trade.tradeTimeNs());
            assertEquals(Boolean.parseBoolean(field(json, "m")) ? Side.SELL : Side.BUY, trade.aggressor());
            assertEquals(i == 0 ? TradeKind.TRADE : TradeKind.AGG_TRADE, trade.kind());
            assertEquals(NOW, trade.receiveTimeNs());
            assertTrue(trade.rawIndex() >= 0, "trade points at its raw frame");
        }

        final List<UnsafeBuffer> tops = records(Venues.BINANCE_SPOT, TopOfBookDecoder.TEMPLATE_ID);
        assertEquals(1, tops.size());
        final String json = text("binance-spot/bookTicker.json");
        final TopOfBookDecoder top = new TopOfBookDecoder();
        top.wrapAndApplyHeader(tops.get(0), 0, header);
        assertEquals(3, top.instrumentId());
        assertEquals(mantissa(field(json, "b"), -8), top.bidPrice());
        assertEquals(mantissa(field(json, "B"), -8), top.bidSize());
        assertEquals(mantissa(field(json, "a"), -8), top.askPrice());
        assertEquals(mantissa(field(json, "A"), -8), top.askSize());
        assertEquals(Long.parseLong(field(json, "u")), top.venueSeq());
        assertEquals(Records.NULL_LONG, top.eventTimeNs(), "spot bookTicker has no event time");
    }

    @Test
    void everyFrameIsKeptRawAndRecordsPointAtIt()
    {
        start(Venues.BINANCE_SPOT, List.of(spot(1, "BNBBTC")));
        feed("binance-spot/trade.json");
        session.close();
        session = null;
        final List<UnsafeBuffer> raw = JournalContents.ofTemplate(
            JournalContents.read(Partition.rawDir(dir.resolve("binance-spot"))), RawFrameDecoder.TEMPLATE_ID);
        assertEquals(1, raw.size());
        final RawFrameDecoder frame = new RawFrameDecoder();
        frame.wrapAndApplyHeader(raw.get(0), 0, header);
        final byte[] payload = new byte[frame.payloadLength()];
        frame.getPayload(payload, 0, payload.length);
        assertEquals(text("binance-spot/trade.json"), new String(payload, StandardCharsets.UTF_8));
        final TradeDecoder trade = new TradeDecoder();
        trade.wrapAndApplyHeader(records(Venues.BINANCE_SPOT, TradeDecoder.TEMPLATE_ID).get(0), 0, header);
        assertEquals(Partition.index(Partition.day(trade.rawIndex()), 1), trade.rawIndex());
    }

    @Test
    void spotDepthJoinsOnTheRestSnapshotAndKeepsZeroSizeLevels()
    {
        start(Venues.BINANCE_SPOT, List.of(spot(1, "BTCUSDT")));
        feed("binance-spot/real_combined_depthUpdate.json");
        assertEquals(1, transport.getUris.size(), "a depth event starts the join " + session.counters());
        assertEquals("/api/v3/depth", transport.getUris.get(0).getPath());
        assertEquals("symbol=BTCUSDT&limit=1000", transport.getUris.get(0).getQuery());
        // A snapshot whose lastUpdateId is just below the buffered event: the event straddles it and applies.
        final String depth = text("binance-spot/real_combined_depthUpdate.json");
        final long first = Long.parseLong(field(depth, "U"));
        final String snapshot = text("binance-spot/rest_depth_snapshot.json").replace("1027024", Long.toString(first + 3));
        final byte[] body = snapshot.getBytes(StandardCharsets.UTF_8);
        session.onRestResponse(transport.getTags.get(0), 200, body, body.length, NOW + 1);
        assertTrue(((VenueFeedHandler)session.handler()).bookLive(0));
        session.close();
        session = null;

        final BookSnapshotDecoder snap = new BookSnapshotDecoder();
        snap.wrapAndApplyHeader(records(Venues.BINANCE_SPOT, BookSnapshotDecoder.TEMPLATE_ID).get(0), 0, header);
        assertEquals(first + 3, snap.venueSeq());
        assertEquals(Records.FLAG_FROM_SNAPSHOT, snap.flags() & Records.FLAG_FROM_SNAPSHOT);
        final BookSnapshotDecoder.BidsDecoder bids = snap.bids();
        assertEquals(1, bids.count());
        bids.next();
        assertEquals(mantissa("4.00000000", -8), bids.price());
        assertEquals(mantissa("431.00000000", -8), bids.size());
        final BookSnapshotDecoder.AsksDecoder asks = snap.asks();
        asks.next();
        assertEquals(mantissa("4.00000200", -8), asks.price());

        final BookDeltaDecoder delta = new BookDeltaDecoder();
        delta.wrapAndApplyHeader(records(Venues.BINANCE_SPOT, BookDeltaDecoder.TEMPLATE_ID).get(0), 0, header);
        assertEquals(first, delta.firstVenueSeq());
        assertEquals(Long.parseLong(field(depth, "u")), delta.venueSeq());
        final List<long[]> levels = new ArrayList<>();
        for (final BookDeltaDecoder.BidsDecoder b : delta.bids())
        {
            levels.add(new long[]{b.price(), b.size()});
        }
        for (final BookDeltaDecoder.AsksDecoder a : delta.asks())
        {
            levels.add(new long[]{a.price(), a.size()});
        }
        final Matcher m = Pattern.compile("\\[\"([0-9.]+)\",\"([0-9.]+)\"\\]").matcher(depth);
        int i = 0;
        while (m.find())
        {
            assertEquals(mantissa(m.group(1), -8), levels.get(i)[0]);
            assertEquals(mantissa(m.group(2), -8), levels.get(i)[1]);
            i++;
        }
        assertEquals(4, i);
        assertEquals(4, levels.size());

        final List<VenueStatusKind> statuses = statuses(Venues.BINANCE_SPOT);
        assertTrue(statuses.contains(VenueStatusKind.RESYNCED), statuses.toString());
    }

    @Test
    void usdmRecordsCarryTheFixtureNumbers()
    {
        start(Venues.BINANCE_USDM, List.of(
            new InstrumentSpec(1, "BTCUSDT", "BTC-USDT-PERP", MarketKind.PERPETUAL, -8, -3),
            new InstrumentSpec(2, "ETHUSDT", "ETH-USDT-PERP", MarketKind.PERPETUAL, -2, -3),
            new InstrumentSpec(3, "BNBUSDT", "BNB-USDT-PERP", MarketKind.PERPETUAL, -8, -8)));
        feed("binance-usdm/aggTrade.json");
        feed("binance-usdm/real_combined_aggTrade.json");
        feed("binance-usdm/bookTicker.json");
        feed("binance-usdm/real_combined_bookTicker.json");
        feed("binance-usdm/markPriceUpdate.json");
        session.close();
        session = null;

        final TradeDecoder trade = new TradeDecoder();
        final List<UnsafeBuffer> trades = records(Venues.BINANCE_USDM, TradeDecoder.TEMPLATE_ID);
        assertEquals(2, trades.size());
        trade.wrapAndApplyHeader(trades.get(0), 0, header);
        final String agg = text("binance-usdm/aggTrade.json");
        assertEquals(mantissa(field(agg, "p"), -8), trade.priceMantissa());
        assertEquals(mantissa(field(agg, "q"), -3), trade.sizeMantissa());
        assertEquals(Long.parseLong(field(agg, "a")), trade.venueSeq());

        final TopOfBookDecoder top = new TopOfBookDecoder();
        final List<UnsafeBuffer> tops = records(Venues.BINANCE_USDM, TopOfBookDecoder.TEMPLATE_ID);
        assertEquals(2, tops.size());
        top.wrapAndApplyHeader(tops.get(1), 0, header);
        final String eth = text("binance-usdm/real_combined_bookTicker.json");
        assertEquals(2, top.instrumentId());
        assertEquals(mantissa(field(eth, "b"), -2), top.bidPrice());
        assertEquals(mantissa(field(eth, "A"), -3), top.askSize());
        assertEquals(Long.parseLong(field(eth, "E")) * 1_000_000L, top.eventTimeNs());

        final MarkPriceDecoder mark = new MarkPriceDecoder();
        mark.wrapAndApplyHeader(records(Venues.BINANCE_USDM, MarkPriceDecoder.TEMPLATE_ID).get(0), 0, header);
        final String mp = text("binance-usdm/markPriceUpdate.json");
        assertEquals(mantissa(field(mp, "p"), -8), mark.markPrice());
        assertEquals(mantissa(field(mp, "i"), -8), mark.indexPrice());
        assertEquals(new BigDecimal(field(mp, "r")), BigDecimal.valueOf(mark.fundingRateMantissa(), -mark.fundingRateExponent()));
        assertEquals(Long.parseLong(field(mp, "T")) * 1_000_000L, mark.nextFundingTimeNs());
    }

    @Test
    void usdmRealAggTradeParsesExactly()
    {
        start(Venues.BINANCE_USDM, List.of(new InstrumentSpec(1, "BTCUSDT", "BTC-USDT-PERP", MarketKind.PERPETUAL, -2, -3)));
        feed("binance-usdm/real_combined_aggTrade.json");
        session.close();
        session = null;
        final TradeDecoder trade = new TradeDecoder();
        trade.wrapAndApplyHeader(records(Venues.BINANCE_USDM, TradeDecoder.TEMPLATE_ID).get(0), 0, header);
        assertEquals(5866500, trade.priceMantissa());
        assertEquals(43, trade.sizeMantissa());
        assertEquals(Side.BUY, trade.aggressor());
    }

    @Test
    void usdmDepthJoinsByTheFuturesRuleAndDetectsAPuBreak()
    {
        start(Venues.BINANCE_USDM, List.of(new InstrumentSpec(1, "BTCUSDT", "BTC-USDT-PERP", MarketKind.PERPETUAL, -8, -3)));
        final String depth = text("binance-usdm/real_combined_depthUpdate.json");
        final long first = Long.parseLong(field(depth, "U"));
        final long last = Long.parseLong(field(depth, "u"));
        feed("binance-usdm/real_combined_depthUpdate.json");
        assertEquals("/fapi/v1/depth", transport.getUris.get(0).getPath());
        final String snapshot = text("binance-usdm/rest_depth_snapshot.json").replace("1027024", Long.toString(first + 10));
        final byte[] body = snapshot.getBytes(StandardCharsets.UTF_8);
        session.onRestResponse(transport.getTags.get(0), 200, body, body.length, NOW);
        final VenueFeedHandler handler = (VenueFeedHandler)session.handler();
        assertTrue(handler.bookLive(0));
        assertEquals(last, handler.bookLastId(0));

        // Next event chains (pu == last u): applied. Then one whose pu does not chain: gap, resync requested.
        final String next = depth.replace("\"pu\":" + field(depth, "pu"), "\"pu\":" + last)
            .replace("\"U\":" + first, "\"U\":" + (last + 1)).replace("\"u\":" + last, "\"u\":" + (last + 5));
        byte[] bytes = next.getBytes(StandardCharsets.UTF_8);
        session.onFrame(transport.connects.get(0), bytes, bytes.length, NOW);
        assertEquals(last + 5, handler.bookLastId(0));
        final String broken = depth.replace("\"pu\":" + field(depth, "pu"), "\"pu\":" + (last + 7))
            .replace("\"U\":" + first, "\"U\":" + (last + 8)).replace("\"u\":" + last, "\"u\":" + (last + 9));
        bytes = broken.getBytes(StandardCharsets.UTF_8);
        session.onFrame(transport.connects.get(0), bytes, bytes.length, NOW);
        assertTrue(!handler.bookLive(0), "a broken pu chain takes the book out of live");
        assertEquals(2, transport.getUris.size(), "only a new snapshot of the affected instrument is requested");
        assertEquals(1, session.counters().bookGaps);
        session.close();
        session = null;

        final VenueStatusDecoder status = new VenueStatusDecoder();
        boolean gapSeen = false;
        for (final UnsafeBuffer r : records(Venues.BINANCE_USDM, VenueStatusDecoder.TEMPLATE_ID))
        {
            status.wrapAndApplyHeader(r, 0, header);
            if (status.status() == VenueStatusKind.GAP_DETECTED)
            {
                gapSeen = true;
                assertEquals(last + 5, status.expectedSeq());
                assertEquals(last + 7, status.receivedSeq());
                assertEquals(1, status.instrumentId());
            }
        }
        assertTrue(gapSeen);
    }

    @Test
    void controlMessagesAreRecognised() throws Exception
    {
        final BinanceParser parser = new BinanceParser();
        final MarketFrame frame = new MarketFrame();
        final byte[] response = Fixtures.bytes("binance-spot/subscribe_response.json");
        assertEquals(ParseError.OK, parser.parse(response, 0, response.length, frame));
        assertEquals(MarketFrame.ACK, frame.kind());
        assertEquals(1, frame.requestId());
        final byte[] list = Fixtures.bytes("binance-spot/list_subscriptions_response.json");
        assertEquals(ParseError.OK, parser.parse(list, 0, list.length, frame));
        assertEquals(MarketFrame.ACK, frame.kind());
        assertEquals(3, frame.requestId());
        for (final String f : List.of("binance-spot/serverShutdown.json", "binance-spot/combined_serverShutdown.json"))
        {
            final byte[] bytes = Fixtures.bytes(f);
            assertEquals(ParseError.OK, parser.parse(bytes, 0, bytes.length, frame));
            assertEquals(MarketFrame.SHUTDOWN_NOTICE, frame.kind(), f);
        }
        final byte[] error = "{\"error\":{\"code\":2,\"msg\":\"Invalid request\"},\"id\":7}".getBytes(StandardCharsets.US_ASCII);
        assertEquals(ParseError.OK, parser.parse(error, 0, error.length, frame));
        assertEquals(MarketFrame.ERROR, frame.kind());
        assertTrue(frame.errorText().toString().startsWith("code 2 "), frame.errorText().toString());
        assertTrue(frame.errorText().toString().contains("Invalid request"));
        assertEquals(7, frame.requestId());
        final byte[] partial = Fixtures.bytes("binance-spot/partialDepth.json");
        assertEquals(ParseError.OK, parser.parseSnapshot(partial, 0, partial.length, frame));
        assertEquals(MarketEvent.BOOK_SNAPSHOT, frame.event(0).type());
        assertEquals(160, frame.event(0).lastId());
        assertEquals(1, frame.event(0).bids().count());
        // every Binance fixture parses without error
        for (final String folder : List.of("binance-spot", "binance-usdm"))
        {
            try (var files = Files.list(Fixtures.root().resolve(folder)))
            {
                for (final Path f : files.toList())
                {
                    final byte[] bytes = Files.readAllBytes(f);
                    assertEquals(ParseError.OK, parser.parse(bytes, 0, bytes.length, frame), f.toString());
                }
            }
        }
    }

    @Test
    void malformedFramesAreCountedKeptRawReportedAndSkipped()
    {
        start(Venues.BINANCE_SPOT, List.of(spot(1, "BNBBTC")));
        final String[] bad = {
            "{\"e\":\"trade\",\"s\":\"BNBBTC\",\"t\":1,\"p\":\"0.0",
            "not json at all",
            "{\"e\":\"trade\",\"s\":\"BNBBTC\",\"t\":2,\"p\":\"1.2.3\",\"q\":\"1\"}",
            "{\"e\":\"trade\"}{\"e\":\"trade\"}",
            "[1,2,3]",
            "{\"e\":\"trade\",\"s\":\"BNBBTC\",\"t\":3,\"p\":\"0.000000001\",\"q\":\"1\",\"E\":1,\"T\":1,\"m\":true}",
        };
        for (final String frame : bad)
        {
            final byte[] bytes = frame.getBytes(StandardCharsets.US_ASCII);
            session.onFrame(transport.connects.get(0), bytes, bytes.length, NOW);
        }
        feed("binance-spot/trade.json");
        assertEquals(5, session.counters().malformed);
        assertEquals(1, session.counters().badValues, "a price finer than the instrument's exponent is refused, not rounded");
        assertEquals(1, session.counters().trades, "the good frame after the bad ones parses");
        session.close();
        session = null;
        assertEquals(bad.length + 1, JournalContents.read(Partition.rawDir(dir.resolve("binance-spot"))).size());
        final List<VenueStatusKind> statuses = statuses(Venues.BINANCE_SPOT);
        assertEquals(5, statuses.stream().filter(s -> s == VenueStatusKind.MALFORMED_FRAME).count());
        assertEquals(1, statuses.stream().filter(s -> s == VenueStatusKind.RECORD_REFUSED).count(), "the value refused, by name");
    }

    private List<VenueStatusKind> statuses(final int venueId)
    {
        final VenueStatusDecoder status = new VenueStatusDecoder();
        final List<VenueStatusKind> out = new ArrayList<>();
        for (final UnsafeBuffer r : records(venueId, VenueStatusDecoder.TEMPLATE_ID))
        {
            status.wrapAndApplyHeader(r, 0, header);
            out.add(status.status());
        }
        return out;
    }

}
