package io.tickjournal.ingest.binance;

import io.tickjournal.journal.Records;

/**
 * One parsed Binance frame, as primitives in reused arrays: the parser fills it, the feed
 * handler reads it. Decimals are kept as parsed (mantissa and exponent) and rescaled to the
 * instrument's exponents only once the symbol is known, so field order in the frame does not matter.
 * One instance per connection's parser; never shared between threads.
 */
public final class BinanceMessage
{
    public static final int UNKNOWN = 0;
    public static final int TRADE = 1;
    public static final int AGG_TRADE = 2;
    public static final int DEPTH_UPDATE = 3;
    public static final int BOOK_TICKER = 4;
    public static final int MARK_PRICE = 5;
    /** A full depth: the REST snapshot or a partial-depth stream ({@code lastUpdateId}, {@code bids}, {@code asks}). */
    public static final int DEPTH_SNAPSHOT = 6;
    public static final int SERVER_SHUTDOWN = 7;
    /** Answer to a SUBSCRIBE/UNSUBSCRIBE/LIST request ({@code result}, {@code id}). */
    public static final int RESPONSE = 8;
    /** An error answer ({@code error: {code, msg}}, {@code id}). */
    public static final int ERROR_RESPONSE = 9;

    /** Most levels a side may carry (Binance's REST maximum). */
    public static final int MAX_LEVELS = 5_000;

    static final int PRICE = 0;
    static final int QTY = 1;
    static final int BID_PRICE = 2;
    static final int BID_QTY = 3;
    static final int ASK_PRICE = 4;
    static final int ASK_QTY = 5;
    static final int INDEX_PRICE = 6;
    static final int FUNDING_RATE = 7;
    static final int DECIMAL_SLOTS = 8;

    int type;
    final char[] eventType = new char[32];
    int eventTypeLength;
    final char[] symbol = new char[32];
    int symbolLength;
    final char[] stream = new char[128];
    int streamLength;

    long eventTimeMs = Records.NULL_LONG;
    long tradeTimeMs = Records.NULL_LONG;
    long tradeId = Records.NULL_LONG;
    long firstUpdateId = Records.NULL_LONG;
    long finalUpdateId = Records.NULL_LONG;
    long prevUpdateId = Records.NULL_LONG;
    long lastUpdateId = Records.NULL_LONG;
    long firstTradeId = Records.NULL_LONG;
    long lastTradeId = Records.NULL_LONG;
    long requestId = Records.NULL_LONG;
    int errorCode;
    boolean buyerMaker;
    boolean hasResultField;

    final long[] mantissa = new long[DECIMAL_SLOTS];
    final int[] exponent = new int[DECIMAL_SLOTS];
    int presentDecimals;

    final long[] bidPrice = new long[MAX_LEVELS];
    final int[] bidPriceExp = new int[MAX_LEVELS];
    final long[] bidSize = new long[MAX_LEVELS];
    final int[] bidSizeExp = new int[MAX_LEVELS];
    int bidCount;
    final long[] askPrice = new long[MAX_LEVELS];
    final int[] askPriceExp = new int[MAX_LEVELS];
    final long[] askSize = new long[MAX_LEVELS];
    final int[] askSizeExp = new int[MAX_LEVELS];
    int askCount;

    void reset()
    {
        type = UNKNOWN;
        eventTypeLength = 0;
        symbolLength = 0;
        streamLength = 0;
        eventTimeMs = Records.NULL_LONG;
        tradeTimeMs = Records.NULL_LONG;
        tradeId = Records.NULL_LONG;
        firstUpdateId = Records.NULL_LONG;
        finalUpdateId = Records.NULL_LONG;
        prevUpdateId = Records.NULL_LONG;
        lastUpdateId = Records.NULL_LONG;
        firstTradeId = Records.NULL_LONG;
        lastTradeId = Records.NULL_LONG;
        requestId = Records.NULL_LONG;
        errorCode = 0;
        buyerMaker = false;
        hasResultField = false;
        presentDecimals = 0;
        bidCount = 0;
        askCount = 0;
    }

    /** @return the message kind, one of the constants of this class. */
    public int type()
    {
        return type;
    }

    /** @return the venue symbol's characters (valid up to {@link #symbolLength()}). */
    public char[] symbol()
    {
        return symbol;
    }

    /** @return how many characters of {@link #symbol()} are valid. */
    public int symbolLength()
    {
        return symbolLength;
    }

    /** @return the combined-stream name's characters, when the frame was wrapped. */
    public char[] stream()
    {
        return stream;
    }

    /** @return how many characters of {@link #stream()} are valid (0 when not wrapped). */
    public int streamLength()
    {
        return streamLength;
    }

    /** @return {@code E}, ms since epoch, or {@link Records#NULL_LONG}. */
    public long eventTimeMs()
    {
        return eventTimeMs;
    }

    /** @return {@code T}, ms since epoch (trade time, transaction time, next funding time). */
    public long tradeTimeMs()
    {
        return tradeTimeMs;
    }

    /** @return {@code t} (trade) or {@code a} (aggregate trade) id. */
    public long tradeId()
    {
        return tradeId;
    }

    /** @return {@code U}. */
    public long firstUpdateId()
    {
        return firstUpdateId;
    }

    /** @return {@code u}. */
    public long finalUpdateId()
    {
        return finalUpdateId;
    }

    /** @return {@code pu} (USD-M only). */
    public long prevUpdateId()
    {
        return prevUpdateId;
    }

    /** @return {@code lastUpdateId} of a snapshot. */
    public long lastUpdateId()
    {
        return lastUpdateId;
    }

    /** @return {@code f} of an aggregate trade. */
    public long firstTradeId()
    {
        return firstTradeId;
    }

    /** @return {@code l} of an aggregate trade. */
    public long lastTradeId()
    {
        return lastTradeId;
    }

    /** @return {@code id} of a response. */
    public long requestId()
    {
        return requestId;
    }

    /** @return the {@code error.code} of an error response. */
    public int errorCode()
    {
        return errorCode;
    }

    /** @return {@code m}: the buyer was the maker, so the aggressor sold. */
    public boolean buyerMaker()
    {
        return buyerMaker;
    }

    /** @return bid levels parsed. */
    public int bidCount()
    {
        return bidCount;
    }

    /** @return ask levels parsed. */
    public int askCount()
    {
        return askCount;
    }

    boolean has(final int slot)
    {
        return (presentDecimals & (1 << slot)) != 0;
    }

    void put(final int slot, final long m, final int e)
    {
        mantissa[slot] = m;
        exponent[slot] = e;
        presentDecimals |= 1 << slot;
    }
}
