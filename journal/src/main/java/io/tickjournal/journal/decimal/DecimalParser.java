package io.tickjournal.journal.decimal;

/**
 * Parses decimal text exactly into an int64 mantissa and a base-10 exponent, with no allocation
 * and no floating point.
 * <p>
 * Accepts what venues send: an optional sign ({@code -0}, {@code +1.5}), digits with at most one
 * point (a missing leading or trailing digit is fine: {@code .5}, {@code 5.}), and an optional
 * scientific exponent ({@code 1.16539E8}, {@code 2e-7}). The result is normalised: trailing zeros
 * move into the exponent, so {@code "100473000.00000000"} gives mantissa 100473 and exponent 3,
 * and zero is always {@code (0, 0)}. Normalisation is what lets long zero-padded venue strings fit
 * without losing a digit. A value whose significant digits do not fit in an int64, and any
 * malformed text, is rejected with a specific {@link DecimalError} code and never rounded.
 * <p>
 * Threading: an instance holds the last result; one instance per thread (a parser per venue
 * session). Results are read with {@link #mantissa()} and {@link #exponent()} after a parse that
 * returned {@link DecimalError#OK}.
 */
public final class DecimalParser
{
    /** Largest |exponent| a parsed value may end with; wider than any int8 record field so rescale reports it. */
    public static final int MAX_ABS_EXPONENT = 1_000;

    /** Below {@code SAFE[k]}, {@code digits * 10^k + 9} cannot overflow: skips a division per digit. */
    private static final long[] SAFE = new long[Decimals.MAX_POW10 + 1];

    static
    {
        for (int k = 0; k <= Decimals.MAX_POW10; k++)
        {
            SAFE[k] = (Long.MAX_VALUE - 9) / Decimals.pow10(k);
        }
    }

    private long mantissa;
    private int exponent;

    // scan state
    private long digits;
    private int pendingZeros;
    private int fractionDigits;
    private int digitCount;
    private int expValue;
    private int expDigits;
    private boolean negative;
    private boolean expNegative;
    private int stage;
    private int error;

    private static final int STAGE_START = 0;
    private static final int STAGE_SIGNED = 1;
    private static final int STAGE_INTEGER = 2;
    private static final int STAGE_FRACTION = 3;
    private static final int STAGE_EXP_START = 4;
    private static final int STAGE_EXP_SIGNED = 5;
    private static final int STAGE_EXP_DIGITS = 6;

    /**
     * The mantissa of the last successful parse.
     *
     * @return the significant digits as a signed integer.
     */
    public long mantissa()
    {
        return mantissa;
    }

    /**
     * The digits after the point as the text wrote them ({@code "8477.10"} gives 2, {@code "3366"}
     * gives 0), so the venue's exact text can be rebuilt from mantissa, exponent and scale where a
     * venue checksums its own strings (OKX). Meaningless for scientific notation.
     *
     * @return the written fraction digits of the last successful parse.
     */
    public int writtenScale()
    {
        return fractionDigits;
    }

    /**
     * The exponent of the last successful parse: value = mantissa * 10^exponent.
     *
     * @return the base-10 exponent.
     */
    public int exponent()
    {
        return exponent;
    }

    /**
     * Parse ASCII characters held in a char array (as Jackson's {@code getTextCharacters()} gives them).
     *
     * @param chars  the characters.
     * @param offset first character.
     * @param length number of characters.
     * @return {@link DecimalError#OK} or an error code.
     */
    public int parse(final char[] chars, final int offset, final int length)
    {
        if (fastParse(chars, offset, length))
        {
            return DecimalError.OK;
        }
        begin();
        final int end = offset + length;
        for (int i = offset; i < end && error == DecimalError.OK; i++)
        {
            step(chars[i]);
        }
        return finish(length);
    }

    /**
     * The common case in one pass over the characters with the scan state in locals: an optional
     * sign, digits with at most one point, an optional exponent, at most 18 digits from the first
     * non-zero one (so the accumulator cannot overflow) and an exponent in range. Trailing zeros are
     * accumulated and divided out once at the end, which gives the same normalised result as
     * {@link #step}'s per-digit bookkeeping. Anything else (an error, 19 or more significant digits)
     * returns false and is parsed again by the general scan, so errors and their codes are its alone.
     */
    private boolean fastParse(final char[] chars, final int offset, final int length)
    {
        final int end = offset + length;
        int i = offset;
        boolean negativeValue = false;
        if (i < end && (chars[i] == '-' || chars[i] == '+'))
        {
            negativeValue = chars[i] == '-';
            i++;
        }
        long value = 0;
        int significant = 0;
        int trailingZeros = 0;
        final int integerStart = i;
        int d;
        while (i < end && (d = chars[i] - '0') >= 0 && d <= 9)
        {
            if ((value | d) != 0)
            {
                value = value * 10 + d;
                significant++;
                trailingZeros = d == 0 ? trailingZeros + 1 : 0;
            }
            i++;
        }
        int digitTotal = i - integerStart;
        int fraction = 0;
        if (i < end && chars[i] == '.')
        {
            final int fractionStart = ++i;
            while (i < end && (d = chars[i] - '0') >= 0 && d <= 9)
            {
                if ((value | d) != 0)
                {
                    value = value * 10 + d;
                    significant++;
                    trailingZeros = d == 0 ? trailingZeros + 1 : 0;
                }
                i++;
            }
            fraction = i - fractionStart;
            digitTotal += fraction;
        }
        if (digitTotal == 0 || significant > 18)
        {
            return false;
        }
        int exp = 0;
        if (i < end && (chars[i] == 'e' || chars[i] == 'E'))
        {
            i++;
            boolean negativeExp = false;
            if (i < end && (chars[i] == '-' || chars[i] == '+'))
            {
                negativeExp = chars[i] == '-';
                i++;
            }
            final int expStart = i;
            while (i < end && (d = chars[i] - '0') >= 0 && d <= 9)
            {
                exp = exp * 10 + d;
                if (exp > MAX_ABS_EXPONENT)
                {
                    return false;
                }
                i++;
            }
            if (i == expStart)
            {
                return false;
            }
            exp = negativeExp ? -exp : exp;
        }
        if (i != end)
        {
            return false;
        }
        fractionDigits = fraction;
        if (value == 0)
        {
            mantissa = 0;
            exponent = 0;
            return true;
        }
        final int finalExp = trailingZeros - fraction + exp;
        if (finalExp > MAX_ABS_EXPONENT || finalExp < -MAX_ABS_EXPONENT)
        {
            return false;
        }
        final long digits = trailingZeros == 0 ? value : value / Decimals.pow10(trailingZeros);
        mantissa = negativeValue ? -digits : digits;
        exponent = finalExp;
        return true;
    }

    /**
     * Parse ASCII bytes.
     *
     * @param bytes  the bytes.
     * @param offset first byte.
     * @param length number of bytes.
     * @return {@link DecimalError#OK} or an error code.
     */
    public int parse(final byte[] bytes, final int offset, final int length)
    {
        begin();
        final int end = offset + length;
        for (int i = offset; i < end && error == DecimalError.OK; i++)
        {
            step(bytes[i]);
        }
        return finish(length);
    }

    /**
     * Parse a character sequence (configuration, tests, tools; not the hot path).
     *
     * @param text the text.
     * @return {@link DecimalError#OK} or an error code.
     */
    public int parse(final CharSequence text)
    {
        begin();
        final int length = text.length();
        for (int i = 0; i < length && error == DecimalError.OK; i++)
        {
            step(text.charAt(i));
        }
        return finish(length);
    }

    /**
     * Express the last parsed value at a fixed exponent (the instrument's), exactly.
     * On success {@link #mantissa()} holds the scaled mantissa and {@link #exponent()} the target.
     *
     * @param targetExponent the exponent the record field uses.
     * @return {@link DecimalError#OK}, {@link DecimalError#NOT_EXACT_AT_SCALE} when digits would be lost,
     * or {@link DecimalError#OVERFLOW_AT_SCALE} when the scaled mantissa does not fit.
     */
    public int rescale(final int targetExponent)
    {
        final long scaled = Decimals.rescale(mantissa, exponent, targetExponent);
        if (scaled == Decimals.NOT_REPRESENTABLE)
        {
            return Decimals.rescaleError(mantissa, exponent, targetExponent);
        }
        mantissa = scaled;
        exponent = targetExponent;
        return DecimalError.OK;
    }

    private void begin()
    {
        digits = 0;
        pendingZeros = 0;
        fractionDigits = 0;
        digitCount = 0;
        expValue = 0;
        expDigits = 0;
        negative = false;
        expNegative = false;
        stage = STAGE_START;
        error = DecimalError.OK;
    }

    private void step(final int c)
    {
        if (c >= '0' && c <= '9')
        {
            onDigit(c - '0');
            return;
        }

        switch (c)
        {
            case '-':
            case '+':
                if (stage == STAGE_START)
                {
                    negative = c == '-';
                    stage = STAGE_SIGNED;
                }
                else if (stage == STAGE_EXP_START)
                {
                    expNegative = c == '-';
                    stage = STAGE_EXP_SIGNED;
                }
                else
                {
                    error = DecimalError.MISPLACED_SIGN;
                }
                break;

            case '.':
                if (stage <= STAGE_INTEGER)
                {
                    stage = STAGE_FRACTION;
                }
                else
                {
                    error = stage == STAGE_FRACTION ? DecimalError.SECOND_POINT : DecimalError.POINT_IN_EXPONENT;
                }
                break;

            case 'e':
            case 'E':
                if ((stage == STAGE_INTEGER || stage == STAGE_FRACTION) && digitCount > 0)
                {
                    stage = STAGE_EXP_START;
                }
                else
                {
                    error = DecimalError.MISPLACED_EXPONENT;
                }
                break;

            default:
                error = DecimalError.INVALID_CHARACTER;
        }
    }

    private void onDigit(final int d)
    {
        if (stage >= STAGE_EXP_START)
        {
            stage = STAGE_EXP_DIGITS;
            expDigits++;
            expValue = expValue * 10 + d;
            if (expValue > MAX_ABS_EXPONENT)
            {
                error = DecimalError.EXPONENT_OUT_OF_RANGE;
            }
            return;
        }

        if (stage < STAGE_INTEGER)
        {
            stage = STAGE_INTEGER;
        }
        digitCount++;
        if (stage == STAGE_FRACTION)
        {
            fractionDigits++;
        }

        if (d == 0)
        {
            pendingZeros++;
            return;
        }

        if (digits != 0)
        {
            final int scale = pendingZeros + 1;
            if (scale > Decimals.MAX_POW10 ||
                (digits > SAFE[scale] && digits > (Long.MAX_VALUE - d) / Decimals.pow10(scale)))
            {
                error = DecimalError.TOO_MANY_DIGITS;
                return;
            }
            digits = digits * Decimals.pow10(scale) + d;
        }
        else
        {
            digits = d;
        }
        pendingZeros = 0;
    }

    private int finish(final int length)
    {
        if (error != DecimalError.OK)
        {
            return error;
        }
        if (length == 0)
        {
            return error = DecimalError.EMPTY;
        }
        if (digitCount == 0)
        {
            return error = DecimalError.NO_DIGITS;
        }
        if (stage == STAGE_EXP_START || stage == STAGE_EXP_SIGNED)
        {
            return error = DecimalError.MISSING_EXPONENT_DIGITS;
        }

        if (digits == 0)
        {
            mantissa = 0;
            exponent = 0;
            return DecimalError.OK;
        }

        final int exp = pendingZeros - fractionDigits + (expNegative ? -expValue : expValue);
        if (exp > MAX_ABS_EXPONENT || exp < -MAX_ABS_EXPONENT)
        {
            return error = DecimalError.EXPONENT_OUT_OF_RANGE;
        }
        mantissa = negative ? -digits : digits;
        exponent = exp;
        return DecimalError.OK;
    }
}
