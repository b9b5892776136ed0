package io.tickjournal.journal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * A trading day is a UTC calendar day, numbered as days since the epoch; it is exactly the
 * journal's daily cycle number, so (day, sequence) names a record in every partition.
 */
public final class TradingDay
{
    public static final long NANOS_PER_DAY = 86_400_000_000_000L;
    public static final long MILLIS_PER_DAY = 86_400_000L;

    private TradingDay()
    {
    }

    /**
     * The trading day of a time.
     *
     * @param epochNs ns since the epoch.
     * @return days since the epoch (UTC).
     */
    public static int ofEpochNs(final long epochNs)
    {
        return (int)Math.floorDiv(epochNs, NANOS_PER_DAY);
    }

    /**
     * Start of a trading day.
     *
     * @param day days since the epoch.
     * @return ns since the epoch of 00:00 UTC that day.
     */
    public static long startNs(final int day)
    {
        return day * NANOS_PER_DAY;
    }

    /**
     * ISO text of a day.
     *
     * @param day days since the epoch.
     * @return e.g. {@code 2026-11-25}.
     */
    public static String format(final int day)
    {
        return LocalDate.ofEpochDay(day).toString();
    }

    /**
     * Parse an ISO date.
     *
     * @param text e.g. {@code 2026-11-25}.
     * @return days since the epoch.
     * @throws IllegalArgumentException naming the text when it is not a date.
     */
    public static int parse(final String text)
    {
        try
        {
            return (int)LocalDate.parse(text).toEpochDay();
        }
        catch (final DateTimeParseException ex)
        {
            throw new IllegalArgumentException("not a trading day (want yyyy-MM-dd): '" + text + "'", ex);
        }
    }
}
