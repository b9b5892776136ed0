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
import io.tickjournal.ingest.VenueFeedHandler;
import io.tickjournal.ingest.venue.Venue;
import io.tickjournal.ingest.venue.VenueRegistry;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.RawFrameDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
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
 * Bybit and OKX end to end: the real {@link IngestFeed} (Netty, session, parsers, book sync,
 * journal) against the simulator speaking each venue on loopback, with the journal checked
 * against what the simulator generated: books equal, a gap resyncs only its instrument, OKX's
 * keep-alive and reset and Bybit's reset need no resync, keep-alives both ways, rotation loses and
 * repeats no trade, malformed frames are skipped and kept raw. Waits poll with a generous deadline.
 */
class VenueSimulatorIngestTest
{
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private VenueSimulator simulator;
    private SimProtocol protocol;
    private IngestFeed feed;
    private Venue venue;
    private String[] symbols;
    private int sizeUnitDecimals;

    @AfterEach
    void close()
    {
        stop();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private void stop()
    {
        if (feed != null)
        {
            feed.close();
            feed = null;
        }
        if (simulator != null)
        {
            simulator.close();
            simulator = null;
        }
    }

    /** The venue's simulator protocol, symbols and the instruments the feed is configured with. */
    private void venue(final String name)
    {
        venue = VenueRegistry.byName(name);
        switch (name)
        {
            case "bybit-spot" -> setUp(new BybitSimProtocol(false), 8, MarketKind.SPOT, "BTCUSDT", "ETHUSDT");
            case "bybit-linear" -> setUp(new BybitSimProtocol(true), 3, MarketKind.PERPETUAL, "BTCUSDT", "ETHUSDT");
            case "okx-spot" -> setUp(new OkxSimProtocol(false), 8, MarketKind.SPOT, "BTC-USDT", "ETH-USDT");
            case "okx-swap" -> setUp(new OkxSimProtocol(true), 3, MarketKind.PERPETUAL, "BTC-USDT-SWAP", "ETH-USDT-SWAP");
            default -> throw new IllegalArgumentException(name);
        }
    }

    private MarketKind kind;

    private void setUp(final SimProtocol protocol, final int sizeUnitDecimals, final MarketKind kind, final String... symbols)
    {
        this.protocol = protocol;
        this.sizeUnitDecimals = sizeUnitDecimals;
        this.kind = kind;
        this.symbols = symbols;
    }

    private VenueSimulator.Settings settings()
    {
        final Map<String, Long> prices = new LinkedHashMap<>();
        prices.put(symbols[0], 6_500_012L);
        prices.put(symbols[1], 345_067L);
        return VenueSimulator.Settings.defaults(prices);
    }

    private void start(
        final VenueSimulator.Settings settings, final EnumSet<Channel> channels, final long ageMs, final long marginMs,
        final long keepaliveMs)
    {
        simulator = new VenueSimulator(protocol, settings, 0);
        final List<InstrumentSpec> specs = List.of(
            new InstrumentSpec(1, symbols[0], "BTC-USDT", kind, -8, -sizeUnitDecimals),
            new InstrumentSpec(2, symbols[1], "ETH-USDT", kind, -8, -sizeUnitDecimals));
        final FeedConfig c = venue.defaults(dir.resolve(venue.name()), URI.create(simulator.webSocketUri()),
            URI.create(simulator.restUri()), specs, channels).withTimers(5_000 * MS, ageMs * MS, marginMs * MS, 50 * MS, 1000 * MS);
        final FeedConfig config = new FeedConfig(c.venueId(), c.partitionDir(), c.webSocketUri(), c.restUri(), c.instruments(),
            c.channels(), c.streamsPerConnection(), c.argsPerRequest(), c.controlMessagesPerSecond(), c.requestsPerHour(),
            c.stallTimeoutNs(), c.maxConnectionAgeNs(), c.rotateMarginNs(), c.overlapTimeoutNs(), c.reconnectMinNs(),
            c.reconnectMaxNs(), c.snapshotLimit(), c.snapshotsPerMinute(), c.snapshotTimeoutNs(), c.subscribeTimeoutNs(),
            keepaliveMs * MS, c.trustStore(), c.trustStorePassword());
        feed = IngestFeed.start(config, group, new SystemEpochNanoClock());
    }

    private void start(final EnumSet<Channel> channels)
    {
        start(settings(), channels, 3_600_000, 60_000, 20_000);
    }

    private FeedCounters counters()
    {
        return feed.session().counters();
    }

    private long bookLastId(final int instrumentIndex)
    {
        final long[] id = new long[1];
        feed.runOnLoop(() -> id[0] = ((VenueFeedHandler)feed.session().handler()).bookLastId(instrumentIndex));
        return id[0];
    }

    private List<UnsafeBuffer> journal()
    {
        feed.close();
        feed = null;
        return JournalContents.read(dir.resolve(venue.name()));
    }

    /** Pause the market and wait until the feed has applied the last book event of both instruments. */
    private void pauseAndCatchUp()
    {
        simulator.pause(true);
        for (int i = 0; i < 2; i++)
        {
            final int index = i;
            final List<Long> ids = simulator.recorder().bookIds(symbols[i]);
            final long last = ids.get(ids.size() - 1);
            FeedProbe.await("feed caught up on " + symbols[i], () -> bookLastId(index) == last);
        }
    }

    /** The simulator's own book of a symbol (its market model, not a message), as exact decimals. */
    private Map<String, Map<BigDecimal, BigDecimal>> venueBook(final String symbol)
    {
        return simulator.onLoop(() ->
        {
            final SimMarket market = simulator.market(symbol);
            final TreeMap<BigDecimal, BigDecimal> bids = new TreeMap<>();
            final TreeMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
            market.bids.forEach((p, s) -> bids.put(BigDecimal.valueOf(p, 2).stripTrailingZeros(),
                BigDecimal.valueOf(s, sizeUnitDecimals).stripTrailingZeros()));
            market.asks.forEach((p, s) -> asks.put(BigDecimal.valueOf(p, 2).stripTrailingZeros(),
                BigDecimal.valueOf(s, sizeUnitDecimals).stripTrailingZeros()));
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

    @ParameterizedTest
    @ValueSource(strings = {"bybit-spot", "bybit-linear", "okx-spot", "okx-swap"})
    void theJournalsRebuiltBookEqualsTheVenuesAndEveryTradeIsJournaledOnce(final String name)
    {
        venue(name);
        start(EnumSet.of(Channel.TRADE, Channel.DEPTH));
        FeedProbe.await("books live", () -> FeedProbe.bookLive(feed, 0) && FeedProbe.bookLive(feed, 1));
        FeedProbe.await("some deltas", () -> counters().deltas > 40);
        pauseAndCatchUp();
        final Map<String, Map<BigDecimal, BigDecimal>> btc = venueBook(symbols[0]);
        final Map<String, Map<BigDecimal, BigDecimal>> eth = venueBook(symbols[1]);
        final List<String> sent = simulator.recorder().tradeIds(symbols[0]);
        FeedProbe.await("trades caught up", () -> counters().trades >= sent.size());
        final FeedCounters counters = counters();
        final List<UnsafeBuffer> records = journal();
        assertEquals(btc, JournalContents.book(records, 1), "the book rebuilt from the journal alone equals the venue's");
        assertEquals(eth, JournalContents.book(records, 2));
        assertEquals(0, counters.bookGaps);
        final List<Long> journaled = journaledTrades(records, 1);
        if (!name.equals("bybit-linear"))
        {
            assertEquals(journaled.size(), new HashSet<>(journaled).size(), "no trade journaled twice");
            // Digit ids: the journal holds exactly the ids sent, in order, from the first it saw.
            final List<Long> ids = sent.stream().map(Long::valueOf).toList();
            final int from = ids.indexOf(journaled.get(0));
            assertTrue(from >= 0);
            assertEquals(ids.subList(from, ids.size()), journaled);
        }
        else
        {
            // UUID ids are not journaled as numbers (the venue sequence is null): count them.
            assertTrue(journaled.size() <= sent.size() && journaled.size() > sent.size() / 2, journaled.size() + " of " + sent.size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bybit-linear", "okx-spot"})
    void aBookGapResyncsOnlyThatInstrumentByResubscribingItsBookStream(final String name)
    {
        venue(name);
        start(EnumSet.of(Channel.TRADE, Channel.DEPTH));
        FeedProbe.await("books live", () -> FeedProbe.bookLive(feed, 0) && FeedProbe.bookLive(feed, 1));
        final int controlBefore = simulator.recorder().controlReceived().size();
        simulator.gapNextBookEvent(symbols[0]);
        FeedProbe.await("gap seen", () -> counters().bookGaps == 1);
        FeedProbe.await("resynced", () -> FeedProbe.bookLive(feed, 0));
        final List<String> control = simulator.recorder().controlReceived();
        final List<String> after = control.subList(controlBefore, control.size());
        assertTrue(after.stream().anyMatch(t -> t.contains("subscribe") && t.contains(symbols[0]) && !t.contains(symbols[1])),
            "the book stream of the gapped instrument alone was resubscribed: " + after);
        assertTrue(after.stream().noneMatch(t -> t.contains(symbols[1])), "nothing asked about the other instrument: " + after);
        pauseAndCatchUp();
        final Map<String, Map<BigDecimal, BigDecimal>> btc = venueBook(symbols[0]);
        final List<UnsafeBuffer> records = journal();
        assertTrue(JournalContents.statuses(records, 1).contains("GAP_DETECTED"));
        assertEquals(2, Collections.frequency(JournalContents.statuses(records, 1), "RESYNCED"), "joined, then resynced once");
        assertFalse(JournalContents.statuses(records, 2).contains("GAP_DETECTED"), "the other instrument saw no gap");
        assertEquals(1, Collections.frequency(JournalContents.statuses(records, 2), "RESYNCED"));
        assertEquals(btc, JournalContents.book(records, 1), "the resynced book equals the venue's");
    }

    @Test
    void okxKeepAliveUpdateAndMaintenanceResetNeedNoResync()
    {
        venue("okx-spot");
        start(EnumSet.of(Channel.DEPTH));
        FeedProbe.await("books live", () -> FeedProbe.bookLive(feed, 0) && FeedProbe.bookLive(feed, 1));
        final OkxSimProtocol okx = (OkxSimProtocol)protocol;
        okx.keepaliveAfterNextBookEvent(simulator, symbols[0]);
        FeedProbe.await("keep-alive sent", () -> simulator.recorder().bookIds(symbols[0]).size() > 1 && hasRepeat(simulator.recorder().bookIds(symbols[0])));
        okx.resetNextBookEvent(simulator, symbols[0]);
        FeedProbe.await("reset sent", () -> hasDrop(simulator.recorder().bookIds(symbols[0])));
        FeedProbe.await("more deltas", () -> counters().deltas > 30);
        pauseAndCatchUp();
        final Map<String, Map<BigDecimal, BigDecimal>> btc = venueBook(symbols[0]);
        final FeedCounters counters = counters();
        final List<UnsafeBuffer> records = journal();
        assertEquals(0, counters.bookGaps, "neither the keep-alive nor the reset is a gap");
        assertFalse(JournalContents.statuses(records, 1).contains("GAP_DETECTED"));
        assertEquals(1, Collections.frequency(JournalContents.statuses(records, 1), "RESYNCED"), "no resync");
        assertEquals(btc, JournalContents.book(records, 1));
    }

    private static boolean hasRepeat(final List<Long> ids)
    {
        for (int i = 1; i < ids.size(); i++)
        {
            if (ids.get(i).equals(ids.get(i - 1)))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean hasDrop(final List<Long> ids)
    {
        for (int i = 1; i < ids.size(); i++)
        {
            if (ids.get(i) < ids.get(i - 1))
            {
                return true;
            }
        }
        return false;
    }

    @Test
    void bybitResetSnapshotReplacesTheBookWithoutAGap()
    {
        venue("bybit-linear");
        start(EnumSet.of(Channel.DEPTH));
        FeedProbe.await("books live", () -> FeedProbe.bookLive(feed, 0) && FeedProbe.bookLive(feed, 1));
        ((BybitSimProtocol)protocol).resetNextBookEvent(simulator, symbols[0]);
        FeedProbe.await("reset sent", () -> simulator.recorder().bookIds(symbols[0]).contains(1L));
        FeedProbe.await("on from the reset", () -> bookLastId(0) > 1 && bookLastId(0) < 1000);
        pauseAndCatchUp();
        final Map<String, Map<BigDecimal, BigDecimal>> btc = venueBook(symbols[0]);
        final FeedCounters counters = counters();
        final List<UnsafeBuffer> records = journal();
        assertEquals(0, counters.bookGaps, "u == 1 is a reset, not a gap");
        assertFalse(JournalContents.statuses(records, 1).contains("GAP_DETECTED"));
        assertTrue(JournalContents.ofTemplate(records, BookSnapshotDecoder.TEMPLATE_ID).stream()
            .filter(r -> Records.instrumentId(r, 0) == 1).count() >= 2, "the reset snapshot was journaled");
        assertEquals(btc, JournalContents.book(records, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bybit-spot", "okx-spot"})
    void keepAlivesGoBothWaysAndASilentClientIsClosed(final String name)
    {
        venue(name);
        // The feed pings every 200 ms; the venue closes after 1.5 s without one.
        start(settings().withKeepaliveTimeout(1_500), EnumSet.of(Channel.TRADE), 3_600_000, 60_000, 200);
        FeedProbe.await("trades", () -> counters().trades > 10);
        FeedProbe.await("pings", () -> simulator.recorder().keepalivesReceived().size() >= 12);
        assertEquals(0, simulator.recorder().keepaliveCloses(), "a client that pings is never closed");
        assertEquals(1, simulator.recorder().connectionsAccepted());
        stop();

        // A feed that pings too rarely for the venue is closed by it, and reconnects.
        start(settings().withKeepaliveTimeout(500), EnumSet.of(Channel.TRADE), 3_600_000, 60_000, 60_000);
        FeedProbe.await("closed for silence", () -> simulator.recorder().keepaliveCloses() >= 1);
        FeedProbe.await("reconnected", () -> simulator.recorder().connectionsAccepted() >= 2 && counters().disconnects >= 1);
        final long trades = counters().trades;
        FeedProbe.await("trades go on", () -> counters().trades > trades + 5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bybit-spot", "okx-spot"})
    void rotationAtTheAgeLimitLosesAndRepeatsNothing(final String name)
    {
        venue(name);
        // The venue closes at 3 s; the feed rotates 1 s before. 200 trades a second make any gap or repeat visible.
        start(settings().withMaxConnectionAge(3_000).withTradesPerSecond(200), EnumSet.of(Channel.TRADE), 3_000, 1_000, 20_000);
        FeedProbe.await("two rotations", () -> counters().rotations >= 2);
        final long tradeGaps = counters().tradeGaps;
        final List<UnsafeBuffer> records = journal();
        final List<Long> sent = simulator.recorder().tradeIds(symbols[0]).stream().map(Long::valueOf).toList();
        final List<Long> journaled = journaledTrades(records, 1);
        final List<Long> sorted = new ArrayList<>(journaled);
        Collections.sort(sorted);
        assertEquals(sorted.size(), new HashSet<>(sorted).size(), "no trade journaled twice");
        final int from = sent.indexOf(sorted.get(0));
        assertTrue(from >= 0);
        assertEquals(sent.subList(from, from + sorted.size()), sorted, "none lost, none repeated across the rotations");
        assertEquals(0, tradeGaps);
        assertTrue(JournalContents.statuses(records, 0).contains("SESSION_ROTATED"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bybit-linear", "okx-spot"})
    void malformedFramesAreSkippedKeptRawAndTheFeedGoesOn(final String name)
    {
        venue(name);
        start(EnumSet.of(Channel.TRADE));
        FeedProbe.await("trades", () -> counters().trades > 5);
        final String broken = name.startsWith("okx") ? "{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},\"data\":[{" :
            "{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"data\":[";
        simulator.play(List.of(broken, "\u0000not json"));
        FeedProbe.await("malformed counted", () -> counters().malformed == 2);
        final long trades = counters().trades;
        FeedProbe.await("trades go on", () -> counters().trades > trades + 5);
        final List<UnsafeBuffer> records = journal();
        assertEquals(2, Collections.frequency(JournalContents.statuses(records, 0), "MALFORMED_FRAME"));
        final RawFrameDecoder raw = new RawFrameDecoder();
        final List<String> kept = new ArrayList<>();
        for (final UnsafeBuffer r : JournalContents.read(Partition.rawDir(dir.resolve(venue.name()))))
        {
            raw.wrapAndApplyHeader(r, 0, new MessageHeaderDecoder());
            final byte[] payload = new byte[raw.payloadLength()];
            raw.getPayload(payload, 0, payload.length);
            kept.add(new String(payload, StandardCharsets.UTF_8));
        }
        assertTrue(kept.contains(broken), "the malformed frame is in the raw partition");
        assertTrue(kept.contains("\u0000not json"));
    }
}
