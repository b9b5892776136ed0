package io.tickjournal.ingest.binance;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import io.tickjournal.journal.decimal.DecimalError;
import io.tickjournal.journal.decimal.DecimalParser;

import java.io.IOException;

/**
 * Parses Binance WebSocket frames and REST depth bodies with Jackson's non-blocking byte-array
 * parser, reused for every frame of a connection, into a reused {@link BinanceMessage}.
 * <p>
 * Steady state allocates nothing: field names are Jackson's interned strings, text values are
 * read from Jackson's character buffer, numbers as longs and decimals by {@link DecimalParser}.
 * A frame that is not one complete JSON object (truncated, trailing bytes, bad syntax, bad
 * decimal) returns an error code; the parser is then rebuilt (the only allocation, on the error
 * path) and the next frame parses normally.
 * One instance per connection; not thread safe.
 */
public final class BinanceParser
{
    public static final int OK = 0;
    public static final int NOT_JSON = 1;
    public static final int TRUNCATED = 2;
    public static final int TRAILING_BYTES = 3;
    public static final int BAD_DECIMAL = 4;
    public static final int TOO_MANY_LEVELS = 5;
    public static final int NOT_AN_OBJECT = 6;
    public static final int BAD_LEVEL = 7;

    private static final String[] REASONS = {
        "ok", "not JSON", "truncated JSON", "bytes after the JSON object", "bad decimal",
        "more levels than " + BinanceMessage.MAX_LEVELS, "not a JSON object", "book level is not [price, size]",
    };

    private final JsonFactory factory;
    private final DecimalParser decimal = new DecimalParser();
    private final BinanceMessage message = new BinanceMessage();
    private JsonParser parser;
    private ByteArrayFeeder feeder;
    private int decimalError;
    private String badField;

    /** A parser with its own Jackson factory. */
    public BinanceParser()
    {
        this(new JsonFactory());
    }

    /**
     * @param factory the Jackson factory (shareable; it holds the symbol tables).
     */
    public BinanceParser(final JsonFactory factory)
    {
        this.factory = factory;
        rebuild();
    }

    /**
     * Why a parse failed.
     *
     * @param code a code from {@link #parse}.
     * @return a short description.
     */
    public static String describe(final int code)
    {
        return code >= 0 && code < REASONS.length ? REASONS[code] : "unknown parse error " + code;
    }

    /** @return the message the last successful parse filled. */
    public BinanceMessage message()
    {
        return message;
    }

    /** @return the decimal error of the last {@link #BAD_DECIMAL}, see {@link DecimalError}. */
    public int decimalError()
    {
        return decimalError;
    }

    /** @return the JSON field holding the bad value of the last {@link #BAD_DECIMAL} or {@link #BAD_LEVEL}. */
    public String badField()
    {
        return badField;
    }

    /**
     * Parse one frame.
     *
     * @param bytes  the frame.
     * @param offset first byte.
     * @param length byte count.
     * @return {@link #OK} or an error code.
     */
    public int parse(final byte[] bytes, final int offset, final int length)
    {
        message.reset();
        decimalError = DecimalError.OK;
        badField = null;
        try
        {
            if (!feeder.needMoreInput())
            {
                rebuild();
            }
            feeder.feedInput(bytes, offset, offset + length);
            JsonToken token = parser.nextToken();
            if (token == JsonToken.NOT_AVAILABLE)
            {
                return fail(length == 0 ? TRUNCATED : NOT_JSON);
            }
            if (token != JsonToken.START_OBJECT)
            {
                return fail(NOT_AN_OBJECT);
            }
            final int result = parseRoot();
            if (result != OK)
            {
                return fail(result);
            }
            token = parser.nextToken();
            if (token != JsonToken.NOT_AVAILABLE)
            {
                return fail(TRAILING_BYTES);
            }
            return OK;
        }
        catch (final IOException | RuntimeException ex)
        {
            return fail(NOT_JSON);
        }
    }

    private int fail(final int code)
    {
        rebuild();
        return code;
    }

    private void rebuild()
    {
        try
        {
            if (parser != null)
            {
                parser.close();
            }
            parser = factory.createNonBlockingByteArrayParser();
            feeder = (ByteArrayFeeder)parser.getNonBlockingInputFeeder();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot create a JSON parser", ex);
        }
    }

    private int parseRoot() throws IOException
    {
        final int result = parseObject(true);
        if (result == OK)
        {
            classify();
        }
        return result;
    }

    /**
     * The fields of an object up to its end: the frame itself ({@code root}: it may wrap the event
     * as a combined stream's {@code stream} and {@code data}), the wrapped event, or an error answer's
     * {@code error} object.
     */
    private int parseObject(final boolean root) throws IOException
    {
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_OBJECT)
        {
            if (token != JsonToken.FIELD_NAME)
            {
                return TRUNCATED;
            }
            final String name = parser.currentName();
            token = parser.nextToken();
            if (token == JsonToken.NOT_AVAILABLE)
            {
                return TRUNCATED;
            }
            final int result;
            if (root && "stream".equals(name) && token == JsonToken.VALUE_STRING)
            {
                message.streamLength = copyText(message.stream);
                result = OK;
            }
            else if (root && "data".equals(name) && token == JsonToken.START_OBJECT)
            {
                result = parseObject(false);
            }
            else
            {
                result = eventField(name, token);
            }
            if (result != OK)
            {
                return result;
            }
        }
        return OK;
    }

    private int eventField(final String name, final JsonToken token) throws IOException
    {
        // Binance's event fields are mostly single letters: dispatch on the character, no string hashing.
        return name.length() == 1 ? letterField(name.charAt(0), token) : namedField(name, token);
    }

    private static final String[] NAMES = new String[128];

    static
    {
        for (char c = 'A'; c <= 'z'; c++)
        {
            NAMES[c] = String.valueOf(c);
        }
    }

    private int letterField(final char c, final JsonToken token) throws IOException
    {
        final BinanceMessage m = message;
        switch (c)
        {
            case 'e':
                if (token == JsonToken.VALUE_STRING)
                {
                    m.eventTypeLength = copyText(m.eventType);
                    return OK;
                }
                return skip(token);
            case 'E':
                m.eventTimeMs = longValue(token, m.eventTimeMs);
                return OK;
            case 'T':
                m.tradeTimeMs = longValue(token, m.tradeTimeMs);
                return OK;
            case 's':
                if (token == JsonToken.VALUE_STRING)
                {
                    m.symbolLength = copyText(m.symbol);
                    return OK;
                }
                return skip(token);
            case 't':
            case 'a':
                if (token == JsonToken.VALUE_NUMBER_INT)
                {
                    m.tradeId = parser.getLongValue();
                    return OK;
                }
                if (token == JsonToken.START_ARRAY)
                {
                    return levels(false, "a");
                }
                return c == 'a' ? decimalField(token, BinanceMessage.ASK_PRICE, NAMES[c]) : skip(token);
            case 'p':
                return decimalField(token, BinanceMessage.PRICE, NAMES[c]);
            case 'q':
                return decimalField(token, BinanceMessage.QTY, NAMES[c]);
            case 'b':
                if (token == JsonToken.START_ARRAY)
                {
                    return levels(true, "b");
                }
                return decimalField(token, BinanceMessage.BID_PRICE, NAMES[c]);
            case 'B':
                return decimalField(token, BinanceMessage.BID_QTY, NAMES[c]);
            case 'A':
                return decimalField(token, BinanceMessage.ASK_QTY, NAMES[c]);
            case 'i':
                return decimalField(token, BinanceMessage.INDEX_PRICE, NAMES[c]);
            case 'r':
                return decimalField(token, BinanceMessage.FUNDING_RATE, NAMES[c]);
            case 'U':
                m.firstUpdateId = longValue(token, m.firstUpdateId);
                return OK;
            case 'u':
                m.finalUpdateId = longValue(token, m.finalUpdateId);
                return OK;
            case 'f':
                m.firstTradeId = longValue(token, m.firstTradeId);
                return OK;
            case 'l':
                m.lastTradeId = longValue(token, m.lastTradeId);
                return OK;
            case 'm':
                m.buyerMaker = token == JsonToken.VALUE_TRUE;
                return OK;
            default:
                return skip(token);
        }
    }

    private int namedField(final String name, final JsonToken token) throws IOException
    {
        final BinanceMessage m = message;
        switch (name)
        {
            case "pu":
                m.prevUpdateId = longValue(token, m.prevUpdateId);
                return OK;
            case "lastUpdateId":
                m.lastUpdateId = longValue(token, m.lastUpdateId);
                return OK;
            case "bids":
                return token == JsonToken.START_ARRAY ? levels(true, name) : skip(token);
            case "asks":
                return token == JsonToken.START_ARRAY ? levels(false, name) : skip(token);
            case "result":
                m.hasResultField = true;
                return skip(token);
            case "id":
                m.requestId = longValue(token, m.requestId);
                return OK;
            case "error":
                m.type = BinanceMessage.ERROR_RESPONSE;
                return token == JsonToken.START_OBJECT ? parseObject(false) : skip(token);
            case "code":
                m.errorCode = (int)longValue(token, m.errorCode);
                return OK;
            default:
                return skip(token);
        }
    }

    private void classify()
    {
        final BinanceMessage m = message;
        if (m.type == BinanceMessage.ERROR_RESPONSE)
        {
            return;
        }
        if (m.eventTypeLength > 0)
        {
            m.type = eventType(m.eventType, m.eventTypeLength);
        }
        else if (m.hasResultField)
        {
            m.type = BinanceMessage.RESPONSE;
        }
        else if (m.lastUpdateId != io.tickjournal.journal.Records.NULL_LONG)
        {
            m.type = BinanceMessage.DEPTH_SNAPSHOT;
        }
        else if (m.finalUpdateId != io.tickjournal.journal.Records.NULL_LONG &&
            m.has(BinanceMessage.BID_PRICE) && m.has(BinanceMessage.ASK_PRICE))
        {
            m.type = BinanceMessage.BOOK_TICKER;
        }
    }

    private static final String[] EVENT_NAMES = {
        "trade", "aggTrade", "depthUpdate", "bookTicker", "markPriceUpdate", "serverShutdown",
    };
    private static final int[] EVENT_TYPES = {
        BinanceMessage.TRADE, BinanceMessage.AGG_TRADE, BinanceMessage.DEPTH_UPDATE, BinanceMessage.BOOK_TICKER,
        BinanceMessage.MARK_PRICE, BinanceMessage.SERVER_SHUTDOWN,
    };

    private static int eventType(final char[] chars, final int length)
    {
        for (int i = 0; i < EVENT_NAMES.length; i++)
        {
            if (equals(chars, length, EVENT_NAMES[i]))
            {
                return EVENT_TYPES[i];
            }
        }
        return BinanceMessage.UNKNOWN;
    }

    static boolean equals(final char[] chars, final int length, final String text)
    {
        if (length != text.length())
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (chars[i] != text.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    private long longValue(final JsonToken token, final long otherwise) throws IOException
    {
        if (token == JsonToken.VALUE_NUMBER_INT)
        {
            return parser.getLongValue();
        }
        skip(token);
        return otherwise;
    }

    private int copyText(final char[] into) throws IOException
    {
        final int length = Math.min(parser.getTextLength(), into.length);
        System.arraycopy(parser.getTextCharacters(), parser.getTextOffset(), into, 0, length);
        return length;
    }

    private int decimalField(final JsonToken token, final int slot, final String name) throws IOException
    {
        if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT)
        {
            return skip(token);
        }
        final int error = decimal.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
        if (error != DecimalError.OK)
        {
            decimalError = error;
            badField = name;
            return BAD_DECIMAL;
        }
        message.put(slot, decimal.mantissa(), decimal.exponent());
        return OK;
    }

    private int levels(final boolean bids, final String name) throws IOException
    {
        final BinanceMessage m = message;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY)
        {
            if (token != JsonToken.START_ARRAY)
            {
                badField = name;
                return token == JsonToken.NOT_AVAILABLE ? TRUNCATED : BAD_LEVEL;
            }
            final int n = bids ? m.bidCount : m.askCount;
            if (n == BinanceMessage.MAX_LEVELS)
            {
                return TOO_MANY_LEVELS;
            }
            if (!levelValue(name))
            {
                return decimalError != DecimalError.OK ? BAD_DECIMAL : BAD_LEVEL;
            }
            final long price = decimal.mantissa();
            final int priceExp = decimal.exponent();
            if (!levelValue(name))
            {
                return decimalError != DecimalError.OK ? BAD_DECIMAL : BAD_LEVEL;
            }
            if (bids)
            {
                m.bidPrice[n] = price;
                m.bidPriceExp[n] = priceExp;
                m.bidSize[n] = decimal.mantissa();
                m.bidSizeExp[n] = decimal.exponent();
                m.bidCount = n + 1;
            }
            else
            {
                m.askPrice[n] = price;
                m.askPriceExp[n] = priceExp;
                m.askSize[n] = decimal.mantissa();
                m.askSizeExp[n] = decimal.exponent();
                m.askCount = n + 1;
            }
            // Binance levels are [price, size]; tolerate (skip) anything after them.
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY)
            {
                if (token == JsonToken.NOT_AVAILABLE)
                {
                    return TRUNCATED;
                }
                skip(token);
            }
        }
        return OK;
    }

    private boolean levelValue(final String name) throws IOException
    {
        final JsonToken token = parser.nextToken();
        if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT)
        {
            badField = name;
            return false;
        }
        final int error = decimal.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
        if (error != DecimalError.OK)
        {
            decimalError = error;
            badField = name;
            return false;
        }
        return true;
    }

    private int skip(final JsonToken token) throws IOException
    {
        if (token == JsonToken.NOT_AVAILABLE)
        {
            return TRUNCATED;
        }
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY)
        {
            return OK;
        }
        int depth = 1;
        while (depth > 0)
        {
            final JsonToken next = parser.nextToken();
            if (next == JsonToken.NOT_AVAILABLE || next == null)
            {
                return TRUNCATED;
            }
            if (next == JsonToken.START_OBJECT || next == JsonToken.START_ARRAY)
            {
                depth++;
            }
            else if (next == JsonToken.END_OBJECT || next == JsonToken.END_ARRAY)
            {
                depth--;
            }
        }
        return OK;
    }
}
