package io.tickjournal.ingest.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickjournal.ingest.venue.FixtureJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OKX protocol of the simulator answers as OKX documents (fixtures/venues/okx): frames have the
 * fixtures' shapes, acks come per argument, the book chains on prevSeqId with its two exceptions,
 * and every checksum it sends verifies against a CRC32 recomputed here over the strings received.
 */
class OkxSimProtocolTest
{
    private VenueSimulator simulator;
    private OkxSimProtocol protocol;

    @AfterEach
    void close()
    {
        if (simulator != null)
        {
            simulator.close();
        }
    }

    private WsClient start(final boolean swap, final VenueSimulator.Settings settings)
    {
        protocol = new OkxSimProtocol(swap);
        simulator = new VenueSimulator(protocol, settings, 0);
        return new WsClient(simulator.webSocketUri() + "/ws/v5/public");
    }

    private static VenueSimulator.Settings spot()
    {
        final Map<String, Long> symbols = new LinkedHashMap<>();
        symbols.put("BTC-USDT", 4_221_990L);
        symbols.put("ETH-USDT", 345_067L);
        return VenueSimulator.Settings.defaults(symbols);
    }

    private static String subscribe(final String id, final String... args)
    {
        final StringBuilder text = new StringBuilder("{\"id\":\"" + id + "\",\"op\":\"subscribe\",\"args\":[");
        for (int i = 0; i < args.length; i++)
        {
            final String[] parts = args[i].split(":");
            text.append(i == 0 ? "" : ",").append("{\"channel\":\"").append(parts[0]).append("\",\"instId\":\"").append(parts[1]).append("\"}");
        }
        return text.append("]}").toString();
    }

    @Test
    void eachArgumentIsAcknowledgedAndAnUnknownInstrumentGetsAnErrorEvent()
    {
        try (WsClient client = start(false, spot()))
        {
            client.send(subscribe("1512", "trades:BTC-USDT", "books:ETH-USDT", "books:DOGE-USDT"));
            final String first = client.await("ack", f -> f.contains("\"event\""));
            WsClient.assertShape("okx/subscribe_response_books.json", first);
            final JsonNode ack1 = FixtureJson.tree(first);
            assertEquals("1512", ack1.get("id").asText());
            assertEquals("trades", ack1.get("arg").get("channel").asText());
            final JsonNode ack2 = FixtureJson.tree(client.await("second ack", f -> f.contains("\"event\"")));
            assertEquals("books", ack2.get("arg").get("channel").asText());
            assertEquals("ETH-USDT", ack2.get("arg").get("instId").asText());
            final String error = client.await("error", f -> f.contains("\"event\":\"error\""));
            WsClient.assertShape("okx/subscribe_error.json", error);
            assertEquals("60018", FixtureJson.tree(error).get("code").asText());
            assertTrue(FixtureJson.tree(error).get("msg").asText().contains("DOGE-USDT"));
            final String trade = client.await("a trade", f -> f.contains("\"channel\":\"trades\"") && f.contains("\"data\""));
            WsClient.assertShape("okx/trades.json", trade);
            client.send("{\"id\":\"7\",\"op\":\"subscribe\",\"argss\":[]}");
            assertEquals("60012", FixtureJson.tree(client.await("invalid request", f -> f.contains("\"event\":\"error\""))).get("code").asText());
        }
    }

    @Test
    void textPingIsAnsweredWithTextPong()
    {
        try (WsClient client = start(false, spot()))
        {
            client.send("ping");
            assertEquals(FixtureJson.text("okx/pong.txt").strip(), client.await("pong", f -> !f.startsWith("{")));
            assertEquals(List.of("ping"), simulator.recorder().keepalivesReceived());
        }
    }

    @Test
    void booksChainOnPrevSeqIdAndEveryChecksumVerifiesOverTheStringsSent()
    {
        try (WsClient client = start(false, spot()))
        {
            client.send(subscribe("1", "books:BTC-USDT", "bbo-tbt:BTC-USDT"));
            final Book book = new Book();
            final String snapshot = client.await("snapshot", f -> f.contains("\"action\":\"snapshot\""));
            WsClient.assertShape("okx/books_snapshot.json", snapshot);
            assertEquals(-1, book.apply(FixtureJson.tree(snapshot)).get("prevSeqId").asLong());
            long lastSeq = FixtureJson.tree(snapshot).get("data").get(0).get("seqId").asLong();
            int updates = 0;
            while (updates < 30)
            {
                final JsonNode update = FixtureJson.tree(client.await("update", f -> f.contains("\"action\":\"update\"")));
                final JsonNode data = book.apply(update);
                assertEquals(lastSeq, data.get("prevSeqId").asLong(), "prevSeqId is the previous seqId");
                assertTrue(data.get("seqId").asLong() > lastSeq);
                lastSeq = data.get("seqId").asLong();
                updates++;
            }
            assertTrue(book.checked >= 31, "every message carried a checksum that was verified: " + book.checked);
            WsClient.assertShape("okx/bbo-tbt.json", client.await("bbo", f -> f.contains("\"channel\":\"bbo-tbt\"")));

            simulator.pause(true);
            final long last = lastOf(simulator.recorder().bookIds("BTC-USDT"));
            while (lastSeq != last)
            {
                final JsonNode data = book.apply(FixtureJson.tree(client.await("caught up", f -> f.contains("\"action\":\"update\""))));
                lastSeq = data.get("seqId").asLong();
            }
            assertEquals(venueBook(true, false), book.side(true), "bids rebuilt from the frames equal the simulator's");
            assertEquals(venueBook(false, false), book.side(false), "asks rebuilt from the frames equal the simulator's");
        }
    }

    @Test
    void theEmptyKeepAliveUpdateAndTheMaintenanceResetComeOnDemand()
    {
        try (WsClient client = start(true, spotSwap()))
        {
            client.send(subscribe("1", "books:BTC-USDT-SWAP"));
            final Book book = new Book();
            book.apply(FixtureJson.tree(client.await("snapshot", f -> f.contains("\"action\":\"snapshot\""))));
            protocol.keepaliveAfterNextBookEvent(simulator, "BTC-USDT-SWAP");
            JsonNode data;
            do
            {
                data = book.apply(FixtureJson.tree(client.await("keep-alive", f -> f.contains("\"action\":\"update\""))));
            }
            while (data.get("seqId").asLong() != data.get("prevSeqId").asLong());
            assertEquals(0, data.get("asks").size());
            assertEquals(0, data.get("bids").size());
            final long before = data.get("seqId").asLong();
            protocol.resetNextBookEvent(simulator, "BTC-USDT-SWAP");
            final JsonNode reset = book.apply(FixtureJson.tree(client.await("reset", f -> f.contains("\"action\":\"update\""))));
            assertEquals(before, reset.get("prevSeqId").asLong());
            assertTrue(reset.get("seqId").asLong() < reset.get("prevSeqId").asLong(), "seqId < prevSeqId after maintenance");
            final JsonNode next = book.apply(FixtureJson.tree(client.await("chained", f -> f.contains("\"action\":\"update\""))));
            assertEquals(reset.get("seqId").asLong(), next.get("prevSeqId").asLong(), "chaining resumes from the reset");
        }
    }

    private static VenueSimulator.Settings spotSwap()
    {
        return VenueSimulator.Settings.defaults(Map.of("BTC-USDT-SWAP", 4_221_990L));
    }

    @Test
    void theServiceUpgradeNoticeComesBeforeTheClose() throws Exception
    {
        try (WsClient client = start(false, spot()))
        {
            client.send(subscribe("1", "trades:BTC-USDT"));
            client.await("ack", f -> f.contains("\"event\":\"subscribe\""));
            simulator.serverShutdown(200);
            WsClient.assertShape("okx/notice_service_upgrade.json", client.await("notice", f -> f.contains("\"event\":\"notice\"")));
            client.closed().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aConnectionThatSendsNoPingIsClosedAndOneThatPingsIsNot() throws Exception
    {
        try (WsClient silent = start(false, spot().withKeepaliveTimeout(1_000));
            WsClient pinging = new WsClient(simulator.webSocketUri() + "/ws/v5/public"))
        {
            assertEquals(OkxSimProtocol.KEEPALIVE_TIMEOUT_MS, 30_000L, "OKX documents 30 s");
            while (!silent.closed().isDone())
            {
                pinging.send("ping");
                pinging.await("pong", "pong"::equals);
                Thread.sleep(100);
            }
            silent.closed().get(10, TimeUnit.SECONDS);
            assertFalse(pinging.closed().isDone(), "the pinging connection stays open");
            assertEquals(1, simulator.recorder().keepaliveCloses());
        }
    }

    private static long lastOf(final List<Long> ids)
    {
        return ids.get(ids.size() - 1);
    }

    private Map<BigDecimal, BigDecimal> venueBook(final boolean bids, final boolean swap)
    {
        return simulator.onLoop(() ->
        {
            final SimMarket market = simulator.market("BTC-USDT");
            final Map<BigDecimal, BigDecimal> out = new TreeMap<>();
            (bids ? market.bids : market.asks).forEach((p, s) -> out.put(BigDecimal.valueOf(p, 2).stripTrailingZeros(), BigDecimal.valueOf(s, swap ? 3 : 8).stripTrailingZeros()));
            return out;
        });
    }

    /** A book rebuilt from the frames, keeping the exact strings, with OKX's checksum recomputed here. */
    private static final class Book
    {
        final TreeMap<BigDecimal, String[]> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<BigDecimal, String[]> asks = new TreeMap<>();
        int checked;

        JsonNode apply(final JsonNode message)
        {
            final JsonNode data = message.get("data").get(0);
            if ("snapshot".equals(message.get("action").asText()))
            {
                bids.clear();
                asks.clear();
            }
            apply(bids, data.get("bids"));
            apply(asks, data.get("asks"));
            final StringBuilder text = new StringBuilder();
            final List<String[]> b = List.copyOf(bids.values());
            final List<String[]> a = List.copyOf(asks.values());
            for (int i = 0; i < 25; i++)
            {
                if (i < b.size())
                {
                    text.append(text.length() == 0 ? "" : ":").append(b.get(i)[0]).append(':').append(b.get(i)[1]);
                }
                if (i < a.size())
                {
                    text.append(text.length() == 0 ? "" : ":").append(a.get(i)[0]).append(':').append(a.get(i)[1]);
                }
            }
            final CRC32 crc = new CRC32();
            crc.update(text.toString().getBytes(StandardCharsets.US_ASCII));
            assertEquals((int)crc.getValue(), data.get("checksum").asInt(), "checksum over " + text);
            checked++;
            return data;
        }

        private static void apply(final TreeMap<BigDecimal, String[]> side, final JsonNode levels)
        {
            for (final JsonNode level : levels)
            {
                final String price = level.get(0).asText();
                final String size = level.get(1).asText();
                if (new BigDecimal(size).signum() == 0)
                {
                    side.remove(new BigDecimal(price));
                }
                else
                {
                    side.put(new BigDecimal(price), new String[]{price, size});
                }
            }
        }

        Map<BigDecimal, BigDecimal> side(final boolean bid)
        {
            final Map<BigDecimal, BigDecimal> out = new TreeMap<>();
            (bid ? bids : asks).forEach((p, l) -> out.put(p.stripTrailingZeros(), new BigDecimal(l[1]).stripTrailingZeros()));
            return out;
        }
    }
}
