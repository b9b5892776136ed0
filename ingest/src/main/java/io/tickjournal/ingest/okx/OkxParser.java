package io.tickjournal.ingest.okx;

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
 * OKX v5 public frames (spot and swap) and the REST order book body, into a {@link MarketFrame}:
 * <ul>
 * <li>{@code trades}: a {@code data} array of trades; {@code side} is the taker side;
 * {@code tradeId} is the LAST id of {@code count} fills aggregated into the message, so the event
 * covers ids {@code tradeId - count + 1 .. tradeId} ({@link MarketEvent#firstId()} ..
 * {@link MarketEvent#lastId()}), which keeps a rising-id duplicate filter from seeing a gap inside
 * an aggregation; {@code seqId} is kept as the cross sequence.</li>
 * <li>{@code books}, {@code books-l2-tbt}, {@code books50-l2-tbt}: {@code action} snapshot or
 * update, with {@code seqId}/{@code prevSeqId} and the CRC32 {@code checksum}, which is kept only
 * when non-zero (OKX sends 0 since its 2026 deprecation, meaning none). Levels keep their written
 * scale, so the checksum can rebuild OKX's exact strings. {@code books5} is a whole 5-level book
 * every message.</li>
 * <li>{@code bbo-tbt}: best bid and offer (a TOP_OF_BOOK), with its {@code seqId}.</li>
 * <li>{@code event} answers: {@code subscribe}/{@code unsubscribe} acknowledges ONE argument (OKX
 * answers each channel of a request separately); {@code error} is a refusal naming {@code code}
 * and {@code msg}; {@code notice} code 64008 announces a disconnect for a service upgrade.</li>
 * <li>The text frame {@code pong} (not JSON) answers the text {@code ping}.</li>
 * </ul>
 * The symbol of a book or bbo comes from {@code arg.instId} (its data has none); {@code arg} may
 * come before or after {@code data}, so every field is read into the events as it comes and the
 * frame is classified at its end. Steady state allocates nothing. One instance per feed; not thread safe.
 */
public final class OkxParser extends JsonFrameParser
{
    /** Most levels a side may carry (OKX sends at most 400; REST at most 400). */
    public static final int MAX_LEVELS = 1_000;

    /** OKX's notice code for "the connection will soon be closed for a service upgrade". */
    public static final long SERVICE_UPGRADE_NOTICE = 64008;

    private static final int CH_NONE = 0;
    private static final int CH_TRADES = 1;
    private static final int CH_BOOKS = 2;
    private static final int CH_BOOKS5 = 3;
    private static final int CH_BBO = 4;
    private static final int CH_OTHER = 5;

    private static final int ACTION_NONE = 0;
    private static final int ACTION_SNAPSHOT = 1;
    private static final int ACTION_UPDATE = 2;

    private static final int EV_NONE = 0;
    private static final int EV_SUBSCRIBE = 1;
    private static final int EV_ERROR = 2;
    private static final int EV_NOTICE = 3;
    private static final int EV_OTHER = 4;

    private static final byte[] PONG = {'p', 'o', 'n', 'g'};

    private int channel;
    private int action;
    private int eventKind;
    private long code;
    private boolean hasCode;
    private long requestId;
    private final char[] instId = new char[MarketEvent.MAX_SYMBOL];
    private int instIdLength;
    private final StringBuilder argText = new StringBuilder(64);

    /** A parser with its own Jackson factory. */
    public OkxParser()
    {
        this(new JsonFactory());
    }

    /**
     * @param factory the Jackson factory (shareable).
     */
    public OkxParser(final JsonFactory factory)
    {
        super(factory);
    }

    @Override
    protected int parseText(final byte[] bytes, final int offset, final int length, final MarketFrame into)
    {
        if (length == PONG.length)
        {
            for (int i = 0; i < PONG.length; i++)
            {
                if (bytes[offset + i] != PONG[i])
                {
                    return -1;
                }
            }
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
        channel = CH_NONE;
        action = ACTION_NONE;
        eventKind = EV_NONE;
        code = 0;
        hasCode = false;
        requestId = Records.NULL_LONG;
        instIdLength = 0;
        argText.setLength(0);
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
            case "arg":
                return token == JsonToken.START_OBJECT ? arg() : skip(token);
            case "action":
                action = token != JsonToken.VALUE_STRING ? ACTION_NONE :
                    textIs("snapshot") ? ACTION_SNAPSHOT : textIs("update") ? ACTION_UPDATE : ACTION_NONE;
                return skip(token);
            case "data":
                if (token != JsonToken.START_ARRAY)
                {
                    skip(token);
                    return error(name, ParseError.BAD_FIELD);
                }
                return items(into);
            case "event":
                eventKind = token != JsonToken.VALUE_STRING ? EV_OTHER :
                    textIs("subscribe") || textIs("unsubscribe") ? EV_SUBSCRIBE :
                    textIs("error") ? EV_ERROR : textIs("notice") ? EV_NOTICE : EV_OTHER;
                return skip(token);
            case "code":
                code = digits(token);
                hasCode = code != Records.NULL_LONG;
                return skip(token);
            case "msg":
                if (token == JsonToken.VALUE_STRING)
                {
                    appendText(into.errorText(), 200);
                }
                return skip(token);
            case "id":
                requestId = digits(token);
                return skip(token);
            default:
                return skip(token);
        }
    }

    private int arg() throws IOException
    {
        JsonToken token;
        while ((token = next()) != JsonToken.END_OBJECT)
        {
            final String name = json.currentName();
            token = next();
            if ("channel".equals(name) && token == JsonToken.VALUE_STRING)
            {
                channel = textIs("trades") ? CH_TRADES :
                    textIs("books") || textIs("books-l2-tbt") || textIs("books50-l2-tbt") ? CH_BOOKS :
                    textIs("books5") ? CH_BOOKS5 : textIs("bbo-tbt") ? CH_BBO : CH_OTHER;
                appendText(argText.append(argText.length() == 0 ? "" : " "), 32);
            }
            else if ("instId".equals(name) && token == JsonToken.VALUE_STRING)
            {
                instIdLength = Math.min(json.getTextLength(), instId.length);
                System.arraycopy(json.getTextCharacters(), json.getTextOffset(), instId, 0, instIdLength);
                appendText(argText.append(argText.length() == 0 ? "" : " "), MarketEvent.MAX_SYMBOL);
            }
            else
            {
                skip(token);
            }
        }
        return ParseError.OK;
    }

    private int items(final MarketFrame into) throws IOException
    {
        JsonToken token;
        while ((token = next()) != JsonToken.END_ARRAY)
        {
            if (token != JsonToken.START_OBJECT)
            {
                skip(token);
                return error("data", ParseError.BAD_FIELD);
            }
            final int result = item(into.nextEvent());
            if (result != ParseError.OK)
            {
                return result;
            }
        }
        return ParseError.OK;
    }

    /** One trade or book object (its start was read), straight into the event. */
    private int item(final MarketEvent e) throws IOException
    {
        long tradeId = Records.NULL_LONG;
        long count = 1;
        long seqId = Records.NULL_LONG;
        long prevSeqId = Records.NULL_LONG;
        JsonToken token;
        while ((token = next()) != JsonToken.END_OBJECT)
        {
            final String name = json.currentName();
            token = next();
            int result = ParseError.OK;
            switch (name)
            {
                case "instId":
                    if (token == JsonToken.VALUE_STRING)
                    {
                        symbolInto(e);
                    }
                    break;
                case "tradeId":
                    tradeId = longValue(token, name);
                    result = badLong() ? ParseError.BAD_FIELD : ParseError.OK;
                    break;
                case "px":
                    result = decimalInto(token, name, e, MarketEvent.PRICE);
                    break;
                case "sz":
                    result = decimalInto(token, name, e, MarketEvent.SIZE);
                    break;
                case "side":
                    e.side(token != JsonToken.VALUE_STRING ? Side.UNKNOWN :
                        textIs("buy") ? Side.BUY : textIs("sell") ? Side.SELL : Side.UNKNOWN);
                    break;
                case "ts":
                    e.eventTimeNs(timeNs(token, name));
                    result = badLong() ? ParseError.BAD_TIME : ParseError.OK;
                    break;
                case "count":
                    count = longValue(token, name);
                    result = badLong() || count < 1 ? error(name, ParseError.BAD_FIELD) : ParseError.OK;
                    break;
                case "seqId":
                    seqId = longValue(token, name);
                    result = badLong() ? ParseError.BAD_FIELD : ParseError.OK;
                    break;
                case "prevSeqId":
                    prevSeqId = longValue(token, name);
                    result = badLong() ? ParseError.BAD_FIELD : ParseError.OK;
                    break;
                case "checksum":
                {
                    final long checksum = longValue(token, name);
                    if (badLong() || checksum < Integer.MIN_VALUE || checksum > Integer.MAX_VALUE)
                    {
                        result = error(name, ParseError.BAD_FIELD);
                    }
                    else if (checksum != 0)
                    {
                        // Zero means none: OKX deprecated the field and sends 0 in it.
                        e.checksum(checksum);
                    }
                    break;
                }
                case "asks":
                    result = token == JsonToken.START_ARRAY ? levels(e.asks(), name, MAX_LEVELS) : badField(token, name);
                    break;
                case "bids":
                    result = token == JsonToken.START_ARRAY ? levels(e.bids(), name, MAX_LEVELS) : badField(token, name);
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
        if (tradeId != Records.NULL_LONG)
        {
            e.tradeId(tradeId).ids(count > tradeId ? Records.NULL_LONG : tradeId - count + 1, tradeId, Records.NULL_LONG)
                .crossSeq(seqId);
        }
        else
        {
            e.ids(Records.NULL_LONG, seqId, prevSeqId);
        }
        return ParseError.OK;
    }

    private int badField(final JsonToken token, final String name) throws IOException
    {
        skip(token);
        return error(name, ParseError.BAD_FIELD);
    }

    /** Digits as a number or a string, or null (ids and codes are never an error here). */
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
        if (length == 0 || length > 18)
        {
            return Records.NULL_LONG;
        }
        long value = 0;
        for (int i = 0; i < length; i++)
        {
            final int d = chars[start + i] - '0';
            if (d < 0 || d > 9)
            {
                return Records.NULL_LONG;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private int classify(final MarketFrame into)
    {
        if (eventKind != EV_NONE)
        {
            dropAll(into);
            switch (eventKind)
            {
                case EV_SUBSCRIBE:
                    into.control(MarketFrame.ACK).requestId(requestId).acknowledged(1);
                    into.channelText().append(argText);
                    return ParseError.OK;
                case EV_ERROR:
                    if (hasCode)
                    {
                        into.errorText().insert(0, ' ').insert(0, code).insert(0, "code ");
                    }
                    into.control(MarketFrame.ERROR).requestId(requestId);
                    into.channelText().append(argText);
                    return ParseError.OK;
                case EV_NOTICE:
                    if (hasCode && code == SERVICE_UPGRADE_NOTICE)
                    {
                        into.control(MarketFrame.SHUTDOWN_NOTICE);
                    }
                    return ParseError.OK;
                default:
                    return ParseError.OK;
            }
        }
        switch (channel)
        {
            case CH_TRADES:
                return trades(into);
            case CH_BOOKS:
                return books(into, action);
            case CH_BOOKS5:
                return books(into, ACTION_SNAPSHOT);
            case CH_BBO:
                return bbo(into);
            case CH_NONE:
                if (hasCode && (code != 0 || into.eventCount() > 0))
                {
                    return restSnapshot(into);
                }
                dropAll(into);
                return ParseError.OK;
            default:
                dropAll(into);
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

    private void symbolFromArg(final MarketEvent e)
    {
        if (e.symbolLength() == 0)
        {
            e.symbol(instId, 0, instIdLength);
        }
    }

    private int trades(final MarketFrame into)
    {
        for (int i = 0, n = into.eventCount(); i < n; i++)
        {
            final MarketEvent e = into.event(i);
            symbolFromArg(e);
            if (e.symbolLength() == 0)
            {
                return error("instId", ParseError.MISSING_FIELD);
            }
            if (e.tradeId() == Records.NULL_LONG)
            {
                return error("tradeId", ParseError.MISSING_FIELD);
            }
            if (!e.has(MarketEvent.PRICE))
            {
                return error("px", ParseError.MISSING_FIELD);
            }
            if (!e.has(MarketEvent.SIZE))
            {
                return error("sz", ParseError.MISSING_FIELD);
            }
            if (e.eventTimeNs() == Records.NULL_LONG)
            {
                return error("ts", ParseError.MISSING_FIELD);
            }
            e.kind(MarketEvent.TRADE, Channel.TRADE).tradeTimeNs(e.eventTimeNs());
        }
        return ParseError.OK;
    }

    private int books(final MarketFrame into, final int bookAction)
    {
        if (bookAction == ACTION_NONE)
        {
            return error("action", ParseError.MISSING_FIELD);
        }
        for (int i = 0, n = into.eventCount(); i < n; i++)
        {
            final MarketEvent e = into.event(i);
            symbolFromArg(e);
            if (e.symbolLength() == 0)
            {
                return error("instId", ParseError.MISSING_FIELD);
            }
            if (bookAction == ACTION_UPDATE)
            {
                if (e.lastId() == Records.NULL_LONG)
                {
                    return error("seqId", ParseError.MISSING_FIELD);
                }
                if (e.prevId() == Records.NULL_LONG)
                {
                    return error("prevSeqId", ParseError.MISSING_FIELD);
                }
                e.kind(MarketEvent.BOOK_DELTA, Channel.DEPTH);
            }
            else
            {
                // A snapshot's prevSeqId is -1: it chains to nothing.
                e.kind(MarketEvent.BOOK_SNAPSHOT, Channel.DEPTH).ids(Records.NULL_LONG, e.lastId(), Records.NULL_LONG);
            }
        }
        return ParseError.OK;
    }

    private int bbo(final MarketFrame into)
    {
        for (int i = 0, n = into.eventCount(); i < n; i++)
        {
            final MarketEvent e = into.event(i);
            symbolFromArg(e);
            if (e.symbolLength() == 0)
            {
                return error("instId", ParseError.MISSING_FIELD);
            }
            final MarketEvent.Levels bids = e.bids();
            final MarketEvent.Levels asks = e.asks();
            if (bids.count() > 0)
            {
                e.decimal(MarketEvent.BID_PRICE, bids.price(0), bids.priceExponent(0))
                    .decimal(MarketEvent.BID_SIZE, bids.size(0), bids.sizeExponent(0));
            }
            if (asks.count() > 0)
            {
                e.decimal(MarketEvent.ASK_PRICE, asks.price(0), asks.priceExponent(0))
                    .decimal(MarketEvent.ASK_SIZE, asks.size(0), asks.sizeExponent(0));
            }
            e.kind(MarketEvent.TOP_OF_BOOK, Channel.BOOK_TICKER).ids(Records.NULL_LONG, e.lastId(), Records.NULL_LONG);
        }
        return ParseError.OK;
    }

    private int restSnapshot(final MarketFrame into)
    {
        if (code != 0)
        {
            dropAll(into);
            into.errorText().insert(0, ' ').insert(0, code).insert(0, "code ");
            into.control(MarketFrame.ERROR);
            return ParseError.OK;
        }
        if (into.eventCount() != 1)
        {
            return error("data", ParseError.MISSING_FIELD);
        }
        final MarketEvent e = into.event(0);
        e.kind(MarketEvent.BOOK_SNAPSHOT, Channel.DEPTH).ids(Records.NULL_LONG, e.lastId(), Records.NULL_LONG);
        return ParseError.OK;
    }
}
