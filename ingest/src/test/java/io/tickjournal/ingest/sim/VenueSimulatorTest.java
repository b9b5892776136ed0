package io.tickjournal.ingest.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickjournal.ingest.venue.FixtureJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The venue-neutral server: faults on the next book event (observed through OKX's seqId chain, so
 * what the client sees is compared with what the recorder says was generated), stalls, drops, the
 * age limit, malformed frames, REST routing and slow snapshots.
 */
class VenueSimulatorTest
{
    private static final String INST = "BTC-USDT";

    private VenueSimulator simulator;

    @AfterEach
    void close()
    {
        if (simulator != null)
        {
            simulator.close();
        }
    }

    private WsClient start(final VenueSimulator.Settings settings)
    {
        simulator = new VenueSimulator(new OkxSimProtocol(false), settings, 0);
        final WsClient client = new WsClient(simulator.webSocketUri() + "/ws/v5/public");
        client.send("{\"id\":\"1\",\"op\":\"subscribe\",\"args\":[{\"channel\":\"books\",\"instId\":\"" + INST + "\"}]}");
        client.await("snapshot", f -> f.contains("\"action\":\"snapshot\""));
        return client;
    }

    private static VenueSimulator.Settings settings()
    {
        return VenueSimulator.Settings.defaults(Map.of(INST, 4_221_990L));
    }

    private static long[] ids(final String frame)
    {
        final JsonNode data = FixtureJson.tree(frame).get("data").get(0);
        return new long[]{data.get("prevSeqId").asLong(), data.get("seqId").asLong()};
    }

    private static long[] nextUpdate(final WsClient client)
    {
        return ids(client.await("update", f -> f.contains("\"action\":\"update\"")));
    }

    @Test
    void aGapDropsTheEventTheRecorderSaysWasGenerated()
    {
        try (WsClient client = start(settings()))
        {
            long[] before = nextUpdate(client);
            simulator.gapNextBookEvent(INST);
            // Events generated before the fault was set (the client may be a few behind) still chain; the break follows.
            long[] after = nextUpdate(client);
            for (int i = 0; i < 1_000 && after[0] == before[1]; i++)
            {
                before = after;
                after = nextUpdate(client);
            }
            assertTrue(after[0] != before[1], "the chain is broken: " + before[1] + " then prev " + after[0] + " generated " +
                simulator.recorder().bookIds(INST) + " received " + client.received().stream().filter(f -> f.contains("update"))
                .map(f -> java.util.Arrays.toString(ids(f))).toList());
            final List<Long> generated = simulator.recorder().bookIds(INST);
            final int at = generated.indexOf(before[1]);
            assertEquals(after[0], generated.get(at + 1), "the missing event was generated and recorded, not sent");
        }
    }

    @Test
    void aDuplicateIsSentTwiceAndAReorderedEventFollowsTheNextOne()
    {
        try (WsClient client = start(settings()))
        {
            nextUpdate(client);
            simulator.duplicateNextBookEvent(INST);
            long[] previous = nextUpdate(client);
            long[] current = nextUpdate(client);
            while (current[1] != previous[1])
            {
                previous = current;
                current = nextUpdate(client);
            }
            assertEquals(previous[0], current[0], "the same event twice");

            simulator.reorderNextBookEvent(INST);
            // The client may be a few events behind the fault: read on until the swap or 1,000 events (a loaded machine can fall well behind).
            final List<long[]> seen = new ArrayList<>();
            seen.add(nextUpdate(client));
            boolean swapped = false;
            for (int i = 1; i < 1_000 && !swapped; i++)
            {
                seen.add(nextUpdate(client));
                swapped = seen.get(i)[1] < seen.get(i - 1)[1] && seen.get(i)[1] == seen.get(i - 1)[0];
            }
            assertTrue(swapped, "a held event arrives right after the one that followed it");
        }
    }

    @Test
    void aStalledConnectionStaysOpenAndSilentAndADroppedOneCloses() throws Exception
    {
        try (WsClient client = start(settings()))
        {
            nextUpdate(client);
            simulator.stallOpenConnections();
            final int received = client.received().size();
            Thread.sleep(400);
            assertTrue(client.received().size() <= received + 1, "at most a frame already in flight");
            assertFalse(client.closed().isDone());
            assertEquals(1, simulator.openConnections());
            simulator.dropAllConnections();
            client.closed().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theAgeLimitClosesTheConnection() throws Exception
    {
        simulator = new VenueSimulator(new OkxSimProtocol(false), settings().withMaxConnectionAge(300).withKeepaliveTimeout(0), 0);
        // Only connected: a subscription could race the close under load.
        try (WsClient client = new WsClient(simulator.webSocketUri() + "/ws/v5/public"))
        {
            assertEquals(1000, client.closed().get(10, TimeUnit.SECONDS));
            assertEquals(1, simulator.recorder().connectionsAccepted());
            assertEquals(0, simulator.recorder().keepaliveCloses());
        }
    }

    @Test
    void malformedFramesAreSentAsTheyAre()
    {
        try (WsClient client = start(settings()))
        {
            simulator.play(List.of("{\"arg\":{\"channel\":\"books\"", "not json at all"));
            assertEquals("not json at all", client.await("malformed", f -> !f.startsWith("{\"arg\":{\"channel\":\"books\",")
                && !f.startsWith("{\"arg\":{\"channel\":\"books\"}") && !f.contains("\"data\"") && f.startsWith("not")));
            assertTrue(client.received().contains("{\"arg\":{\"channel\":\"books\""));
        }
    }

    @Test
    void restIsRoutedToTheProtocolAndSnapshotsCanBeSlow() throws Exception
    {
        simulator = new VenueSimulator(new OkxSimProtocol(false), settings(), 0);
        final HttpClient http = HttpClient.newHttpClient();
        final HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(simulator.restUri() + "/nope")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        simulator.snapshotDelay(300);
        final long start = System.nanoTime();
        final HttpResponse<String> books = http.send(HttpRequest.newBuilder(
            URI.create(simulator.restUri() + "/api/v5/market/books?instId=" + INST + "&sz=5")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300), "the snapshot was delayed");
        assertEquals(200, books.statusCode());
        WsClient.assertShape("okx/rest_books_snapshot.json", books.body());
        assertEquals(5, FixtureJson.tree(books.body()).get("data").get(0).get("bids").size());
        assertEquals(1, simulator.recorder().snapshotsServed());
    }

    @Test
    void binancePongsAreTheKeepAliveAndAConnectionWithoutThemIsClosed() throws Exception
    {
        // Pings every 100 ms, closed 1 s after the last pong: the JDK client answers every ping.
        simulator = new VenueSimulator(new BinanceSimProtocol(false, 100),
            VenueSimulator.Settings.defaults(Map.of("BTCUSDT", 6_500_012L)).withPingInterval(100).withKeepaliveTimeout(1_000), 0);
        try (WsClient answering = new WsClient(simulator.webSocketUri() + "/ws/btcusdt@trade"))
        {
            answering.await("trades", f -> f.contains("\"e\":\"trade\""));
            final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
            while (System.nanoTime() < until)
            {
                assertFalse(answering.closed().isDone(), "a connection that answers pings stays open");
                Thread.sleep(50);
            }
            assertTrue(simulator.recorder().pongsReceived().size() >= 10, "pongs: " + simulator.recorder().pongsReceived());
            assertEquals(0, simulator.recorder().keepaliveCloses());
        }
        simulator.close();
        // No pings, so no pongs: the connection is closed for silence.
        simulator = new VenueSimulator(new BinanceSimProtocol(false, 0),
            VenueSimulator.Settings.defaults(Map.of("BTCUSDT", 6_500_012L)).withKeepaliveTimeout(400), 0);
        try (WsClient silent = new WsClient(simulator.webSocketUri() + "/ws/btcusdt@trade"))
        {
            silent.closed().get(10, TimeUnit.SECONDS);
            assertEquals(1, simulator.recorder().keepaliveCloses());
        }
        assertEquals(60_000L, new BinanceSimProtocol(false, 0).keepaliveTimeoutMs(), "spot: a minute after a ping");
        assertEquals(780_000L, new BinanceSimProtocol(true, 180_000).keepaliveTimeoutMs(), "USD-M: ten minutes after a 3-minute ping");
    }
}
