package io.tickjournal.ingest.venue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.decimal.DecimalError;
import io.tickjournal.journal.decimal.DecimalParser;

import java.io.IOException;

/**
 * The Jackson plumbing every JSON venue parser shares: one non-blocking byte-array parser reused
 * for every frame of a connection (frames are fed as consecutive root values of one stream), the
 * check that a frame is exactly one JSON value, and allocation-free readers for decimals, ids,
 * times and text. A venue parser extends it and implements {@link #parseRoot}.
 * <p>
 * Steady state allocates nothing: field names are Jackson's interned strings (compare them with
 * {@code ==}-safe {@code equals} or switch), text values are read from Jackson's character
 * buffer, numbers as longs and decimals by {@link DecimalParser}. On any error the Jackson parser
 * is rebuilt (the only allocation, on the error path), so a bad frame never costs the next one.
 * One instance per connection; not thread safe.
 */
public abstract class JsonFrameParser implements VenueParser
{
    private final JsonFactory factory;
    protected final DecimalParser decimal = new DecimalParser();
    protected JsonParser json;
    private ByteArrayFeeder feeder;
    private static final java.io.OutputStream DISCARD = java.io.OutputStream.nullOutputStream();
    private String errorField;
    private int decimalError;

    /**
     * @param factory the Jackson factory (shareable; it holds the symbol tables).
     */
    protected JsonFrameParser(final JsonFactory factory)
    {
        this.factory = factory;
        rebuild();
    }

    @Override
    public final int parse(final byte[] bytes, final int offset, final int length, final MarketFrame into)
    {
        into.reset();
        errorField = null;
        decimalError = DecimalError.OK;
        final int text = parseText(bytes, offset, length, into);
        if (text >= 0)
        {
            return text;
        }
        try
        {
            if (!feeder.needMoreInput())
            {
                rebuild();
            }
            feeder.feedInput(bytes, offset, offset + length);
            final JsonToken first = json.nextToken();
            if (first == JsonToken.NOT_AVAILABLE || first == null)
            {
                return fail(length == 0 || blank(bytes, offset, length) ? ParseError.TRUNCATED : ParseError.NOT_JSON, into);
            }
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY)
            {
                return fail(ParseError.NOT_AN_OBJECT, into);
            }
            final int result = parseRoot(first, into);
            if (result != ParseError.OK)
            {
                return fail(result, into);
            }
            // The root value must end the frame: only whitespace may follow its closing bracket. A
            // trailing partial token would otherwise be completed by the next frame's bytes. The bytes
            // the parser has not consumed yet are those after the bracket (counted, not copied).
            final int rest = json.releaseBuffered(DISCARD);
            if (rest < 0 || rest > length || !blank(bytes, offset + length - rest, rest))
            {
                return fail(ParseError.TRAILING_BYTES, into);
            }
            if (rest > 0)
            {
                // Consume the trailing whitespace (a pretty-printed frame's newline), or the next frame
                // would find input left over and rebuild the parser: an allocation per such frame.
                json.nextToken();
            }
            return ParseError.OK;
        }
        catch (final Truncated ex)
        {
            return fail(ParseError.TRUNCATED, into);
        }
        catch (final IOException | RuntimeException ex)
        {
            return fail(ParseError.NOT_JSON, into);
        }
    }

    /**
     * A venue's non-JSON frames (OKX {@code pong}, Upbit and Bithumb {@code PING} answers): look at
     * the bytes before JSON parsing.
     *
     * @param bytes  the frame.
     * @param offset first byte.
     * @param length byte count.
     * @param into   the frame to fill.
     * @return a {@link ParseError} code when the frame was handled as text, or -1 to parse it as JSON.
     */
    protected int parseText(final byte[] bytes, final int offset, final int length, final MarketFrame into)
    {
        return -1;
    }

    /**
     * Read the root value, whose first token was read.
     *
     * @param first {@link JsonToken#START_OBJECT} or {@link JsonToken#START_ARRAY}.
     * @param into  the frame to fill.
     * @return {@link ParseError#OK} or an error code.
     * @throws IOException from Jackson.
     */
    protected abstract int parseRoot(JsonToken first, MarketFrame into) throws IOException;

    @Override
    public String errorDetail()
    {
        if (errorField == null)
        {
            return "";
        }
        return decimalError != DecimalError.OK ?
            "field " + errorField + ": " + DecimalError.describe(decimalError) : "field " + errorField;
    }

    private int fail(final int code, final MarketFrame into)
    {
        into.reset();
        rebuild();
        return code;
    }

    private void rebuild()
    {
        try
        {
            if (json != null)
            {
                json.close();
            }
            json = factory.createNonBlockingByteArrayParser();
            feeder = (ByteArrayFeeder)json.getNonBlockingInputFeeder();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot create a JSON parser", ex);
        }
    }

    private static boolean blank(final byte[] bytes, final int offset, final int length)
    {
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final byte b = bytes[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t')
            {
                return false;
            }
        }
        return true;
    }

    // ---- helpers for venue parsers ---------------------------------------------------------------

    /**
     * Note the field behind an error (reported by {@link #errorDetail()}).
     *
     * @param field the JSON field name.
     * @param code  the error code to return.
     * @return {@code code}.
     */
    protected final int error(final String field, final int code)
    {
        errorField = field;
        return code;
    }

    /**
     * The next token, with the end of the frame reported as an error rather than as a token.
     *
     * @return the token.
     * @throws IOException from Jackson, or when the frame ended inside the value.
     */
    protected final JsonToken next() throws IOException
    {
        final JsonToken token = json.nextToken();
        if (token == JsonToken.NOT_AVAILABLE || token == null)
        {
            throw new Truncated();
        }
        return token;
    }

    /**
     * Skip a value whose first token was read (a scalar is already consumed).
     *
     * @param token the value's first token.
     * @return {@link ParseError#OK}.
     * @throws IOException from Jackson, or when the frame ended inside it.
     */
    protected final int skip(final JsonToken token) throws IOException
    {
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY)
        {
            return ParseError.OK;
        }
        int depth = 1;
        while (depth > 0)
        {
            final JsonToken t = next();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)
            {
                depth++;
            }
            else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY)
            {
                depth--;
            }
        }
        return ParseError.OK;
    }

    /**
     * Parse the current token (a JSON string or number) as an exact decimal into {@link #decimal}.
     *
     * @param token the current token.
     * @param field its name, for errors.
     * @return {@link ParseError#OK}, {@link ParseError#BAD_DECIMAL} or {@link ParseError#BAD_FIELD}.
     * @throws IOException from Jackson.
     */
    protected final int decimal(final JsonToken token, final String field) throws IOException
    {
        if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT)
        {
            skip(token);
            return error(field, ParseError.BAD_FIELD);
        }
        final int result = decimal.parse(json.getTextCharacters(), json.getTextOffset(), json.getTextLength());
        if (result != DecimalError.OK)
        {
            decimalError = result;
            return error(field, ParseError.BAD_DECIMAL);
        }
        return ParseError.OK;
    }

    /**
     * Parse a decimal field straight into an event's scalar slot.
     *
     * @param token the current token.
     * @param field its name, for errors.
     * @param event the event.
     * @param slot  the slot.
     * @return {@link ParseError#OK} or an error code.
     * @throws IOException from Jackson.
     */
    protected final int decimalInto(final JsonToken token, final String field, final MarketEvent event, final int slot)
        throws IOException
    {
        final int result = decimal(token, field);
        if (result == ParseError.OK)
        {
            event.decimal(slot, decimal.mantissa(), decimal.exponent());
        }
        return result;
    }

    /**
     * An integer given as a JSON number or as a string of digits (venues do both), exactly.
     *
     * @param token the current token.
     * @param field its name, for errors.
     * @return the value, or {@link Records#NULL_LONG} after noting {@link ParseError#BAD_FIELD}
     *         (check with {@link #badLong()}).
     * @throws IOException from Jackson.
     */
    protected final long longValue(final JsonToken token, final String field) throws IOException
    {
        badLong = false;
        if (token == JsonToken.VALUE_NUMBER_INT)
        {
            try
            {
                return json.getLongValue();
            }
            catch (final IOException | RuntimeException ex)
            {
                badLong = true;
                error(field, ParseError.BAD_FIELD);
                return Records.NULL_LONG;
            }
        }
        if (token == JsonToken.VALUE_STRING)
        {
            final char[] chars = json.getTextCharacters();
            final int start = json.getTextOffset();
            final int length = json.getTextLength();
            final boolean negative = length > 0 && chars[start] == '-';
            final long value = negative ? digitsOf(chars, start + 1, length - 1) : digitsOf(chars, start, length);
            if (value == Records.NULL_LONG)
            {
                badLong = true;
                error(field, ParseError.BAD_FIELD);
                return Records.NULL_LONG;
            }
            return negative ? -value : value;
        }
        skip(token);
        badLong = true;
        error(field, ParseError.BAD_FIELD);
        return Records.NULL_LONG;
    }

    private boolean badLong;

    /**
     * Digits as a JSON number or a string of 1 to 19 digits that fits a long, or null: for ids and
     * codes a venue may write either way, where anything else is simply not an id (never an error).
     *
     * @param token the current token.
     * @return the value, or {@link Records#NULL_LONG}.
     * @throws IOException from Jackson.
     */
    protected final long digits(final JsonToken token) throws IOException
    {
        if (token == JsonToken.VALUE_NUMBER_INT)
        {
            return json.getLongValue();
        }
        if (token != JsonToken.VALUE_STRING)
        {
            return Records.NULL_LONG;
        }
        return digitsOf(json.getTextCharacters(), json.getTextOffset(), json.getTextLength());
    }

    /** 1 to 19 ASCII digits that fit a long, or {@link Records#NULL_LONG}. */
    private static long digitsOf(final char[] chars, final int start, final int length)
    {
        if (length == 0 || length > 19)
        {
            return Records.NULL_LONG;
        }
        if (length <= 18)
        {
            // 18 digits cannot overflow a long: no check per digit (ids such as Bithumb's sequential_id are 17-18 digits).
            long value = 0;
            for (int i = start, end = start + length; i < end; i++)
            {
                final int d = chars[i] - '0';
                if (d < 0 || d > 9)
                {
                    return Records.NULL_LONG;
                }
                value = value * 10 + d;
            }
            return value;
        }
        long value = 0;
        for (int i = 0; i < length; i++)
        {
            final int d = chars[start + i] - '0';
            if (d < 0 || d > 9 || value > (Long.MAX_VALUE - d) / 10)
            {
                return Records.NULL_LONG;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** @return whether the last {@link #longValue} or {@link #timeNs} was not an integer (its error was noted). */
    protected final boolean badLong()
    {
        return badLong;
    }

    /**
     * A time in any unit (see {@link Timestamps}), as a number or a string of digits.
     *
     * @param token the current token.
     * @param field its name, for errors.
     * @return nanoseconds since the epoch, or {@link Records#NULL_LONG} when not a time (then {@link #badLong()} is true).
     * @throws IOException from Jackson.
     */
    protected final long timeNs(final JsonToken token, final String field) throws IOException
    {
        final long raw = longValue(token, field);
        if (badLong)
        {
            error(field, ParseError.BAD_TIME);
            return Records.NULL_LONG;
        }
        final long nanos = Timestamps.toNanos(raw);
        if (nanos == Records.NULL_LONG)
        {
            badLong = true;
            error(field, ParseError.BAD_TIME);
        }
        return nanos;
    }

    /**
     * Whether the current text token equals a constant (ASCII), without allocating.
     *
     * @param text the constant.
     * @return true when equal.
     * @throws IOException from Jackson.
     */
    protected final boolean textIs(final String text) throws IOException
    {
        final int length = json.getTextLength();
        if (length != text.length())
        {
            return false;
        }
        final char[] chars = json.getTextCharacters();
        final int start = json.getTextOffset();
        for (int i = 0; i < length; i++)
        {
            if (chars[start + i] != text.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Copy the current text token's characters into an event's symbol.
     *
     * @param event the event.
     * @throws IOException from Jackson.
     */
    protected final void symbolInto(final MarketEvent event) throws IOException
    {
        event.symbol(json.getTextCharacters(), json.getTextOffset(), json.getTextLength());
    }

    /**
     * A 64-bit FNV-1a hash of the current text token (ids that are not numbers, such as UUIDs).
     *
     * @return the hash.
     * @throws IOException from Jackson.
     */
    protected final long textHash() throws IOException
    {
        final char[] chars = json.getTextCharacters();
        final int start = json.getTextOffset();
        long hash = 0xcbf29ce484222325L;
        for (int i = 0, n = json.getTextLength(); i < n; i++)
        {
            hash ^= chars[start + i];
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /**
     * Append the current text token (or scalar) to a builder, clipped, ASCII (errors, channel names).
     *
     * @param into the builder.
     * @param max  most characters appended.
     * @throws IOException from Jackson.
     */
    protected final void appendText(final StringBuilder into, final int max) throws IOException
    {
        final char[] chars = json.getTextCharacters();
        final int start = json.getTextOffset();
        final int n = Math.min(json.getTextLength(), max);
        for (int i = 0; i < n; i++)
        {
            final char c = chars[start + i];
            into.append(c >= 32 && c < 127 ? c : '?');
        }
    }

    /**
     * Read an array of levels {@code [[price, size, ...], ...]} (the array's start was read) into one side.
     * Elements after price and size (OKX's order counts) are skipped.
     *
     * @param side  the side to append to.
     * @param field the field name, for errors.
     * @param max   most levels accepted.
     * @return {@link ParseError#OK} or an error code.
     * @throws IOException from Jackson.
     */
    protected final int levels(final MarketEvent.Levels side, final String field, final int max) throws IOException
    {
        JsonToken token;
        while ((token = next()) != JsonToken.END_ARRAY)
        {
            if (token != JsonToken.START_ARRAY)
            {
                skip(token);
                return error(field, ParseError.BAD_LEVEL);
            }
            if (side.count() == max)
            {
                return error(field, ParseError.TOO_MANY_LEVELS);
            }
            int result = levelValue(next(), field);
            if (result != ParseError.OK)
            {
                return result;
            }
            final long price = decimal.mantissa();
            final int priceExp = decimal.exponent();
            final int priceScale = decimal.writtenScale();
            result = levelValue(next(), field);
            if (result != ParseError.OK)
            {
                return result;
            }
            side.add(price, priceExp, priceScale, decimal.mantissa(), decimal.exponent(), decimal.writtenScale());
            while ((token = next()) != JsonToken.END_ARRAY)
            {
                skip(token);
            }
        }
        return ParseError.OK;
    }

    private int levelValue(final JsonToken token, final String field) throws IOException
    {
        if (token == JsonToken.END_ARRAY)
        {
            return error(field, ParseError.BAD_LEVEL);
        }
        return decimal(token, field) == ParseError.OK ? ParseError.OK :
            (decimalError != DecimalError.OK ? ParseError.BAD_DECIMAL : ParseError.BAD_LEVEL);
    }

    /** The frame ended inside a value (thrown, caught by {@link #parse}, reported as {@link ParseError#TRUNCATED}). */
    private static final class Truncated extends IOException
    {
        private static final long serialVersionUID = 1L;

        Truncated()
        {
            super("truncated", null);
        }

        @Override
        public synchronized Throwable fillInStackTrace()
        {
            return this;
        }
    }
}
