package io.tickjournal.ingest.venue;

/**
 * Why a frame did not parse: the codes every {@link VenueParser} returns. A frame that fails is
 * kept raw, counted and journaled as a MALFORMED_FRAME status naming the reason; nothing of it
 * reaches the normalized partition.
 */
public final class ParseError
{
    public static final int OK = 0;
    public static final int NOT_JSON = 1;
    public static final int TRUNCATED = 2;
    public static final int TRAILING_BYTES = 3;
    public static final int BAD_DECIMAL = 4;
    public static final int TOO_MANY_LEVELS = 5;
    public static final int NOT_AN_OBJECT = 6;
    public static final int BAD_LEVEL = 7;
    /** A field holds a value of the wrong kind (a text update id, a boolean side that is a number). */
    public static final int BAD_FIELD = 8;
    /** A field the event cannot do without is absent (a trade with no id, a depth event with no {@code u}). */
    public static final int MISSING_FIELD = 9;
    /** A time that is negative or not a time at any magnitude. */
    public static final int BAD_TIME = 10;

    private static final String[] REASONS = {
        "ok", "not JSON", "truncated JSON", "bytes after the JSON value", "bad decimal", "too many book levels",
        "not a JSON object", "book level is not [price, size, ...]", "field of the wrong type", "required field missing",
        "time out of range",
    };

    private ParseError()
    {
    }

    /**
     * @param code a code.
     * @return a short description.
     */
    public static String describe(final int code)
    {
        return code >= 0 && code < REASONS.length ? REASONS[code] : "unknown parse error " + code;
    }
}
