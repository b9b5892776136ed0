package io.tickjournal.ops;

import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.venue.VenueProtocol;
import io.tickjournal.ingest.venue.VenueRegistry;
import io.tickjournal.journal.Fixtures;
import io.tickjournal.ops.config.TickJournalConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped {@code config/tickjournal.yaml} is live mode for every venue: each feed is there with
 * its real endpoint and paths and the limits its venue documents. The expected values are written
 * here from {@code fixtures/venues/SOURCES.md}, and each comes with the phrase of SOURCES.md that
 * documents it, which the test finds in that file (so a value cannot drift from its source
 * unnoticed); where SOURCES.md documents nothing, the value is the reading the README names.
 */
class ShippedConfigTest
{
    private static final long SECOND_NS = 1_000_000_000L;
    private static final long DAY_NS = 86_400 * SECOND_NS;

    /** One venue as SOURCES.md documents it. */
    private record Documented(
        String venue, Set<String> urls, int streamsPerConnection, int argsPerRequest, int messagesPerSecond, int requestsPerHour,
        long maxConnectionAgeNs, long subscribeTimeoutNs, long keepaliveIntervalNs, List<String> phrases)
    {
    }

    private static final List<Documented> VENUES = List.of(
        new Documented("binance-spot", Set.of("wss://stream.binance.com:9443/stream"), 1024, 100, 5, 100_000, DAY_NS,
            30 * SECOND_NS, 20 * SECOND_NS, List.of("wss://stream.binance.com:9443", "combined\n`/stream?streams=a/b/c`",
            "at most 1024 streams per connection", "at most 5 incoming messages per second per connection",
            "A connection lives at most 24 h")),
        new Documented("binance-usdm", Set.of("wss://fstream.binance.com/public/stream", "wss://fstream.binance.com/market/stream"),
            200, 100, 10, 100_000, DAY_NS, 30 * SECOND_NS, 20 * SECOND_NS, List.of("wss://fstream.binance.com/public",
            "`/market` (regular data: e.g.\n`@aggTrade`, `@markPrice`)", "at most 200 streams per connection",
            "10 incoming messages per second per connection", "Connection\nvalid 24 h")),
        new Documented("bybit-spot", Set.of("wss://stream.bybit.com/v5/public/spot"), 200, 10, 10, 100_000, DAY_NS,
            30 * SECOND_NS, 20 * SECOND_NS, List.of("wss://stream.bybit.com/v5/public/spot", "spot: at most 10 args per subscribe request",
            "the doc recommends every 20 s")),
        new Documented("bybit-linear", Set.of("wss://stream.bybit.com/v5/public/linear"), 200, 100, 10, 100_000, DAY_NS,
            30 * SECOND_NS, 20 * SECOND_NS, List.of("`wss://stream.bybit.com/v5/public/linear`",
            "linear/inverse/spread: no arg-count\nlimit stated", "the doc recommends every 20 s")),
        new Documented("okx-spot", Set.of("wss://ws.okx.com:8443/ws/v5/public"), 30, 30, 5, 480, DAY_NS, 30 * SECOND_NS,
            20 * SECOND_NS, List.of("public `wss://ws.okx.com:8443/ws/v5/public`",
            "subscribe + unsubscribe + login requests 480\nper hour per connection", "fewer than 30 channels per connection",
            "if nothing has been received for N seconds (N < 30) send the text `ping`")),
        new Documented("okx-swap", Set.of("wss://ws.okx.com:8443/ws/v5/public"), 30, 30, 5, 480, DAY_NS, 30 * SECOND_NS,
            20 * SECOND_NS, List.of("public `wss://ws.okx.com:8443/ws/v5/public`",
            "subscribe + unsubscribe + login requests 480\nper hour per connection", "(N < 30)")),
        // 8 messages a second per IP, halved so that a rotation's two connections stay within it together.
        new Documented("coinbase", Set.of("wss://advanced-trade-ws.coinbase.com"), 300, 1000, 8 / 2, 100_000, DAY_NS,
            5 * SECOND_NS, 30 * SECOND_NS, List.of("market data `wss://advanced-trade-ws.coinbase.com`",
            "unauthenticated messages 8 per second per IP", "a `subscribe` must arrive within 5 s of connecting",
            "subscribe to `heartbeats` (one message per second)\nto keep all subscriptions open",
            "No documented cap on products per connection was found")),
        // Bithumb documents none of these: Upbit's, the stricter reading (README).
        new Documented("bithumb", Set.of("wss://ws-api.bithumb.com/websocket/v1"), 1000, 1000, 5, 100 * 60, DAY_NS,
            10 * SECOND_NS, 30 * SECOND_NS, List.of("public `wss://ws-api.bithumb.com/websocket/v1`",
            "Keepalive and connection/subscription limits: not found in the retrieved pages (gap)")),
        new Documented("upbit", Set.of("wss://api.upbit.com/websocket/v1"), 1000, 1000, 5, 100 * 60, DAY_NS, 10 * SECOND_NS,
            30 * SECOND_NS, List.of("quotation `wss://api.upbit.com/websocket/v1`",
            "`websocket-message` 5 per second and 100 per minute per connection", "so ping\nat least every 30 s",
            "No cap on codes\nper subscription is documented")));

    @Test
    void theShippedConfigHasEveryVenueWithItsLiveEndpointsAndDocumentedLimits() throws Exception
    {
        final Path repo = Fixtures.root().getParent().getParent();
        // Compared with whitespace runs as one space: SOURCES.md wraps its lines anywhere.
        final String sources = Files.readString(Fixtures.root().resolve("SOURCES.md")).replaceAll("\\s+", " ");
        final Path file = repo.resolve("config/tickjournal.yaml");
        final TickJournalConfig config = TickJournalConfig.load(file);
        final Map<String, FeedConfig> feeds = config.feeds().stream()
            .collect(Collectors.toMap(TickJournalConfig.Feed::partition, TickJournalConfig.Feed::feed));

        assertEquals(VENUES.stream().map(Documented::venue).collect(Collectors.toSet()), feeds.keySet(), "every venue, once");
        assertEquals(VenueRegistry.all().size(), feeds.size(), "as many feeds as venues ingest knows");
        for (final Documented venue : VENUES)
        {
            final FeedConfig feed = feeds.get(venue.venue());
            assertEquals(venue.venue(), io.tickjournal.journal.Venues.name(feed.venueId()), "partition named for its venue");
            for (final String phrase : venue.phrases())
            {
                assertTrue(sources.contains(phrase.replaceAll("\\s+", " ")), venue.venue() + ": SOURCES.md documents '" + phrase + "'");
            }
            assertEquals(venue.urls(), urls(feed), venue.venue() + ": endpoint and paths");
            assertEquals(venue.streamsPerConnection(), feed.streamsPerConnection(), venue.venue() + " streamsPerConnection");
            assertEquals(venue.argsPerRequest(), feed.argsPerRequest(), venue.venue() + " argsPerRequest");
            assertEquals(venue.messagesPerSecond(), feed.controlMessagesPerSecond(), venue.venue() + " controlMessagesPerSecond");
            assertEquals(venue.requestsPerHour(), feed.requestsPerHour(), venue.venue() + " requestsPerHour");
            assertEquals(venue.maxConnectionAgeNs(), feed.maxConnectionAgeNs(), venue.venue() + " maxConnectionAge");
            assertEquals(venue.subscribeTimeoutNs(), feed.subscribeTimeoutNs(), venue.venue() + " subscribeTimeout");
            assertEquals(venue.keepaliveIntervalNs(), feed.keepaliveIntervalNs(), venue.venue() + " keepaliveInterval");
        }

        // What check-config prints is what the file means: every feed with its URLs and limits.
        final Cli check = Cli.run("check-config", file.toString());
        assertEquals(0, check.exit, check.toString());
        for (final Documented venue : VENUES)
        {
            final String line = check.out.lines().dropWhile(l -> !l.startsWith("feed      " + venue.venue() + " ")).skip(1)
                .findFirst().orElse("");
            for (final String url : venue.urls())
            {
                assertTrue(line.contains(url), venue.venue() + " URL " + url + " in: " + line);
            }
            assertTrue(line.contains(venue.streamsPerConnection() + " streams/connection, " + venue.argsPerRequest() +
                " streams/request, " + venue.messagesPerSecond() + " messages/s, " + venue.requestsPerHour() + " requests/h, age " +
                venue.maxConnectionAgeNs() / SECOND_NS + " s, subscribe within " + venue.subscribeTimeoutNs() / 1_000_000 + " ms"),
                venue.venue() + ": " + line);
        }
        assertTrue(check.out.contains("'PING' every 30000 ms"), "Upbit family: the text PING every 30 s\n" + check.out);
        assertTrue(check.out.contains("'{\"op\":\"ping\"}' every 20000 ms"), "Bybit: {\"op\":\"ping\"} every 20 s\n" + check.out);
        assertTrue(check.out.contains("'ping' every 20000 ms"), "OKX: text ping within 30 s\n" + check.out);
    }

    @Test
    void anOrderbookLevelGroupsEveryInstrumentOfAnUpbitFeedAtItsExponentAndIsRefusedWhereItCannotApply() throws Exception
    {
        final Path file = Fixtures.root().getParent().getParent().resolve("config/tickjournal.yaml");
        final String shipped = Files.readString(file);
        final String upbitLevel = "    orderbookLevel: 0           # Upbit's price grouping";
        assertTrue(shipped.contains(upbitLevel));
        final TickJournalConfig grouped = TickJournalConfig.parse(shipped.replace(upbitLevel, "    orderbookLevel: 10000 #"),
            file.getParent());
        for (final TickJournalConfig.Feed feed : grouped.feeds())
        {
            for (final io.tickjournal.ingest.InstrumentSpec spec : feed.feed().instruments())
            {
                // 10,000 won at each instrument's exponent (0 here), only on the feed that asked for it.
                final java.math.BigDecimal expected = feed.partition().equals("upbit") ? new java.math.BigDecimal("10000") :
                    java.math.BigDecimal.ZERO;
                assertEquals(0, expected.compareTo(java.math.BigDecimal.valueOf(spec.priceGrouping(), -spec.priceExponent())),
                    feed.partition() + " " + spec.venueSymbol());
            }
        }
        refused(shipped.replace(upbitLevel, "    orderbookLevel: 0.5 #"), "feeds[8].orderbookLevel = '0.5': finer than KRW-BTC's priceExponent 0");
        refused(shipped.replace(upbitLevel, "    orderbookLevel: -10 #"), "feeds[8].orderbookLevel = '-10': must not be negative");
        refused(shipped.replace(upbitLevel, "    orderbookLevel: ten #"), "feeds[8].orderbookLevel = 'ten': not a decimal number");
        refused(shipped.replace("    snapshotLimit: 1000         #", "    orderbookLevel: 10\n    snapshotLimit: 1000         #"),
            "feeds[0].orderbookLevel = '10': binance-spot has no price grouping option");
    }

    @Test
    void orderbookUnitsSetTheBookDepthOfAnUpbitFamilyFeedAndAreRefusedWhereTheVenueDoesNotOfferThem() throws Exception
    {
        final Path file = Fixtures.root().getParent().getParent().resolve("config/tickjournal.yaml");
        final String shipped = Files.readString(file);
        final String upbitUnits = "    orderbookUnits: 15          # units (ranks";
        assertTrue(shipped.contains(upbitUnits));
        final TickJournalConfig deep = TickJournalConfig.parse(shipped.replace(upbitUnits, "    orderbookUnits: 30 # units (ranks"),
            file.getParent());
        for (final TickJournalConfig.Feed feed : deep.feeds())
        {
            for (final io.tickjournal.ingest.InstrumentSpec spec : feed.feed().instruments())
            {
                final int expected = feed.partition().equals("upbit") ? 30 : feed.partition().equals("bithumb") ? 15 : 0;
                assertEquals(expected, spec.bookDepth(), feed.partition() + " " + spec.venueSymbol());
            }
        }
        final TickJournalConfig absent = TickJournalConfig.parse(shipped.replace(upbitUnits, "    # units (ranks"), file.getParent());
        final TickJournalConfig.Feed upbit = absent.feeds().stream().filter(f -> f.partition().equals("upbit")).findFirst().orElseThrow();
        assertEquals(0, upbit.feed().instruments().get(0).bookDepth(), "absent: the protocol's default");
        refused(shipped.replace(upbitUnits, "    orderbookUnits: 20 # units (ranks"),
            "feeds[8].orderbookUnits = '20': orderbook units of KRW-BTC must be one of [1, 5, 15, 30] (Upbit sends its default 30 for any other): 20");
        refused(shipped.replace(upbitUnits, "    orderbookUnits: 0 # units (ranks"), "feeds[8].orderbookUnits = '0'");
        refused(shipped.replace("    snapshotLimit: 1000         #", "    orderbookUnits: 15\n    snapshotLimit: 1000         #"),
            "feeds[0].orderbookUnits = '15': binance-spot has no orderbook units option");
    }

    private static void refused(final String yaml, final String expected)
    {
        final io.tickjournal.ops.config.ConfigException ex = org.junit.jupiter.api.Assertions.assertThrows(
            io.tickjournal.ops.config.ConfigException.class, () -> TickJournalConfig.parse(yaml, Path.of(".")));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage() + " should contain " + expected);
    }

    private static Set<String> urls(final FeedConfig feed)
    {
        final VenueProtocol protocol = VenueRegistry.byId(feed.venueId()).protocol();
        final Function<Channel, String> url = channel -> RoleCommands.url(feed.webSocketUri(), protocol.path(channel));
        return feed.channels().stream().filter(protocol::supports).map(url).collect(Collectors.toCollection(TreeSet::new));
    }
}
