package io.tickjournal.ingest.binance;

import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.FeedJournal;
import io.tickjournal.ingest.FeedSession;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.IngestFeed;
import io.tickjournal.ingest.JournalContents;
import io.tickjournal.ingest.ManualClock;
import io.tickjournal.ingest.RecordingTransport;
import io.tickjournal.ingest.VenueFeedHandler;
import io.tickjournal.ingest.venue.VenueRegistry;
import io.tickjournal.journal.Fixtures;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.MarkPriceDecoder;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.Side;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each Binance ingest defect an independent review and a differential check against another
 * normalizer found, driven through the real session, handler and journal. Each of these failed
 * on the handler before the venue seam.
 */
class BinanceDefectsTest
{
    private static final long NOW = 1_767_225_600_000_000_000L; // 2026-01-01T00:00Z
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(NOW);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private FeedSession session;
    private RecordingTransport transport;
    private int venueId;

    @AfterEach
    void close()
    {
        if (session != null)
        {
            session.close();
        }
    }

    private void start(final int venue, final InstrumentSpec spec, final EnumSet<Channel> channels)
    {
        venueId = venue;
        final FeedConfig config = VenueRegistry.byId(venue).defaults(dir.resolve(Venues.name(venue)),
            URI.create("ws://127.0.0.1:1"), URI.create("http://127.0.0.1:1"), List.of(spec), channels)
            .withTimers(30 * SECOND, 3600 * SECOND, 60 * SECOND, SECOND / 4, 5 * SECOND);
        transport = new RecordingTransport();
        final FeedJournal journal = new FeedJournal(config.partitionDir(), venue);
        session = new FeedSession(config, journal, IngestFeed.handlerFor(config, journal), transport, clock, 1);
        session.start(NOW);
        for (final int id : List.copyOf(transport.connects))
        {
            session.onOpen(id, NOW);
            ack(id);
        }
    }

    private void ack(final int connectionId)
    {
        for (final String sent : List.copyOf(transport.sent))
        {
            if (sent.startsWith(connectionId + " ") && !sent.endsWith(" acked"))
            {
                frame(connectionId, "{\"result\":null,\"id\":" + sent.replaceAll(".*\"id\":(\\d+).*", "$1") + "}");
                transport.sent.set(transport.sent.indexOf(sent), sent + " acked");
            }
        }
    }

    private void frame(final int connectionId, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        session.onFrame(connectionId, bytes, bytes.length, clock.nanoTime());
    }

    private void rest(final String body)
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        session.onRestResponse(transport.getTags.get(transport.getTags.size() - 1), 200, bytes, bytes.length, clock.nanoTime());
    }

    private List<UnsafeBuffer> records(final int templateId)
    {
        session.close();
        session = null;
        return JournalContents.ofTemplate(JournalContents.read(dir.resolve(Venues.name(venueId))), templateId);
    }

    private List<String> statuses(final List<UnsafeBuffer> records)
    {
        final VenueStatusDecoder status = new VenueStatusDecoder();
        final List<String> out = new ArrayList<>();
        for (final UnsafeBuffer r : records)
        {
            status.wrapAndApplyHeader(r, 0, header);
            out.add(status.status() + ":" + status.stream() + ":" + status.detail());
        }
        return out;
    }

    private static String usdmDepth(final long first, final long last, final long prev)
    {
        return "{\"e\":\"depthUpdate\",\"E\":1767225600000,\"T\":1767225600000,\"s\":\"BTCUSDT\",\"U\":" + first + ",\"u\":" + last +
            ",\"pu\":" + prev + ",\"b\":[[\"65000.1\",\"1.000\"]],\"a\":[[\"65000.2\",\"2.000\"]]}";
    }

    private static String trade(final long id, final String extra)
    {
        return "{\"e\":\"trade\",\"E\":1767225600000,\"s\":\"BTCUSDT\",\"t\":" + id +
            ",\"p\":\"65000.10\",\"q\":\"0.5\",\"T\":1767225600000" + extra + "}";
    }

    @Test
    void usdmJoinAcceptsASnapshotInsideALaterEventsRange()
    {
        // The venue's documented case: snapshot 115; buffered u=110 is older; the first live event
        // U=111 u=120 pu=110 straddles 115 and must apply, though its pu is not 115.
        start(Venues.BINANCE_USDM, new InstrumentSpec(1, "BTCUSDT", "BTC-USDT", MarketKind.PERPETUAL, -1, -3),
            EnumSet.of(Channel.DEPTH));
        final int depth = transport.connects.get(0);
        frame(depth, usdmDepth(101, 110, 100));
        assertEquals(1, transport.getUris.size(), "the first event starts the REST join");
        rest("{\"lastUpdateId\":115,\"E\":1767225600000,\"T\":1767225600000,\"bids\":[[\"65000.0\",\"1.000\"]],\"asks\":[[\"65000.5\",\"1.000\"]]}");
        frame(depth, usdmDepth(111, 120, 110));
        frame(depth, usdmDepth(121, 130, 120));
        final VenueFeedHandler handler = (VenueFeedHandler)session.handler();
        assertTrue(handler.bookLive(0));
        assertEquals(130, handler.bookLastId(0));
        assertEquals(0, session.counters().bookGaps);
        assertEquals(1, transport.getUris.size(), "no second snapshot: the REST budget is not spent in a loop");
        final List<String> statuses = statuses(records(VenueStatusDecoder.TEMPLATE_ID));
        assertTrue(statuses.stream().noneMatch(s -> s.startsWith("GAP_DETECTED") || s.startsWith("BOOK_RESET")), statuses.toString());
        assertTrue(statuses.stream().anyMatch(s -> s.startsWith("RESYNCED:BOOK")), statuses.toString());
    }

    @Test
    void rotationKeepsEveryTradeIdNotYetJournaled()
    {
        start(Venues.BINANCE_SPOT, new InstrumentSpec(1, "BTCUSDT", "BTC-USDT", MarketKind.SPOT, -2, -8), EnumSet.of(Channel.TRADE));
        final int old = transport.connects.get(0);
        frame(old, trade(100, ""));
        frame(old, "{\"e\":\"serverShutdown\",\"E\":1767225600000}");
        final int replacement = transport.connects.get(1);
        session.onOpen(replacement, clock.nanoTime());
        ack(replacement);
        frame(replacement, trade(103, ""));
        frame(old, trade(101, ""));
        frame(old, trade(102, ""));
        frame(replacement, trade(104, ""));
        session.onTick(clock.nanoTime());
        assertEquals(1, session.counters().rotations);
        final List<Long> ids = new ArrayList<>();
        final TradeDecoder decoder = new TradeDecoder();
        for (final UnsafeBuffer r : records(TradeDecoder.TEMPLATE_ID))
        {
            decoder.wrapAndApplyHeader(r, 0, header);
            ids.add(decoder.venueSeq());
        }
        assertEquals(List.of(100L, 103L, 101L, 102L, 104L), ids, "every id once, none lost");
    }

    @Test
    void anIdJumpOnASingleConnectionIsAGapOfTheTradeStreamOnly()
    {
        start(Venues.BINANCE_SPOT, new InstrumentSpec(1, "BTCUSDT", "BTC-USDT", MarketKind.SPOT, -2, -8), EnumSet.of(Channel.TRADE));
        final int c = transport.connects.get(0);
        frame(c, trade(100, ""));
        frame(c, trade(104, ""));
        final List<String> statuses = statuses(records(VenueStatusDecoder.TEMPLATE_ID));
        assertTrue(statuses.contains("GAP_DETECTED:TRADE:trade ids 101..103 never received"), statuses.toString());
    }

    @Test
    void aTrailingPartialTokenIsRefusedAndTheNextFrameParses()
    {
        start(Venues.BINANCE_SPOT, new InstrumentSpec(1, "BTCUSDT", "BTC-USDT", MarketKind.SPOT, -2, -8), EnumSet.of(Channel.TRADE));
        final int c = transport.connects.get(0);
        frame(c, trade(1, "") + " {\"e");
        frame(c, trade(2, "") + "\n\"x}");
        frame(c, trade(3, ""));
        assertEquals(2, session.counters().malformed);
        assertEquals(1, session.counters().trades, "the good frame after them is not lost");
    }

    @Test
    void aSpotDepthEventWithANonNumericFirstIdIsMalformed()
    {
        start(Venues.BINANCE_SPOT, new InstrumentSpec(1, "BTCUSDT", "BTC-USDT", MarketKind.SPOT, -2, -8), EnumSet.of(Channel.DEPTH));
        final int c = transport.connects.get(0);
        frame(c, "{\"e\":\"depthUpdate\",\"E\":1767225600000,\"s\":\"BTCUSDT\",\"U\":\"x\",\"u\":160,\"b\":[],\"a\":[]}");
        assertEquals(1, session.counters().malformed);
        assertEquals(0, session.counters().deltas);
        assertTrue(transport.getUris.isEmpty(), "nothing applied, no join started");
        final List<String> statuses = statuses(records(VenueStatusDecoder.TEMPLATE_ID));
        assertTrue(statuses.stream().anyMatch(s -> s.startsWith("MALFORMED_FRAME") && s.contains("field U")), statuses.toString());
    }

    @Test
    void markPricesWithAnEightDecimalIndexAreJournaledExactly()
    {
        // The shipped config's USD-M BTCUSDT has price exponent -1; the venue's index price has 8 decimals.
        start(Venues.BINANCE_USDM, new InstrumentSpec(1, "BTCUSDT", "BTC-USDT", MarketKind.PERPETUAL, -1, -3),
            EnumSet.of(Channel.MARK_PRICE));
        final String fixture = new String(Fixtures.bytes("binance-usdm/markPriceUpdate.json"), StandardCharsets.UTF_8);
        frame(transport.connects.get(0), fixture);
        assertEquals(1, session.counters().marks);
        final List<UnsafeBuffer> marks = records(MarkPriceDecoder.TEMPLATE_ID);
        assertEquals(1, marks.size());
        final MarkPriceDecoder mark = new MarkPriceDecoder();
        mark.wrapAndApplyHeader(marks.get(0), 0, header);
        final BigDecimal scale = BigDecimal.ONE.scaleByPowerOfTen(mark.priceExponent());
        assertEquals(0, new BigDecimal("11794.15000000").compareTo(BigDecimal.valueOf(mark.markPrice()).multiply(scale)));
        assertEquals(0, new BigDecimal("11784.62659091").compareTo(BigDecimal.valueOf(mark.indexPrice()).multiply(scale)));
        assertEquals(0, new BigDecimal("0.00038167").compareTo(
            BigDecimal.valueOf(mark.fundingRateMantissa()).scaleByPowerOfTen(mark.fundingRateExponent())));
    }

    @Test
    void anOlderTradeFrameWithOrderIdsKeepsItsTradeId()
    {
        start(Venues.BINANCE_SPOT, new InstrumentSpec(1, "BTCUSDT", "BTC-USDT", MarketKind.SPOT, -2, -8), EnumSet.of(Channel.TRADE));
        final int c = transport.connects.get(0);
        // Before 2024 a trade carried the buyer's (b) and seller's (a) order ids.
        frame(c, "{\"e\":\"trade\",\"E\":1767225600000,\"s\":\"BTCUSDT\",\"t\":500,\"p\":\"65000.10\",\"q\":\"0.5\"," +
            "\"b\":88,\"a\":99,\"T\":1767225600000,\"m\":true,\"M\":true}");
        frame(c, trade(501, ",\"m\":false"));
        assertEquals(2, session.counters().trades);
        assertEquals(0, session.counters().duplicates);
        final TradeDecoder decoder = new TradeDecoder();
        final List<Long> ids = new ArrayList<>();
        final List<UnsafeBuffer> trades = records(TradeDecoder.TEMPLATE_ID);
        for (final UnsafeBuffer r : trades)
        {
            decoder.wrapAndApplyHeader(r, 0, header);
            ids.add(decoder.venueSeq());
        }
        assertEquals(List.of(500L, 501L), ids);
    }

    @Test
    void microsecondTimesAreReadByMagnitude()
    {
        start(Venues.BINANCE_SPOT, new InstrumentSpec(1, "BTCUSDT", "BTC-USDT", MarketKind.SPOT, -2, -8), EnumSet.of(Channel.TRADE));
        frame(transport.connects.get(0), "{\"e\":\"trade\",\"E\":1767225600123456,\"s\":\"BTCUSDT\",\"t\":7,\"p\":\"1.00\",\"q\":\"1\"," +
            "\"T\":1767225600123455,\"m\":false}");
        final TradeDecoder decoder = new TradeDecoder();
        decoder.wrapAndApplyHeader(records(TradeDecoder.TEMPLATE_ID).get(0), 0, header);
        assertEquals(1_767_225_600_123_456_000L, decoder.eventTimeNs());
        assertEquals(1_767_225_600_123_455_000L, decoder.tradeTimeNs());
    }

    @Test
    void incompleteOrImpossibleTradesGetAStatusAndNothingHalfWritten()
    {
        start(Venues.BINANCE_SPOT, new InstrumentSpec(1, "BTCUSDT", "BTC-USDT", MarketKind.SPOT, -2, -8), EnumSet.of(Channel.TRADE));
        final int c = transport.connects.get(0);
        frame(c, "{\"e\":\"trade\",\"E\":1767225600000,\"s\":\"BTCUSDT\",\"p\":\"1.00\",\"q\":\"1\",\"T\":1767225600000,\"m\":true}");
        frame(c, trade(10, ",\"m\":\"yes\""));
        frame(c, trade(11, ""));
        frame(c, "{\"e\":\"trade\",\"E\":1767225600000,\"s\":\"BTCUSDT\",\"t\":12,\"p\":\"1.00\",\"q\":\"-1\",\"T\":1767225600000,\"m\":true}");
        final int tags = transport.getTags.size();
        assertEquals(0, tags);
        final TradeDecoder decoder = new TradeDecoder();
        final List<String> trades = new ArrayList<>();
        session.close();
        session = null;
        final List<UnsafeBuffer> read = JournalContents.read(dir.resolve("binance-spot"));
        for (final UnsafeBuffer r : JournalContents.ofTemplate(read, TradeDecoder.TEMPLATE_ID))
        {
            decoder.wrapAndApplyHeader(r, 0, header);
            trades.add(decoder.venueSeq() + ":" + decoder.aggressor());
        }
        assertEquals(List.of("10:" + Side.UNKNOWN, "11:" + Side.UNKNOWN), trades,
            "no t: refused; m missing or not a boolean: side unknown; negative size: refused");
        final List<String> statuses = statuses(JournalContents.ofTemplate(read, VenueStatusDecoder.TEMPLATE_ID));
        assertTrue(statuses.stream().anyMatch(s -> s.startsWith("MALFORMED_FRAME") && s.contains("field t")), statuses.toString());
        assertTrue(statuses.stream().anyMatch(s -> s.startsWith("RECORD_REFUSED:TRADE") && s.contains("size")), statuses.toString());
    }

    @Test
    void aRefusedRestSnapshotLeavesAStatus()
    {
        start(Venues.BINANCE_SPOT, new InstrumentSpec(1, "BTCUSDT", "BTC-USDT", MarketKind.SPOT, -2, -8), EnumSet.of(Channel.DEPTH));
        frame(transport.connects.get(0), "{\"e\":\"depthUpdate\",\"E\":1767225600000,\"s\":\"BTCUSDT\",\"U\":150,\"u\":160," +
            "\"b\":[[\"1.00\",\"1\"]],\"a\":[]}");
        final byte[] body = "{\"code\":-1003,\"msg\":\"Too many requests\"}".getBytes(StandardCharsets.UTF_8);
        session.onRestResponse(transport.getTags.get(0), 429, body, body.length, clock.nanoTime());
        final List<String> statuses = statuses(records(VenueStatusDecoder.TEMPLATE_ID));
        assertTrue(statuses.stream().anyMatch(s -> s.startsWith("RECORD_REFUSED:BOOK") && s.contains("HTTP 429")), statuses.toString());
    }
}
