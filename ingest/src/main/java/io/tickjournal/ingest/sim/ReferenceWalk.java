package io.tickjournal.ingest.sim;

/**
 * The fair price of one asset as every simulated venue of it sees it: a random walk in ticks, one
 * step of -1, 0 or +1 every {@link #STEP_MS} from an origin time, each step a pure function of the
 * walk's key and its index. Simulators made with the same origin and markets with the same key (the
 * same start price) compute the same walk on their own threads, sharing no state, so venues of one
 * asset stay a few ticks apart as arbitrage keeps real ones, instead of drifting apart as independent
 * walks do. One instance per market; not thread safe.
 */
final class ReferenceWalk
{
    /** A step every this many ms: slower than a market's own moves, so markets can follow it. */
    static final long STEP_MS = 200;

    private final long key;
    private final long originMs;
    private long steps;
    private long offset;

    /**
     * @param key      the walk's key (the asset's start price in ticks: venues of one asset share it).
     * @param originMs when the walk starts (shared by the simulators of one run).
     */
    ReferenceWalk(final long key, final long originMs)
    {
        this.key = key;
        this.originMs = originMs;
    }

    /**
     * @param nowMs the time, not before the last asked for.
     * @return the walk's offset from its start, in ticks.
     */
    long offsetAt(final long nowMs)
    {
        final long due = Math.max(0, (nowMs - originMs) / STEP_MS);
        while (steps < due)
        {
            steps++;
            final long bits = mix(key * 0x9E3779B97F4A7C15L + steps);
            final int choice = (int)(bits >>> 62); // 0, 1, 2, 3
            offset += choice == 0 ? -1 : choice == 1 ? 1 : 0;
        }
        return offset;
    }

    /** SplitMix64's finalizer. */
    private static long mix(final long value)
    {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
