package io.tickjournal.ingest.upbit;

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
 * Upbit and Bithumb v2 (the same protocol family) WebSocket messages into a {@link MarketFrame},
 * whether they came in text or binary WebSocket frames (both are UTF-8 JSON), in either object format
 * a subscription can ask for: {@code DEFAULT} (the documented field names) or {@code SIMPLE} (their
 * documented abbreviations: {@code ty}, {@code cd}, {@code tms}, {@code ttms}, {@code tp}, {@code tv},
 * {@code ab}, {@code sid}, {@code obu} of {@code ap}/{@code as}/{@code bp}/{@code bs}). Both are read
 * whichever was asked for, so a venue that ignores the format, and a capture in the other one, parse
 * the same:
 * <ul>
 * <li>{@code trade}: a TRADE with {@code sequential_id} as the trade id, kept exactly whether it is a
 * JSON number or a string (it exceeds 2^53, so it never goes through a double); {@code ask_bid}
 * {@code ASK} is a seller-initiated trade (aggressor SELL), {@code BID} a buyer-initiated one.</li>
 * <li>{@code orderbook}: every frame is a whole top-N book, a BOOK_SNAPSHOT; each of
 * {@code orderbook_units} holds one ask and one bid at the same rank, and the zero slots that pad a
 * thin book are dropped.</li>
 * <li>{@code ticker}: recognised and not journaled (it carries no top of book).</li>
 * <li>{@code {"status":"UP"}} answers the {@code PING} keep-alive; {@code {"error":{"name":..,"message":..}}}
 * ({@code WRONG_FORMAT}, {@code INVALID_PARAM}, ...) is an error answer.</li>
 * </ul>
 * Prices and sizes are JSON numbers, some in exponent form ({@code 1.16539E8}, {@code 7.9276E-4}),
 * read exactly from their text. Times are milliseconds or microseconds, numbers or strings, read by
 * magnitude. Field order does not matter: the message is classified at its end. One instance per
 * connection; not thread safe.
 */
public final class UpbitParser extends JsonFrameParser
{
    /** Most units a book may carry (30 today; 15 in older documents). */
    public static final int MAX_UNITS = 1_000;

    private static final int T_NONE = 0;
    private static final int T_TRADE = 1;
    private static final int T_ORDERBOOK = 2;
    private static final int T_TICKER = 3;
    private static final int T_OTHER = 4;

    private static final int F_OTHER = 0;
    private static final int F_TYPE = 1;
    private static final int F_CODE = 2;
    private static final int F_TIMESTAMP = 3;
    private static final int F_TRADE_TIMESTAMP = 4;
    private static final int F_TRADE_PRICE = 5;
    private static final int F_TRADE_VOLUME = 6;
    private static final int F_ASK_BID = 7;
    private static final int F_SEQUENTIAL_ID = 8;
    private static final int F_ORDERBOOK_UNITS = 9;
    private static final int F_STATUS = 10;
    private static final int F_ERROR = 11;

    /** Field names in the order the last frames sent them, each with its field (see {@link #fieldOf}). */
    private final String[] seenNames = new String[32];
    private final int[] seenFields = new int[32];

    private MarketEvent event;
    private int type;
    private long sequentialId;
    private boolean hasSequentialId;
    private boolean statusUp;
    private boolean hasError;

    /**
     * @param factory the Jackson factory (shareable).
     */
    public UpbitParser(final JsonFactory factory)
    {
        super(factory);
    }

    @Override
    protected int parseText(final byte[] bytes, final int offset, final int length, final MarketFrame into)
    {
        if (length == 4 && bytes[offset] == 'P' && bytes[offset + 1] == 'O' && bytes[offset + 2] == 'N' && bytes[offset + 3] == 'G')
        {
            into.control(MarketFrame.PONG);
            return ParseError.OK;
        }
        return -1;
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
        type = T_NONE;
        sequentialId = Records.NULL_LONG;
        hasSequentialId = false;
        statusUp = false;
        hasError = false;
        int index = 0;
        JsonToken token;
        while ((token = next()) != JsonToken.END_OBJECT)
        {
            final String name = json.currentName();
            token = next();
            final int result = field(fieldOf(name, index++), name, token, into);
            if (result != ParseError.OK)
            {
                return result;
            }
        }
        return classify(into);
    }

    /**
     * Which field a name is. A venue sends its fields in one order, so the name at each position is
     * remembered with its answer and the next frame's name there is checked by identity alone (Jackson
     * interns field names, its factory default): one comparison a field instead of a string switch
     * (hash, search, equals) for each of a trade's 18 fields. Any other name, a reordered frame, or a
     * factory that does not intern takes the switch and is remembered in its turn.
     */
    private int fieldOf(final String name, final int index)
    {
        if (index < seenNames.length)
        {
            if (seenNames[index] == name)
            {
                return seenFields[index];
            }
            final int field = fieldBySwitch(name);
            seenNames[index] = name;
            seenFields[index] = field;
            return field;
        }
        return fieldBySwitch(name);
    }

    private static int fieldBySwitch(final String name)
    {
        switch (name)
        {
            case "type":
            case "ty":
                return F_TYPE;
            case "code":
            case "cd":
                return F_CODE;
            case "timestamp":
            case "tms":
                return F_TIMESTAMP;
            case "trade_timestamp":
            case "ttms":
                return F_TRADE_TIMESTAMP;
            case "trade_price":
            case "tp":
                return F_TRADE_PRICE;
            case "trade_volume":
            case "tv":
                return F_TRADE_VOLUME;
            case "ask_bid":
            case "ab":
                return F_ASK_BID;
            case "sequential_id":
            case "sid":
                return F_SEQUENTIAL_ID;
            case "orderbook_units":
            case "obu":
                return F_ORDERBOOK_UNITS;
            case "status":
                return F_STATUS;
            case "error":
                return F_ERROR;
            default:
                return F_OTHER;
        }
    }

    private int field(final int field, final String name, final JsonToken token, final MarketFrame into) throws IOException
    {
        final MarketEvent e = event;
        switch (field)
        {
            case F_TYPE:
                if (token == JsonToken.VALUE_STRING)
                {
                    type = textIs("trade") ? T_TRADE : textIs("orderbook") ? T_ORDERBOOK : textIs("ticker") ? T_TICKER : T_OTHER;
                }
                return skip(token);
            case F_CODE:
                if (token == JsonToken.VALUE_STRING)
                {
                    final char[] chars = json.getTextCharacters();
                    final int offset = json.getTextOffset();
                    e.symbol(chars, offset, withoutUnits(chars, offset, json.getTextLength()));
                }
                return skip(token);
            case F_TIMESTAMP:
                e.eventTimeNs(timeNs(token, name));
                return badLong() ? ParseError.BAD_TIME : ParseError.OK;
            case F_TRADE_TIMESTAMP:
                e.tradeTimeNs(timeNs(token, name));
                return badLong() ? ParseError.BAD_TIME : ParseError.OK;
            case F_TRADE_PRICE:
                return decimalInto(token, name, e, MarketEvent.PRICE);
            case F_TRADE_VOLUME:
                return decimalInto(token, name, e, MarketEvent.SIZE);
            case F_ASK_BID:
                if (token == JsonToken.VALUE_STRING)
                {
                    e.side(textIs("ASK") ? Side.SELL : textIs("BID") ? Side.BUY : Side.UNKNOWN);
                }
                return skip(token);
            case F_SEQUENTIAL_ID:
                sequentialId = longValue(token, name);
                hasSequentialId = !badLong();
                return badLong() ? ParseError.BAD_FIELD : ParseError.OK;
            case F_ORDERBOOK_UNITS:
                return token == JsonToken.START_ARRAY ? units() : skip(token);
            case F_STATUS:
                statusUp = token == JsonToken.VALUE_STRING && textIs("UP");
                return skip(token);
            case F_ERROR:
                hasError = true;
                return token == JsonToken.START_OBJECT ? error(into) : skip(token);
            default:
                return skip(token);
        }
    }

    private int error(final MarketFrame into) throws IOException
    {
        JsonToken token;
        while ((token = next()) != JsonToken.END_OBJECT)
        {
            final String name = json.currentName();
            token = next();
            if (token == JsonToken.VALUE_STRING && ("name".equals(name) || "message".equals(name)))
            {
                if (into.errorText().length() > 0)
                {
                    into.errorText().append(": ");
                }
                appendText(into.errorText(), 200);
            }
            skip(token);
        }
        return ParseError.OK;
    }

    /**
     * {@code [{"ask_price":..,"bid_price":..,"ask_size":..,"bid_size":..}, ...]} (in SIMPLE,
     * {@code [{"ap":..,"bp":..,"as":..,"bs":..}, ...]}), best first.
     */
    private int units() throws IOException
    {
        final MarketEvent.Levels asks = event.asks();
        final MarketEvent.Levels bids = event.bids();
        int count = 0;
        JsonToken token;
        while ((token = next()) != JsonToken.END_ARRAY)
        {
            if (token != JsonToken.START_OBJECT)
            {
                skip(token);
                return error("orderbook_units", ParseError.BAD_LEVEL);
            }
            if (++count > MAX_UNITS)
            {
                return error("orderbook_units", ParseError.TOO_MANY_LEVELS);
            }
            long askPrice = 0;
            int askPriceExp = 0;
            long askSize = 0;
            int askSizeExp = 0;
            long bidPrice = 0;
            int bidPriceExp = 0;
            long bidSize = 0;
            int bidSizeExp = 0;
            while ((token = next()) != JsonToken.END_OBJECT)
            {
                final String name = json.currentName();
                token = next();
                final int slot = unitSlot(name);
                if (slot < 0)
                {
                    skip(token);
                    continue;
                }
                final int result = decimal(token, name);
                if (result != ParseError.OK)
                {
                    return result;
                }
                switch (slot)
                {
                    case 0:
                        askPrice = decimal.mantissa();
                        askPriceExp = decimal.exponent();
                        break;
                    case 1:
                        askSize = decimal.mantissa();
                        askSizeExp = decimal.exponent();
                        break;
                    case 2:
                        bidPrice = decimal.mantissa();
                        bidPriceExp = decimal.exponent();
                        break;
                    default:
                        bidSize = decimal.mantissa();
                        bidSizeExp = decimal.exponent();
                        break;
                }
            }
            // A thin book is padded with zero slots: they are no levels.
            if (askPrice != 0 && askSize != 0)
            {
                asks.add(askPrice, askPriceExp, askSize, askSizeExp);
            }
            if (bidPrice != 0 && bidSize != 0)
            {
                bids.add(bidPrice, bidPriceExp, bidSize, bidSizeExp);
            }
        }
        return ParseError.OK;
    }

    /**
     * A code's length without an orderbook units suffix ({@code KRW-BTC.15}): the venues name the code
     * without it in their frames (as the simulator does), but a frame that echoed the subscribed code
     * must still find its instrument. Codes themselves hold no dot ({@code KRW-BTC}).
     */
    static int withoutUnits(final char[] chars, final int offset, final int length)
    {
        int i = offset + length - 1;
        while (i > offset && chars[i] >= '0' && chars[i] <= '9')
        {
            i--;
        }
        return i > offset && i < offset + length - 1 && chars[i] == '.' ? i - offset : length;
    }

    /**
     * Which of a unit's four numbers a field name is, or -1. Jackson interns field names (its
     * factory default), so the four SIMPLE names of every unit (the format the protocol asks for) are
     * found by identity, 120 times a 30-unit book, before any string switch; the DEFAULT names, and
     * names from a factory that does not intern, get the right answer from the switch.
     */
    private static int unitSlot(final String name)
    {
        if (name == "ap")
        {
            return 0;
        }
        if (name == "as")
        {
            return 1;
        }
        if (name == "bp")
        {
            return 2;
        }
        if (name == "bs")
        {
            return 3;
        }
        switch (name)
        {
            case "ask_price":
            case "ap":
                return 0;
            case "ask_size":
            case "as":
                return 1;
            case "bid_price":
            case "bp":
                return 2;
            case "bid_size":
            case "bs":
                return 3;
            default:
                return -1;
        }
    }

    private int classify(final MarketFrame into)
    {
        final MarketEvent e = event;
        if (hasError)
        {
            into.dropLastEvent();
            into.control(MarketFrame.ERROR);
            return ParseError.OK;
        }
        if (statusUp && type == T_NONE)
        {
            into.dropLastEvent();
            into.control(MarketFrame.PONG);
            return ParseError.OK;
        }
        switch (type)
        {
            case T_TRADE:
                if (e.symbolLength() == 0)
                {
                    return error("code", ParseError.MISSING_FIELD);
                }
                if (!hasSequentialId)
                {
                    return error("sequential_id", ParseError.MISSING_FIELD);
                }
                if (!e.has(MarketEvent.PRICE) || !e.has(MarketEvent.SIZE))
                {
                    return error(e.has(MarketEvent.PRICE) ? "trade_volume" : "trade_price", ParseError.MISSING_FIELD);
                }
                e.kind(MarketEvent.TRADE, Channel.TRADE).tradeId(sequentialId);
                return ParseError.OK;
            case T_ORDERBOOK:
                if (e.symbolLength() == 0)
                {
                    return error("code", ParseError.MISSING_FIELD);
                }
                e.kind(MarketEvent.BOOK_SNAPSHOT, Channel.DEPTH);
                return ParseError.OK;
            default:
                into.dropLastEvent();
                return ParseError.OK;
        }
    }
}
