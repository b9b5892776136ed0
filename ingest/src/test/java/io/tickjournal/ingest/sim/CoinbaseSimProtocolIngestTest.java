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

import java.math.BigDecimal;
import java.net.URI;
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
 * Coinbase Advanced Trade end to end: the real {@link IngestFeed} against {@link CoinbaseSimProtocol}
 * on loopback. The journal's rebuilt book equals the simulator's market; every trade is journaled once;
 * a skipped {@code sequence_num} makes the feed resubscribe {@code level2} and the new snapshot makes
 * the book whole again. Expected values come from the simulator's own market model, not its messages.
 */
class CoinbaseSimProtocolIngestTest
{
    private static final long MS = 1_000_000L;
    private static final String[] SYMBOLS = {"BTC-USD", "ETH-USD"};

    @TempDir
    Path dir;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Venue venue = VenueRegistry.byName("coinbase");
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

    private void start()
    {
        final Map<String, Long> prices = new LinkedHashMap<>();
        prices.put(SYMBOLS[0], 6_500_012L);
        prices.put(SYMBOLS[1], 345_067L);
        simulator = new VenueSimulator(new CoinbaseSimProtocol(), VenueSimulator.Settings.defaults(prices), 0);
        final List<InstrumentSpec> specs = List.of(
            new InstrumentSpec(1, SYMBOLS[0], "BTC-USD", MarketKind.SPOT, -8, -8),
            new InstrumentSpec(2, SYMBOLS[1], "ETH-USD", MarketKind.SPOT, -8, -8));
        final FeedConfig config = venue.defaults(dir.resolve(venue.name()), URI.create(simulator.webSocketUri()),
            URI.create(simulator.restUri()), specs, EnumSet.of(Channel.TRADE, Channel.DEPTH))
            .withTimers(5_000 * MS, 3_600_000 * MS, 60_000 * MS, 50 * MS, 1000 * MS);
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

    /** The simulator's market model of a symbol (cents, 10^-8 units), as exact decimals. */
    private Map<String, Map<BigDecimal, BigDecimal>> venueBook(final String symbol)
    {
        return simulator.onLoop(() ->
        {
            final SimMarket market = simulator.market(symbol);
            final TreeMap<BigDecimal, BigDecimal> bids = new TreeMap<>();
            final TreeMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
            market.bids.forEach((p, s) -> bids.put(BigDecimal.valueOf(p, 2).stripTrailingZeros(), BigDecimal.valueOf(s, 8).stripTrailingZeros()));
            market.asks.forEach((p, s) -> asks.put(BigDecimal.valueOf(p, 2).stripTrailingZeros(), BigDecimal.valueOf(s, 8).stripTrailingZeros()));
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

    @Test
    void theJournalsRebuiltBookEqualsTheVenuesAndEveryTradeIsJournaledOnce()
    {
        start();
        FeedProbe.await("books live", () -> FeedProbe.bookLive(feed, 0) && FeedProbe.bookLive(feed, 1));
        FeedProbe.await("some deltas", () -> counters().deltas > 40);
        FeedProbe.pauseAndCatchUp(simulator, feed);
        final Map<String, Map<BigDecimal, BigDecimal>> btc = venueBook(SYMBOLS[0]);
        final Map<String, Map<BigDecimal, BigDecimal>> eth = venueBook(SYMBOLS[1]);
        final List<Long> sent = simulator.recorder().tradeIds(SYMBOLS[0]).stream().map(Long::valueOf).toList();
        assertTrue(simulator.recorder().controlReceived().stream().anyMatch(t -> t.contains("\"heartbeats\"")),
            "the feed subscribed heartbeats");
        final FeedCounters counters = counters();
        final List<UnsafeBuffer> records = journal();
        assertEquals(btc, JournalContents.book(records, 1), "the book rebuilt from the journal alone equals the venue's");
        assertEquals(eth, JournalContents.book(records, 2));
        assertEquals(0, counters.bookGaps);
        final List<Long> journaled = journaledTrades(records, 1);
        assertFalse(journaled.isEmpty());
        assertEquals(journaled.size(), new HashSet<>(journaled).size(), "no trade journaled twice");
        // Batches are sent newest first: the journal holds exactly the ids sent, oldest first, from the first it saw.
        final int from = sent.indexOf(journaled.get(0));
        assertTrue(from >= 0);
        assertEquals(sent.subList(from, sent.size()), journaled);
    }

    @Test
    void aSkippedSequenceNumberResubscribesLevel2AndTheNewSnapshotMakesTheBookWhole()
    {
        start();
        FeedProbe.await("books live", () -> FeedProbe.bookLive(feed, 0) && FeedProbe.bookLive(feed, 1));
        final long snapshotsBefore = simulator.onLoop(() -> simulator.recorder().snapshotsServed());
        simulator.gapNextBookEvent(SYMBOLS[0]);
        FeedProbe.await("gap seen", () -> counters().bookGaps >= 1);
        FeedProbe.await("a new snapshot served", () -> simulator.onLoop(() -> simulator.recorder().snapshotsServed()) > snapshotsBefore);
        FeedProbe.await("resynced", () -> FeedProbe.bookLive(feed, 0) && FeedProbe.bookLive(feed, 1));
        final List<String> control = simulator.recorder().controlReceived();
        assertTrue(control.stream().anyMatch(t -> t.contains("\"unsubscribe\"") && t.contains("\"level2\"")),
            "level2 was unsubscribed to be subscribed again: " + control);
        FeedProbe.pauseAndCatchUp(simulator, feed);
        final Map<String, Map<BigDecimal, BigDecimal>> btc = venueBook(SYMBOLS[0]);
        final Map<String, Map<BigDecimal, BigDecimal>> eth = venueBook(SYMBOLS[1]);
        final List<UnsafeBuffer> records = journal();
        assertTrue(JournalContents.statuses(records, 1).contains("GAP_DETECTED"), JournalContents.statuses(records, 1).toString());
        assertTrue(Collections.frequency(JournalContents.statuses(records, 1), "RESYNCED") >= 2, "joined, then resynced: " + JournalContents.statuses(records, 1));
        assertEquals(btc, JournalContents.book(records, 1), "the resynced book equals the venue's");
        assertEquals(eth, JournalContents.book(records, 2));
    }
}
