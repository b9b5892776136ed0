package io.tickjournal.tailer;

import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.Side;
import io.tickjournal.journal.sbe.StreamKind;
import io.tickjournal.journal.sbe.TradeKind;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules the feature engine must keep whatever the input's shape: windows bounded by time
 * alone, each fill counted once, a trade-id gap leaving the book alone, exact realized
 * volatility, and cross-venue views only within one kind of instrument. Expected values are
 * worked out here from the records the test sends, never read from the engine.
 */
class FeatureRulesTest
{
    private static final long MS = 1_000_000L;

    /** The last features emitted per (venue, instrument), as text by feature id. */
    private final Map<String, Map<Integer, String>> last = new HashMap<>();

    private FeatureEngine engine(final long... windowsMs)
    {
        final FeatureEngine engine = new FeatureEngine(windowsMs, 5, 100);
        engine.addListener((instrument, f, day, sequence, time) ->
        {
            final Map<Integer, String> values = new HashMap<>();
            for (int i = 0; i < f.count(); i++)
            {
                values.put(f.id(i), f.text(f.id(i)));
            }
            last.put(instrument.venueId() + ":" + instrument.instrumentId(), values);
        });
        return engine;
    }

    private String feature(final int venue, final int instrument, final int id)
    {
        final Map<Integer, String> values = last.get(venue + ":" + instrument);
        return values == null ? "" : values.getOrDefault(id, "");
    }

    private static int windowFeature(final int window, final int offset)
    {
        return FeatureIds.WINDOW_BASE + FeatureIds.WINDOW_STRIDE * window + offset;
    }

    @Test
    void aWindowKeepsEveryTradeInsideItsTimeWhateverTheRate()
    {
        final TestRecords records = new TestRecords(engine(60_000), -2, -3);
        // 1,000 trades a second for 30 s: 30,000 trades, all inside the 60 s window.
        long volume = 0;
        for (int i = 0; i < 30_000; i++)
        {
            final long size = 1 + (i % 7);
            volume += size;
            records.trade(1, 1, 1_000 * MS + i * MS, i, 10_000, size, i % 2 == 0 ? Side.BUY : Side.SELL, TradeKind.TRADE);
        }
        assertEquals("30000", feature(1, 1, windowFeature(0, FeatureIds.TRADE_COUNT)));
        assertEquals(new java.math.BigDecimal(BigInteger.valueOf(volume), 3).toPlainString(),
            feature(1, 1, windowFeature(0, FeatureIds.VOLUME)));
    }

    @Test
    void eachBinanceSpotFillFeedsTheTradeFeaturesOnceThoughBothStreamsCarryIt()
    {
        final TestRecords records = new TestRecords(engine(60_000), -2, -3);
        for (int i = 0; i < 100; i++)
        {
            final long t = 1_000 * MS + i * 10 * MS;
            // the same fill as a trade print and as an aggTrade print
            records.trade(Venues.BINANCE_SPOT, 1, t, 5_000 + i, 10_000 + i, 2, Side.BUY, TradeKind.TRADE);
            records.trade(Venues.BINANCE_SPOT, 1, t + 1, 900 + i, 10_000 + i, 2, Side.BUY, TradeKind.AGG_TRADE);
            // USD-M publishes aggregated trades only: they are its fills
            records.trade(Venues.BINANCE_USDM, 1, t + 2, 700 + i, 10_000 + i, 3, Side.SELL, TradeKind.AGG_TRADE);
        }
        assertEquals("100", feature(Venues.BINANCE_SPOT, 1, windowFeature(0, FeatureIds.TRADE_COUNT)));
        assertEquals("0.200", feature(Venues.BINANCE_SPOT, 1, windowFeature(0, FeatureIds.VOLUME)));
        assertEquals("100", feature(Venues.BINANCE_USDM, 1, windowFeature(0, FeatureIds.TRADE_COUNT)));
        assertEquals("0.300", feature(Venues.BINANCE_USDM, 1, windowFeature(0, FeatureIds.VOLUME)));
    }

    @Test
    void aTradeIdGapLeavesTheBookWhole()
    {
        final TestRecords records = new TestRecords(engine(1_000), -2, -3);
        records.snapshot(1, 1, 1 * MS, new long[][]{{10_000, 1_000}}, new long[][]{{10_010, 1_000}});
        records.status(1, 1, 2 * MS, VenueStatusKind.GAP_DETECTED, StreamKind.TRADE);
        records.status(1, 1, 2 * MS, VenueStatusKind.GAP_DETECTED, StreamKind.AGG_TRADE);
        records.delta(1, 1, 3 * MS, new long[][]{{10_004, 500}}, new long[][]{});
        assertEquals("100.04", feature(1, 1, FeatureIds.BEST_BID), "the delta after the trade gap is applied");
        assertEquals("100.070", feature(1, 1, FeatureIds.MID));
    }

    @Test
    void aBookGapOrAWholeFeedGapStillInvalidatesTheBook()
    {
        for (final StreamKind stream : new StreamKind[]{StreamKind.BOOK, StreamKind.NONE})
        {
            last.clear();
            final TestRecords records = new TestRecords(engine(1_000), -2, -3);
            records.snapshot(1, 1, 1 * MS, new long[][]{{10_000, 1_000}}, new long[][]{{10_010, 1_000}});
            records.status(1, 1, 2 * MS, VenueStatusKind.GAP_DETECTED, stream);
            records.delta(1, 1, 3 * MS, new long[][]{{10_004, 500}}, new long[][]{});
            records.trade(1, 1, 4 * MS, 1, 10_005, 1, Side.BUY, TradeKind.TRADE);
            assertEquals("", feature(1, 1, FeatureIds.MID), stream + ": no mid from a book with a gap");
        }
    }

    @Test
    void realizedVolatilityStaysExactWhenLargeReturnsEnterAndLeaveTheWindow()
    {
        final TestRecords records = new TestRecords(engine(1_000), 0, 0);
        // mids (as bid + ask): 4, 14, 49: two returns of exactly +250% (2.5e9 at exponent -9).
        records.top(1, 1, 100 * MS, 1, 1, 3, 1);
        records.top(1, 1, 200 * MS, 6, 1, 8, 1);
        records.top(1, 1, 300 * MS, 24, 1, 25, 1);
        final BigInteger r1 = BigInteger.valueOf(14 - 4).multiply(BigInteger.TEN.pow(9)).divide(BigInteger.valueOf(4));
        final BigInteger r2 = BigInteger.valueOf(49 - 14).multiply(BigInteger.TEN.pow(9)).divide(BigInteger.valueOf(14));
        assertEquals(rv(r1.pow(2).add(r2.pow(2))), feature(1, 1, windowFeature(0, FeatureIds.REALIZED_VOL)), "both returns");
        // at 1.25 s the return at 0.2 s has left the 1 s window; the one at 0.3 s has not
        records.top(1, 1, 1_250 * MS, 24, 1, 25, 1);
        assertEquals(rv(r2.pow(2)), feature(1, 1, windowFeature(0, FeatureIds.REALIZED_VOL)), "the second return alone");
    }

    private static String rv(final BigInteger sumOfSquares)
    {
        return new java.math.BigDecimal(sumOfSquares.sqrt(), 9).toPlainString();
    }

    @Test
    void spotAndPerpetualOfOneSymbolNeverMeetInTheCrossVenueView()
    {
        final TestRecords records = new TestRecords(engine(1_000), -2, -3);
        records.definition(Venues.BINANCE_SPOT, 1, 1, "BTC-USDT", MarketKind.SPOT);
        records.definition(Venues.BINANCE_USDM, 1, 1, "BTC-USDT", MarketKind.PERPETUAL);
        records.definition(Venues.OKX_SPOT, 7, 1, "BTC-USDT", MarketKind.SPOT);
        records.top(Venues.BINANCE_SPOT, 1, 10 * MS, 10_000, 5, 10_100, 5);
        records.top(Venues.OKX_SPOT, 7, 11 * MS, 10_050, 5, 10_150, 5);
        // the perpetual trades above both spots: mixed in, it would cross the spot view
        records.top(Venues.BINANCE_USDM, 1, 12 * MS, 10_200, 5, 10_300, 5);
        records.top(Venues.BINANCE_SPOT, 1, 13 * MS, 10_000, 6, 10_100, 6);
        assertEquals("100.50", feature(Venues.BINANCE_SPOT, 1, FeatureIds.CROSS_BID));
        assertEquals(String.valueOf(Venues.OKX_SPOT), feature(Venues.BINANCE_SPOT, 1, FeatureIds.CROSS_BID_VENUE));
        assertEquals("101.00", feature(Venues.BINANCE_SPOT, 1, FeatureIds.CROSS_ASK));
        assertEquals(String.valueOf(Venues.BINANCE_SPOT), feature(Venues.BINANCE_SPOT, 1, FeatureIds.CROSS_ASK_VENUE));
        assertEquals("102.00", feature(Venues.BINANCE_USDM, 1, FeatureIds.CROSS_BID));
        assertEquals("103.00", feature(Venues.BINANCE_USDM, 1, FeatureIds.CROSS_ASK));
    }

    @Test
    void atTheMemoryCeilingFeaturesAreFlaggedAndEveryDroppedEventCountedUntilItWouldHaveLeftTheWindow()
    {
        final FeatureEngine engine = new FeatureEngine(new long[]{60_000}, 5, 100, 1024, FillSource.defaults());
        final int[] flags = {-1};
        engine.addListener((instrument, f, day, sequence, time) ->
        {
            flags[0] = f.flags();
            last.put(instrument.venueId() + ":" + instrument.instrumentId(), Map.of(windowFeature(0, FeatureIds.TRADE_COUNT),
                f.text(windowFeature(0, FeatureIds.TRADE_COUNT))));
        });
        final TestRecords records = new TestRecords(engine, -2, -3);
        final long t0 = 1_000 * MS;
        for (int i = 0; i < 2_000; i++)
        {
            records.trade(1, 1, t0 + i * MS, i, 10_000, 1, Side.BUY, TradeKind.TRADE);
        }
        // a ceiling of 1,024 events: the trades at 0..975 ms were dropped while inside the 60 s window
        assertEquals("1024", feature(1, 1, windowFeature(0, FeatureIds.TRADE_COUNT)));
        assertEquals(FeatureSet.FLAG_INCOMPLETE_WINDOW, flags[0]);
        assertEquals(976, engine.droppedAtCeiling());

        // 60.5 s: nothing has expired yet (cutoff 0.5 s), so the ring drops the trade at 976 ms too
        records.trade(1, 1, t0 + 60_500 * MS, 2_000, 10_000, 1, Side.BUY, TradeKind.TRADE);
        assertEquals("1024", feature(1, 1, windowFeature(0, FeatureIds.TRADE_COUNT)));
        assertEquals(FeatureSet.FLAG_INCOMPLETE_WINDOW, flags[0], "a dropped trade would still be inside");
        assertEquals(977, engine.droppedAtCeiling());

        // 61 s: cutoff 1 s; every dropped trade (the last at 976 ms) would have left: complete again,
        // holding the trades at 977..1,999 ms after the cutoff (999) and the two late ones
        records.trade(1, 1, t0 + 61_000 * MS, 2_001, 10_000, 1, Side.BUY, TradeKind.TRADE);
        assertEquals("1001", feature(1, 1, windowFeature(0, FeatureIds.TRADE_COUNT)));
        assertEquals(0, flags[0], "no window misses anything now");
    }

    @Test
    void memoryFollowsTheRateAndIsReturnedWhenItFalls()
    {
        final FeatureEngine engine = engine(1_000, 60_000);
        final TestRecords records = new TestRecords(engine, -2, -3);
        // a burst of 20,000 trades a second for 5 s
        for (int i = 0; i < 100_000; i++)
        {
            records.trade(1, 1, 1_000 * MS + i * 50_000L, i, 10_000, 1, Side.SELL, TradeKind.TRADE);
        }
        final FeatureEngine.Instrument instrument = engine.instruments().get(0);
        assertEquals("100000", feature(1, 1, windowFeature(1, FeatureIds.TRADE_COUNT)));
        assertTrue(instrument.eventCapacity() >= 100_000, "capacity " + instrument.eventCapacity());
        // quiet: one trade a minute later; the burst has left the longest window
        records.trade(1, 1, 70_000 * MS, 100_000, 10_000, 1, Side.SELL, TradeKind.TRADE);
        assertEquals("1", feature(1, 1, windowFeature(1, FeatureIds.TRADE_COUNT)));
        assertEquals(1, instrument.eventsKept());
        assertEquals(FeatureEngine.RING_INITIAL_EVENTS, instrument.eventCapacity(), "memory returned");
    }

    @Test
    void aReturnTooLargeToSquareExactlyIsLeftOutFlaggedAndCountedNeverSaturated()
    {
        final FeatureEngine engine = new FeatureEngine(new long[]{1_000}, 5, 100);
        final int[] flags = {-1};
        final String[] rv = {""};
        engine.addListener((instrument, f, day, sequence, time) ->
        {
            flags[0] = f.flags();
            rv[0] = f.text(windowFeature(0, FeatureIds.REALIZED_VOL));
        });
        final TestRecords records = new TestRecords(engine, 0, 0);
        records.top(1, 1, 100 * MS, 1, 1, 2, 1);
        // mid from 1.5 to about 1e15: a return of about 6.7e23 at 1e-9, beyond 64 bits
        records.top(1, 1, 200 * MS, 1_000_000_000_000_000L, 1, 1_000_000_000_000_001L, 1);
        assertEquals(FeatureSet.FLAG_INCOMPLETE_WINDOW, flags[0]);
        assertEquals("0.000000000", rv[0], "left out, not saturated");
        assertEquals(1, engine.instruments().get(0).returnsOutOfRange());
        // 1.25 s: the return at 0.2 s would have left the 1 s window; an ordinary move is summed again
        records.top(1, 1, 1_250 * MS, 1_000_000_000_000_000L, 1, 1_100_000_000_000_001L, 1);
        assertEquals(0, flags[0]);
        final BigInteger r = BigInteger.valueOf(100_000_000_000_000L).multiply(BigInteger.TEN.pow(9))
            .divide(BigInteger.valueOf(2_000_000_000_000_001L));
        assertEquals(rv(r.pow(2)), rv[0]);
    }
}
