package io.tickjournal.ingest.coinbase;

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
import java.util.Arrays;

/**
 * Coinbase Advanced Trade WebSocket messages into a {@link MarketFrame}: the envelope
 * ({@code channel}, {@code timestamp}, {@code sequence_num}, {@code events}) and its events, recognised
 * by what they hold rather than by the order of fields:
 * <ul>
 * <li>{@code updates} ({@code l2_data}): one BOOK_SNAPSHOT ({@code type: snapshot}) or BOOK_DELTA
 * ({@code update}) per event, levels with the absolute {@code new_quantity} ("0" removes); asks arrive
 * as {@code offer}, {@code ask} is accepted too.</li>
 * <li>{@code trades} ({@code market_trades}): a batch, one TRADE per element, journaled oldest first
 * (a batch written newest first is reversed) so rising trade ids show no false gap.</li>
 * <li>{@code tickers} ({@code ticker}, {@code ticker_batch}): a TOP_OF_BOOK where the ticker carries
 * {@code best_bid}, {@code best_bid_quantity}, {@code best_ask} and {@code best_ask_quantity}.</li>
 * <li>{@code subscriptions}: an acknowledgement; {@code heartbeats}: nothing to journal;
 * {@code {"type":"error","message":...}}: an error answer.</li>
 * </ul>
 * Every message's {@code sequence_num} is handed on as the frame's connection sequence. Event times:
 * the envelope's {@code timestamp} (a trade's own {@code time} is its trade time; a book event takes the
 * latest {@code event_time} of its updates when it has one after the epoch). One instance per
 * connection; not thread safe.
 */
public final class CoinbaseParser extends JsonFrameParser
{
    /** Most levels one book event may carry (a whole level2 snapshot of a deep book). */
    public static final int MAX_LEVELS = 100_000;

    private static final int C_OTHER = 0;
    private static final int C_SUBSCRIPTIONS = 1;
    private static final int C_HEARTBEATS = 2;

    private final boolean sideIsMaker;
    private int channel;
    private boolean isError;
    private long messageTimeNs;
    private long sequence;
    private MarketEvent book;
    private int bookType;
    private long bookTimeNs;
    private final char[] eventSymbol = new char[MarketEvent.MAX_SYMBOL];
    private final char[] lastTimeText = new char[40];
    private int lastTimeLength;
    private long lastTimeNs;
    private int eventSymbolLength;
    private int eventTypeCode;

    /**
     * @param factory     the Jackson factory (shareable).
     * @param sideIsMaker how to read a trade's {@code side}: true when it names the maker's side (the
     *                    aggressor is the other side), false when it names the aggressor's.
     */
    public CoinbaseParser(final JsonFactory factory, final boolean sideIsMaker)
    {
        super(factory);
        this.sideIsMaker = sideIsMaker;
    }

    @Override
    protected int parseRoot(final JsonToken first, final MarketFrame into) throws IOException
    {
        if (first != JsonToken.START_OBJECT)
        {
            skip(first);
            return ParseError.NOT_AN_OBJECT;
        }
        channel = C_OTHER;
        isError = false;
        messageTimeNs = Records.NULL_LONG;
        sequence = Records.NULL_LONG;
        JsonToken token;
        while ((token = next()) != JsonToken.END_OBJECT)
        {
            final String name = json.currentName();
            token = next();
            final int result;
            switch (name)
            {
                case "channel":
                    if (token == JsonToken.VALUE_STRING)
                    {
                        channel = textIs("subscriptions") ? C_SUBSCRIPTIONS : textIs("heartbeats") ? C_HEARTBEATS : C_OTHER;
                    }
                    result = skip(token);
                    break;
                case "type":
                    isError = token == JsonToken.VALUE_STRING && textIs("error");
                    result = skip(token);
                    break;
                case "message":
                    if (token == JsonToken.VALUE_STRING)
                    {
                        appendText(into.errorText(), 200);
                    }
                    result = skip(token);
                    break;
                case "timestamp":
                    messageTimeNs = time(token, "timestamp");
                    result = messageTimeNs == Records.NULL_LONG ? ParseError.BAD_TIME : ParseError.OK;
                    break;
                case "sequence_num":
                    sequence = longValue(token, "sequence_num");
                    result = badLong() ? ParseError.BAD_FIELD : ParseError.OK;
                    break;
                case "events":
                    result = token == JsonToken.START_ARRAY ? events(into) : skip(token);
                    break;
                default:
                    result = skip(token);
                    break;
            }
            if (result != ParseError.OK)
            {
                return result;
            }
        }
        into.connectionSequence(sequence);
        if (isError)
        {
            clearEvents(into);
            into.control(MarketFrame.ERROR);
            return ParseError.OK;
        }
        if (channel == C_SUBSCRIPTIONS)
        {
            clearEvents(into);
            into.control(MarketFrame.ACK).acknowledged(0);
            return ParseError.OK;
        }
        if (channel == C_HEARTBEATS)
        {
            clearEvents(into);
            return ParseError.OK;
        }
        for (int i = 0, n = into.eventCount(); i < n; i++)
        {
            final MarketEvent e = into.event(i);
            if (e.eventTimeNs() == Records.NULL_LONG)
            {
                e.eventTimeNs(messageTimeNs);
            }
        }
        return ParseError.OK;
    }

    private static void clearEvents(final MarketFrame into)
    {
        while (into.eventCount() > 0)
        {
            into.dropLastEvent();
        }
    }

    private long time(final JsonToken token, final String field) throws IOException
    {
        if (token != JsonToken.VALUE_STRING)
        {
            skip(token);
            error(field, ParseError.BAD_TIME);
            return Records.NULL_LONG;
        }
        final char[] chars = json.getTextCharacters();
        final int offset = json.getTextOffset();
        final int length = json.getTextLength();
        if (sameAsLastTime(chars, offset, length))
        {
            return lastTimeNs;
        }
        final long nanos = Rfc3339.toNanos(chars, offset, length);
        if (nanos == Records.NULL_LONG)
        {
            error(field, ParseError.BAD_TIME);
            lastTimeLength = 0;
            return nanos;
        }
        if (length <= lastTimeText.length)
        {
            System.arraycopy(chars, offset, lastTimeText, 0, length);
            lastTimeLength = length;
            lastTimeNs = nanos;
        }
        return nanos;
    }

    /**
     * Whether a time's text is the last one parsed: an {@code l2_data} message repeats the same
     * {@code event_time} on many of its levels, and comparing characters costs less than reading a
     * date again. {@link Arrays#equals(char[], int, int, char[], int, int)} compares many characters an
     * instruction (the JIT's vectorized mismatch); a loop of single characters was 3% of a 10-a-side
     * update's ingest path.
     */
    private boolean sameAsLastTime(final char[] chars, final int offset, final int length)
    {
        return length == lastTimeLength && Arrays.equals(chars, offset, offset + length, lastTimeText, 0, length);
    }

    private int events(final MarketFrame into) throws IOException
    {
        JsonToken token;
        while ((token = next()) != JsonToken.END_ARRAY)
        {
            if (token != JsonToken.START_OBJECT)
            {
                skip(token);
                return error("events", ParseError.NOT_AN_OBJECT);
            }
            final int result = event(into);
            if (result != ParseError.OK)
            {
                return result;
            }
        }
        return ParseError.OK;
    }

    private static final int T_NONE = 0;
    private static final int T_SNAPSHOT = 1;
    private static final int T_UPDATE = 2;

    /** One element of {@code events}: a book event, a batch of trades, or of tickers. */
    private int event(final MarketFrame into) throws IOException
    {
        book = null;
        bookTimeNs = Records.NULL_LONG;
        eventSymbolLength = 0;
        eventTypeCode = T_NONE;
        JsonToken token;
        while ((token = next()) != JsonToken.END_OBJECT)
        {
            final String name = json.currentName();
            token = next();
            final int result;
            switch (name)
            {
                case "type":
                    if (token == JsonToken.VALUE_STRING)
                    {
                        eventTypeCode = textIs("snapshot") ? T_SNAPSHOT : textIs("update") ? T_UPDATE : T_NONE;
                    }
                    result = skip(token);
                    break;
                case "product_id":
                    if (token == JsonToken.VALUE_STRING)
                    {
                        eventSymbolLength = Math.min(json.getTextLength(), eventSymbol.length);
                        System.arraycopy(json.getTextCharacters(), json.getTextOffset(), eventSymbol, 0, eventSymbolLength);
                    }
                    result = skip(token);
                    break;
                case "updates":
                    result = token == JsonToken.START_ARRAY ? updates(into) : skip(token);
                    break;
                case "trades":
                    result = token == JsonToken.START_ARRAY ? trades(into) : skip(token);
                    break;
                case "tickers":
                    result = token == JsonToken.START_ARRAY ? tickers(into) : skip(token);
                    break;
                default:
                    result = skip(token);
                    break;
            }
            if (result != ParseError.OK)
            {
                return result;
            }
        }
        if (book != null)
        {
            if (eventSymbolLength == 0)
            {
                return error("product_id", ParseError.MISSING_FIELD);
            }
            if (eventTypeCode == T_NONE)
            {
                return error("type", ParseError.MISSING_FIELD);
            }
            book.symbol(eventSymbol, 0, eventSymbolLength);
            book.kind(eventTypeCode == T_SNAPSHOT ? MarketEvent.BOOK_SNAPSHOT : MarketEvent.BOOK_DELTA, Channel.DEPTH);
            if (bookTimeNs != Records.NULL_LONG)
            {
                book.eventTimeNs(bookTimeNs);
            }
        }
        return ParseError.OK;
    }

    private static final int S_NONE = 0;
    private static final int S_BID = 1;
    private static final int S_ASK = 2;

    private int updates(final MarketFrame into) throws IOException
    {
        if (book == null)
        {
            book = into.nextEvent();
        }
        JsonToken token;
        while ((token = next()) != JsonToken.END_ARRAY)
        {
            if (token != JsonToken.START_OBJECT)
            {
                skip(token);
                return error("updates", ParseError.BAD_LEVEL);
            }
            int side = S_NONE;
            boolean hasPrice = false;
            boolean hasSize = false;
            long price = 0;
            int priceExp = 0;
            int priceScale = 0;
            long size = 0;
            int sizeExp = 0;
            int sizeScale = 0;
            while ((token = next()) != JsonToken.END_OBJECT)
            {
                final String name = json.currentName();
                token = next();
                switch (levelField(name))
                {
                    case L_SIDE:
                        if (token == JsonToken.VALUE_STRING)
                        {
                            side = textIs("bid") ? S_BID : textIs("offer") || textIs("ask") ? S_ASK : S_NONE;
                        }
                        skip(token);
                        break;
                    case L_PRICE:
                    {
                        final int priceResult = decimal(token, name);
                        if (priceResult != ParseError.OK)
                        {
                            return priceResult;
                        }
                        price = decimal.mantissa();
                        priceExp = decimal.exponent();
                        priceScale = decimal.writtenScale();
                        hasPrice = true;
                        break;
                    }
                    case L_QUANTITY:
                    {
                        final int sizeResult = decimal(token, name);
                        if (sizeResult != ParseError.OK)
                        {
                            return sizeResult;
                        }
                        size = decimal.mantissa();
                        sizeExp = decimal.exponent();
                        sizeScale = decimal.writtenScale();
                        hasSize = true;
                        break;
                    }
                    case L_EVENT_TIME:
                    {
                        final long nanos = time(token, name);
                        if (nanos == Records.NULL_LONG)
                        {
                            return ParseError.BAD_TIME;
                        }
                        // Snapshot levels carry the epoch: no time.
                        if (nanos > 0 && (bookTimeNs == Records.NULL_LONG || nanos > bookTimeNs))
                        {
                            bookTimeNs = nanos;
                        }
                        break;
                    }
                    default:
                        skip(token);
                        break;
                }
            }
            if (side == S_NONE)
            {
                return error("side", ParseError.BAD_FIELD);
            }
            if (!hasPrice || !hasSize)
            {
                return error(hasPrice ? "new_quantity" : "price_level", ParseError.MISSING_FIELD);
            }
            final MarketEvent.Levels levels = side == S_BID ? book.bids() : book.asks();
            if (levels.count() == MAX_LEVELS)
            {
                return error("updates", ParseError.TOO_MANY_LEVELS);
            }
            levels.add(price, priceExp, priceScale, size, sizeExp, sizeScale);
        }
        return ParseError.OK;
    }

    private static final int L_OTHER = 0;
    private static final int L_SIDE = 1;
    private static final int L_PRICE = 2;
    private static final int L_QUANTITY = 3;
    private static final int L_EVENT_TIME = 4;

    /**
     * Which of a level's fields a name is. Jackson interns field names (its factory default), so the
     * four names of every level are found by identity before any string switch; a factory that does
     * not intern still gets the right answer from the switch.
     */
    private static int levelField(final String name)
    {
        if (name == "price_level")
        {
            return L_PRICE;
        }
        if (name == "new_quantity")
        {
            return L_QUANTITY;
        }
        if (name == "side")
        {
            return L_SIDE;
        }
        if (name == "event_time")
        {
            return L_EVENT_TIME;
        }
        switch (name)
        {
            case "price_level":
                return L_PRICE;
            case "new_quantity":
                return L_QUANTITY;
            case "side":
                return L_SIDE;
            case "event_time":
                return L_EVENT_TIME;
            default:
                return L_OTHER;
        }
    }

    private int trades(final MarketFrame into) throws IOException
    {
        final int firstEvent = into.eventCount();
        JsonToken token;
        while ((token = next()) != JsonToken.END_ARRAY)
        {
            if (token != JsonToken.START_OBJECT)
            {
                skip(token);
                return error("trades", ParseError.NOT_AN_OBJECT);
            }
            final MarketEvent e = into.nextEvent().kind(MarketEvent.TRADE, Channel.TRADE);
            boolean hasId = false;
            while ((token = next()) != JsonToken.END_OBJECT)
            {
                final String name = json.currentName();
                token = next();
                final int result;
                switch (name)
                {
                    case "trade_id":
                        result = tradeId(token, e);
                        hasId = result == ParseError.OK;
                        break;
                    case "product_id":
                        if (token == JsonToken.VALUE_STRING)
                        {
                            symbolInto(e);
                        }
                        result = skip(token);
                        break;
                    case "price":
                        result = decimalInto(token, name, e, MarketEvent.PRICE);
                        break;
                    case "size":
                        result = decimalInto(token, name, e, MarketEvent.SIZE);
                        break;
                    case "side":
                        e.side(token == JsonToken.VALUE_STRING ? side() : Side.UNKNOWN);
                        result = skip(token);
                        break;
                    case "time":
                    {
                        final long nanos = time(token, name);
                        e.tradeTimeNs(nanos);
                        result = nanos == Records.NULL_LONG ? ParseError.BAD_TIME : ParseError.OK;
                        break;
                    }
                    default:
                        result = skip(token);
                        break;
                }
                if (result != ParseError.OK)
                {
                    return result;
                }
            }
            if (!hasId)
            {
                return error("trade_id", ParseError.MISSING_FIELD);
            }
            if (e.symbolLength() == 0 || !e.has(MarketEvent.PRICE) || !e.has(MarketEvent.SIZE))
            {
                return error(e.symbolLength() == 0 ? "product_id" : e.has(MarketEvent.PRICE) ? "size" : "price",
                    ParseError.MISSING_FIELD);
            }
        }
        final int end = into.eventCount();
        if (end - firstEvent > 1 && !into.event(firstEvent).tradeIdHashed() &&
            into.event(firstEvent).tradeId() > into.event(end - 1).tradeId())
        {
            into.reverseEvents(firstEvent, end);
        }
        return ParseError.OK;
    }

    private int tradeId(final JsonToken token, final MarketEvent e) throws IOException
    {
        if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NUMBER_INT)
        {
            skip(token);
            return error("trade_id", ParseError.BAD_FIELD);
        }
        final long id = longValue(token, "trade_id");
        if (!badLong() && id >= 0)
        {
            e.tradeId(id);
        }
        else
        {
            // Not a number: good for duplicate checks only.
            e.tradeIdHash(textHash());
        }
        return ParseError.OK;
    }

    private Side side() throws IOException
    {
        final Side named = textIs("BUY") || textIs("buy") ? Side.BUY : textIs("SELL") || textIs("sell") ? Side.SELL : Side.UNKNOWN;
        if (!sideIsMaker || named == Side.UNKNOWN)
        {
            return named;
        }
        return named == Side.BUY ? Side.SELL : Side.BUY;
    }

    private int tickers(final MarketFrame into) throws IOException
    {
        JsonToken token;
        while ((token = next()) != JsonToken.END_ARRAY)
        {
            if (token != JsonToken.START_OBJECT)
            {
                skip(token);
                return error("tickers", ParseError.NOT_AN_OBJECT);
            }
            final MarketEvent e = into.nextEvent().kind(MarketEvent.TOP_OF_BOOK, Channel.BOOK_TICKER);
            while ((token = next()) != JsonToken.END_OBJECT)
            {
                final String name = json.currentName();
                token = next();
                final int result;
                switch (name)
                {
                    case "product_id":
                        if (token == JsonToken.VALUE_STRING)
                        {
                            symbolInto(e);
                        }
                        result = skip(token);
                        break;
                    case "best_bid":
                        result = optionalDecimal(token, name, e, MarketEvent.BID_PRICE);
                        break;
                    case "best_bid_quantity":
                        result = optionalDecimal(token, name, e, MarketEvent.BID_SIZE);
                        break;
                    case "best_ask":
                        result = optionalDecimal(token, name, e, MarketEvent.ASK_PRICE);
                        break;
                    case "best_ask_quantity":
                        result = optionalDecimal(token, name, e, MarketEvent.ASK_SIZE);
                        break;
                    default:
                        result = skip(token);
                        break;
                }
                if (result != ParseError.OK)
                {
                    return result;
                }
            }
            if (e.symbolLength() == 0)
            {
                return error("product_id", ParseError.MISSING_FIELD);
            }
            if (!e.has(MarketEvent.BID_PRICE) || !e.has(MarketEvent.BID_SIZE) || !e.has(MarketEvent.ASK_PRICE) ||
                !e.has(MarketEvent.ASK_SIZE))
            {
                // A ticker without the top of book (older ticker shape): nothing to journal.
                into.dropLastEvent();
            }
        }
        return ParseError.OK;
    }

    private int optionalDecimal(final JsonToken token, final String name, final MarketEvent e, final int slot) throws IOException
    {
        if (token == JsonToken.VALUE_NULL || (token == JsonToken.VALUE_STRING && json.getTextLength() == 0))
        {
            return ParseError.OK;
        }
        return decimalInto(token, name, e, slot);
    }
}
