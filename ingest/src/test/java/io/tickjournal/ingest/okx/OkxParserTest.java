package io.tickjournal.ingest.okx;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.venue.FixtureJson;
import io.tickjournal.ingest.venue.MarketEvent;
import io.tickjournal.ingest.venue.MarketFrame;
import io.tickjournal.ingest.venue.ParseError;
import io.tickjournal.journal.Fixtures;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.Side;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.tickjournal.ingest.venue.FixtureJson.decimal;
import static io.tickjournal.ingest.venue.FixtureJson.fixture;
import static io.tickjournal.ingest.venue.FixtureJson.text;
import static io.tickjournal.ingest.venue.FixtureJson.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every OKX fixture through {@link OkxParser}, numbers checked against the fixture's own text. */
class OkxParserTest
{
    private final OkxParser parser = new OkxParser();
    private final MarketFrame frame = new MarketFrame();

    private int parse(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return parser.parse(bytes, 0, bytes.length, frame);
    }

    private static void assertLevels(final JsonNode expected, final MarketEvent.Levels levels)
    {
        assertEquals(expected.size(), levels.count());
        for (int i = 0; i < expected.size(); i++)
        {
            assertEquals(0, decimal(expected.get(i).get(0)).compareTo(value(levels.price(i), levels.priceExponent(i))), "price " + i);
            assertEquals(0, decimal(expected.get(i).get(1)).compareTo(value(levels.size(i), levels.sizeExponent(i))), "size " + i);
            // The written scale rebuilds the venue's text (the checksum needs it).
            assertEquals(Math.max(0, decimal(expected.get(i).get(0)).scale()), levels.priceScale(i), "price scale " + i);
            assertEquals(Math.max(0, decimal(expected.get(i).get(1)).scale()), levels.sizeScale(i), "size scale " + i);
        }
    }

    @Test
    void everyOkxFixtureParsesToItsKindOfFrame() throws Exception
    {
        final Map<String, Integer> expected = Map.ofEntries(
            Map.entry("bbo-tbt.json", MarketFrame.DATA),
            Map.entry("books5.json", MarketFrame.DATA),
            Map.entry("books_snapshot.json", MarketFrame.DATA),
            Map.entry("books_update.json", MarketFrame.DATA),
            Map.entry("real_books-l2-tbt_snapshot_option_checksum.json", MarketFrame.DATA),
            Map.entry("real_trades_2022.json", MarketFrame.DATA),
            Map.entry("trades.json", MarketFrame.DATA),
            Map.entry("rest_books_snapshot.json", MarketFrame.DATA),
            Map.entry("subscribe_response_books.json", MarketFrame.ACK),
            Map.entry("unsubscribe_response.json", MarketFrame.ACK),
            Map.entry("subscribe_error.json", MarketFrame.ERROR),
            Map.entry("notice_service_upgrade.json", MarketFrame.SHUTDOWN_NOTICE),
            Map.entry("pong.txt", MarketFrame.PONG),
            // What the client sends: nothing to do (the text ping is not JSON).
            Map.entry("ping.txt", -ParseError.NOT_JSON),
            Map.entry("subscribe_request_books.json", MarketFrame.IGNORED),
            Map.entry("subscribe_request_trades.json", MarketFrame.IGNORED),
            Map.entry("unsubscribe_request.json", MarketFrame.IGNORED),
            // Not a frame: the checksum vectors (OkxChecksumTest).
            Map.entry("checksum_test_vectors.json", MarketFrame.IGNORED));
        final List<Path> files;
        try (Stream<Path> list = Files.list(Fixtures.root().resolve("okx")))
        {
            files = list.sorted().collect(Collectors.toList());
        }
        assertEquals(expected.size(), files.size(), "every fixture is classified here: " + files);
        for (final Path file : files)
        {
            final String name = file.getFileName().toString();
            assertTrue(expected.containsKey(name), "unclassified fixture " + name);
            final int result = parse(Files.readString(file));
            if (expected.get(name) < 0)
            {
                assertEquals(-expected.get(name), result, name);
                continue;
            }
            assertEquals(ParseError.OK, result, name + ": " + parser.errorDetail());
            assertEquals(expected.get(name), frame.kind(), name);
        }
    }

    @Test
    void tradesCarryTheFixtureNumbersAndTheRangeOfFillsTheyAggregate()
    {
        for (final String name : new String[] {"okx/trades.json", "okx/real_trades_2022.json"})
        {
            final JsonNode t = fixture(name).get("data").get(0);
            assertEquals(ParseError.OK, parse(text(name)), name);
            assertEquals(1, frame.eventCount());
            final MarketEvent e = frame.event(0);
            assertEquals(MarketEvent.TRADE, e.type());
            assertEquals(Channel.TRADE, e.channel());
            assertEquals(t.get("instId").asText(), e.symbolText());
            assertFalse(e.tradeIdHashed());
            final long tradeId = t.get("tradeId").asLong();
            assertEquals(tradeId, e.tradeId());
            final long count = t.has("count") ? t.get("count").asLong() : 1;
            assertEquals(tradeId, e.lastId());
            assertEquals(tradeId - count + 1, e.firstId(), "tradeId is the last of count fills");
            assertEquals(0, decimal(t.get("px")).compareTo(value(e.mantissa(MarketEvent.PRICE), e.exponent(MarketEvent.PRICE))));
            assertEquals(0, decimal(t.get("sz")).compareTo(value(e.mantissa(MarketEvent.SIZE), e.exponent(MarketEvent.SIZE))));
            assertEquals("buy".equals(t.get("side").asText()) ? Side.BUY : Side.SELL, e.side());
            assertEquals(t.get("ts").asLong() * 1_000_000L, e.tradeTimeNs());
            assertEquals(t.get("ts").asLong() * 1_000_000L, e.eventTimeNs());
            assertEquals(t.has("seqId") ? t.get("seqId").asLong() : Records.NULL_LONG, e.crossSeq());
        }
    }

    @Test
    void booksCarryActionSequenceIdsChecksumAndLevelsAsWritten()
    {
        for (final String name : new String[] {"okx/books_snapshot.json", "okx/books_update.json",
            "okx/real_books-l2-tbt_snapshot_option_checksum.json"})
        {
            final JsonNode json = fixture(name);
            final JsonNode d = json.get("data").get(0);
            assertEquals(ParseError.OK, parse(text(name)), name);
            assertEquals(1, frame.eventCount());
            final MarketEvent e = frame.event(0);
            final boolean snapshot = "snapshot".equals(json.get("action").asText());
            assertEquals(snapshot ? MarketEvent.BOOK_SNAPSHOT : MarketEvent.BOOK_DELTA, e.type(), name);
            assertEquals(Channel.DEPTH, e.channel());
            assertEquals(json.get("arg").get("instId").asText(), e.symbolText(), "the symbol comes from arg");
            assertEquals(d.has("seqId") ? d.get("seqId").asLong() : Records.NULL_LONG, e.lastId());
            assertEquals(snapshot ? Records.NULL_LONG : d.get("prevSeqId").asLong(), e.prevId(), "a snapshot chains to nothing");
            assertTrue(e.hasChecksum());
            assertEquals(d.get("checksum").asLong(), e.checksumValue());
            assertEquals(d.get("ts").asLong() * 1_000_000L, e.eventTimeNs());
            assertLevels(d.get("bids"), e.bids());
            assertLevels(d.get("asks"), e.asks());
        }
    }

    @Test
    void aZeroChecksumIsNoChecksum()
    {
        assertEquals(ParseError.OK, parse(text("okx/books_update.json").replace("-855196043", "0")));
        assertFalse(frame.event(0).hasChecksum(), "OKX sends 0 since deprecating the field: nothing to check");
    }

    @Test
    void bboIsATopOfBookAndBooks5AWholeFiveLevelBook()
    {
        final JsonNode bbo = fixture("okx/bbo-tbt.json");
        assertEquals(ParseError.OK, parse(text("okx/bbo-tbt.json")));
        MarketEvent e = frame.event(0);
        assertEquals(MarketEvent.TOP_OF_BOOK, e.type());
        assertEquals(Channel.BOOK_TICKER, e.channel());
        assertEquals("BCH-USDT-SWAP", e.symbolText());
        final JsonNode d = bbo.get("data").get(0);
        assertEquals(0, decimal(d.get("bids").get(0).get(0)).compareTo(
            value(e.mantissa(MarketEvent.BID_PRICE), e.exponent(MarketEvent.BID_PRICE))));
        assertEquals(0, decimal(d.get("bids").get(0).get(1)).compareTo(
            value(e.mantissa(MarketEvent.BID_SIZE), e.exponent(MarketEvent.BID_SIZE))));
        assertEquals(0, decimal(d.get("asks").get(0).get(0)).compareTo(
            value(e.mantissa(MarketEvent.ASK_PRICE), e.exponent(MarketEvent.ASK_PRICE))));
        assertEquals(0, decimal(d.get("asks").get(0).get(1)).compareTo(
            value(e.mantissa(MarketEvent.ASK_SIZE), e.exponent(MarketEvent.ASK_SIZE))));
        assertEquals(d.get("seqId").asLong(), e.lastId());
        assertEquals(d.get("ts").asLong() * 1_000_000L, e.eventTimeNs());

        final JsonNode books5 = fixture("okx/books5.json").get("data").get(0);
        assertEquals(ParseError.OK, parse(text("okx/books5.json")));
        e = frame.event(0);
        assertEquals(MarketEvent.BOOK_SNAPSHOT, e.type());
        assertEquals(books5.get("seqId").asLong(), e.lastId());
        assertLevels(books5.get("bids"), e.bids());
        assertLevels(books5.get("asks"), e.asks());
    }

    @Test
    void restBooksIsASnapshot()
    {
        final JsonNode d = fixture("okx/rest_books_snapshot.json").get("data").get(0);
        final byte[] bytes = text("okx/rest_books_snapshot.json").getBytes(StandardCharsets.UTF_8);
        assertEquals(ParseError.OK, parser.parseSnapshot(bytes, 0, bytes.length, frame));
        final MarketEvent e = frame.event(0);
        assertEquals(MarketEvent.BOOK_SNAPSHOT, e.type());
        assertLevels(d.get("bids"), e.bids());
        assertLevels(d.get("asks"), e.asks());
        assertEquals(ParseError.OK, parse("{\"code\":\"51001\",\"msg\":\"Instrument ID does not exist\",\"data\":[]}"));
        assertEquals(MarketFrame.ERROR, frame.kind());
        assertTrue(frame.errorText().toString().startsWith("code 51001"), frame.errorText().toString());
    }

    @Test
    void eventsAreOneArgumentAcknowledgementsErrorsAndTheUpgradeNotice()
    {
        assertEquals(ParseError.OK, parse(text("okx/subscribe_response_books.json")));
        assertEquals(MarketFrame.ACK, frame.kind());
        assertEquals(1, frame.acknowledged(), "OKX answers each argument");
        assertEquals(1512, frame.requestId());
        assertEquals("books BTC-USDT", frame.channelText().toString());

        assertEquals(ParseError.OK, parse(text("okx/subscribe_error.json")));
        assertEquals(MarketFrame.ERROR, frame.kind());
        assertEquals(1512, frame.requestId());
        assertTrue(frame.errorText().toString().startsWith("code 60012 Invalid request"), frame.errorText().toString());

        assertEquals(ParseError.OK, parse(text("okx/notice_service_upgrade.json")));
        assertEquals(MarketFrame.SHUTDOWN_NOTICE, frame.kind());
        assertEquals(ParseError.OK, parse(text("okx/notice_service_upgrade.json").replace("64008", "64009")));
        assertEquals(MarketFrame.IGNORED, frame.kind(), "only the service-upgrade notice announces a disconnect");

        assertEquals(ParseError.OK, parse("pong"));
        assertEquals(MarketFrame.PONG, frame.kind());
    }

    @Test
    void malformedFramesGiveTheirErrorAndTheNextGoodFrameStillParses()
    {
        final String good = text("okx/trades.json");
        final String book = text("okx/books_update.json");
        final String[][] cases = {
            {"truncated", good.substring(0, good.indexOf("\"px\""))},
            {"trailing partial token", good + "{\"ar"},
            {"bad decimal", good.replace("\"42219.9\"", "\"42219,9\"")},
            {"trade without tradeId", good.replace("\"tradeId\": \"130639474\",", "")},
            {"trade without size", good.replace("\"sz\": \"0.12060306\",", "")},
            {"update without prevSeqId", book.replace("\"prevSeqId\": 123456,", "")},
            {"update without action", book.replace("\"action\": \"update\",", "")},
            {"level that is not an array", book.replace("[\"8476.98\", \"415\", \"0\", \"13\"]", "\"8476.98\"")},
            {"non-numeric seqId", book.replace("\"seqId\": 123457", "\"seqId\": \"x\"")},
            {"pongs", "pongs"},
        };
        final int[] codes = {ParseError.TRUNCATED, ParseError.TRAILING_BYTES, ParseError.BAD_DECIMAL, ParseError.MISSING_FIELD,
            ParseError.MISSING_FIELD, ParseError.MISSING_FIELD, ParseError.MISSING_FIELD, ParseError.BAD_LEVEL,
            ParseError.BAD_FIELD, ParseError.NOT_JSON};
        for (int i = 0; i < cases.length; i++)
        {
            assertFalse(good.equals(cases[i][1]) || book.equals(cases[i][1]), cases[i][0] + " changed the frame");
            final int result = parse(cases[i][1]);
            assertEquals(codes[i], result, cases[i][0] + ": " + ParseError.describe(result) + " " + parser.errorDetail());
            assertEquals(0, frame.eventCount(), cases[i][0] + " leaves nothing");
            assertEquals(ParseError.OK, parse(good), "after " + cases[i][0]);
            assertEquals(1, frame.eventCount());
        }
    }

    @Test
    void requestsHaveTheDocumentedShape()
    {
        final OkxProtocol protocol = (OkxProtocol)OkxProtocol.spot().protocol();
        assertEquals(fixture("okx/subscribe_request_books.json"), FixtureJson.tree(protocol.subscribe(List.of("books:BTC-USDT"), 1512)));
        assertEquals(fixture("okx/subscribe_request_trades.json"),
            FixtureJson.tree(protocol.subscribe(List.of("trades:BTC-USDT"), 1512)));
        final JsonNode unsubscribe = FixtureJson.tree(protocol.unsubscribe(List.of("tickers:BTC-USDT"), 3));
        assertEquals(fixture("okx/unsubscribe_request.json").get("op"), unsubscribe.get("op"));
        assertEquals(fixture("okx/unsubscribe_request.json").get("args"), unsubscribe.get("args"));
        assertEquals(text("okx/ping.txt").strip(), protocol.keepalive().text());
    }
}
