package io.tickjournal.ingest.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** The largest distance between the two mids, and how many of the ms ended with the venues crossed. */
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
        for (long t = ORIGIN_MS; t < ORIGIN_MS + seconds * 1000L; t++)
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
        assertTrue(free[0] > 20, "free walks drift apart (the demo's crossed lines): widest " + free[0] + " ticks");
        assertTrue(free[1] > 120_000 / 4, "and stay crossed much of the time: " + free[1] + " ms of 120,000");
        assertTrue(following[0] <= 6, "following one fair price: widest " + following[0] + " ticks");
        assertTrue(following[1] < free[1], "crossed " + following[1] + " ms following against " + free[1] + " free");
        assertTrue(following[1] < 120_000 / 100, "crossed under a hundredth of the time: " + following[1] + " ms of 120,000");
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
