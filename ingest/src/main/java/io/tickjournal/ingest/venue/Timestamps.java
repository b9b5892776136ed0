package io.tickjournal.ingest.venue;

import io.tickjournal.journal.Records;

/**
 * Venue times to nanoseconds by magnitude. Venues send seconds, milliseconds (13 digits),
 * microseconds (16 digits, Upbit, Binance when asked) or nanoseconds, and some change unit
 * between API versions, so a time is read by its size, never by an assumed unit:
 * <pre>
 * | value           | unit | e.g. 2026                |
 * |-----------------|------|--------------------------|
 * | below 10^11     | s    | 1_790_000_000            |
 * | below 10^14     | ms   | 1_790_000_000_000        |
 * | below 10^17     | µs   | 1_790_000_000_000_000    |
 * | otherwise       | ns   | 1_790_000_000_000_000_000|
 * </pre>
 * Every range covers 1973 to 5138 in its unit, so no real venue time is ambiguous.
 */
public final class Timestamps
{
    private Timestamps()
    {
    }

    /**
     * @param value a venue time in an unknown unit.
     * @return nanoseconds since the epoch, or {@link Records#NULL_LONG} when it cannot be a time (zero or negative).
     */
    public static long toNanos(final long value)
    {
        if (value <= 0)
        {
            return Records.NULL_LONG;
        }
        if (value < 100_000_000_000L)
        {
            return value * 1_000_000_000L;
        }
        if (value < 100_000_000_000_000L)
        {
            return value * 1_000_000L;
        }
        if (value < 100_000_000_000_000_000L)
        {
            return value * 1_000L;
        }
        return value;
    }
}
