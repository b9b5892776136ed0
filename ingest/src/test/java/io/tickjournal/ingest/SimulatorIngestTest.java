package io.tickjournal.ingest;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.tickjournal.ingest.sim.BinanceSimulator;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.RawFrameDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.TradeKind;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real Netty sessions against the Binance simulator on loopback: joins, gaps, pings, stalls,
 * rotations and malformed frames, with the journal checked against what the simulator sent.
 * Waits poll for a condition with a generous deadline; nothing asserts on elapsed time.
 */
class SimulatorIngestTest
{
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private BinanceSimulator simulator;
    private IngestFeed feed;

    @AfterEach
    void close()
    {
        stop();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** The system clock, which throws when read by the feed's timer while {@link #failTicks} is set. */
    private static final class TickFailingClock extends SystemEpochNanoClock
    {
        volatile boolean failTicks;

        @Override
        public long nanoTime()
        {
            if (failTicks && StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getMethodName().equals("tick"))))
            {
                throw new IllegalStateException("clock failure injected into the timer");
            }
            return super.nanoTime();
        }
    }

    private final TickFailingClock clock = new TickFailingClock();

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

    private IngestFeed start(
        final boolean futures, final BinanceSimulator.Options options, final EnumSet<Channel> channels,
        final long stallMs, final long ageMs, final long marginMs)
    {
        simulator = new BinanceSimulator(options, 0);
        final int venue = futures ? Venues.BINANCE_USDM : Venues.BINANCE_SPOT;
        final MarketKind kind = futures ? MarketKind.PERPETUAL : MarketKind.SPOT;
        final List<InstrumentSpec> specs = List.of(
            new InstrumentSpec(1, "BTCUSDT", "BTC-USDT", kind, -8, futures ? -3 : -8),
            new InstrumentSpec(2, "ETHUSDT", "ETH-USDT", kind, -8, futures ? -3 : -8));
        final FeedConfig config = io.tickjournal.ingest.venue.VenueRegistry.byId(venue).defaults( dir.resolve(Venues.name(venue)),
            URI.create(simulator.webSocketUri()), URI.create(simulator.restUri()), specs, channels)
            .withTimers(stallMs * MS, ageMs * MS, marginMs * MS, 50 * MS, 1000 * MS);
        feed = IngestFeed.start(config, group, clock);
        return feed;
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

    private List<UnsafeBuffer> journal(final String venue)
    {
        feed.close();
        feed = null;
        return JournalContents.read(dir.resolve(venue));
    }

    /** The book of one instrument rebuilt from the journal alone. */
    private static Map<String, TreeMap<Long, Long>> rebuild(final List<UnsafeBuffer> records, final int instrumentId)
    {
        final TreeMap<Long, Long> bids = new TreeMap<>();
        final TreeMap<Long, Long> asks = new TreeMap<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final BookSnapshotDecoder snapshot = new BookSnapshotDecoder();
        final BookDeltaDecoder delta = new BookDeltaDecoder();
        for (final UnsafeBuffer r : records)
        {
            if (Records.instrumentId(r, 0) != instrumentId)
            {
                continue;
            }
            final int template = Records.templateId(r, 0);
            if (template == BookSnapshotDecoder.TEMPLATE_ID)
            {
                snapshot.wrapAndApplyHeader(r, 0, header);
                bids.clear();
                asks.clear();
                snapshot.bids().forEach(l -> bids.put(l.price(), l.size()));
                snapshot.asks().forEach(l -> asks.put(l.price(), l.size()));
            }
            else if (template == BookDeltaDecoder.TEMPLATE_ID)
            {
                delta.wrapAndApplyHeader(r, 0, header);
                delta.bids().forEach(l -> apply(bids, l.price(), l.size()));
                delta.asks().forEach(l -> apply(asks, l.price(), l.size()));
            }
        }
        return Map.of("bids", bids, "asks", asks);
    }

    private static void apply(final TreeMap<Long, Long> side, final long price, final long size)
    {
        if (size == 0)
        {
            side.remove(price);
        }
        else
        {
            side.put(price, size);
        }
    }

    private Map<String, TreeMap<Long, Long>> venueBook(final String path, final String symbol) throws Exception
    {
        final String body = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
            HttpRequest.newBuilder(URI.create(simulator.restUri() + path + "?symbol=" + symbol + "&limit=5000")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        final TreeMap<Long, Long> bids = new TreeMap<>();
        final TreeMap<Long, Long> asks = new TreeMap<>();
        final int split = body.indexOf("\"asks\"");
        final Pattern level = Pattern.compile("\\[\"([0-9.]+)\",\"([0-9.]+)\"\\]");
        for (final Matcher m = level.matcher(body); m.find(); )
        {
            (m.start() < split ? bids : asks).put(
                new java.math.BigDecimal(m.group(1)).movePointRight(8).longValueExact(),
                new java.math.BigDecimal(m.group(2)).movePointRight(body.contains("\"E\"") ? 3 : 8).longValueExact());
        }
        return Map.of("bids", bids, "asks", asks);
    }

    @Test
    void spotBookFromTheJournalEqualsTheVenueBook() throws Exception
    {
        start(false, BinanceSimulator.Options.defaults(false), EnumSet.of(Channel.TRADE, Channel.DEPTH, Channel.BOOK_TICKER),
            5_000, 3_600_000, 60_000);
        FeedProbe.await("both books live", () -> FeedProbe.bookLive(feed, 0) && FeedProbe.bookLive(feed, 1));
        FeedProbe.await("some deltas", () -> counters().deltas > 20);
        simulator.pause(true);
        final List<Long> ids = simulator.depthIds("BTCUSDT");
        final long lastSent = ids.get(ids.size() - 1);
        FeedProbe.await("feed caught up", () -> bookLastId(0) == lastSent);
        final Map<String, TreeMap<Long, Long>> venue = venueBook("/api/v3/depth", "BTCUSDT");
        final List<UnsafeBuffer> records = journal("binance-spot");
        assertEquals(venue, rebuild(records, 1), "the book rebuilt from the journal alone equals the venue's");
        assertTrue(JournalContents.statuses(records, 1).contains("RESYNCED"));
        assertTrue(JournalContents.statuses(records, -1).contains("CONNECTED:0"));
    }

    @Test
    void booksJoinWhenTheSnapshotIdFallsInsideALaterEventsRange() throws Exception
    {
        for (final boolean futures : new boolean[] {true, false})
        {
            start(futures, BinanceSimulator.Options.defaults(futures), EnumSet.of(Channel.DEPTH), 5_000, 3_600_000, 60_000);
            FeedProbe.await("books live", () -> FeedProbe.bookLive(feed, 0) && FeedProbe.bookLive(feed, 1));
            simulator.pause(true);
            final List<Long> published = simulator.depthIds("BTCUSDT");
            final long lastSent = published.get(published.size() - 1);
            FeedProbe.await("caught up", () -> bookLastId(0) == lastSent);
            final List<Long> snapshotIds = simulator.snapshotIds();
            assertTrue(snapshotIds.stream().anyMatch(id -> !simulator.depthIds("BTCUSDT").contains(id) &&
                !simulator.depthIds("ETHUSDT").contains(id)), "the venue's snapshot ids are not event boundaries: " + snapshotIds);
            assertEquals(0, counters().bookGaps, "joined without a false gap");
            assertEquals(2, simulator.snapshotsServed(), "one snapshot per book, no refetch loop");
            final String venue = futures ? "binance-usdm" : "binance-spot";
            assertEquals(venueBook(futures ? "/fapi/v1/depth" : "/api/v3/depth", "BTCUSDT"), rebuild(journal(venue), 1),
                "the book rebuilt from the journal equals the venue's");
            stop();
        }
    }

    @Test
    void aDepthGapResyncsOnlyThatInstrument()
    {
        start(false, BinanceSimulator.Options.defaults(false), EnumSet.of(Channel.DEPTH), 5_000, 3_600_000, 60_000);
        FeedProbe.await("both books live", () -> FeedProbe.bookLive(feed, 0) && FeedProbe.bookLive(feed, 1));
        final long snapshotsBefore = simulator.snapshotsServed();
        simulator.gapNextDepth("BTCUSDT");
        FeedProbe.await("gap detected", () -> counters().bookGaps == 1);
        FeedProbe.await("resynced", () -> counters().resyncs == 3 && FeedProbe.bookLive(feed, 0));
        assertEquals(snapshotsBefore + 1, simulator.snapshotsServed(), "one snapshot, for BTCUSDT only");
        simulator.duplicateNextDepth("ETHUSDT");
        FeedProbe.await("duplicate dropped", () -> counters().duplicates >= 1);
        assertEquals(1, counters().bookGaps, "a duplicate is not a gap");
        simulator.pause(true);
        final List<Long> ids = simulator.depthIds("BTCUSDT");
        final long last = ids.get(ids.size() - 1);
        FeedProbe.await("caught up", () -> bookLastId(0) == last);
        final List<UnsafeBuffer> records = journal("binance-spot");
        final List<String> btc = JournalContents.statuses(records, 1);
        final List<String> eth = JournalContents.statuses(records, 2);
        assertEquals(List.of("RESYNCED", "GAP_DETECTED", "BOOK_RESET", "RESYNCED"), btc);
        assertEquals(List.of("RESYNCED"), eth, "the other instrument was never reset");
    }

    @Test
    void reorderedDepthIsAGapAndResyncs()
    {
        start(false, BinanceSimulator.Options.defaults(false), EnumSet.of(Channel.DEPTH), 5_000, 3_600_000, 60_000);
        FeedProbe.await("books live", () -> FeedProbe.bookLive(feed, 0) && FeedProbe.bookLive(feed, 1));
        simulator.reorderNextDepth("ETHUSDT");
        FeedProbe.await("gap detected", () -> counters().bookGaps == 1);
        FeedProbe.await("resynced", () -> counters().resyncs == 3);
    }

    @Test
    void usdmPuChainBreakIsDetectedAndResynced()
    {
        start(true, BinanceSimulator.Options.defaults(true),
            EnumSet.of(Channel.AGG_TRADE, Channel.DEPTH, Channel.BOOK_TICKER, Channel.MARK_PRICE), 5_000, 3_600_000, 60_000);
        FeedProbe.await("books live", () -> FeedProbe.bookLive(feed, 0) && FeedProbe.bookLive(feed, 1));
        FeedProbe.await("trades and mark prices on the /market connection", () -> counters().marks > 0 && counters().trades > 5);
        simulator.gapNextDepth("ETHUSDT");
        FeedProbe.await("pu break", () -> counters().bookGaps == 1);
        FeedProbe.await("resynced", () -> counters().resyncs == 3 && FeedProbe.bookLive(feed, 1));
        final List<UnsafeBuffer> records = journal("binance-usdm");
        final VenueStatusDecoder status = new VenueStatusDecoder();
        boolean found = false;
        for (final UnsafeBuffer r : JournalContents.ofTemplate(records, VenueStatusDecoder.TEMPLATE_ID))
        {
            status.wrapAndApplyHeader(r, 0, new MessageHeaderDecoder());
            if (status.status() == VenueStatusKind.GAP_DETECTED)
            {
                found = true;
                assertEquals(2, status.instrumentId());
                assertEquals("depth pu chain broken", status.detail());
            }
        }
        assertTrue(found);
        assertFalse(JournalContents.ofTemplate(records, io.tickjournal.journal.sbe.MarkPriceDecoder.TEMPLATE_ID).isEmpty());
    }

    @Test
    void serverPingsAreAnsweredWithTheSamePayload()
    {
        start(false, BinanceSimulator.Options.defaults(false).withTimers(100, 3_600_000), EnumSet.of(Channel.TRADE),
            5_000, 3_600_000, 60_000);
        FeedProbe.await("three pongs", () -> simulator.pongs().size() >= 3);
        final List<String> pings = simulator.pings();
        for (final String pong : simulator.pongs())
        {
            assertTrue(pings.contains(pong), pong + " answers a ping");
        }
    }

    @Test
    void anExceptionInTheTimerDoesNotStopStallDetection()
    {
        start(false, BinanceSimulator.Options.defaults(false), EnumSet.of(Channel.TRADE), 500, 3_600_000, 60_000);
        FeedProbe.await("trades", () -> counters().trades > 5);
        // The timer's step throws for a while (here: its clock read); Netty cancels a periodic task that
        // throws, which would silently end stall detection, reconnects and rotation for the feed.
        clock.failTicks = true;
        FeedProbe.await("the timer failed", () -> feed.tickErrors() >= 5);
        clock.failTicks = false;
        simulator.stallOpenConnections();
        FeedProbe.await("stall still detected", () -> counters().stalls == 1);
        FeedProbe.await("reconnected", () -> simulator.connectionsAccepted() == 2);
    }

    @Test
    void aStalledConnectionIsDetectedAndReplaced()
    {
        start(false, BinanceSimulator.Options.defaults(false), EnumSet.of(Channel.TRADE), 500, 3_600_000, 60_000);
        FeedProbe.await("trades", () -> counters().trades > 5);
        simulator.stallOpenConnections();
        FeedProbe.await("stall detected", () -> counters().stalls == 1);
        FeedProbe.await("reconnected", () -> simulator.connectionsAccepted() == 2);
        final long trades = counters().trades;
        FeedProbe.await("trades flow again", () -> counters().trades > trades + 5);
        final List<String> statuses = JournalContents.statuses(journal("binance-spot"), 0);
        assertTrue(statuses.containsAll(List.of("STALE", "DISCONNECTED")), statuses.toString());
    }

    @Test
    void rotationAtTheAgeLimitLosesAndRepeatsNothing()
    {
        // The venue closes at 3 s; the feed rotates 1 s before. Trades at 200/s make any gap or repeat visible.
        start(false, BinanceSimulator.Options.defaults(false).withTimers(20_000, 3_000).withTradesPerSecond(200),
            EnumSet.of(Channel.TRADE, Channel.AGG_TRADE), 5_000, 3_000, 1_000);
        FeedProbe.await("two rotations", () -> counters().rotations >= 2);
        final long tradeGaps = counters().tradeGaps;
        final List<UnsafeBuffer> records = journal("binance-spot");
        // Read what was sent after the journal: a trade journaled between the two reads is then in both.
        final List<Long> sent = simulator.tradeIds("BTCUSDT");
        final TradeDecoder trade = new TradeDecoder();
        final List<Long> journaled = new ArrayList<>();
        for (final UnsafeBuffer r : JournalContents.ofTemplate(records, TradeDecoder.TEMPLATE_ID))
        {
            trade.wrapAndApplyHeader(r, 0, new MessageHeaderDecoder());
            if (trade.instrumentId() == 1 && trade.kind() == TradeKind.TRADE)
            {
                journaled.add(trade.venueSeq());
            }
        }
        // During an overlap each connection's trades are journaled as they arrive, so a few may be
        // journaled out of id order; every id must be there exactly once.
        final List<Long> sorted = new ArrayList<>(journaled);
        java.util.Collections.sort(sorted);
        assertEquals(sorted.size(), new java.util.HashSet<>(sorted).size(), "no trade journaled twice");
        final int from = sent.indexOf(sorted.get(0));
        assertTrue(from >= 0);
        assertEquals(sent.subList(from, from + sorted.size()), sorted,
            "the journal holds exactly the venue's trades across the rotations, none lost, none repeated");
        assertEquals(0, tradeGaps);
        assertTrue(JournalContents.statuses(records, 0).contains("SESSION_ROTATED"));
    }

    @Test
    void aServerShutdownNoticeSwitchesWithoutAGap()
    {
        start(false, BinanceSimulator.Options.defaults(false).withTradesPerSecond(200), EnumSet.of(Channel.TRADE),
            5_000, 3_600_000, 60_000);
        FeedProbe.await("trades", () -> counters().trades > 20);
        // Binance closes a connection some time after the notice; 10 s leaves a loaded machine time to switch first.
        simulator.serverShutdown(10_000);
        FeedProbe.await("switched", () -> counters().rotations == 1);
        final long trades = counters().trades;
        FeedProbe.await("more trades", () -> counters().trades > trades + 50);
        assertEquals(0, counters().tradeGaps);
        assertEquals(1, counters().shutdownNotices);
    }

    @Test
    void scriptedFixturesPlayedByTheSimulatorBecomeRecords()
    {
        start(false, BinanceSimulator.Options.defaults(false), EnumSet.of(Channel.TRADE, Channel.AGG_TRADE), 5_000, 3_600_000, 60_000);
        simulator.pause(true);
        FeedProbe.await("subscribed", () -> feed.session().connections().stream().allMatch(c -> c.state() == VenueConnection.State.LIVE));
        final long trades = counters().trades;
        simulator.playFiles(List.of(
            io.tickjournal.journal.Fixtures.root().resolve("binance-spot/real_combined_aggTrade.json"),
            io.tickjournal.journal.Fixtures.root().resolve("binance-spot/combined_serverShutdown.json")));
        FeedProbe.await("the scripted trade and the shutdown notice", () -> counters().trades == trades + 1 && counters().shutdownNotices == 1);
        simulator.pause(false);
        FeedProbe.await("switched to a new connection once it delivered every stream", () -> counters().rotations == 1);
        final List<UnsafeBuffer> records = journal("binance-spot");
        final TradeDecoder trade = new TradeDecoder();
        boolean found = false;
        for (final UnsafeBuffer r : JournalContents.ofTemplate(records, TradeDecoder.TEMPLATE_ID))
        {
            trade.wrapAndApplyHeader(r, 0, new MessageHeaderDecoder());
            found |= trade.venueSeq() == 640283266L && trade.priceMantissa() == 5_894_201_000_000L && trade.sizeMantissa() == 35_600L;
        }
        assertTrue(found, "the fixture's aggTrade 640283266 at 58942.01 x 0.000356");
    }

    @Test
    void anAbruptDisconnectAndASlowSnapshotAreSurvived()
    {
        start(false, BinanceSimulator.Options.defaults(false), EnumSet.of(Channel.TRADE, Channel.DEPTH), 5_000, 3_600_000, 60_000);
        FeedProbe.await("books live", () -> FeedProbe.bookLive(feed, 0) && FeedProbe.bookLive(feed, 1));
        simulator.snapshotDelay(1_500);
        simulator.gapNextDepth("BTCUSDT");
        FeedProbe.await("gap detected", () -> counters().bookGaps == 1);
        simulator.dropAllConnections();
        FeedProbe.await("reconnected", () -> simulator.connectionsAccepted() == 2 && counters().connects == 2);
        FeedProbe.await("the slow snapshot joins the book again", () -> FeedProbe.bookLive(feed, 0) && counters().resyncs >= 3);
        final long trades = counters().trades;
        FeedProbe.await("trades flow again", () -> counters().trades > trades + 20);
        final List<String> statuses = JournalContents.statuses(journal("binance-spot"), 0);
        assertTrue(statuses.contains("DISCONNECTED"), statuses.toString());
    }

    @Test
    void aMalformedFrameIsSkippedKeptRawAndTheSessionGoesOn()
    {
        start(false, BinanceSimulator.Options.defaults(false), EnumSet.of(Channel.TRADE), 5_000, 3_600_000, 60_000);
        FeedProbe.await("trades", () -> counters().trades > 5);
        simulator.sendToAll("{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"p\":");
        FeedProbe.await("malformed counted", () -> counters().malformed == 1);
        final long trades = counters().trades;
        FeedProbe.await("trades go on", () -> counters().trades > trades + 5);
        feed.close();
        feed = null;
        final RawFrameDecoder raw = new RawFrameDecoder();
        boolean kept = false;
        for (final UnsafeBuffer r : JournalContents.read(Partition.rawDir(dir.resolve("binance-spot"))))
        {
            raw.wrapAndApplyHeader(r, 0, new MessageHeaderDecoder());
            final byte[] payload = new byte[raw.payloadLength()];
            raw.getPayload(payload, 0, payload.length);
            kept |= new String(payload, StandardCharsets.US_ASCII).equals("{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"p\":");
        }
        assertTrue(kept, "the malformed frame is in the raw partition");
    }
}
