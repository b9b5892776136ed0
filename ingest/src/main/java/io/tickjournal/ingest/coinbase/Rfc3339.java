package io.tickjournal.ingest.coinbase;

import io.tickjournal.journal.Records;

/**
 * RFC 3339 times as Coinbase writes them ({@code 2023-02-09T20:32:50.714964855Z}, up to nine
 * fraction digits, {@code Z} or a {@code +hh:mm} offset) to nanoseconds since the epoch, from
 * characters, without allocating. Stateless.
 */
final class Rfc3339
{
    private Rfc3339()
    {
    }

    /**
     * @param c      characters.
     * @param offset first.
     * @param length count.
     * @return nanoseconds since the epoch, or {@link Records#NULL_LONG} when the text is not such a time.
     */
    static long toNanos(final char[] c, final int offset, final int length)
    {
        if (length < 20 || c[offset + 4] != '-' || c[offset + 7] != '-' || (c[offset + 10] != 'T' && c[offset + 10] != 't' &&
            c[offset + 10] != ' ') || c[offset + 13] != ':' || c[offset + 16] != ':')
        {
            return Records.NULL_LONG;
        }
        final int year = digits(c, offset, 4);
        final int month = digits(c, offset + 5, 2);
        final int day = digits(c, offset + 8, 2);
        final int hour = digits(c, offset + 11, 2);
        final int minute = digits(c, offset + 14, 2);
        final int second = digits(c, offset + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
            second < 0 || second > 60)
        {
            return Records.NULL_LONG;
        }
        int at = offset + 19;
        final int end = offset + length;
        long fraction = 0;
        if (at < end && c[at] == '.')
        {
            at++;
            int n = 0;
            while (at < end && c[at] >= '0' && c[at] <= '9')
            {
                if (n < 9)
                {
                    fraction = fraction * 10 + (c[at] - '0');
                }
                n++;
                at++;
            }
            if (n == 0)
            {
                return Records.NULL_LONG;
            }
            for (int k = Math.min(n, 9); k < 9; k++)
            {
                fraction *= 10;
            }
        }
        long offsetSeconds;
        if (at == end - 1 && (c[at] == 'Z' || c[at] == 'z'))
        {
            offsetSeconds = 0;
        }
        else if (at == end - 6 && (c[at] == '+' || c[at] == '-') && c[at + 3] == ':')
        {
            final int h = digits(c, at + 1, 2);
            final int m = digits(c, at + 4, 2);
            if (h < 0 || m < 0)
            {
                return Records.NULL_LONG;
            }
            offsetSeconds = (h * 3600L + m * 60L) * (c[at] == '-' ? -1 : 1);
        }
        else
        {
            return Records.NULL_LONG;
        }
        final long seconds = daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return seconds * 1_000_000_000L + fraction;
    }

    private static int digits(final char[] c, final int offset, final int count)
    {
        int value = 0;
        for (int i = offset; i < offset + count; i++)
        {
            final int d = c[i] - '0';
            if (d < 0 || d > 9)
            {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date. */
    private static long daysFromCivil(final int year, final int month, final int day)
    {
        final int y = month <= 2 ? year - 1 : year;
        final int era = (y >= 0 ? y : y - 399) / 400;
        final int yoe = y - era * 400;
        final int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        final int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468L;
    }
}
