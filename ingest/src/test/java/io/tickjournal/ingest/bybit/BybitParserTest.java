package io.tickjournal.ingest.bybit;

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

import java.math.BigDecimal;
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

/** Every Bybit fixture through {@link BybitParser}, numbers checked against the fixture's own text. */
class BybitParserTest
{
    private final BybitParser parser = new BybitParser();
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
        }
    }

    @Test
    void everyBybitFixtureParsesToItsKindOfFrame() throws Exception
    {
        final Map<String, Integer> expected = Map.ofEntries(
            Map.entry("orderbook_delta.json", MarketFrame.DATA),
            Map.entry("orderbook_snapshot.json", MarketFrame.DATA),
            Map.entry("publicTrade.json", MarketFrame.DATA),
            Map.entry("rest_orderbook_snapshot.json", MarketFrame.DATA),
            Map.entry("pong_linear.json", MarketFrame.PONG),
            Map.entry("pong_spot.json", MarketFrame.PONG),
            Map.entry("pong_option.json", MarketFrame.PONG),
            Map.entry("subscribe_response_linear.json", MarketFrame.ACK),
            Map.entry("subscribe_response_spot.json", MarketFrame.ACK),
            Map.entry("subscribe_response_option.json", MarketFrame.ACK),
            // What the client sends: the parser reads them and finds nothing to do.
            Map.entry("ping_request.json", MarketFrame.IGNORED),
            Map.entry("subscribe_request.json", MarketFrame.IGNORED),
            Map.entry("unsubscribe_request.json", MarketFrame.IGNORED));
        final List<Path> files;
        try (Stream<Path> list = Files.list(Fixtures.root().resolve("bybit")))
        {
            files = list.sorted().collect(Collectors.toList());
        }
        assertEquals(expected.size(), files.size(), "every fixture is classified here: " + files);
        for (final Path file : files)
        {
            final String name = file.getFileName().toString();
            assertTrue(expected.containsKey(name), "unclassified fixture " + name);
            assertEquals(ParseError.OK, parse(Files.readString(file)), name + ": " + parser.errorDetail());
            assertEquals(expected.get(name), frame.kind(), name);
        }
    }

    @Test
    void publicTradeWithAUuidIdIsATradeWithItsHashAndTheFixtureNumbers()
    {
        final JsonNode json = fixture("bybit/publicTrade.json");
        assertEquals(ParseError.OK, parse(text("bybit/publicTrade.json")));
        final JsonNode data = json.get("data");
        assertEquals(data.size(), frame.eventCount());
        final MarketEvent e = frame.event(0);
        final JsonNode t = data.get(0);
        assertEquals(MarketEvent.TRADE, e.type());
        assertEquals(Channel.TRADE, e.channel());
        assertEquals(t.get("s").asText(), e.symbolText());
        assertEquals(0, decimal(t.get("p")).compareTo(value(e.mantissa(MarketEvent.PRICE), e.exponent(MarketEvent.PRICE))));
        assertEquals(0, decimal(t.get("v")).compareTo(value(e.mantissa(MarketEvent.SIZE), e.exponent(MarketEvent.SIZE))));
        assertEquals("Buy".equals(t.get("S").asText()) ? Side.BUY : Side.SELL, e.side());
        assertEquals(t.get("T").asLong() * 1_000_000L, e.tradeTimeNs());
        assertEquals(json.get("ts").asLong() * 1_000_000L, e.eventTimeNs());
        assertEquals(t.get("seq").asLong(), e.crossSeq());
        assertTrue(e.tradeIdHashed(), "a UUID is not a number");
        // The same UUID hashes the same; another does not.
        final long hash = e.tradeId();
        assertEquals(ParseError.OK, parse(text("bybit/publicTrade.json")));
        assertEquals(hash, frame.event(0).tradeId());
        assertEquals(ParseError.OK, parse(text("bybit/publicTrade.json").replace("20f43950", "20f43951")));
        assertTrue(hash != frame.event(0).tradeId());
    }

    @Test
    void aNumericTradeIdIsTheIdAndSeveralTradesInAFrameAreSeveralEvents()
    {
        final String text = "{\"topic\":\"publicTrade.BTCUSDT\",\"ts\":1672304486868,\"type\":\"snapshot\",\"data\":[" +
            "{\"i\":\"2290000000068009612\",\"T\":1672304486865,\"p\":\"16578.50\",\"v\":\"0.001\",\"S\":\"Sell\",\"s\":\"BTCUSDT\",\"BT\":false}," +
            "{\"i\":\"2290000000068009613\",\"T\":1672304486866,\"p\":\"16578.60\",\"v\":\"0.002\",\"S\":\"Buy\",\"s\":\"BTCUSDT\",\"BT\":false}]}";
        assertEquals(ParseError.OK, parse(text));
        assertEquals(2, frame.eventCount());
        assertFalse(frame.event(0).tradeIdHashed());
        assertEquals(2290000000068009612L, frame.event(0).tradeId());
        assertEquals(Side.SELL, frame.event(0).side());
        assertEquals(2290000000068009613L, frame.event(1).tradeId());
        assertEquals(Side.BUY, frame.event(1).side());
    }

    @Test
    void orderbookSnapshotAndDeltaCarryTheirLevelsUpdateIdCrossSequenceAndMatchingEngineTime()
    {
        for (final String name : new String[] {"bybit/orderbook_snapshot.json", "bybit/orderbook_delta.json"})
        {
            final JsonNode json = fixture(name);
            assertEquals(ParseError.OK, parse(text(name)), name);
            assertEquals(1, frame.eventCount());
            final MarketEvent e = frame.event(0);
            assertEquals(name.contains("snapshot") ? MarketEvent.BOOK_SNAPSHOT : MarketEvent.BOOK_DELTA, e.type());
            assertEquals(Channel.DEPTH, e.channel());
            assertEquals(json.get("data").get("s").asText(), e.symbolText());
            assertEquals(json.get("data").get("u").asLong(), e.lastId());
            assertEquals(Records.NULL_LONG, e.firstId());
            assertEquals(Records.NULL_LONG, e.prevId());
            assertEquals(json.get("data").get("seq").asLong(), e.crossSeq());
            assertEquals(json.get("cts").asLong() * 1_000_000L, e.eventTimeNs(), "cts, the matching engine's time");
            assertLevels(json.get("data").get("b"), e.bids());
            assertLevels(json.get("data").get("a"), e.asks());
        }
    }

    @Test
    void restOrderbookIsASnapshotWithItsUpdateId()
    {
        final JsonNode json = fixture("bybit/rest_orderbook_snapshot.json");
        final byte[] bytes = text("bybit/rest_orderbook_snapshot.json").getBytes(StandardCharsets.UTF_8);
        assertEquals(ParseError.OK, parser.parseSnapshot(bytes, 0, bytes.length, frame));
        final MarketEvent e = frame.event(0);
        assertEquals(MarketEvent.BOOK_SNAPSHOT, e.type());
        final JsonNode result = json.get("result");
        assertEquals(result.get("u").asLong(), e.lastId());
        assertEquals(result.get("seq").asLong(), e.crossSeq());
        assertEquals(result.get("cts").asLong() * 1_000_000L, e.eventTimeNs());
        assertLevels(result.get("b"), e.bids());
        assertLevels(result.get("a"), e.asks());

        assertEquals(ParseError.OK, parse("{\"retCode\":10001,\"retMsg\":\"params error\",\"result\":{},\"time\":1}"));
        assertEquals(MarketFrame.ERROR, frame.kind());
        assertTrue(frame.errorText().toString().contains("10001"), frame.errorText().toString());
        assertTrue(frame.errorText().toString().contains("params error"), frame.errorText().toString());
    }

    @Test
    void subscribeAnswersAreAcknowledgementsOfTheRequestAndRefusalsAreErrorsNamingTheReason()
    {
        assertEquals(ParseError.OK, parse(text("bybit/subscribe_response_spot.json")));
        assertEquals(MarketFrame.ACK, frame.kind());
        assertEquals(fixture("bybit/subscribe_response_spot.json").get("req_id").asLong(), frame.requestId());
        assertEquals(0, frame.acknowledged(), "the whole request");
        assertEquals(ParseError.OK, parse(text("bybit/subscribe_response_linear.json")));
        assertEquals(MarketFrame.ACK, frame.kind());
        assertEquals(Records.NULL_LONG, frame.requestId(), "linear echoes an empty req_id");

        assertEquals(ParseError.OK, parse(
            "{\"success\":false,\"ret_msg\":\"error:handler not found\",\"conn_id\":\"x\",\"req_id\":\"7\",\"op\":\"subscribe\"}"));
        assertEquals(MarketFrame.ERROR, frame.kind());
        assertEquals(7, frame.requestId());
        assertEquals("error:handler not found", frame.errorText().toString());
    }

    @Test
    void tickersKeepTheLastValuesSoEveryMarkPriceIsWhole()
    {
        final String snapshot = "{\"topic\":\"tickers.BTCUSDT\",\"type\":\"snapshot\",\"data\":{\"symbol\":\"BTCUSDT\"," +
            "\"tickDirection\":\"PlusTick\",\"lastPrice\":\"17216.00\",\"markPrice\":\"17217.33\",\"indexPrice\":\"17227.36\"," +
            "\"nextFundingTime\":\"1673280000000\",\"fundingRate\":\"-0.000212\",\"bid1Price\":\"17215.50\"},\"cs\":24987956059," +
            "\"ts\":1673272861686}";
        assertEquals(ParseError.OK, parse(snapshot));
        assertEquals(1, frame.eventCount());
        MarketEvent e = frame.event(0);
        assertEquals(MarketEvent.MARK_PRICE, e.type());
        assertEquals(Channel.MARK_PRICE, e.channel());
        assertEquals(0, new BigDecimal("17217.33").compareTo(value(e.mantissa(MarketEvent.MARK), e.exponent(MarketEvent.MARK))));
        assertEquals(1673272861686L * 1_000_000L, e.eventTimeNs());
        assertEquals(1673280000000L * 1_000_000L, e.nextFundingTimeNs());

        // A delta that changes none of mark, index, funding: nothing to journal.
        assertEquals(ParseError.OK, parse("{\"topic\":\"tickers.BTCUSDT\",\"type\":\"delta\",\"data\":{\"symbol\":\"BTCUSDT\"," +
            "\"lastPrice\":\"17206.00\"},\"cs\":24987957000,\"ts\":1673272862193}"));
        assertEquals(0, frame.eventCount());
        assertEquals(MarketFrame.IGNORED, frame.kind());

        // A delta with only the mark: the rest comes from before.
        assertEquals(ParseError.OK, parse("{\"topic\":\"tickers.BTCUSDT\",\"type\":\"delta\",\"data\":{\"symbol\":\"BTCUSDT\"," +
            "\"markPrice\":\"17218.1\"},\"cs\":24987957001,\"ts\":1673272862293}"));
        assertEquals(1, frame.eventCount());
        e = frame.event(0);
        assertEquals(0, new BigDecimal("17218.1").compareTo(value(e.mantissa(MarketEvent.MARK), e.exponent(MarketEvent.MARK))));
        assertEquals(0, new BigDecimal("17227.36").compareTo(
            value(e.mantissa(MarketEvent.INDEX_PRICE), e.exponent(MarketEvent.INDEX_PRICE))));
        assertEquals(0, new BigDecimal("-0.000212").compareTo(
            value(e.mantissa(MarketEvent.FUNDING_RATE), e.exponent(MarketEvent.FUNDING_RATE))));
        assertEquals(1673280000000L * 1_000_000L, e.nextFundingTimeNs());

        // Another symbol's delta before its snapshot has no mark to complete: nothing.
        assertEquals(ParseError.OK, parse("{\"topic\":\"tickers.ETHUSDT\",\"type\":\"delta\",\"data\":{\"symbol\":\"ETHUSDT\"," +
            "\"fundingRate\":\"0.0001\"},\"ts\":1673272862393}"));
        assertEquals(0, frame.eventCount());
    }

    @Test
    void malformedFramesGiveTheirErrorAndTheNextGoodFrameStillParses()
    {
        final String good = text("bybit/publicTrade.json");
        final String[][] cases = {
            {"truncated", good.substring(0, good.indexOf("\"p\""))},
            {"trailing partial token", good + " {\"top"},
            {"bad decimal", good.replace("\"16578.50\"", "\"16578.5.0\"")},
            {"trade without id", good.replace("\"i\": \"20f43950-d8dd-5b31-9112-a178eb6023af\",", "")},
            {"trade without price", good.replace("\"p\": \"16578.50\",", "")},
            {"book without u", text("bybit/orderbook_delta.json").replace("\"u\": 177400507,", "")},
            {"bad time", good.replace("1672304486865", "-5")},
            {"not JSON", "pong"},
        };
        final int[] codes = {ParseError.TRUNCATED, ParseError.TRAILING_BYTES, ParseError.BAD_DECIMAL, ParseError.MISSING_FIELD,
            ParseError.MISSING_FIELD, ParseError.MISSING_FIELD, ParseError.BAD_TIME, ParseError.NOT_JSON};
        for (int i = 0; i < cases.length; i++)
        {
            assertFalse(good.equals(cases[i][1]), cases[i][0] + " changed the frame");
            assertEquals(codes[i], parse(cases[i][1]), cases[i][0] + ": " + ParseError.describe(parse(cases[i][1])));
            assertEquals(0, frame.eventCount(), cases[i][0] + " leaves nothing");
            assertEquals(ParseError.OK, parse(good), "after " + cases[i][0]);
            assertEquals(1, frame.eventCount());
        }
    }

    @Test
    void requestsHaveTheDocumentedShape()
    {
        final BybitProtocol protocol = (BybitProtocol)BybitProtocol.spot().protocol();
        final JsonNode expected = fixture("bybit/subscribe_request.json");
        final List<String> args = List.of("orderbook.1.BTCUSDT", "publicTrade.BTCUSDT", "orderbook.1.ETHUSDT");
        final JsonNode subscribe = FixtureJson.tree(protocol.subscribe(args, 42));
        assertEquals(expected.get("op"), subscribe.get("op"));
        assertEquals(expected.get("args"), subscribe.get("args"));
        assertEquals("42", subscribe.get("req_id").asText());
        final JsonNode unsubscribe = FixtureJson.tree(protocol.unsubscribe(List.of("publicTrade.ETHUSD"), 43));
        assertEquals(fixture("bybit/unsubscribe_request.json").get("op"), unsubscribe.get("op"));
        assertEquals(fixture("bybit/unsubscribe_request.json").get("args"), unsubscribe.get("args"));
        final JsonNode ping = FixtureJson.tree(protocol.keepalive().text());
        assertEquals(fixture("bybit/ping_request.json").get("op"), ping.get("op"));
    }
}
