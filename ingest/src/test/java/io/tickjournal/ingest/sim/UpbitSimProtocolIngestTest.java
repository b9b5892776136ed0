package io.tickjournal.ingest.sim;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.FeedCounters;
import io.tickjournal.ingest.FeedProbe;
import io.tickjournal.ingest.IngestFeed;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.JournalContents;
import io.tickjournal.ingest.upbit.UpbitProtocol;
import io.tickjournal.ingest.venue.Venue;
import io.tickjournal.ingest.venue.VenueRegistry;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Upbit and Bithumb v2 end to end: the real {@link IngestFeed} against {@link UpbitSimProtocol} on
 * loopback (binary frames for Upbit, text for Bithumb). Every orderbook frame is a whole top-15 book,
 * so the journal's book equals the venue's top 15; every trade is journaled once; the feed's
 * {@code PING}s keep the connection past the venue's idle timeout and are answered without a
 * malformed frame. Expected values come from the simulator's market model, not its messages.
 */
class UpbitSimProtocolIngestTest
{
    private static final long MS = 1_000_000L;
    private static final String[] SYMBOLS = {"KRW-BTC", "KRW-ETH"};

    @TempDir
    Path dir;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private Venue venue;
    private VenueSimulator simulator;
    private IngestFeed feed;

    @AfterEach
    void close()
    {
        if (feed != null)
        {
            feed.close();
        }
        if (simulator != null)
        {
            simulator.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** The venue closes a connection after 1.5 s without a PING; the feed sends one every 300 ms. */
    private void start(final String name)
    {
        start(name, 0, 0);
    }

    /**
     * @param name         the venue.
     * @param groupingWon  the orderbook's price grouping ({@code level}) the feed subscribes with, 0 for none.
     * @param units        the orderbook units the feed subscribes with, 0 for the feed's default.
     */
    private void start(final String name, final long groupingWon, final int units)
    {
        venue = VenueRegistry.byName(name);
        final Map<String, Long> prices = new LinkedHashMap<>();
        prices.put(SYMBOLS[0], 100_473_000L);
        prices.put(SYMBOLS[1], 5_120_000L);
        simulator = new VenueSimulator(new UpbitSimProtocol(name.equals("bithumb")),
            VenueSimulator.Settings.defaults(prices).withKeepaliveTimeout(1_500), 0);
        final List<InstrumentSpec> specs = List.of(
            new InstrumentSpec(1, SYMBOLS[0], "BTC-KRW", MarketKind.SPOT, 0, -8).withPriceGrouping(groupingWon).withBookDepth(units),
            new InstrumentSpec(2, SYMBOLS[1], "ETH-KRW", MarketKind.SPOT, 0, -8).withPriceGrouping(groupingWon).withBookDepth(units));
        final FeedConfig c = venue.defaults(dir.resolve(venue.name()), URI.create(simulator.webSocketUri()),
            URI.create(simulator.restUri()), specs, EnumSet.of(Channel.TRADE, Channel.DEPTH))
            .withTimers(5_000 * MS, 3_600_000 * MS, 60_000 * MS, 50 * MS, 1000 * MS);
        final FeedConfig config = new FeedConfig(c.venueId(), c.partitionDir(), c.webSocketUri(), c.restUri(), c.instruments(),
            c.channels(), c.streamsPerConnection(), c.argsPerRequest(), c.controlMessagesPerSecond(), c.requestsPerHour(),
            c.stallTimeoutNs(), c.maxConnectionAgeNs(), c.rotateMarginNs(), c.overlapTimeoutNs(), c.reconnectMinNs(),
            c.reconnectMaxNs(), c.snapshotLimit(), c.snapshotsPerMinute(), c.snapshotTimeoutNs(), c.subscribeTimeoutNs(),
            300 * MS, c.trustStore(), c.trustStorePassword());
        feed = IngestFeed.start(config, group, new SystemEpochNanoClock());
    }

    private FeedCounters counters()
    {
        return feed.session().counters();
    }

    private List<UnsafeBuffer> journal()
    {
        feed.close();
        feed = null;
        return JournalContents.read(dir.resolve(venue.name()));
    }

    /** The top {@code units} ranks of the simulator's market model (whole won, 10^-8 units), as exact decimals. */
    private Map<String, Map<BigDecimal, BigDecimal>> venueBook(final String symbol, final int units)
    {
        return simulator.onLoop(() ->
        {
            final SimMarket market = simulator.market(symbol);
            final TreeMap<BigDecimal, BigDecimal> bids = new TreeMap<>();
            final TreeMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
            final var askLevels = market.asks.entrySet().iterator();
            final var bidLevels = market.bids.descendingMap().entrySet().iterator();
            while (asks.size() < units && askLevels.hasNext() && bidLevels.hasNext())
            {
                final Map.Entry<Long, Long> ask = askLevels.next();
                final Map.Entry<Long, Long> bid = bidLevels.next();
                asks.put(BigDecimal.valueOf(ask.getKey()), BigDecimal.valueOf(ask.getValue(), 8).stripTrailingZeros());
                bids.put(BigDecimal.valueOf(bid.getKey()), BigDecimal.valueOf(bid.getValue(), 8).stripTrailingZeros());
            }
            return Map.of("bids", bids, "asks", asks);
        });
    }

    /**
     * The simulator's market model grouped as Upbit documents {@code level}: prices in buckets of
     * {@code level} won (asks rounded up, bids down, the simulator's reading), sizes summed per bucket,
     * the top ranks both sides have; computed here with BigDecimal from the model's levels.
     */
    private Map<String, Map<BigDecimal, BigDecimal>> groupedVenueBook(final String symbol, final long level)
    {
        final BigDecimal bucket = BigDecimal.valueOf(level);
        return simulator.onLoop(() ->
        {
            final SimMarket market = simulator.market(symbol);
            final TreeMap<BigDecimal, BigDecimal> allAsks = new TreeMap<>();
            final TreeMap<BigDecimal, BigDecimal> allBids = new TreeMap<>();
            market.asks.forEach((price, size) -> allAsks.merge(
                BigDecimal.valueOf(price).divide(bucket, 0, java.math.RoundingMode.CEILING).multiply(bucket),
                BigDecimal.valueOf(size, 8), BigDecimal::add));
            market.bids.forEach((price, size) -> allBids.merge(
                BigDecimal.valueOf(price).divide(bucket, 0, java.math.RoundingMode.FLOOR).multiply(bucket),
                BigDecimal.valueOf(size, 8), BigDecimal::add));
            final TreeMap<BigDecimal, BigDecimal> bids = new TreeMap<>();
            final TreeMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
            final var askLevels = allAsks.entrySet().iterator();
            final var bidLevels = allBids.descendingMap().entrySet().iterator();
            while (asks.size() < UpbitProtocol.SUBSCRIBED_UNITS && askLevels.hasNext() && bidLevels.hasNext())
            {
                final Map.Entry<BigDecimal, BigDecimal> ask = askLevels.next();
                final Map.Entry<BigDecimal, BigDecimal> bid = bidLevels.next();
                asks.put(ask.getKey(), ask.getValue().stripTrailingZeros());
                bids.put(bid.getKey(), bid.getValue().stripTrailingZeros());
            }
            return Map.of("bids", bids, "asks", asks);
        });
    }

    private static List<Long> journaledTrades(final List<UnsafeBuffer> records, final int instrumentId)
    {
        final TradeDecoder trade = new TradeDecoder();
        final List<Long> out = new ArrayList<>();
        for (final UnsafeBuffer r : JournalContents.ofTemplate(records, TradeDecoder.TEMPLATE_ID))
        {
            trade.wrapAndApplyHeader(r, 0, new MessageHeaderDecoder());
            if (trade.instrumentId() == instrumentId)
            {
                out.add(trade.venueSeq());
            }
        }
        return out;
    }

    /**
     * Also per book depth: the feed's default asks for 15 units, a configured depth for its own, and
     * the venue's book the journal must equal is that many ranks of the market model.
     */
    @ParameterizedTest
    @CsvSource({"upbit, 0", "bithumb, 0", "upbit, 30", "bithumb, 5"})
    void theJournalsBookEqualsTheVenuesTopEveryTradeIsJournaledOnceAndPingsKeepTheConnection(final String name, final int units)
    {
        final int expectedUnits = units == 0 ? UpbitProtocol.SUBSCRIBED_UNITS : units;
        start(name, 0, units);
        FeedProbe.await("books live", () -> FeedProbe.bookLive(feed, 0) && FeedProbe.bookLive(feed, 1));
        FeedProbe.await("some books", () -> counters().deltas + counters().snapshots > 40);
        FeedProbe.await("pings answered past the idle timeout", () -> simulator.recorder().keepalivesReceived().size() >= 8);
        FeedProbe.pauseAndCatchUp(simulator, feed);
        final Map<String, Map<BigDecimal, BigDecimal>> btc = venueBook(SYMBOLS[0], expectedUnits);
        final Map<String, Map<BigDecimal, BigDecimal>> eth = venueBook(SYMBOLS[1], expectedUnits);
        assertEquals(expectedUnits, btc.get("asks").size(), "the market model is deeper than the units asked for");
        assertEquals(expectedUnits, btc.get("bids").size());
        final List<Long> sent = simulator.recorder().tradeIds(SYMBOLS[0]).stream().map(Long::valueOf).toList();
        final FeedCounters counters = counters();
        assertTrue(simulator.recorder().keepalivesReceived().stream().allMatch("PING"::equals));
        assertEquals(0, simulator.recorder().keepaliveCloses(), "no connection closed for silence");
        assertEquals(1, counters.connects, "one connection all along");
        assertEquals(0, counters.malformed, "the UP answers and every frame were read");
        final List<UnsafeBuffer> records = journal();
        assertEquals(btc, JournalContents.book(records, 1), "the book from the journal alone equals the venue's top ranks");
        assertEquals(eth, JournalContents.book(records, 2));
        final List<Long> journaled = journaledTrades(records, 1);
        assertFalse(journaled.isEmpty());
        assertEquals(journaled.size(), new HashSet<>(journaled).size(), "no trade journaled twice");
        final int from = sent.indexOf(journaled.get(0));
        assertTrue(from >= 0);
        assertEquals(sent.subList(from, sent.size()), journaled, "every trade sent since the first seen, once, in order");
    }

    /**
     * A feed configured with a price grouping subscribes with it; the venue then groups its book and
     * echoes the level in every orderbook frame, and the journal's book equals the venue's grouped top
     * ranks, price for price and summed size for summed size.
     */
    @ParameterizedTest
    @ValueSource(strings = {"upbit", "bithumb"})
    void aFeedWithAPriceGroupingJournalsTheVenuesGroupedBook(final String name)
    {
        final long level = 10;
        start(name, level, 0);
        FeedProbe.await("books live", () -> FeedProbe.bookLive(feed, 0) && FeedProbe.bookLive(feed, 1));
        FeedProbe.await("some books", () -> counters().deltas + counters().snapshots > 40);
        FeedProbe.pauseAndCatchUp(simulator, feed);
        final Map<String, Map<BigDecimal, BigDecimal>> btc = groupedVenueBook(SYMBOLS[0], level);
        final Map<String, Map<BigDecimal, BigDecimal>> eth = groupedVenueBook(SYMBOLS[1], level);
        final Map<String, Map<BigDecimal, BigDecimal>> ungrouped = venueBook(SYMBOLS[0], UpbitProtocol.SUBSCRIBED_UNITS);
        final String frame = simulator.onLoop(() -> UpbitSimProtocol.orderbook(simulator.market(SYMBOLS[0]), "REALTIME", 0,
            UpbitProtocol.SUBSCRIBED_UNITS, BigDecimal.valueOf(level), false));
        assertEquals(0, counters().malformed);
        final List<UnsafeBuffer> records = journal();
        assertEquals(btc, JournalContents.book(records, 1), "the journal's book equals the venue's grouped top ranks");
        assertEquals(eth, JournalContents.book(records, 2));
        assertFalse(btc.equals(ungrouped), "grouping by " + level + " won changed the book");
        for (final BigDecimal price : btc.get("asks").keySet())
        {
            assertEquals(0, price.remainder(BigDecimal.valueOf(level)).signum(), "ask " + price + " on a bucket");
        }
        assertTrue(frame.contains("\"level\":" + level), frame);
    }

    /** Each orderbook frame echoes the subscription's level: 0 when none was asked for. */
    @Test
    void theOrderbookFrameEchoesTheLevelAndItsPricesAreOnTheBuckets() throws Exception
    {
        final SimMarket market = new SimMarket("KRW-BTC", false, 100_473_000L, 1);
        final com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        for (final String level : new String[] {"0", "10", "10000", "0.1"})
        {
            final com.fasterxml.jackson.databind.JsonNode frame =
                mapper.readTree(UpbitSimProtocol.orderbook(market, "REALTIME", 1L, 15, new BigDecimal(level), false));
            assertEquals(0, new BigDecimal(level).compareTo(frame.get("level").decimalValue()), frame.toString());
            assertTrue(frame.get("level").isNumber(), frame.toString());
            final BigDecimal bucket = new BigDecimal(level).max(BigDecimal.ONE);
            for (final com.fasterxml.jackson.databind.JsonNode unit : frame.get("orderbook_units"))
            {
                assertEquals(0, unit.get("ask_price").decimalValue().remainder(bucket).signum(), unit.toString());
                assertEquals(0, unit.get("bid_price").decimalValue().remainder(bucket).signum(), unit.toString());
            }
        }
    }
}
