package io.tickjournal.ops;

import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.sim.BinanceSimProtocol;
import io.tickjournal.ingest.sim.BybitSimProtocol;
import io.tickjournal.ingest.sim.CoinbaseSimProtocol;
import io.tickjournal.ingest.sim.OkxSimProtocol;
import io.tickjournal.ingest.sim.SimProtocol;
import io.tickjournal.ingest.sim.UpbitSimProtocol;
import io.tickjournal.ingest.sim.VenueSimulator;
import io.tickjournal.ingest.venue.VenueRegistry;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.MarketKind;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One venue the demo and {@code tickjournal simulate} run a simulator for, with the feed that
 * ingests it. The demo's feeds, simulators and view rows all come from {@link #ALL}: adding a
 * venue is one more entry there (and a simulator protocol).
 *
 * @param partition      its partition.
 * @param venueId        its venue id.
 * @param code           its MoldUDP64 partition code.
 * @param label          its short name in the view.
 * @param protocol       makes the simulator's protocol for it.
 * @param seed           the simulated market's seed.
 * @param channels       what ingest subscribes to.
 * @param instruments    the instruments (venue symbols as the venue writes them).
 * @param stallTimeoutMs no data for this long: reconnect.
 * @param fault          the fault injected now and then: a book gap, or a shutdown notice.
 */
public record SimulatedVenue(String partition, int venueId, String code, String label, Supplier<SimProtocol> protocol, long seed,
    Set<Channel> channels, List<InstrumentSpec> instruments, long stallTimeoutMs, Fault fault)
{
    FeedConfig feed(final Path journalDir, final VenueSimulator simulator)
    {
        final FeedConfig feed = VenueRegistry.byId(venueId).defaults(journalDir.resolve(partition),
            URI.create(simulator.webSocketUri()), URI.create(simulator.restUri()), instruments, channels);
        return feed.withTimers(stallTimeoutMs * 1_000_000L, feed.maxConnectionAgeNs(), feed.rotateMarginNs(),
            feed.reconnectMinNs(), feed.reconnectMaxNs());
    }

    /**
     * @param tradesPerSecond   trades a second per market.
     * @param port              the simulator's port, 0 for any free one.
     * @param referenceOriginMs the origin of the fair-price walks the markets follow, the same for every
     *                          venue of a run: venues of one asset then stay a few ticks apart, as
     *                          arbitrage keeps real ones ({@link VenueSimulator.Settings#referenceOriginMs()}).
     * @return the running simulator.
     */
    VenueSimulator start(final int tradesPerSecond, final int port, final long referenceOriginMs)
    {
        final Map<String, Long> symbols = new LinkedHashMap<>();
        for (final InstrumentSpec instrument : instruments)
        {
            // Start prices in cents (whole won for KRW markets): the same on every venue of an asset, which keys its walk.
            final boolean btc = instrument.canonicalSymbol().startsWith("BTC");
            final long start = instrument.canonicalSymbol().endsWith("-KRW") ? (btc ? 95_000_000L : 5_100_000L) : btc ? 6_500_000L : 345_000L;
            symbols.put(instrument.venueSymbol(), start);
        }
        final SimProtocol simProtocol = protocol.get();
        return new VenueSimulator(simProtocol, VenueSimulator.Settings.defaults(symbols).withTradesPerSecond(tradesPerSecond)
            .withSeed(seed).withPingInterval(simProtocol instanceof BinanceSimProtocol ? 20_000 : 0).withReference(referenceOriginMs),
            port);
    }

    String faultSymbol()
    {
        return instruments.get(0).venueSymbol();
    }

    /** The fault a venue of the demo gets now and then. */
    enum Fault
    {
        /** A book event dropped every 10 s: a gap, then a resync of that instrument. */
        BOOK_GAP,
        /** A shutdown notice every 30 s: a make-before-break switch to a new connection. */
        SHUTDOWN_NOTICE
    }

    static List<InstrumentSpec> pair(
        final String btc, final String eth, final MarketKind kind, final int priceExponent, final int sizeExponent)
    {
        return pair(btc, eth, "USDT", kind, priceExponent, sizeExponent);
    }

    static List<InstrumentSpec> pair(
        final String btc, final String eth, final String quote, final MarketKind kind, final int priceExponent, final int sizeExponent)
    {
        return List.of(new InstrumentSpec(1, btc, "BTC-" + quote, kind, priceExponent, sizeExponent),
            new InstrumentSpec(2, eth, "ETH-" + quote, kind, priceExponent, sizeExponent));
    }

    /** Every venue the demo simulates, in view order ({@code --venues} picks some). */
    public static final List<SimulatedVenue> ALL = List.of(
        new SimulatedVenue("binance-spot", Venues.BINANCE_SPOT, "BS", "binance spot", () -> new BinanceSimProtocol(false, 20_000), 42,
            EnumSet.of(Channel.TRADE, Channel.AGG_TRADE, Channel.DEPTH, Channel.BOOK_TICKER),
            pair("BTCUSDT", "ETHUSDT", MarketKind.SPOT, -2, -8), 30_000, Fault.BOOK_GAP),
        new SimulatedVenue("binance-usdm", Venues.BINANCE_USDM, "BU", "binance usdm", () -> new BinanceSimProtocol(true, 180_000), 4242,
            EnumSet.of(Channel.AGG_TRADE, Channel.DEPTH, Channel.BOOK_TICKER, Channel.MARK_PRICE),
            pair("BTCUSDT", "ETHUSDT", MarketKind.PERPETUAL, -2, -3), 5_000, Fault.SHUTDOWN_NOTICE),
        new SimulatedVenue("bybit-spot", Venues.BYBIT_SPOT, "YS", "bybit spot", () -> new BybitSimProtocol(false), 7,
            EnumSet.of(Channel.TRADE, Channel.DEPTH), pair("BTCUSDT", "ETHUSDT", MarketKind.SPOT, -2, -8), 30_000, Fault.BOOK_GAP),
        new SimulatedVenue("bybit-linear", Venues.BYBIT_LINEAR, "YL", "bybit linear", () -> new BybitSimProtocol(true), 77,
            EnumSet.of(Channel.TRADE, Channel.DEPTH, Channel.MARK_PRICE), pair("BTCUSDT", "ETHUSDT", MarketKind.PERPETUAL, -2, -3),
            30_000, Fault.SHUTDOWN_NOTICE),
        new SimulatedVenue("okx-spot", Venues.OKX_SPOT, "OS", "okx spot", () -> new OkxSimProtocol(false), 9,
            EnumSet.of(Channel.TRADE, Channel.DEPTH), pair("BTC-USDT", "ETH-USDT", MarketKind.SPOT, -2, -8), 30_000, Fault.BOOK_GAP),
        new SimulatedVenue("okx-swap", Venues.OKX_SWAP, "OW", "okx swap", () -> new OkxSimProtocol(true), 99,
            EnumSet.of(Channel.TRADE, Channel.DEPTH), pair("BTC-USDT-SWAP", "ETH-USDT-SWAP", MarketKind.PERPETUAL, -2, -8), 30_000,
            Fault.SHUTDOWN_NOTICE),
        // No venue-wide book id: a dropped level2 message shows as a skipped sequence_num, then level2 is resubscribed.
        new SimulatedVenue("coinbase", Venues.COINBASE, "CB", "coinbase", CoinbaseSimProtocol::new, 11,
            EnumSet.of(Channel.TRADE, Channel.DEPTH), pair("BTC-USD", "ETH-USD", "USD", MarketKind.SPOT, -2, -8), 30_000,
            Fault.BOOK_GAP),
        // Whole books every frame: a dropped one is just a missed picture, nothing to resync. Prices in whole won.
        new SimulatedVenue("upbit", Venues.UPBIT, "UB", "upbit", () -> new UpbitSimProtocol(false), 13,
            EnumSet.of(Channel.TRADE, Channel.DEPTH), pair("KRW-BTC", "KRW-ETH", "KRW", MarketKind.SPOT, 0, -8), 30_000,
            Fault.BOOK_GAP),
        new SimulatedVenue("bithumb", Venues.BITHUMB, "BH", "bithumb", () -> new UpbitSimProtocol(true), 17,
            EnumSet.of(Channel.TRADE, Channel.DEPTH), pair("KRW-BTC", "KRW-ETH", "KRW", MarketKind.SPOT, 0, -8), 30_000,
            Fault.BOOK_GAP));

    /**
     * What runs when no venue is named: all of {@link #ALL} (the demo's view groups them by
     * instrument to fit 120x40, see {@code DemoView}).
     */
    public static final List<SimulatedVenue> DEFAULT = ALL;

    /**
     * The venues named, in the order given, or the {@link #DEFAULT} ones.
     *
     * @param names partition names, or null/empty for the default ones.
     * @return the venues.
     * @throws IllegalArgumentException naming the known venues for an unknown one.
     */
    public static List<SimulatedVenue> pick(final List<String> names)
    {
        if (names == null || names.isEmpty())
        {
            return DEFAULT;
        }
        final List<SimulatedVenue> picked = new java.util.ArrayList<>();
        for (final String name : names)
        {
            picked.add(ALL.stream().filter(v -> v.partition().equals(name.trim())).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown venue '" + name + "' (known: " +
                    String.join(", ", ALL.stream().map(SimulatedVenue::partition).toList()) + ")")));
        }
        return List.copyOf(picked);
    }
}
