package io.tickjournal.ops;

import io.tickjournal.journal.TradingDay;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Parses the time options shared by replay, audit and backfill: a day, or an instant (UTC). */
final class TimeRange
{
    private TimeRange()
    {
    }

    /**
     * @param text {@code 2026-11-25}, {@code 2026-11-25T12:00:00}, {@code 2026-11-25T12:00:00.5Z}.
     * @param what the option's name, for the error.
     * @return ns since the epoch (the day's start for a bare day).
     */
    static long parse(final String text, final String what)
    {
        try
        {
            if (text.length() == 10)
            {
                return TradingDay.startNs(TradingDay.parse(text));
            }
            final Instant instant = text.endsWith("Z") ? Instant.parse(text) : LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
        }
        catch (final DateTimeParseException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(what + " '" + text + "' is not a day (2026-11-25) or a UTC time (2026-11-25T12:00:00)");
        }
    }

    /**
     * The range of a day option or from/to options.
     *
     * @param day  a day or null.
     * @param from a start or null.
     * @param to   an end or null.
     * @return {fromNs, toNs}.
     */
    static long[] of(final String day, final String from, final String to)
    {
        if (day != null)
        {
            if (from != null || to != null)
            {
                throw new IllegalArgumentException("give --day or --from/--to, not both");
            }
            final long start = parse(day, "--day");
            return new long[]{start, start + TradingDay.NANOS_PER_DAY};
        }
        final long start = from == null ? 0 : parse(from, "--from");
        final long end = to == null ? Long.MAX_VALUE : parse(to, "--to");
        if (end <= start)
        {
            throw new IllegalArgumentException("--to must be after --from");
        }
        return new long[]{start, end};
    }
}
