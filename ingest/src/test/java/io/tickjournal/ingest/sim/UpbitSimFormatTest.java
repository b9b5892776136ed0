package io.tickjournal.ingest.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickjournal.ingest.upbit.SimpleFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator speaks both object formats of the Upbit family, as the venues document them: a
 * connection that asks for {@code DEFAULT} (or for no format) gets the documented field names, one
 * that asks for {@code SIMPLE} their documented abbreviations with the same values, each on its own
 * stream; a format the simulator does not speak is refused as {@code WRONG_FORMAT}.
 */
class UpbitSimFormatTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private VenueSimulator simulator;

    @AfterEach
    void close()
    {
        if (simulator != null)
        {
            simulator.close();
        }
    }

    /** A simulator of one KRW market, KRW-BTC. */
    private static VenueSimulator simulator(final boolean bithumb)
    {
        final Map<String, Long> prices = new LinkedHashMap<>();
        prices.put("KRW-BTC", 100_473_000L);
        return new VenueSimulator(new UpbitSimProtocol(bithumb), VenueSimulator.Settings.defaults(prices), 0);
    }

    private static String request(final String format)
    {
        return "[{\"ticket\":\"t\"},{\"type\":\"trade\",\"codes\":[\"KRW-BTC\"]},{\"type\":\"orderbook\",\"codes\":[\"KRW-BTC\"]}" +
            (format == null ? "" : ",{\"format\":\"" + format + "\"}") + "]";
    }

    /** The frame with its SIMPLE keys named as in DEFAULT; fails on a key that is not a documented abbreviation. */
    private static JsonNode renamed(final JsonNode node)
    {
        if (node.isArray())
        {
            final ArrayNode out = MAPPER.createArrayNode();
            node.forEach(n -> out.add(renamed(n)));
            return out;
        }
        if (!node.isObject())
        {
            return node;
        }
        final ObjectNode out = MAPPER.createObjectNode();
        for (final Map.Entry<String, JsonNode> field : node.properties())
        {
            final String name = SimpleFormat.NAMES.get(field.getKey());
            assertTrue(name != null, "not a documented abbreviation: " + field.getKey() + " in " + node);
            out.set(name, renamed(field.getValue()));
        }
        return out;
    }

    private static Set<String> keys(final JsonNode node, final Set<String> into)
    {
        if (node.isContainerNode())
        {
            node.properties().forEach(f -> into.add(f.getKey()));
            node.forEach(n -> keys(n, into));
        }
        return into;
    }

    @ParameterizedTest
    @ValueSource(strings = {"upbit", "bithumb"})
    void eachConnectionGetsTheFormatItAskedForWithTheSameValues(final String venue) throws Exception
    {
        simulator = simulator(venue.equals("bithumb"));
        final String uri = simulator.webSocketUri() + "/websocket/v1";
        try (WsClient plain = new WsClient(uri); WsClient named = new WsClient(uri); WsClient simple = new WsClient(uri))
        {
            simulator.pause(true); // one book for the three snapshots
            plain.send(request(null));
            named.send(request("DEFAULT"));
            simple.send(request("SIMPLE"));
            final JsonNode plainBook = MAPPER.readTree(plain.await("a DEFAULT snapshot", f -> f.contains("\"orderbook_units\"")));
            final JsonNode namedBook = MAPPER.readTree(named.await("a DEFAULT snapshot", f -> f.contains("\"orderbook_units\"")));
            final JsonNode simpleBook = MAPPER.readTree(simple.await("a SIMPLE snapshot", f -> f.contains("\"obu\"")));
            assertEquals(Set.of("type", "code", "timestamp", "total_ask_size", "total_bid_size", "orderbook_units", "ask_price",
                "bid_price", "ask_size", "bid_size", "stream_type", "level"), keys(namedBook, new TreeSet<>()));
            assertEquals(Set.of("ty", "cd", "tms", "tas", "tbs", "obu", "ap", "bp", "as", "bs", "st", "lv"), keys(simpleBook, new TreeSet<>()));
            final ObjectNode expected = (ObjectNode)namedBook.deepCopy();
            final ObjectNode actual = (ObjectNode)renamed(simpleBook);
            expected.remove("timestamp");
            actual.remove("timestamp");
            assertEquals(expected, actual, "the same book in both formats");
            assertEquals(plainBook.get("orderbook_units"), namedBook.get("orderbook_units"), "no format is DEFAULT");
            assertTrue(simpleBook.get("obu").size() > 0);

            simulator.pause(false);
            final JsonNode namedTrade = MAPPER.readTree(named.await("a DEFAULT trade", f -> f.contains("\"sequential_id\"")));
            final JsonNode simpleTrade = MAPPER.readTree(simple.await("the same trade in SIMPLE",
                f -> f.contains("\"sid\"") && renamedId(f).equals(namedTrade.get("sequential_id").asText())));
            assertEquals(namedTrade, renamed(simpleTrade), "the same trade in both formats");
        }
    }

    private static String renamedId(final String frame)
    {
        try
        {
            return MAPPER.readTree(frame).get("sid").asText();
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static String orderbookRequest(final String code)
    {
        return "[{\"ticket\":\"t\"},{\"type\":\"orderbook\",\"codes\":[\"" + code + "\"]}]";
    }

    /**
     * A code's {@code .N} suffix asks for N units: Upbit sends its default 30 for no suffix and for an N
     * it does not offer ("지원하지 않은 숫자로 지원 시 default(30) 호가 수로 제공"), Bithumb any N up to 30;
     * frames name the code without the suffix; a suffix that is not a number is an unknown code, ignored.
     */
    @ParameterizedTest
    @ValueSource(strings = {"upbit", "bithumb"})
    void aCodesUnitsSuffixAsksForThatManyUnits(final String venue) throws Exception
    {
        simulator = simulator(venue.equals("bithumb"));
        final String uri = simulator.webSocketUri() + "/websocket/v1";
        try (WsClient none = new WsClient(uri); WsClient five = new WsClient(uri); WsClient seven = new WsClient(uri);
             WsClient bad = new WsClient(uri))
        {
            simulator.pause(true); // one book for every snapshot
            none.send(orderbookRequest("KRW-BTC"));
            five.send(orderbookRequest("KRW-BTC.5"));
            seven.send(orderbookRequest("KRW-BTC.7"));
            bad.send(orderbookRequest("KRW-BTC.x"));
            final JsonNode full = MAPPER.readTree(none.await("a snapshot", f -> f.contains("\"orderbook_units\"")));
            final JsonNode top5 = MAPPER.readTree(five.await("a snapshot", f -> f.contains("\"orderbook_units\"")));
            final JsonNode top7 = MAPPER.readTree(seven.await("a snapshot", f -> f.contains("\"orderbook_units\"")));
            assertEquals(30, full.get("orderbook_units").size(), "no suffix: the venue's default 30 units");
            assertEquals(5, top5.get("orderbook_units").size());
            assertEquals(venue.equals("bithumb") ? 7 : 30, top7.get("orderbook_units").size(),
                "Upbit offers 1, 5, 15 and 30 only; Bithumb 1 to 30");
            for (int i = 0; i < 5; i++)
            {
                assertEquals(full.get("orderbook_units").get(i), top5.get("orderbook_units").get(i), "the same top ranks");
            }
            assertEquals("KRW-BTC", top5.get("code").asText(), "the code without its suffix");
            simulator.pause(false);
            bad.send("PING");
            final String answer = bad.await("the PING's answer", f -> f.contains("UP") || f.contains("orderbook"));
            assertEquals("{\"status\":\"UP\"}", answer, "no book for a code the venue does not list");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON_LIST", "SIMPLE_LIST", "simple", "XML"})
    void aFormatTheSimulatorDoesNotSpeakIsAWrongFormat(final String format) throws Exception
    {
        simulator = simulator(true);
        try (WsClient client = new WsClient(simulator.webSocketUri() + "/websocket/v1"))
        {
            client.send(request(format));
            final JsonNode answer = MAPPER.readTree(client.await("an error", f -> f.contains("\"error\"")));
            assertEquals("WRONG_FORMAT", answer.get("error").get("name").asText());
        }
    }
}
