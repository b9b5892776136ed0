package io.tickjournal.journal.decimal;

/**
 * Fixed-point helpers: powers of ten, exact rescaling and formatting of (mantissa, exponent) pairs.
 * Nothing here rounds: a value that cannot be represented exactly is reported, not approximated.
 */
public final class Decimals
{
    /** Returned by {@link #rescale} when the value cannot be held exactly; also SBE's int64 null. */
    public static final long NOT_REPRESENTABLE = Long.MIN_VALUE;

    /** Largest n with 10^n inside an int64. */
    public static final int MAX_POW10 = 18;

    private static final long[] POW10 = new long[MAX_POW10 + 1];
    /** {@code Long.MAX_VALUE / 10^n}: the largest magnitude {@link #rescale} may multiply by 10^n, without a division per call. */
    private static final long[] SCALE_UP_LIMIT = new long[MAX_POW10 + 1];

    static
    {
        long p = 1;
        for (int i = 0; i <= MAX_POW10; i++)
        {
            POW10[i] = p;
            SCALE_UP_LIMIT[i] = Long.MAX_VALUE / p;
            p *= 10;
        }
    }

    private Decimals()
    {
    }

    /**
     * 10^n for 0 &lt;= n &lt;= {@link #MAX_POW10}.
     *
     * @param n the power.
     * @return 10^n.
     */
    public static long pow10(final int n)
    {
        return POW10[n];
    }

    /**
     * The same value at another exponent, or {@link #NOT_REPRESENTABLE}.
     *
     * @param mantissa     the mantissa at {@code fromExponent}.
     * @param fromExponent its exponent.
     * @param toExponent   the wanted exponent.
     * @return the mantissa at {@code toExponent}, or {@link #NOT_REPRESENTABLE} if digits would be lost or it overflows.
     */
    public static long rescale(final long mantissa, final int fromExponent, final int toExponent)
    {
        if (mantissa == 0 || fromExponent == toExponent)
        {
            return mantissa == NOT_REPRESENTABLE ? NOT_REPRESENTABLE : mantissa;
        }
        if (fromExponent > toExponent)
        {
            final int shift = fromExponent - toExponent;
            if (shift > MAX_POW10)
            {
                return NOT_REPRESENTABLE;
            }
            final long factor = POW10[shift];
            final long limit = SCALE_UP_LIMIT[shift];
            if (mantissa > limit || mantissa < -limit)
            {
                return NOT_REPRESENTABLE;
            }
            return mantissa * factor;
        }
        final int shift = toExponent - fromExponent;
        if (shift > MAX_POW10)
        {
            return NOT_REPRESENTABLE;
        }
        final long factor = POW10[shift];
        if (mantissa % factor != 0)
        {
            return NOT_REPRESENTABLE;
        }
        return mantissa / factor;
    }

    /**
     * Why {@link #rescale} refused a value.
     *
     * @param mantissa     the mantissa.
     * @param fromExponent its exponent.
     * @param toExponent   the wanted exponent.
     * @return a {@link DecimalError} code.
     */
    public static int rescaleError(final long mantissa, final int fromExponent, final int toExponent)
    {
        return fromExponent < toExponent ? DecimalError.NOT_EXACT_AT_SCALE : DecimalError.OVERFLOW_AT_SCALE;
    }

    /**
     * Format a fixed-point value as plain decimal text (tools and reports; allocates).
     *
     * @param mantissa the mantissa.
     * @param exponent the exponent.
     * @return the text, e.g. {@code "35743.98000000"} for (3574398000000, -8).
     */
    public static String toString(final long mantissa, final int exponent)
    {
        final StringBuilder sb = new StringBuilder(32);
        appendTo(sb, mantissa, exponent);
        return sb.toString();
    }

    /**
     * Append a fixed-point value as plain decimal text.
     *
     * @param sb       the destination.
     * @param mantissa the mantissa.
     * @param exponent the exponent.
     * @return {@code sb}.
     */
    public static StringBuilder appendTo(final StringBuilder sb, final long mantissa, final int exponent)
    {
        if (mantissa == NOT_REPRESENTABLE)
        {
            return sb.append("null");
        }
        if (mantissa < 0)
        {
            sb.append('-');
        }
        final String digits = Long.toString(Math.abs(mantissa));
        if (exponent >= 0)
        {
            sb.append(digits);
            if (mantissa != 0)
            {
                for (int i = 0; i < exponent; i++)
                {
                    sb.append('0');
                }
            }
            return sb;
        }
        final int places = -exponent;
        if (digits.length() > places)
        {
            final int split = digits.length() - places;
            return sb.append(digits, 0, split).append('.').append(digits, split, digits.length());
        }
        sb.append("0.");
        for (int i = digits.length(); i < places; i++)
        {
            sb.append('0');
        }
        return sb.append(digits);
    }
}
