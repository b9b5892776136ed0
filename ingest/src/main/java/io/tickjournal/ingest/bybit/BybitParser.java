package io.tickjournal.ingest.bybit;

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
 * Bybit v5 public frames (spot and linear) and the REST order book body, into a {@link MarketFrame}:
 * <ul>
 * <li>{@code publicTrade.{symbol}}: a {@code data} array of trades; the trade id {@code i} is a
 * number on some markets and a UUID on others, so a numeric id is kept as the id and any other is
 * hashed ({@link MarketEvent#tradeIdHash}); {@code S} is the taker side, {@code seq} the cross sequence.</li>
 * <li>{@code orderbook.{depth}.{symbol}}: {@code type} snapshot (replaces the book) or delta, with
 * update id {@code u} (contiguous) and cross sequence {@code seq}; the event time is {@code cts}, the
 * matching engine's time (comparable with trade times), or {@code ts} when absent.</li>
 * <li>{@code tickers.{symbol}} (linear): a snapshot, then deltas carrying only the fields that
 * changed. The parser keeps the last mark, index, funding rate and next funding time per symbol, so
 * every MARK_PRICE event it emits is whole; a delta that changes none of them emits nothing.</li>
 * <li>{@code op} answers: {@code subscribe}/{@code unsubscribe} with {@code success} true is an
 * acknowledgement of the request ({@code req_id} echoed when numeric), false an error naming
 * {@code ret_msg}; the answer to {@code {"op":"ping"}} is {@code op:"ping", ret_msg:"pong"} on spot
 * and linear (linear adds an empty {@code req_id}) and {@code op:"pong"} on options: all are pongs.</li>
 * </ul>
 * Key order differs between Bybit's products ({@code ts} before or after {@code type}), so every
 * field is read into the event as it comes and the frame is classified at its end.
 * Steady state allocates nothing (the ticker table grows once per new symbol). One instance per
 * feed; not thread safe.
 */
public final class BybitParser extends JsonFrameParser
{
    /** Most levels a side may carry (the deepest public stream, {@code orderbook.1000}). */
    public static final int MAX_LEVELS = 1_000;

    private static final int TOPIC_NONE = 0;
    private static final int TOPIC_TRADE = 1;
    private static final int TOPIC_BOOK = 2;
    private static final int TOPIC_TICKERS = 3;
    private static final int TOPIC_OTHER = 4;

    private static final int TYPE_NONE = 0;
    private static final int TYPE_SNAPSHOT = 1;
    private static final int TYPE_DELTA = 2;
    private static final int TYPE_COMMAND_RESP = 3;
    private static final int TYPE_OTHER = 4;

    private static final int OP_NONE = 0;
    private static final int OP_SUBSCRIBE = 1;
    private static final int OP_PING = 2;
    private static final int OP_PONG = 3;
    private static final int OP_OTHER = 4;

    private int topic;
    private int type;
    private int op;
    private int success;
    private long tsNs;
    private long ctsNs;
    private long requestId;
    private boolean hasRetCode;
    private long retCode;
    private boolean rest;
    private int failedTopics;
    private final Tickers tickers = new Tickers();

    /** A parser with its own Jackson factory. */
    public BybitParser()
    {
        this(new JsonFactory());
    }

    /**
     * @param factory the Jackson factory (shareable).
     */
    public BybitParser(final JsonFactory factory)
    {
        super(factory);
    }

    @Override
    protected int parseRoot(final JsonToken first, final MarketFrame into) throws IOException
    {
        if (first != JsonToken.START_OBJECT)
        {
            skip(first);
            return ParseError.NOT_AN_OBJECT;
        }
        topic = TOPIC_NONE;
        type = TYPE_NONE;
        op = OP_NONE;
        success = -1;
        tsNs = Records.NULL_LONG;
        ctsNs = Records.NULL_LONG;
        requestId = Records.NULL_LONG;
        hasRetCode = false;
        retCode = 0;
        rest = false;
        failedTopics = 0;
        JsonToken token;
        while ((token = next()) != JsonToken.END_OBJECT)
        {
            final String name = json.currentName();
            token = next();
            final int result = rootField(name, token, into);
            if (result != ParseError.OK)
            {
                return result;
            }
        }
        return classify(into);
    }

    private int rootField(final String name, final JsonToken token, final MarketFrame into) throws IOException
    {
        switch (name)
        {
            case "topic":
                topic = token == JsonToken.VALUE_STRING ? topicKind() : TOPIC_OTHER;
                return skip(token);
            case "type":
                type = token != JsonToken.VALUE_STRING ? TYPE_OTHER :
                    textIs("snapshot") ? TYPE_SNAPSHOT : textIs("delta") ? TYPE_DELTA :
                    textIs("COMMAND_RESP") ? TYPE_COMMAND_RESP : TYPE_OTHER;
                return skip(token);
            case "ts":
                tsNs = timeNs(token, name);
                return badLong() ? ParseError.BAD_TIME : ParseError.OK;
            case "cts":
                ctsNs = timeNs(token, name);
                return badLong() ? ParseError.BAD_TIME : ParseError.OK;
            case "data":
                if (token == JsonToken.START_ARRAY)
                {
                    return items(into, name);
                }
                return token == JsonToken.START_OBJECT ? item(into.nextEvent(), name) : skip(token);
            case "result":
                if (token == JsonToken.START_OBJECT)
                {
                    rest = true;
                    return item(into.nextEvent(), name);
                }
                return skip(token);
            case "op":
                op = token != JsonToken.VALUE_STRING ? OP_OTHER :
                    textIs("subscribe") || textIs("unsubscribe") ? OP_SUBSCRIBE :
                    textIs("ping") ? OP_PING : textIs("pong") ? OP_PONG : OP_OTHER;
                return skip(token);
            case "success":
                success = token == JsonToken.VALUE_TRUE ? 1 : token == JsonToken.VALUE_FALSE ? 0 : -1;
                return skip(token);
            case "ret_msg":
            case "retMsg":
                if (token == JsonToken.VALUE_STRING)
                {
                    appendText(into.errorText(), 200);
                }
                return skip(token);
            case "req_id":
                requestId = digits(token);
                return skip(token);
            case "retCode":
                hasRetCode = true;
                retCode = token == JsonToken.VALUE_NUMBER_INT ? json.getLongValue() : -1;
                return skip(token);
            default:
                return skip(token);
        }
    }

    private int topicKind() throws IOException
    {
        final char[] chars = json.getTextCharacters();
        final int start = json.getTextOffset();
        final int length = json.getTextLength();
        if (startsWith(chars, start, length, "publicTrade."))
        {
            return TOPIC_TRADE;
        }
        if (startsWith(chars, start, length, "orderbook."))
        {
            return TOPIC_BOOK;
        }
        if (startsWith(chars, start, length, "tickers."))
        {
            return TOPIC_TICKERS;
        }
        return TOPIC_OTHER;
    }

    private static boolean startsWith(final char[] chars, final int start, final int length, final String prefix)
    {
        if (length < prefix.length())
        {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++)
        {
            if (chars[start + i] != prefix.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    private int items(final MarketFrame into, final String field) throws IOException
    {
        JsonToken token;
        while ((token = next()) != JsonToken.END_ARRAY)
        {
            if (token != JsonToken.START_OBJECT)
            {
                skip(token);
                return error(field, ParseError.BAD_FIELD);
            }
            final int result = item(into.nextEvent(), field);
            if (result != ParseError.OK)
            {
                return result;
            }
        }
        return ParseError.OK;
    }

    /** The fields of one trade, book or ticker object (its start was read), straight into the event. */
    private int item(final MarketEvent e, final String field) throws IOException
    {
        long update = Records.NULL_LONG;
        JsonToken token;
        while ((token = next()) != JsonToken.END_OBJECT)
        {
            final String name = json.currentName();
            token = next();
            int result = ParseError.OK;
            switch (name)
            {
                case "s":
                case "symbol":
                    if (token == JsonToken.VALUE_STRING)
                    {
                        symbolInto(e);
                    }
                    break;
                case "T":
                    e.tradeTimeNs(timeNs(token, name));
                    result = badLong() ? ParseError.BAD_TIME : ParseError.OK;
                    break;
                case "ts":
                    // The REST body carries its times inside result.
                    tsNs = timeNs(token, name);
                    result = badLong() ? ParseError.BAD_TIME : ParseError.OK;
                    break;
                case "cts":
                    ctsNs = timeNs(token, name);
                    result = badLong() ? ParseError.BAD_TIME : ParseError.OK;
                    break;
                case "S":
                    e.side(token != JsonToken.VALUE_STRING ? Side.UNKNOWN :
                        textIs("Buy") ? Side.BUY : textIs("Sell") ? Side.SELL : Side.UNKNOWN);
                    break;
                case "p":
                    result = decimalInto(token, name, e, MarketEvent.PRICE);
                    break;
                case "v":
                    result = decimalInto(token, name, e, MarketEvent.SIZE);
                    break;
                case "i":
                    result = tradeId(token, e);
                    break;
                case "seq":
                    e.crossSeq(longValue(token, name));
                    result = badLong() ? ParseError.BAD_FIELD : ParseError.OK;
                    break;
                case "u":
                    update = longValue(token, name);
                    result = badLong() ? ParseError.BAD_FIELD : ParseError.OK;
                    break;
                case "b":
                    result = token == JsonToken.START_ARRAY ? levels(e.bids(), name, MAX_LEVELS) : badField(token, name);
                    break;
                case "a":
                    result = token == JsonToken.START_ARRAY ? levels(e.asks(), name, MAX_LEVELS) : badField(token, name);
                    break;
                case "markPrice":
                    result = decimalInto(token, name, e, MarketEvent.MARK);
                    break;
                case "indexPrice":
                    result = decimalInto(token, name, e, MarketEvent.INDEX_PRICE);
                    break;
                case "fundingRate":
                    result = decimalInto(token, name, e, MarketEvent.FUNDING_RATE);
                    break;
                case "nextFundingTime":
                    e.nextFundingTimeNs(timeNs(token, name));
                    result = badLong() ? ParseError.BAD_TIME : ParseError.OK;
                    break;
                case "failTopics":
                    if (token == JsonToken.START_ARRAY)
                    {
                        while ((token = next()) != JsonToken.END_ARRAY)
                        {
                            skip(token);
                            failedTopics++;
                        }
                    }
                    else
                    {
                        skip(token);
                    }
                    break;
                default:
                    skip(token);
                    break;
            }
            if (result != ParseError.OK)
            {
                return result;
            }
        }
        e.ids(Records.NULL_LONG, update, Records.NULL_LONG);
        return ParseError.OK;
    }

    private int badField(final JsonToken token, final String name) throws IOException
    {
        skip(token);
        return error(name, ParseError.BAD_FIELD);
    }

    /** A trade id: digits are the id; anything else (a UUID) is hashed, good for duplicate checks only. */
    private int tradeId(final JsonToken token, final MarketEvent e) throws IOException
    {
        if (token == JsonToken.VALUE_NUMBER_INT)
        {
            e.tradeId(longValue(token, "i"));
            return badLong() ? ParseError.BAD_FIELD : ParseError.OK;
        }
        if (token != JsonToken.VALUE_STRING || json.getTextLength() == 0)
        {
            skip(token);
            return error("i", ParseError.BAD_FIELD);
        }
        final long id = digits(token);
        if (id != Records.NULL_LONG)
        {
            e.tradeId(id);
        }
        else
        {
            e.tradeIdHash(textHash());
        }
        return ParseError.OK;
    }

    /** A string of 1..19 digits that fits a long, or null (never an error: ids may be text). */
    private long digits(final JsonToken token) throws IOException
    {
        if (token == JsonToken.VALUE_NUMBER_INT)
        {
            return json.getLongValue();
        }
        if (token != JsonToken.VALUE_STRING)
        {
            return Records.NULL_LONG;
        }
        final char[] chars = json.getTextCharacters();
        final int start = json.getTextOffset();
        final int length = json.getTextLength();
        if (length == 0 || length > 19)
        {
            return Records.NULL_LONG;
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

    private int classify(final MarketFrame into)
    {
        if (rest)
        {
            return restSnapshot(into);
        }
        switch (topic)
        {
            case TOPIC_TRADE:
                return trades(into);
            case TOPIC_BOOK:
                return book(into);
            case TOPIC_TICKERS:
                return ticker(into);
            case TOPIC_NONE:
                break;
            default:
                dropAll(into);
                return ParseError.OK;
        }
        dropAll(into);
        if (type == TYPE_COMMAND_RESP)
        {
            // The options and spread answer to a subscription.
            into.control(success == 1 && failedTopics == 0 ? MarketFrame.ACK : MarketFrame.ERROR).requestId(requestId);
            if (failedTopics > 0)
            {
                into.errorText().append("failTopics: ").append(failedTopics);
            }
            return ParseError.OK;
        }
        switch (op)
        {
            case OP_PING:
                // Spot and linear answer a ping with op "ping", success and ret_msg "pong"; without
                // success it is a ping request (ours, echoed), not an answer.
                if (success == 1)
                {
                    into.control(MarketFrame.PONG);
                }
                else if (success == 0)
                {
                    into.control(MarketFrame.ERROR).requestId(requestId);
                }
                return ParseError.OK;
            case OP_PONG:
                // Options and spread answer with op "pong".
                into.control(MarketFrame.PONG);
                return ParseError.OK;
            case OP_SUBSCRIBE:
                if (success == 1)
                {
                    into.control(MarketFrame.ACK).requestId(requestId).acknowledged(0);
                    return ParseError.OK;
                }
                if (success == 0)
                {
                    into.control(MarketFrame.ERROR).requestId(requestId);
                    if (into.errorText().length() == 0)
                    {
                        into.errorText().append("refused");
                    }
                }
                // Without success it is a request, not an answer: nothing to do.
                return ParseError.OK;
            default:
                return ParseError.OK;
        }
    }

    private static void dropAll(final MarketFrame into)
    {
        while (into.eventCount() > 0)
        {
            into.dropLastEvent();
        }
    }

    private int trades(final MarketFrame into)
    {
        for (int i = 0, n = into.eventCount(); i < n; i++)
        {
            final MarketEvent e = into.event(i);
            if (e.symbolLength() == 0)
            {
                return error("s", ParseError.MISSING_FIELD);
            }
            if (e.tradeId() == Records.NULL_LONG && !e.tradeIdHashed())
            {
                return error("i", ParseError.MISSING_FIELD);
            }
            if (!e.has(MarketEvent.PRICE))
            {
                return error("p", ParseError.MISSING_FIELD);
            }
            if (!e.has(MarketEvent.SIZE))
            {
                return error("v", ParseError.MISSING_FIELD);
            }
            if (e.tradeTimeNs() == Records.NULL_LONG)
            {
                return error("T", ParseError.MISSING_FIELD);
            }
            e.kind(MarketEvent.TRADE, Channel.TRADE).eventTimeNs(tsNs != Records.NULL_LONG ? tsNs : e.tradeTimeNs());
        }
        return ParseError.OK;
    }

    private int book(final MarketFrame into)
    {
        if (into.eventCount() != 1)
        {
            return error("data", ParseError.MISSING_FIELD);
        }
        if (type != TYPE_SNAPSHOT && type != TYPE_DELTA)
        {
            return error("type", ParseError.MISSING_FIELD);
        }
        final MarketEvent e = into.event(0);
        final int result = requireBook(e);
        if (result != ParseError.OK)
        {
            return result;
        }
        e.kind(type == TYPE_SNAPSHOT ? MarketEvent.BOOK_SNAPSHOT : MarketEvent.BOOK_DELTA, Channel.DEPTH)
            .eventTimeNs(ctsNs != Records.NULL_LONG ? ctsNs : tsNs);
        return ParseError.OK;
    }

    private int restSnapshot(final MarketFrame into)
    {
        if (hasRetCode && retCode != 0)
        {
            dropAll(into);
            into.errorText().insert(0, ' ').insert(0, retCode).insert(0, "retCode ");
            into.control(MarketFrame.ERROR);
            return ParseError.OK;
        }
        final MarketEvent e = into.event(0);
        final int result = requireBook(e);
        if (result != ParseError.OK)
        {
            return result;
        }
        e.kind(MarketEvent.BOOK_SNAPSHOT, Channel.DEPTH).eventTimeNs(ctsNs != Records.NULL_LONG ? ctsNs : tsNs);
        return ParseError.OK;
    }

    private int requireBook(final MarketEvent e)
    {
        if (e.symbolLength() == 0)
        {
            return error("s", ParseError.MISSING_FIELD);
        }
        if (e.lastId() == Records.NULL_LONG)
        {
            return error("u", ParseError.MISSING_FIELD);
        }
        return ParseError.OK;
    }

    private int ticker(final MarketFrame into)
    {
        if (into.eventCount() != 1)
        {
            return error("data", ParseError.MISSING_FIELD);
        }
        final MarketEvent e = into.event(0);
        if (e.symbolLength() == 0)
        {
            return error("symbol", ParseError.MISSING_FIELD);
        }
        if (!tickers.merge(e, type == TYPE_SNAPSHOT))
        {
            into.dropLastEvent();
            return ParseError.OK;
        }
        e.kind(MarketEvent.MARK_PRICE, Channel.MARK_PRICE).eventTimeNs(tsNs);
        return ParseError.OK;
    }

    /**
     * The last mark, index, funding rate and next funding time per symbol, so a ticker delta (which
     * carries only what changed) still gives a whole mark price. Grows once per new symbol.
     */
    private static final class Tickers
    {
        private char[][] symbols = new char[8][MarketEvent.MAX_SYMBOL];
        private int[] symbolLengths = new int[8];
        private long[][] mantissas = new long[8][3];
        private int[][] exponents = new int[8][3];
        private int[] present = new int[8];
        private long[] nextFundingNs = new long[8];
        private int count;

        private static final int[] SLOTS = {MarketEvent.MARK, MarketEvent.INDEX_PRICE, MarketEvent.FUNDING_RATE};

        /**
         * Merge an event's ticker fields into its symbol's entry, and fill the event from the entry.
         *
         * @return whether the event is a mark price to emit: something of it changed and the mark is known.
         */
        boolean merge(final MarketEvent e, final boolean snapshot)
        {
            final int at = find(e.symbol(), e.symbolLength());
            if (snapshot)
            {
                present[at] = 0;
                nextFundingNs[at] = Records.NULL_LONG;
            }
            boolean changed = snapshot;
            for (int s = 0; s < SLOTS.length; s++)
            {
                if (e.has(SLOTS[s]))
                {
                    mantissas[at][s] = e.mantissa(SLOTS[s]);
                    exponents[at][s] = e.exponent(SLOTS[s]);
                    present[at] |= 1 << s;
                    changed = true;
                }
            }
            if (e.nextFundingTimeNs() != Records.NULL_LONG)
            {
                nextFundingNs[at] = e.nextFundingTimeNs();
                changed = true;
            }
            if (!changed || (present[at] & 1) == 0)
            {
                return false;
            }
            for (int s = 0; s < SLOTS.length; s++)
            {
                if ((present[at] & (1 << s)) != 0)
                {
                    e.decimal(SLOTS[s], mantissas[at][s], exponents[at][s]);
                }
            }
            e.nextFundingTimeNs(nextFundingNs[at]);
            return true;
        }

        private int find(final char[] symbol, final int length)
        {
            for (int i = 0; i < count; i++)
            {
                if (symbolLengths[i] == length && java.util.Arrays.equals(symbols[i], 0, length, symbol, 0, length))
                {
                    return i;
                }
            }
            if (count == symbols.length)
            {
                final int n = count * 2;
                symbols = java.util.Arrays.copyOf(symbols, n);
                mantissas = java.util.Arrays.copyOf(mantissas, n);
                exponents = java.util.Arrays.copyOf(exponents, n);
                for (int i = count; i < n; i++)
                {
                    symbols[i] = new char[MarketEvent.MAX_SYMBOL];
                    mantissas[i] = new long[3];
                    exponents[i] = new int[3];
                }
                symbolLengths = java.util.Arrays.copyOf(symbolLengths, n);
                present = java.util.Arrays.copyOf(present, n);
                nextFundingNs = java.util.Arrays.copyOf(nextFundingNs, n);
            }
            System.arraycopy(symbol, 0, symbols[count], 0, length);
            symbolLengths[count] = length;
            present[count] = 0;
            nextFundingNs[count] = Records.NULL_LONG;
            return count++;
        }
    }
}
