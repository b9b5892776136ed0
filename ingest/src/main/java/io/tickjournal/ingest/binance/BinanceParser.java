package io.tickjournal.ingest.binance;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonToken;
import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.venue.JsonFrameParser;
import io.tickjournal.ingest.venue.MarketEvent;
import io.tickjournal.ingest.venue.MarketFrame;
import io.tickjournal.ingest.venue.ParseError;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.Side;

import java.io.IOException;

/**
 * Binance spot and USD-M WebSocket frames (raw or wrapped in a combined stream's
 * {@code {"stream":...,"data":...}}) and REST depth bodies, into a {@link MarketFrame}.
 * <p>
 * Binance's fields are mostly single letters whose meaning depends on the event, so the parser
 * reads them into scratch fields and classifies at the end of the object: {@code a} is the
 * aggregate trade id in an {@code aggTrade}, the best ask in a {@code bookTicker}, the asks in a
 * {@code depthUpdate}, and the seller's order id in a {@code trade} from before 2024 (which must
 * never overwrite the trade id {@code t}). Times are read by magnitude (ms today, µs when asked).
 * One instance per connection; not thread safe.
 */
public final class BinanceParser extends JsonFrameParser
{
    /** Most levels a side may carry (Binance's REST maximum). */
    public static final int MAX_LEVELS = 5_000;


    private static final int E_NONE = 0;
    private static final int E_TRADE = 1;
    private static final int E_AGG_TRADE = 2;
    private static final int E_DEPTH = 3;
    private static final int E_BOOK_TICKER = 4;
    private static final int E_MARK_PRICE = 5;
    private static final int E_SHUTDOWN = 6;
    private static final int E_UNKNOWN = 7;

    private static final String[] EVENT_NAMES = {
        "trade", "aggTrade", "depthUpdate", "bookTicker", "markPriceUpdate", "serverShutdown",
    };

    private MarketEvent event;
    private boolean rest;
    private int eventType;
    private long t;
    private long aNumber;
    private boolean hasANumber;
    private long eventTimeNs;
    private long tradeTimeNs;
    private long firstId;
    private long finalId;
    private long prevId;
    private long lastUpdateId;
    private int buyerMaker;
    private boolean hasResult;
    private boolean hasError;
    private long requestId;
    private long errorCode;
    private final char[] stream = new char[MarketEvent.MAX_SYMBOL + 32];
    private int streamLength;

    /** A parser with its own Jackson factory. */
    public BinanceParser()
    {
        this(new JsonFactory());
    }

    /**
     * @param factory the Jackson factory (shareable).
     */
    public BinanceParser(final JsonFactory factory)
    {
        super(factory);
    }

    @Override
    public int parseSnapshot(final byte[] bytes, final int offset, final int length, final MarketFrame into)
    {
        rest = true;
        try
        {
            return parse(bytes, offset, length, into);
        }
        finally
        {
            rest = false;
        }
    }

    @Override
    protected int parseRoot(final JsonToken first, final MarketFrame into) throws IOException
    {
        if (first != JsonToken.START_OBJECT)
        {
            skip(first);
            return ParseError.NOT_AN_OBJECT;
        }
        event = into.nextEvent();
        eventType = E_NONE;
        t = Records.NULL_LONG;
        aNumber = Records.NULL_LONG;
        hasANumber = false;
        eventTimeNs = Records.NULL_LONG;
        tradeTimeNs = Records.NULL_LONG;
        firstId = Records.NULL_LONG;
        finalId = Records.NULL_LONG;
        prevId = Records.NULL_LONG;
        lastUpdateId = Records.NULL_LONG;
        buyerMaker = -1;
        hasResult = false;
        hasError = false;
        requestId = Records.NULL_LONG;
        errorCode = 0;
        streamLength = 0;
        final int result = object(true, into);
        return result != ParseError.OK ? result : classify(into);
    }

    /**
     * The fields of an object up to its end: the frame itself (which may wrap the event as a
     * combined stream's {@code stream} and {@code data}), the wrapped event, or an error's {@code error}.
     */
    private int object(final boolean root, final MarketFrame into) throws IOException
    {
        JsonToken token;
        while ((token = next()) != JsonToken.END_OBJECT)
        {
            final String name = json.currentName();
            token = next();
            final int result;
            if (root && "stream".equals(name) && token == JsonToken.VALUE_STRING)
            {
                streamLength = Math.min(json.getTextLength(), stream.length);
                System.arraycopy(json.getTextCharacters(), json.getTextOffset(), stream, 0, streamLength);
                result = ParseError.OK;
            }
            else if (root && "data".equals(name) && token == JsonToken.START_OBJECT)
            {
                result = object(false, into);
            }
            else if (name.length() == 1)
            {
                result = letter(name.charAt(0), token);
            }
            else
            {
                result = named(name, token, into);
            }
            if (result != ParseError.OK)
            {
                return result;
            }
        }
        return ParseError.OK;
    }

    private int letter(final char c, final JsonToken token) throws IOException
    {
        final MarketEvent e = event;
        switch (c)
        {
            case 'e':
                eventType = token == JsonToken.VALUE_STRING ? eventType() : E_UNKNOWN;
                return skip(token);
            case 'E':
                eventTimeNs = timeNs(token, "E");
                return badLong() ? ParseError.BAD_TIME : ParseError.OK;
            case 'T':
                tradeTimeNs = timeNs(token, "T");
                return badLong() ? ParseError.BAD_TIME : ParseError.OK;
            case 's':
                if (token == JsonToken.VALUE_STRING)
                {
                    symbolInto(e);
                }
                return skip(token);
            case 't':
                t = longValue(token, "t");
                return badLong() ? ParseError.BAD_FIELD : ParseError.OK;
            case 'a':
                if (token == JsonToken.VALUE_NUMBER_INT)
                {
                    aNumber = longValue(token, "a");
                    hasANumber = true;
                    return ParseError.OK;
                }
                if (token == JsonToken.START_ARRAY)
                {
                    return levels(e.asks(), "a", MAX_LEVELS);
                }
                return decimalInto(token, "a", e, MarketEvent.ASK_PRICE);
            case 'b':
                if (token == JsonToken.START_ARRAY)
                {
                    return levels(e.bids(), "b", MAX_LEVELS);
                }
                if (token == JsonToken.VALUE_NUMBER_INT)
                {
                    // Before 2024 a trade carried the buyer's order id as b: not a price.
                    return ParseError.OK;
                }
                return decimalInto(token, "b", e, MarketEvent.BID_PRICE);
            case 'p':
                return decimalInto(token, "p", e, MarketEvent.PRICE);
            case 'q':
                return decimalInto(token, "q", e, MarketEvent.SIZE);
            case 'B':
                return decimalInto(token, "B", e, MarketEvent.BID_SIZE);
            case 'A':
                return decimalInto(token, "A", e, MarketEvent.ASK_SIZE);
            case 'i':
                return decimalInto(token, "i", e, MarketEvent.INDEX_PRICE);
            case 'r':
                return decimalInto(token, "r", e, MarketEvent.FUNDING_RATE);
            case 'U':
                firstId = longValue(token, "U");
                return badLong() ? ParseError.BAD_FIELD : ParseError.OK;
            case 'u':
                finalId = longValue(token, "u");
                return badLong() ? ParseError.BAD_FIELD : ParseError.OK;
            case 'm':
                buyerMaker = token == JsonToken.VALUE_TRUE ? 1 : token == JsonToken.VALUE_FALSE ? 0 : -1;
                return skip(token);
            default:
                return skip(token);
        }
    }

    private int named(final String name, final JsonToken token, final MarketFrame into) throws IOException
    {
        switch (name)
        {
            case "pu":
                prevId = longValue(token, name);
                return badLong() ? ParseError.BAD_FIELD : ParseError.OK;
            case "lastUpdateId":
                lastUpdateId = longValue(token, name);
                return badLong() ? ParseError.BAD_FIELD : ParseError.OK;
            case "bids":
                return token == JsonToken.START_ARRAY ? levels(event.bids(), name, MAX_LEVELS) : skip(token);
            case "asks":
                return token == JsonToken.START_ARRAY ? levels(event.asks(), name, MAX_LEVELS) : skip(token);
            case "result":
                hasResult = true;
                return skip(token);
            case "id":
                requestId = token == JsonToken.VALUE_NUMBER_INT ? json.getLongValue() : Records.NULL_LONG;
                return skip(token);
            case "error":
                hasError = true;
                return token == JsonToken.START_OBJECT ? object(false, into) : skip(token);
            case "code":
                errorCode = token == JsonToken.VALUE_NUMBER_INT ? json.getLongValue() : 0;
                return skip(token);
            case "msg":
                if (token == JsonToken.VALUE_STRING)
                {
                    into.errorText().append(' ');
                    appendText(into.errorText(), 200);
                }
                return skip(token);
            default:
                return skip(token);
        }
    }

    private int eventType() throws IOException
    {
        for (int i = 0; i < EVENT_NAMES.length; i++)
        {
            if (textIs(EVENT_NAMES[i]))
            {
                return i + 1;
            }
        }
        return E_UNKNOWN;
    }

    private int classify(final MarketFrame into)
    {
        final MarketEvent e = event;
        if (hasError)
        {
            into.dropLastEvent();
            into.errorText().insert(0, errorCode).insert(0, "code ");
            into.control(MarketFrame.ERROR).requestId(requestId);
            return ParseError.OK;
        }
        if (e.symbolLength() == 0 && streamLength > 0)
        {
            int at = 0;
            while (at < streamLength && stream[at] != '@')
            {
                at++;
            }
            e.symbol(stream, 0, at);
        }
        e.eventTimeNs(eventTimeNs).tradeTimeNs(tradeTimeNs);
        switch (eventType)
        {
            case E_TRADE:
                if (t == Records.NULL_LONG)
                {
                    return error("t", ParseError.MISSING_FIELD);
                }
                e.kind(MarketEvent.TRADE, Channel.TRADE).tradeId(t).side(side());
                return requireTrade();
            case E_AGG_TRADE:
                if (!hasANumber)
                {
                    return error("a", ParseError.MISSING_FIELD);
                }
                e.kind(MarketEvent.TRADE, Channel.AGG_TRADE).tradeId(aNumber).side(side());
                return requireTrade();
            case E_DEPTH:
                if (firstId == Records.NULL_LONG || finalId == Records.NULL_LONG)
                {
                    return error(firstId == Records.NULL_LONG ? "U" : "u", ParseError.MISSING_FIELD);
                }
                e.kind(MarketEvent.BOOK_DELTA, Channel.DEPTH).ids(firstId, finalId, prevId);
                return ParseError.OK;
            case E_MARK_PRICE:
                if (!e.has(MarketEvent.PRICE))
                {
                    return error("p", ParseError.MISSING_FIELD);
                }
                e.decimal(MarketEvent.MARK, e.mantissa(MarketEvent.PRICE), e.exponent(MarketEvent.PRICE));
                e.kind(MarketEvent.MARK_PRICE, Channel.MARK_PRICE).nextFundingTimeNs(tradeTimeNs).tradeTimeNs(Records.NULL_LONG);
                return ParseError.OK;
            case E_SHUTDOWN:
                into.dropLastEvent();
                into.control(MarketFrame.SHUTDOWN_NOTICE);
                return ParseError.OK;
            case E_BOOK_TICKER:
                return bookTicker();
            case E_UNKNOWN:
                into.dropLastEvent();
                return ParseError.OK;
            default:
                break;
        }
        if (hasResult)
        {
            into.dropLastEvent();
            into.control(MarketFrame.ACK).requestId(requestId);
            return ParseError.OK;
        }
        if (lastUpdateId != Records.NULL_LONG)
        {
            if (!rest)
            {
                // A partial-depth stream: not subscribed by this project's plans.
                into.dropLastEvent();
                return ParseError.OK;
            }
            e.kind(MarketEvent.BOOK_SNAPSHOT, Channel.DEPTH).ids(Records.NULL_LONG, lastUpdateId, Records.NULL_LONG);
            return ParseError.OK;
        }
        if (finalId != Records.NULL_LONG && e.has(MarketEvent.BID_PRICE) && e.has(MarketEvent.ASK_PRICE))
        {
            // Spot's bookTicker has no event type.
            return bookTicker();
        }
        into.dropLastEvent();
        return ParseError.OK;
    }

    private int bookTicker()
    {
        final MarketEvent e = event;
        if (finalId == Records.NULL_LONG)
        {
            return error("u", ParseError.MISSING_FIELD);
        }
        if (!e.has(MarketEvent.BID_PRICE) || !e.has(MarketEvent.BID_SIZE) || !e.has(MarketEvent.ASK_PRICE) ||
            !e.has(MarketEvent.ASK_SIZE))
        {
            return error("b/B/a/A", ParseError.MISSING_FIELD);
        }
        e.kind(MarketEvent.TOP_OF_BOOK, Channel.BOOK_TICKER).ids(Records.NULL_LONG, finalId, Records.NULL_LONG);
        return ParseError.OK;
    }

    private int requireTrade()
    {
        if (!event.has(MarketEvent.PRICE))
        {
            return error("p", ParseError.MISSING_FIELD);
        }
        if (!event.has(MarketEvent.SIZE))
        {
            return error("q", ParseError.MISSING_FIELD);
        }
        return ParseError.OK;
    }

    private Side side()
    {
        // m: the buyer was the maker, so the aggressor sold. Absent or not a boolean: unknown.
        return buyerMaker == 1 ? Side.SELL : buyerMaker == 0 ? Side.BUY : Side.UNKNOWN;
    }
}
