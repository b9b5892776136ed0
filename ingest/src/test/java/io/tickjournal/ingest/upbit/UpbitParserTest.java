package io.tickjournal.ingest.upbit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.venue.MarketEvent;
import io.tickjournal.ingest.venue.MarketFrame;
import io.tickjournal.ingest.venue.ParseError;
import io.tickjournal.journal.Fixtures;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.Side;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.tickjournal.ingest.venue.FixtureTree.decimal;
import static io.tickjournal.ingest.venue.FixtureTree.fixture;
import static io.tickjournal.ingest.venue.FixtureTree.text;
import static io.tickjournal.ingest.venue.FixtureTree.tree;
import static io.tickjournal.ingest.venue.FixtureTree.value;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Upbit's fixtures (and fixture-shaped variants built with Jackson's tree model) parsed to the events
 * they should be; every number is compared with the fixture text read as BigDecimal, ids as BigInteger.
 */
class UpbitParserTest
{
    private final UpbitParser parser = new UpbitParser(new JsonFactory());
    private final MarketFrame frame = new MarketFrame();

    private int parse(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return parser.parse(bytes, 0, bytes.length, frame);
    }

    static void assertValue(final JsonNode expected, final MarketEvent e, final int slot)
    {
        assertTrue(e.has(slot));
        assertEquals(0, decimal(expected).compareTo(value(e.mantissa(slot), e.exponent(slot))), expected + " vs " +
            value(e.mantissa(slot), e.exponent(slot)));
    }

    /** The book a reader expects from orderbook units: zero slots dropped. */
    static void assertUnits(final JsonNode units, final MarketEvent e)
    {
        int asks = 0;
        int bids = 0;
        for (final JsonNode u : units)
        {
            if (decimal(u.get("ask_price")).signum() != 0 && decimal(u.get("ask_size")).signum() != 0)
            {
                assertEquals(0, decimal(u.get("ask_price")).compareTo(value(e.asks().price(asks), e.asks().priceExponent(asks))));
                assertEquals(0, decimal(u.get("ask_size")).compareTo(value(e.asks().size(asks), e.asks().sizeExponent(asks))));
                asks++;
            }
            if (decimal(u.get("bid_price")).signum() != 0 && decimal(u.get("bid_size")).signum() != 0)
            {
                assertEquals(0, decimal(u.get("bid_price")).compareTo(value(e.bids().price(bids), e.bids().priceExponent(bids))));
                assertEquals(0, decimal(u.get("bid_size")).compareTo(value(e.bids().size(bids), e.bids().sizeExponent(bids))));
                bids++;
            }
        }
        assertEquals(asks, e.asks().count());
        assertEquals(bids, e.bids().count());
    }

    @Test
    void theTradeFixtureIsATradeWithItsSequentialIdExact()
    {
        final JsonNode json = fixture("upbit/trade_snapshot.json");
        assertEquals(ParseError.OK, parse(text("upbit/trade_snapshot.json")));
        assertEquals(1, frame.eventCount());
        final MarketEvent e = frame.event(0);
        assertEquals(MarketEvent.TRADE, e.type());
        assertEquals(Channel.TRADE, e.channel());
        assertEquals("KRW-BTC", e.symbolText());
        assertEquals(json.get("sequential_id").bigIntegerValue(), BigInteger.valueOf(e.tradeId()));
        assertValue(json.get("trade_price"), e, MarketEvent.PRICE);
        assertValue(json.get("trade_volume"), e, MarketEvent.SIZE);
        assertEquals(json.get("trade_timestamp").longValue() * 1_000_000L, e.tradeTimeNs());
        assertEquals(json.get("timestamp").longValue() * 1_000_000L, e.eventTimeNs());
        assertEquals(Side.BUY, e.side(), "BID: the buyer took");
    }

    @Test
    void aSequentialIdAboveTwoToThe53IsKeptToTheLastDigit()
    {
        // An odd id above 2^53 has no double: it must never pass through one.
        final String text = text("upbit/trade_snapshot.json").replace("17303368620470000", "17303368620470001")
            .replace("\"BID\"", "\"ASK\"");
        assertEquals(ParseError.OK, parse(text));
        assertEquals(new BigInteger("17303368620470001"), BigInteger.valueOf(frame.event(0).tradeId()));
        assertNotEquals(17303368620470001L, (long)(double)17303368620470001L);
        assertEquals(Side.SELL, frame.event(0).side(), "ASK: the seller took");
    }

    @Test
    void theOrderbookFixturesAreWholeBooksInExponentForm()
    {
        for (final String name : List.of("upbit/real_orderbook_snapshot_trimmed.json", "upbit/real_orderbook_realtime_trimmed.json"))
        {
            final JsonNode json = fixture(name);
            assertTrue(text(name).contains("1.16539E8"));
            assertEquals(ParseError.OK, parse(text(name)), name);
            assertEquals(1, frame.eventCount());
            final MarketEvent e = frame.event(0);
            assertEquals(MarketEvent.BOOK_SNAPSHOT, e.type());
            assertEquals(Channel.DEPTH, e.channel());
            assertEquals("KRW-BTC", e.symbolText());
            assertEquals(json.get("timestamp").longValue() * 1_000_000L, e.eventTimeNs());
            assertUnits(json.get("orderbook_units"), e);
            assertEquals(new BigDecimal("116539000"), value(e.asks().price(0), e.asks().priceExponent(0)).stripTrailingZeros()
                .setScale(0));
        }
    }

    @Test
    void zeroSlotsThatPadAThinBookAreDropped()
    {
        final ObjectNode json = (ObjectNode)fixture("upbit/real_orderbook_snapshot_trimmed.json");
        final ArrayNode units = (ArrayNode)json.get("orderbook_units");
        units.add(tree("{\"ask_price\":1.16545E8,\"bid_price\":0,\"ask_size\":7.9276E-4,\"bid_size\":0}"));
        units.add(tree("{\"ask_price\":0,\"bid_price\":0,\"ask_size\":0,\"bid_size\":0}"));
        assertEquals(ParseError.OK, parse(json.toString()));
        final MarketEvent e = frame.event(0);
        assertEquals(3, e.asks().count());
        assertEquals(2, e.bids().count());
        assertUnits(units, e);
        assertEquals(new BigDecimal("0.00079276"), value(e.asks().size(2), e.asks().sizeExponent(2)));
    }

    /** A frame naming the code as it was subscribed, units suffix and all, still names the instrument. */
    @Test
    void aCodeEchoedWithItsUnitsSuffixNamesTheInstrument()
    {
        final ObjectNode json = (ObjectNode)fixture("upbit/real_orderbook_snapshot_trimmed.json");
        final String code = json.get("code").asText();
        json.put("code", code + ".15");
        assertEquals(ParseError.OK, parse(json.toString()));
        assertEquals(code, frame.event(0).symbolText());
        for (final String same : new String[] {"KRW-BTC", "KRW-BTC.", ".15", "A.B1"})
        {
            assertEquals(same.length(), UpbitParser.withoutUnits(same.toCharArray(), 0, same.length()), same);
        }
        final char[] padded = "xxKRW-BTC.30yy".toCharArray();
        assertEquals(7, UpbitParser.withoutUnits(padded, 2, 10));
    }

    @Test
    void statusUpIsThePongAndErrorsAreErrorAnswers()
    {
        assertEquals(ParseError.OK, parse(text("upbit/status_up.json")));
        assertEquals(MarketFrame.PONG, frame.kind());
        assertEquals(ParseError.OK, parse(text("upbit/error_invalid_auth.json")));
        assertEquals(MarketFrame.ERROR, frame.kind());
        assertTrue(frame.errorText().toString().startsWith("INVALID_AUTH: "), frame.errorText().toString());
        assertEquals(ParseError.OK, parse("{\"error\":{\"name\":\"WRONG_FORMAT\",\"message\":\"bad request\"}}"));
        assertEquals("WRONG_FORMAT: bad request", frame.errorText().toString());
        assertEquals(0, frame.eventCount());
    }

    @Test
    void aTickerIsRecognisedAndNotJournaled()
    {
        assertEquals(ParseError.OK, parse("{\"type\":\"ticker\",\"code\":\"KRW-BTC\",\"opening_price\":3.12E7,\"trade_price\":3.13E7," +
            "\"timestamp\":1730336862082,\"stream_type\":\"REALTIME\"}"));
        assertEquals(MarketFrame.IGNORED, frame.kind());
        assertEquals(0, frame.eventCount());
    }

    @Test
    void aTradeWithoutItsIdOrPriceIsRefusedByName()
    {
        final ObjectNode json = (ObjectNode)fixture("upbit/trade_snapshot.json");
        json.remove("sequential_id");
        assertEquals(ParseError.MISSING_FIELD, parse(json.toString()));
        assertTrue(parser.errorDetail().contains("sequential_id"));
        final ObjectNode noPrice = (ObjectNode)fixture("upbit/trade_snapshot.json");
        noPrice.remove("trade_price");
        assertEquals(ParseError.MISSING_FIELD, parse(noPrice.toString()));
        assertTrue(parser.errorDetail().contains("trade_price"));
        final ObjectNode textPrice = (ObjectNode)fixture("upbit/trade_snapshot.json");
        textPrice.put("trade_price", true);
        assertEquals(ParseError.BAD_FIELD, parse(textPrice.toString()));
    }

    @Test
    void oneParserReadsTradesAndBooksInterleavedAndInAnyFieldOrder()
    {
        // The parser remembers the order of field names it saw last: frames of other kinds, other orders
        // and extra fields in between must still be read by name.
        final ObjectNode trade = (ObjectNode)fixture("upbit/trade_snapshot.json");
        final ObjectNode reversed = (ObjectNode)tree("{}");
        final List<String> names = new ArrayList<>();
        trade.fieldNames().forEachRemaining(names::add);
        Collections.reverse(names);
        for (final String name : names)
        {
            reversed.set(name, trade.get(name));
        }
        final ObjectNode extra = (ObjectNode)tree("{\"trade_price_note\":1,\"code_old\":\"KRW-ETH\"}");
        extra.setAll(trade);
        final ObjectNode rotated = (ObjectNode)tree("{}");
        for (int i = 0; i < names.size(); i++)
        {
            final String name = names.get((i + 5) % names.size());
            rotated.set(name, trade.get(name));
        }
        final ObjectNode otherTrade = trade.deepCopy();
        otherTrade.put("trade_price", new BigDecimal("1.16541E8")).put("trade_volume", new BigDecimal("7.9276E-4"))
            .put("sequential_id", new BigInteger("17303368620470003")).put("ask_bid", "ASK").put("timestamp", 1730336862082L);
        final String book = text("upbit/real_orderbook_realtime_trimmed.json");
        final List<ObjectNode> trades = List.of(trade, reversed, extra, otherTrade, rotated, trade, otherTrade);
        for (int round = 0; round < 3; round++)
        {
            for (final ObjectNode expected : trades)
            {
                assertEquals(ParseError.OK, parse(expected.toString()), expected.toString());
                assertEquals(1, frame.eventCount());
                final MarketEvent e = frame.event(0);
                assertEquals(MarketEvent.TRADE, e.type());
                assertEquals(expected.get("code").asText(), e.symbolText());
                assertEquals(expected.get("sequential_id").bigIntegerValue(), BigInteger.valueOf(e.tradeId()));
                assertValue(expected.get("trade_price"), e, MarketEvent.PRICE);
                assertValue(expected.get("trade_volume"), e, MarketEvent.SIZE);
                assertEquals(expected.get("trade_timestamp").longValue() * 1_000_000L, e.tradeTimeNs());
                assertEquals(expected.get("timestamp").longValue() * 1_000_000L, e.eventTimeNs());
                assertEquals("ASK".equals(expected.get("ask_bid").asText()) ? Side.SELL : Side.BUY, e.side());

                assertEquals(ParseError.OK, parse(book));
                assertEquals(MarketEvent.BOOK_SNAPSHOT, frame.event(0).type());
                assertUnits(fixture("upbit/real_orderbook_realtime_trimmed.json").get("orderbook_units"), frame.event(0));
                assertEquals(ParseError.OK, parse("{\"status\":\"UP\"}"));
                assertEquals(MarketFrame.PONG, frame.kind());
            }
        }
    }

    @Test
    void theRequestsHaveTheDocumentedShapeAndTheKeepaliveIsTheDocumentedText()
    {
        final UpbitProtocol protocol = new UpbitProtocol(Venues.UPBIT, 0);
        final InstrumentSpec btc = new InstrumentSpec(1, "KRW-BTC", "BTC-KRW", MarketKind.SPOT, 0, -8);
        final InstrumentSpec eth = new InstrumentSpec(2, "KRW-ETH", "ETH-KRW", MarketKind.SPOT, 0, -8);
        final ArrayNode expected = (ArrayNode)fixture("upbit/subscribe_trade_request.json");
        final ArrayNode request = (ArrayNode)tree(protocol.subscribe(
            List.of(protocol.streamName(btc, Channel.TRADE), protocol.streamName(eth, Channel.TRADE)), 5));
        assertTrue(request.get(0).get("ticket").isTextual());
        expected.remove(0);
        request.remove(0);
        assertEquals("DEFAULT", expected.get(expected.size() - 1).get("format").asText());
        // the documented request, in the SIMPLE format the feed asks for (both venues document it)
        expected.set(expected.size() - 1, tree("{\"format\":\"SIMPLE\"}"));
        assertEquals(expected, request);
        assertEquals(new String(Fixtures.bytes("upbit/ping.txt"), StandardCharsets.US_ASCII).trim(), protocol.keepalive().text());

        final ArrayNode both = (ArrayNode)tree(protocol.subscribe(List.of(protocol.streamName(btc, Channel.TRADE),
            protocol.streamName(btc, Channel.DEPTH), protocol.streamName(eth, Channel.TRADE), protocol.streamName(eth, Channel.DEPTH)), 6));
        assertEquals(4, both.size(), "ticket, trade, orderbook, format in one message");
        assertEquals("[\"KRW-BTC\",\"KRW-ETH\"]", both.get(1).get("codes").toString());
        assertEquals("[\"KRW-BTC.15\",\"KRW-ETH.15\"]", both.get(2).get("codes").toString(),
            "the orderbook codes ask for the feed's default 15 units");
        assertEquals("orderbook", both.get(2).get("type").asText());
        final ArrayNode deep = (ArrayNode)tree(protocol.subscribe(List.of(protocol.streamName(btc.withBookDepth(30), Channel.DEPTH),
            protocol.streamName(eth.withBookDepth(1), Channel.DEPTH)), 6));
        assertEquals("[\"KRW-BTC.30\",\"KRW-ETH.1\"]", deep.get(1).get("codes").toString());
        final IllegalArgumentException three = assertThrows(IllegalArgumentException.class,
            () -> protocol.configuredFor(List.of(btc.withBookDepth(3))));
        assertEquals("orderbook units of KRW-BTC must be one of [1, 5, 15, 30] (Upbit sends its default 30 for any other): 3",
            three.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new UpbitProtocol(Venues.BITHUMB, 0).configuredFor(
            List.of(btc.withBookDepth(31))));

        final ArrayNode grouped = (ArrayNode)fixture("bithumb/v2_subscribe_orderbook_request.json");
        final UpbitProtocol withLevel = new UpbitProtocol(Venues.BITHUMB, 10);
        // Bithumb's example asks KRW-ETH for 3 units and KRW-BTC for the venue's default; the feed always names its units
        final InstrumentSpec eth3 = eth.withBookDepth(3);
        assertDoesNotThrow(() -> withLevel.configuredFor(List.of(btc.withBookDepth(30), eth3)), "Bithumb offers 1 to 30 units");
        final ArrayNode levelRequest = (ArrayNode)tree(withLevel.subscribe(List.of(withLevel.streamName(btc.withBookDepth(30),
            Channel.DEPTH), withLevel.streamName(eth3, Channel.DEPTH)), 7));
        ((ArrayNode)grouped.get(1).get("codes")).set(0, "KRW-BTC.30");
        grouped.remove(0);
        levelRequest.remove(0);
        grouped.set(grouped.size() - 1, tree("{\"format\":\"SIMPLE\"}"));
        assertEquals(grouped, levelRequest, "the level option as Bithumb documents it");
        assertEquals(null, protocol.unsubscribe(List.of("trade:KRW-BTC"), 8), "a replacing subscription has no unsubscribe");
    }
}
