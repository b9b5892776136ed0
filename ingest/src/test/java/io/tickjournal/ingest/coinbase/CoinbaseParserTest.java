package io.tickjournal.ingest.coinbase;

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
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.Side;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static io.tickjournal.ingest.venue.FixtureTree.decimal;
import static io.tickjournal.ingest.venue.FixtureTree.fixture;
import static io.tickjournal.ingest.venue.FixtureTree.tree;
import static io.tickjournal.ingest.venue.FixtureTree.value;
import static io.tickjournal.ingest.venue.FixtureTree.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coinbase Advanced Trade messages (the fixtures, and fixture-shaped variants built from them with
 * Jackson's tree model) parsed to the events they should be; expected numbers come from the fixture
 * text as BigDecimal, times from {@link Instant#parse}.
 */
class CoinbaseParserTest
{
    private final CoinbaseParser parser = new CoinbaseParser(new JsonFactory(), true);
    private final MarketFrame frame = new MarketFrame();

    private int parse(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return parser.parse(bytes, 0, bytes.length, frame);
    }

    private static long nanos(final String rfc3339)
    {
        final Instant instant = Instant.parse(rfc3339);
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static void assertLevels(final JsonNode updates, final String side, final MarketEvent.Levels levels)
    {
        int n = 0;
        for (final JsonNode u : updates)
        {
            final String s = u.get("side").asText();
            if (s.equals(side) || ("offer".equals(side) && "ask".equals(s)))
            {
                assertEquals(0, decimal(u.get("price_level")).compareTo(value(levels.price(n), levels.priceExponent(n))));
                assertEquals(0, decimal(u.get("new_quantity")).compareTo(value(levels.size(n), levels.sizeExponent(n))));
                n++;
            }
        }
        assertEquals(n, levels.count());
    }

    @Test
    void theLevel2SnapshotFixtureIsOneBookSnapshotWithTheFixtureNumbers()
    {
        final JsonNode json = fixture("coinbase/l2_data_snapshot.json");
        assertEquals(ParseError.OK, parse(json.toString()));
        assertEquals(MarketFrame.DATA, frame.kind());
        assertEquals(1, frame.eventCount());
        final MarketEvent e = frame.event(0);
        assertEquals(MarketEvent.BOOK_SNAPSHOT, e.type());
        assertEquals(Channel.DEPTH, e.channel());
        assertEquals("BTC-USD", e.symbolText());
        assertEquals(json.get("sequence_num").longValue(), frame.connectionSequence());
        assertEquals(nanos(json.get("timestamp").asText()), e.eventTimeNs(), "snapshot levels carry the epoch: the message time");
        final JsonNode updates = json.get("events").get(0).get("updates");
        assertLevels(updates, "bid", e.bids());
        assertEquals(0, e.asks().count());
    }

    @Test
    void anUpdateTakesAsksAsOfferOrAskAndItsLatestEventTime()
    {
        final ObjectNode json = (ObjectNode)fixture("coinbase/l2_data_snapshot.json");
        json.put("sequence_num", 7);
        final ObjectNode event = (ObjectNode)json.get("events").get(0);
        event.put("type", "update");
        final ArrayNode updates = (ArrayNode)event.get("updates");
        ((ObjectNode)updates.get(0)).put("side", "offer").put("event_time", "2023-02-09T20:32:50.01Z").put("new_quantity", "0");
        ((ObjectNode)updates.get(1)).put("side", "ask").put("event_time", "2023-02-09T20:32:50.123456789Z");
        assertEquals(ParseError.OK, parse(write(json)));
        final MarketEvent e = frame.event(0);
        assertEquals(MarketEvent.BOOK_DELTA, e.type());
        assertEquals(7, frame.connectionSequence());
        assertEquals(nanos("2023-02-09T20:32:50.123456789Z"), e.eventTimeNs());
        assertEquals(0, e.bids().count());
        assertLevels(updates, "offer", e.asks());
        assertEquals(0, e.asks().size(0), "\"0\" removes the level");
    }

    /**
     * Times repeated across levels and frames, and times of the same length that differ in one
     * character (the parser reuses the last time it read when the text is the same): each frame's
     * book time is the latest of its own levels, to the nanosecond.
     */
    @Test
    void repeatedAndNearlyEqualEventTimesGiveEachFrameItsOwnLatestTime()
    {
        final String[][] frames = {
            {"2023-02-09T20:32:50.712345Z", "2023-02-09T20:32:50.712345Z", "2023-02-09T20:32:50.712346Z"},
            {"2023-02-09T20:32:50.712346Z", "2023-02-09T20:32:50.712345Z", "2023-02-09T20:32:50.712345Z"},
            {"2023-02-09T20:32:50.712345Z", "2023-02-09T20:32:50.812345Z", "2023-02-09T20:32:50.712345Z"},
            {"2024-02-09T20:32:50.712345Z", "2024-02-09T20:32:50.712345Z", "2024-02-09T20:32:50.712345Z"},
        };
        int sequence = 10;
        for (final String[] times : frames)
        {
            final ObjectNode json = (ObjectNode)fixture("coinbase/l2_data_snapshot.json");
            json.put("sequence_num", sequence++);
            final ObjectNode event = (ObjectNode)json.get("events").get(0);
            event.put("type", "update");
            final ArrayNode updates = (ArrayNode)event.get("updates");
            while (updates.size() < times.length)
            {
                updates.add(updates.get(0).deepCopy());
            }
            for (int i = 0; i < times.length; i++)
            {
                ((ObjectNode)updates.get(i)).put("event_time", times[i]);
            }
            long latest = Long.MIN_VALUE;
            for (final JsonNode u : updates)
            {
                latest = Math.max(latest, nanos(u.get("event_time").asText()));
            }
            assertEquals(ParseError.OK, parse(write(json)));
            assertEquals(latest, frame.event(0).eventTimeNs(), String.join(" ", times));
        }
    }

    @Test
    void aLevelWithAnUnknownSideRefusesTheFrame()
    {
        final ObjectNode json = (ObjectNode)fixture("coinbase/l2_data_snapshot.json");
        ((ObjectNode)json.get("events").get(0).get("updates").get(0)).put("side", "sell");
        assertEquals(ParseError.BAD_FIELD, parse(write(json)));
        assertTrue(parser.errorDetail().contains("side"), parser.errorDetail());
        assertEquals(0, frame.eventCount());
    }

    @Test
    void theMarketTradesFixtureIsATradeWhoseSideNamesTheMaker()
    {
        final JsonNode json = fixture("coinbase/market_trades_snapshot.json");
        final JsonNode t = json.get("events").get(0).get("trades").get(0);
        assertEquals(ParseError.OK, parse(json.toString()));
        final MarketEvent e = frame.event(0);
        assertEquals(MarketEvent.TRADE, e.type());
        assertEquals("ETH-USD", e.symbolText());
        assertEquals(Long.parseLong(t.get("trade_id").asText()), e.tradeId());
        assertFalse(e.tradeIdHashed());
        assertEquals(0, decimal(t.get("price")).compareTo(value(e.mantissa(MarketEvent.PRICE), e.exponent(MarketEvent.PRICE))));
        assertEquals(0, decimal(t.get("size")).compareTo(value(e.mantissa(MarketEvent.SIZE), e.exponent(MarketEvent.SIZE))));
        assertEquals(nanos(t.get("time").asText()), e.tradeTimeNs());
        assertEquals(nanos(json.get("timestamp").asText()), e.eventTimeNs());
        assertEquals("BUY", t.get("side").asText());
        assertEquals(Side.SELL, e.side(), "the maker bought, so the aggressor sold");

        final CoinbaseParser takerReading = new CoinbaseParser(new JsonFactory(), false);
        final byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(ParseError.OK, takerReading.parse(bytes, 0, bytes.length, frame));
        assertEquals(Side.BUY, frame.event(0).side(), "the other reading: side names the aggressor");
    }

    @Test
    void aBatchOfTradesIsManyEventsOldestFirst()
    {
        final ObjectNode json = (ObjectNode)fixture("coinbase/market_trades_snapshot.json");
        final ArrayNode trades = (ArrayNode)json.get("events").get(0).get("trades");
        final ObjectNode template = (ObjectNode)trades.get(0);
        trades.removeAll();
        for (int id = 105; id >= 101; id--)
        {
            trades.add(template.deepCopy().put("trade_id", Integer.toString(id)).put("size", "0.00" + id));
        }
        assertEquals(ParseError.OK, parse(write(json)));
        assertEquals(5, frame.eventCount());
        for (int i = 0; i < 5; i++)
        {
            assertEquals(101 + i, frame.event(i).tradeId(), "newest-first batch journaled oldest first");
            assertEquals(0, new BigDecimal("0.00" + (101 + i)).compareTo(
                value(frame.event(i).mantissa(MarketEvent.SIZE), frame.event(i).exponent(MarketEvent.SIZE))));
        }
    }

    @Test
    void aTickerWithTheTopOfBookIsATopOfBookAndOneWithoutIsNothing()
    {
        final String ticker = "{\"channel\":\"ticker\",\"client_id\":\"\",\"timestamp\":\"2023-02-09T20:30:37.167359596Z\"," +
            "\"sequence_num\":3,\"events\":[{\"type\":\"update\",\"tickers\":[{\"type\":\"ticker\",\"product_id\":\"BTC-USD\"," +
            "\"price\":\"21932.98\",\"volume_24_h\":\"16038.28770938\",\"low_24_h\":\"21835.29\",\"high_24_h\":\"23011.18\"," +
            "\"low_52_w\":\"15460\",\"high_52_w\":\"48240\",\"price_percent_chg_24_h\":\"-4.15775596190603\"," +
            "\"best_bid\":\"21932.97\",\"best_bid_quantity\":\"0.01000000\",\"best_ask\":\"21932.98\"," +
            "\"best_ask_quantity\":\"0.21520000\"},{\"type\":\"ticker\",\"product_id\":\"ETH-USD\",\"price\":\"1500.1\"}]}]}";
        assertEquals(ParseError.OK, parse(ticker));
        assertEquals(1, frame.eventCount(), "the ticker without best bid and ask is not journaled");
        final MarketEvent e = frame.event(0);
        final JsonNode t = tree(ticker).get("events").get(0).get("tickers").get(0);
        assertEquals(MarketEvent.TOP_OF_BOOK, e.type());
        assertEquals(Channel.BOOK_TICKER, e.channel());
        assertEquals(0, decimal(t.get("best_bid")).compareTo(value(e.mantissa(MarketEvent.BID_PRICE), e.exponent(MarketEvent.BID_PRICE))));
        assertEquals(0, decimal(t.get("best_bid_quantity")).compareTo(value(e.mantissa(MarketEvent.BID_SIZE), e.exponent(MarketEvent.BID_SIZE))));
        assertEquals(0, decimal(t.get("best_ask")).compareTo(value(e.mantissa(MarketEvent.ASK_PRICE), e.exponent(MarketEvent.ASK_PRICE))));
        assertEquals(0, decimal(t.get("best_ask_quantity")).compareTo(value(e.mantissa(MarketEvent.ASK_SIZE), e.exponent(MarketEvent.ASK_SIZE))));
        assertEquals(Records.NULL_LONG, e.lastId());
    }

    @Test
    void heartbeatsSubscriptionsAndErrorsAreControlMessagesThatStillCarryTheirSequence()
    {
        assertEquals(ParseError.OK, parse(new String(Fixtures.bytes("coinbase/heartbeats.json"), StandardCharsets.UTF_8)));
        assertEquals(MarketFrame.IGNORED, frame.kind());
        assertEquals(0, frame.connectionSequence());

        assertEquals(ParseError.OK, parse("{\"channel\":\"subscriptions\",\"client_id\":\"\",\"timestamp\":" +
            "\"2023-02-09T20:32:50.714964855Z\",\"sequence_num\":1,\"events\":[{\"subscriptions\":{\"level2\":[\"BTC-USD\"]}}]}"));
        assertEquals(MarketFrame.ACK, frame.kind());
        assertEquals(1, frame.connectionSequence());

        assertEquals(ParseError.OK, parse("{\"type\":\"error\",\"message\":\"failure to subscribe\"}"));
        assertEquals(MarketFrame.ERROR, frame.kind());
        assertEquals("failure to subscribe", frame.errorText().toString());
        assertEquals(Records.NULL_LONG, frame.connectionSequence());
    }

    @Test
    void theSubscribeRequestsHaveTheDocumentedShapeOneChannelEach()
    {
        final CoinbaseProtocol protocol = new CoinbaseProtocol(true);
        final InstrumentSpec eth = new InstrumentSpec(1, "ETH-USD", "ETH-USD", MarketKind.SPOT, -2, -8);
        final InstrumentSpec eur = new InstrumentSpec(2, "ETH-EUR", "ETH-EUR", MarketKind.SPOT, -2, -8);
        final ObjectNode expected = (ObjectNode)fixture("coinbase/subscribe_level2_request.json");
        expected.remove("jwt");
        assertEquals(expected, tree(protocol.subscribe(
            List.of(protocol.streamName(eth, Channel.DEPTH), protocol.streamName(eur, Channel.DEPTH)), 1)));
        final ObjectNode heartbeats = (ObjectNode)fixture("coinbase/subscribe_heartbeats_request.json");
        heartbeats.remove("jwt");
        assertEquals(heartbeats, tree(protocol.connectionSubscription(List.of(protocol.streamName(eth, Channel.TRADE)), 1)));
        final JsonNode unsubscribe = tree(protocol.unsubscribe(List.of(protocol.streamName(eth, Channel.DEPTH)), 2));
        assertEquals("unsubscribe", unsubscribe.get("type").asText());
        assertEquals("level2", unsubscribe.get("channel").asText());
        assertEquals("market_trades", tree(protocol.subscribe(List.of(protocol.streamName(eth, Channel.TRADE)), 3))
            .get("channel").asText());
    }

    @Test
    void rfc3339TimesMatchJavaTimeToTheNanosecond()
    {
        final String[] times = {
            "2023-02-09T20:32:50.714964855Z", "1970-01-01T00:00:00Z", "2019-08-14T20:42:27.265Z", "2024-02-29T23:59:59.9Z",
            "2026-11-30T01:02:03.000000001Z", "2000-03-01T00:00:00.5Z", "1999-12-31T23:59:59.123456Z",
        };
        for (final String t : times)
        {
            assertEquals(nanos(t), Rfc3339.toNanos(t.toCharArray(), 0, t.length()), t);
        }
        final String offset = "2023-02-09T21:32:50.5+01:00";
        assertEquals(nanos("2023-02-09T20:32:50.5Z"), Rfc3339.toNanos(offset.toCharArray(), 0, offset.length()));
        for (final String bad : new String[] {"2023-02-09", "2023-02-09T20:32:50", "2023-13-09T20:32:50Z", "2023-02-09T20:32:50.Z",
            "2023-02-09T20:32:5xZ"})
        {
            assertEquals(Records.NULL_LONG, Rfc3339.toNanos(bad.toCharArray(), 0, bad.length()), bad);
        }
    }
}
