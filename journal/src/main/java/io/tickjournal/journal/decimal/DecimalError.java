package io.tickjournal.journal.decimal;

/**
 * Result codes of decimal parsing and rescaling: {@link #OK} or the reason a value was refused.
 * Codes are ints so the hot path returns them without allocation; {@link #describe(int)} names them.
 */
public final class DecimalError
{
    public static final int OK = 0;
    public static final int EMPTY = 1;
    public static final int NO_DIGITS = 2;
    public static final int INVALID_CHARACTER = 3;
    public static final int MISPLACED_SIGN = 4;
    public static final int SECOND_POINT = 5;
    public static final int POINT_IN_EXPONENT = 6;
    public static final int MISPLACED_EXPONENT = 7;
    public static final int MISSING_EXPONENT_DIGITS = 8;
    public static final int EXPONENT_OUT_OF_RANGE = 9;
    public static final int TOO_MANY_DIGITS = 10;
    public static final int NOT_EXACT_AT_SCALE = 11;
    public static final int OVERFLOW_AT_SCALE = 12;

    private static final String[] DESCRIPTIONS = {
        "ok",
        "empty text",
        "no digits",
        "invalid character",
        "sign not at the start of the number or exponent",
        "second decimal point",
        "decimal point inside the exponent",
        "exponent marker without digits before it",
        "exponent marker without exponent digits",
        "exponent out of range",
        "more significant digits than an int64 holds",
        "more decimal places than the instrument's exponent allows (would round)",
        "value too large for an int64 at the instrument's exponent",
    };

    private DecimalError()
    {
    }

    /**
     * Name an error code for logs and reports.
     *
     * @param code a code from this class.
     * @return a short description.
     */
    public static String describe(final int code)
    {
        return code >= 0 && code < DESCRIPTIONS.length ? DESCRIPTIONS[code] : "unknown decimal error " + code;
    }
}
