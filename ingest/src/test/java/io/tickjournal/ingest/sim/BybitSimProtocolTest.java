package io.tickjournal.ingest.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickjournal.ingest.venue.FixtureJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Bybit protocol of the simulator answers as Bybit documents (fixtures/venues/bybit): answers
 * per request in each market's shape, spot's 10-arg limit, pongs per market, batched trades with
 * the market's id scheme, books whose u rises by one, the reset snapshot, linear tickers.
 */
class BybitSimProtocolTest
{
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private VenueSimulator simulator;
    private BybitSimProtocol protocol;

    @AfterEach
    void close()
    {
        if (simulator != null)
        {
            simulator.close();
        }
    }

    private WsClient start(final boolean linear, final VenueSimulator.Settings settings)
    {
        protocol = new BybitSimProtocol(linear);
        simulator = new VenueSimulator(protocol, settings, 0);
        return new WsClient(simulator.webSocketUri() + (linear ? "/v5/public/linear" : "/v5/public/spot"));
    }

    private static VenueSimulator.Settings settings()
    {
        final Map<String, Long> symbols = new LinkedHashMap<>();
        symbols.put("BTCUSDT", 1_657_850L);
        symbols.put("ETHUSDT", 120_010L);
        return VenueSimulator.Settings.defaults(symbols).withTradesPerSecond(200);
    }

    private static boolean isAnswer(final String frame)
    {
        return frame.contains("\"success\"");
    }

    @Test
    void spotAnswersOncePerRequestBatchesTradesWithNumericIdsAndPutsTsBeforeType()
    {
        try (WsClient client = start(false, settings()))
        {
            client.send("{\"req_id\":\"10001\",\"op\":\"subscribe\",\"args\":[\"publicTrade.BTCUSDT\",\"orderbook.50.BTCUSDT\"]}");
            final String answer = client.await("answer", BybitSimProtocolTest::isAnswer);
            WsClient.assertShape("bybit/subscribe_response_spot.json", answer);
            final JsonNode tree = FixtureJson.tree(answer);
            assertTrue(tree.get("success").asBoolean());
            assertEquals("10001", tree.get("req_id").asText());
            assertEquals("subscribe", tree.get("ret_msg").asText());
            final String snapshot = client.await("snapshot", f -> f.contains("\"type\":\"snapshot\"") && f.contains("orderbook"));
            WsClient.assertShape("bybit/orderbook_snapshot.json", snapshot);
            assertTrue(snapshot.indexOf("\"ts\"") < snapshot.indexOf("\"type\""), "spot writes ts before type");
            String trades;
            do
            {
                trades = client.await("trades", f -> f.contains("publicTrade"));
            }
            while (FixtureJson.tree(trades).get("data").size() < 2);
            for (final JsonNode trade : FixtureJson.tree(trades).get("data"))
            {
                assertTrue(trade.get("i").asText().matches("[0-9]+"), "spot trade ids are digits: " + trade);
                assertNull(trade.get("L"), "spot has no tick direction");
            }
            assertEquals(0, simulator.recorder().keepaliveCloses());
        }
    }

    @Test
    void spotRefusesMoreThanTenArgsInOneRequest()
    {
        try (WsClient client = start(false, settings()))
        {
            final StringBuilder args = new StringBuilder();
            for (int i = 0; i < 11; i++)
            {
                args.append(i == 0 ? "" : ",").append(i % 2 == 0 ? "\"publicTrade.BTCUSDT\"" : "\"orderbook.50.ETHUSDT\"");
            }
            client.send("{\"req_id\":\"2\",\"op\":\"subscribe\",\"args\":[" + args + "]}");
            final JsonNode refused = FixtureJson.tree(client.await("refusal", BybitSimProtocolTest::isAnswer));
            assertFalse(refused.get("success").asBoolean());
            assertEquals("2", refused.get("req_id").asText());
            client.send("{\"req_id\":\"3\",\"op\":\"subscribe\",\"args\":[\"publicTrade.BTCUSDT\"]}");
            final JsonNode accepted = FixtureJson.tree(client.await("answer", BybitSimProtocolTest::isAnswer));
            assertTrue(accepted.get("success").asBoolean());
            assertEquals("3", accepted.get("req_id").asText());
            client.send("{\"req_id\":\"4\",\"op\":\"subscribe\",\"args\":[\"publicTrade.NOPEUSDT\"]}");
            assertFalse(FixtureJson.tree(client.await("refusal", BybitSimProtocolTest::isAnswer)).get("success").asBoolean());
        }
    }

    @Test
    void pingIsAnsweredAsEachMarketDoes()
    {
        try (WsClient spot = start(false, settings()))
        {
            spot.send(FixtureJson.text("bybit/ping_request.json").replace("\"req_id\": \"100001\", ", ""));
            WsClient.assertShape("bybit/pong_spot.json", spot.await("pong", BybitSimProtocolTest::isAnswer));
        }
        simulator.close();
        try (WsClient linear = start(true, settings()))
        {
            linear.send("{\"op\":\"ping\"}");
            final String pong = linear.await("pong", BybitSimProtocolTest::isAnswer);
            WsClient.assertShape("bybit/pong_linear.json", pong);
            assertEquals("pong", FixtureJson.tree(pong).get("ret_msg").asText());
            assertEquals("ping", FixtureJson.tree(pong).get("op").asText());
            assertEquals(List.of("{\"op\":\"ping\"}"), simulator.recorder().keepalivesReceived());
        }
    }

    @Test
    void linearBooksRiseByOneResetToOneOnDemandAndRebuildTheVenuesBook()
    {
        try (WsClient client = start(true, settings()))
        {
            client.send("{\"op\":\"subscribe\",\"args\":[\"orderbook.50.BTCUSDT\",\"publicTrade.BTCUSDT\",\"tickers.BTCUSDT\"]}");
            WsClient.assertShape("bybit/subscribe_response_linear.json", client.await("answer", BybitSimProtocolTest::isAnswer));
            final Map<BigDecimal, BigDecimal> bids = new TreeMap<>();
            final Map<BigDecimal, BigDecimal> asks = new TreeMap<>();
            JsonNode book = apply(FixtureJson.tree(client.await("snapshot", f -> f.contains("orderbook") && f.contains("snapshot"))), bids, asks);
            long u = book.get("data").get("u").asLong();
            for (int i = 0; i < 10; i++)
            {
                final String delta = client.await("delta", f -> f.contains("orderbook"));
                WsClient.assertShape("bybit/orderbook_delta.json", delta);
                book = apply(FixtureJson.tree(delta), bids, asks);
                assertEquals("delta", book.get("type").asText());
                assertEquals(u + 1, book.get("data").get("u").asLong(), "u rises by one");
                u = book.get("data").get("u").asLong();
            }
            protocol.resetNextBookEvent(simulator, "BTCUSDT");
            do
            {
                book = apply(FixtureJson.tree(client.await("reset", f -> f.contains("orderbook"))), bids, asks);
            }
            while (!"snapshot".equals(book.get("type").asText()));
            assertEquals(1, book.get("data").get("u").asLong(), "a restart's snapshot has u == 1");
            book = apply(FixtureJson.tree(client.await("after reset", f -> f.contains("orderbook"))), bids, asks);
            assertEquals(2, book.get("data").get("u").asLong());

            final String trades = client.await("trades", f -> f.contains("publicTrade"));
            WsClient.assertShape("bybit/publicTrade.json", trades);
            assertTrue(UUID.matcher(FixtureJson.tree(trades).get("data").get(0).get("i").asText()).matches(), "linear trade ids are UUIDs");
            // The ticker snapshot came right after the answer (awaits above skipped it): find it among all frames.
            final JsonNode tickerSnapshot = FixtureJson.tree(client.received().stream()
                .filter(f -> f.contains("tickers") && f.contains("snapshot")).findFirst().orElseThrow());
            assertTrue(tickerSnapshot.get("data").has("fundingRate"));
            final JsonNode delta = FixtureJson.tree(client.await("ticker delta", f -> f.contains("tickers") && f.contains("delta")));
            assertTrue(delta.get("data").has("markPrice"));
            assertFalse(delta.get("data").has("lastPrice"), "a ticker delta carries only what changed");

            simulator.pause(true);
            final List<Long> sent = simulator.recorder().bookIds("BTCUSDT");
            final long last = sent.get(sent.size() - 1);
            // Wait on every frame received, not the unread ones: the last id may have arrived before the awaits above returned.
            client.awaitReceived("caught up", frames -> lastBookId(frames) == last);
            // Rebuild from every book frame received, in order (the awaits above skipped some).
            bids.clear();
            asks.clear();
            for (final String frame : client.received())
            {
                if (frame.contains("\"topic\":\"orderbook"))
                {
                    apply(FixtureJson.tree(frame), bids, asks);
                }
            }
            assertEquals(venue(true), bids, "bids rebuilt from the frames equal the simulator's");
            assertEquals(venue(false), asks, "asks rebuilt from the frames equal the simulator's");
        }
    }

    @Test
    void aConnectionThatSendsNoPingIsClosedAndOneThatPingsIsNot() throws Exception
    {
        try (WsClient silent = start(true, settings().withKeepaliveTimeout(1_000));
            WsClient pinging = new WsClient(simulator.webSocketUri() + "/v5/public/linear"))
        {
            assertEquals(600_000L, BybitSimProtocol.KEEPALIVE_TIMEOUT_MS, "about ten minutes, as Bybit documents");
            while (!silent.closed().isDone())
            {
                pinging.send("{\"op\":\"ping\"}");
                pinging.await("pong", BybitSimProtocolTest::isAnswer);
                Thread.sleep(100);
            }
            silent.closed().get(10, TimeUnit.SECONDS);
            assertFalse(pinging.closed().isDone(), "the pinging connection stays open");
        }
    }

    private static long lastBookId(final List<String> frames)
    {
        for (int i = frames.size() - 1; i >= 0; i--)
        {
            if (frames.get(i).contains("\"topic\":\"orderbook"))
            {
                return FixtureJson.tree(frames.get(i)).get("data").get("u").asLong();
            }
        }
        return -1;
    }

    private Map<BigDecimal, BigDecimal> venue(final boolean bids)
    {
        return simulator.onLoop(() ->
        {
            final SimMarket market = simulator.market("BTCUSDT");
            final Map<BigDecimal, BigDecimal> out = new TreeMap<>();
            (bids ? market.bids : market.asks).forEach((p, s) -> out.put(BigDecimal.valueOf(p, 2), BigDecimal.valueOf(s, 3)));
            return out;
        });
    }

    private static JsonNode apply(final JsonNode message, final Map<BigDecimal, BigDecimal> bids, final Map<BigDecimal, BigDecimal> asks)
    {
        if ("snapshot".equals(message.get("type").asText()))
        {
            bids.clear();
            asks.clear();
        }
        apply(message.get("data").get("b"), bids);
        apply(message.get("data").get("a"), asks);
        return message;
    }

    private static void apply(final JsonNode levels, final Map<BigDecimal, BigDecimal> side)
    {
        for (final JsonNode level : levels)
        {
            final BigDecimal size = new BigDecimal(level.get(1).asText());
            if (size.signum() == 0)
            {
                side.remove(new BigDecimal(level.get(0).asText()));
            }
            else
            {
                side.put(new BigDecimal(level.get(0).asText()), size);
            }
        }
    }
}
