package io.tickjournal.ingest.sim;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Simulated venues of one asset follow one fair price, as arbitrage keeps real venues together: two
 * markets with the same start price and different seeds (two venues' own random moves) stay a few
 * ticks apart for minutes of simulated time, where free random walks drift tens of ticks apart and
 * leave one venue's bid above the other's ask for good.
 */
class ReferenceWalkTest
{
    private static final long START = 6_500_000L;
    private static final long ORIGIN_MS = 1_764_460_800_000L;

    /** The largest distance between the two mids, and how many of the ticks ended with the venues crossed. */
    private static long[] run(final boolean follow, final int seconds)
    {
        final SimMarket a = new SimMarket("BTCUSDT", false, START, 1);
        final SimMarket b = new SimMarket("BTC-USDT", false, START, 2);
        if (follow)
        {
            a.followReference(ORIGIN_MS);
            b.followReference(ORIGIN_MS);
        }
        long widest = 0;
        long crossed = 0;
        // Each market moves once a simulator tick, every 5 ms (VenueSimulator's schedule).
        for (long t = ORIGIN_MS; t < ORIGIN_MS + seconds * 1000L; t += 5)
        {
            a.mutate(t);
            b.mutate(t);
            widest = Math.max(widest, Math.abs(a.midUnits - b.midUnits));
            if (a.bids.lastKey() >= b.asks.firstKey() || b.bids.lastKey() >= a.asks.firstKey())
            {
                crossed++;
            }
        }
        return new long[]{widest, crossed};
    }

    @Test
    void venuesOfOneAssetStayAFewTicksApartWhereFreeWalksDriftApart()
    {
        final long[] free = run(false, 120);
        final long[] following = run(true, 120);
        final long ticks = 120_000 / 5;
        assertTrue(free[0] > 15, "free walks drift apart (the demo's crossed lines): widest " + free[0] + " ticks");
        assertTrue(free[1] > ticks / 4, "and stay crossed much of the time: " + free[1] + " of " + ticks + " ticks");
        assertTrue(following[0] <= 6, "following one fair price: widest " + following[0] + " ticks");
        assertTrue(following[1] < free[1], "crossed " + following[1] + " ticks following against " + free[1] + " free");
        assertTrue(following[1] < ticks / 50, "crossed under a fiftieth of the time: " + following[1] + " of " + ticks + " ticks");
    }

    @Test
    void aSimulatorGivenAReferenceOriginMakesEveryMarketFollowIt() throws Exception
    {
        final Map<String, Long> prices = Map.of("KRW-BTC", 95_000_000L, "KRW-ETH", 5_100_000L);
        try (VenueSimulator with = new VenueSimulator(new UpbitSimProtocol(false),
                VenueSimulator.Settings.defaults(prices).withReference(System.currentTimeMillis()), 0);
             VenueSimulator without = new VenueSimulator(new UpbitSimProtocol(false), VenueSimulator.Settings.defaults(prices), 0))
        {
            for (final String symbol : prices.keySet())
            {
                assertTrue(with.onLoop(() -> with.market(symbol).followsReference()), symbol);
                assertFalse(without.onLoop(() -> without.market(symbol).followsReference()), "the default is a free walk: " + symbol);
            }
        }
    }

    @Test
    void theWalkIsAPureFunctionOfItsKeyAndTheTime()
    {
        final ReferenceWalk one = new ReferenceWalk(START, ORIGIN_MS);
        final ReferenceWalk other = new ReferenceWalk(START, ORIGIN_MS);
        final ReferenceWalk eth = new ReferenceWalk(345_000L, ORIGIN_MS);
        long previous = 0;
        boolean moved = false;
        boolean differs = false;
        for (long t = ORIGIN_MS; t < ORIGIN_MS + 600_000; t += ReferenceWalk.STEP_MS)
        {
            final long offset = one.offsetAt(t);
            assertTrue(Math.abs(offset - previous) <= 1, "a step of at most one tick at " + t);
            moved |= offset != previous;
            previous = offset;
            differs |= eth.offsetAt(t) != offset;
        }
        assertTrue(moved);
        assertTrue(differs, "another asset walks its own way");
        assertEquals(previous, other.offsetAt(ORIGIN_MS + 600_000 - 1), "asked only at the end, the same walk");
        assertEquals(0, new ReferenceWalk(START, ORIGIN_MS).offsetAt(ORIGIN_MS - 5_000), "nothing before the origin");
        assertNotEquals(0, new ReferenceWalk(START, ORIGIN_MS).offsetAt(ORIGIN_MS + 3_600_000), "an hour on it has moved");
    }
}
