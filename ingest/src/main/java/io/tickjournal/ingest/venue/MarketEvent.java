package io.tickjournal.ingest.venue;

import io.tickjournal.ingest.Channel;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.Side;

/**
 * One venue-neutral market event, as a parser fills it from a frame: a trade, a book delta, a
 * book snapshot, a top of book or a mark price. Decimals are kept as parsed (mantissa, exponent,
 * and the scale they were written with, which OKX's checksum needs) and rescaled to the
 * instrument's exponents only by the normalizer, once the symbol is known, so field order in a
 * frame does not matter.
 * <p>
 * Reused: a {@link MarketFrame} owns a pool of these and a parser resets one per event. Level
 * arrays grow on demand (the only allocation, until the largest book a venue sends was seen).
 * Owned by one connection's thread; never shared.
 */
public final class MarketEvent
{
    /** A trade print. */
    public static final int TRADE = 1;
    /** Level changes that apply to the book (size 0 removes a level). */
    public static final int BOOK_DELTA = 2;
    /** A whole book (or top-N) that replaces the book. */
    public static final int BOOK_SNAPSHOT = 3;
    /** Best bid and offer. */
    public static final int TOP_OF_BOOK = 4;
    /** Mark, index price and funding. */
    public static final int MARK_PRICE = 5;

    /** Decimal slots of the scalar fields. */
    public static final int PRICE = 0;
    public static final int SIZE = 1;
    public static final int BID_PRICE = 2;
    public static final int BID_SIZE = 3;
    public static final int ASK_PRICE = 4;
    public static final int ASK_SIZE = 5;
    public static final int MARK = 6;
    public static final int INDEX_PRICE = 7;
    public static final int FUNDING_RATE = 8;
    static final int DECIMAL_SLOTS = 9;

    /** The most symbol characters kept. */
    public static final int MAX_SYMBOL = 64;

    private static final int INITIAL_LEVELS = 64;

    int type;
    Channel channel;
    final char[] symbol = new char[MAX_SYMBOL];
    int symbolLength;
    long eventTimeNs;
    long tradeTimeNs;
    long tradeId;
    boolean tradeIdHashed;
    Side side;
    long firstId;
    long lastId;
    long prevId;
    long crossSeq;
    long checksum;
    boolean hasChecksum;
    long nextFundingTimeNs;

    final long[] mantissa = new long[DECIMAL_SLOTS];
    final int[] exponent = new int[DECIMAL_SLOTS];
    private int present;

    final Levels bids = new Levels();
    final Levels asks = new Levels();

    /** Clear for the next event (a parser calls it through {@link MarketFrame#nextEvent()}). */
    void reset()
    {
        type = 0;
        channel = null;
        symbolLength = 0;
        eventTimeNs = Records.NULL_LONG;
        tradeTimeNs = Records.NULL_LONG;
        tradeId = Records.NULL_LONG;
        tradeIdHashed = false;
        side = Side.UNKNOWN;
        firstId = Records.NULL_LONG;
        lastId = Records.NULL_LONG;
        prevId = Records.NULL_LONG;
        crossSeq = Records.NULL_LONG;
        checksum = 0;
        hasChecksum = false;
        nextFundingTimeNs = Records.NULL_LONG;
        present = 0;
        bids.count = 0;
        asks.count = 0;
    }

    // ---- written by parsers -------------------------------------------------------------------

    /**
     * @param type    one of the type constants.
     * @param channel the subscribed stream it came from (trade and aggTrade are both trades).
     * @return this.
     */
    public MarketEvent kind(final int type, final Channel channel)
    {
        this.type = type;
        this.channel = channel;
        return this;
    }

    /**
     * Copy the venue symbol.
     *
     * @param chars  characters.
     * @param offset first.
     * @param length count (clipped to {@link #MAX_SYMBOL}).
     * @return this.
     */
    public MarketEvent symbol(final char[] chars, final int offset, final int length)
    {
        final int n = Math.min(length, MAX_SYMBOL);
        System.arraycopy(chars, offset, symbol, 0, n);
        symbolLength = n;
        return this;
    }

    /**
     * @param nanos venue event time, ns since epoch.
     * @return this.
     */
    public MarketEvent eventTimeNs(final long nanos)
    {
        this.eventTimeNs = nanos;
        return this;
    }

    /**
     * @param nanos trade (or transaction) time, ns since epoch.
     * @return this.
     */
    public MarketEvent tradeTimeNs(final long nanos)
    {
        this.tradeTimeNs = nanos;
        return this;
    }

    /**
     * A venue trade id that is a number (ordered on most venues).
     *
     * @param id the id.
     * @return this.
     */
    public MarketEvent tradeId(final long id)
    {
        this.tradeId = id;
        this.tradeIdHashed = false;
        return this;
    }

    /**
     * A venue trade id that is not a number (a UUID): its 64-bit hash, good for duplicate checks
     * only (never for gap checks, and never journaled as an id).
     *
     * @param hash the hash.
     * @return this.
     */
    public MarketEvent tradeIdHash(final long hash)
    {
        this.tradeId = hash;
        this.tradeIdHashed = true;
        return this;
    }

    /**
     * @param side aggressor side ({@link Side#UNKNOWN} when the venue does not say).
     * @return this.
     */
    public MarketEvent side(final Side side)
    {
        this.side = side;
        return this;
    }

    /**
     * Update ids of a book event, as the venue names them (null where it has none).
     *
     * @param first first update id in the event (Binance {@code U}).
     * @param last  last update id in the event (Binance {@code u}, Bybit {@code u}, OKX {@code seqId}).
     * @param prev  the previous event's last id (Binance USD-M {@code pu}, OKX {@code prevSeqId}).
     * @return this.
     */
    public MarketEvent ids(final long first, final long last, final long prev)
    {
        this.firstId = first;
        this.lastId = last;
        this.prevId = prev;
        return this;
    }

    /**
     * @param seq the venue's cross sequence (Bybit {@code seq}), kept for audit.
     * @return this.
     */
    public MarketEvent crossSeq(final long seq)
    {
        this.crossSeq = seq;
        return this;
    }

    /**
     * @param checksum the venue's book checksum (OKX CRC32, signed 32-bit).
     * @return this.
     */
    public MarketEvent checksum(final long checksum)
    {
        this.checksum = checksum;
        this.hasChecksum = true;
        return this;
    }

    /**
     * @param nanos next funding time, ns since epoch.
     * @return this.
     */
    public MarketEvent nextFundingTimeNs(final long nanos)
    {
        this.nextFundingTimeNs = nanos;
        return this;
    }

    /**
     * Set a scalar decimal.
     *
     * @param slot     one of the slot constants.
     * @param mantissa significant digits.
     * @param exponent base-10 exponent.
     * @return this.
     */
    public MarketEvent decimal(final int slot, final long mantissa, final int exponent)
    {
        this.mantissa[slot] = mantissa;
        this.exponent[slot] = exponent;
        present |= 1 << slot;
        return this;
    }

    /** @return the bid levels (parsers append to them). */
    public Levels bids()
    {
        return bids;
    }

    /** @return the ask levels (parsers append to them). */
    public Levels asks()
    {
        return asks;
    }

    // ---- read by the normalizer and tests -------------------------------------------------------

    /** @return one of the type constants. */
    public int type()
    {
        return type;
    }

    /** @return the stream it came from. */
    public Channel channel()
    {
        return channel;
    }

    /** @return the symbol's characters (valid up to {@link #symbolLength()}). */
    public char[] symbol()
    {
        return symbol;
    }

    /** @return valid characters of {@link #symbol()}. */
    public int symbolLength()
    {
        return symbolLength;
    }

    /** @return the symbol as a String (tests and errors; allocates). */
    public String symbolText()
    {
        return new String(symbol, 0, symbolLength);
    }

    /** @return event time, ns, or null. */
    public long eventTimeNs()
    {
        return eventTimeNs;
    }

    /** @return trade time, ns, or null. */
    public long tradeTimeNs()
    {
        return tradeTimeNs;
    }

    /** @return the trade id, its hash when {@link #tradeIdHashed()}, or null. */
    public long tradeId()
    {
        return tradeId;
    }

    /** @return true when {@link #tradeId()} is a hash of a non-numeric id. */
    public boolean tradeIdHashed()
    {
        return tradeIdHashed;
    }

    /** @return the aggressor side. */
    public Side side()
    {
        return side;
    }

    /** @return first update id, or null. */
    public long firstId()
    {
        return firstId;
    }

    /** @return last update id, or null. */
    public long lastId()
    {
        return lastId;
    }

    /** @return previous event's last id, or null. */
    public long prevId()
    {
        return prevId;
    }

    /** @return cross sequence, or null. */
    public long crossSeq()
    {
        return crossSeq;
    }

    /** @return whether the venue sent a checksum (and it is non-zero where zero means none). */
    public boolean hasChecksum()
    {
        return hasChecksum;
    }

    /** @return the checksum. */
    public long checksumValue()
    {
        return checksum;
    }

    /** @return next funding time, ns, or null. */
    public long nextFundingTimeNs()
    {
        return nextFundingTimeNs;
    }

    /**
     * @param slot a slot constant.
     * @return whether the frame carried it.
     */
    public boolean has(final int slot)
    {
        return (present & (1 << slot)) != 0;
    }

    /**
     * @param slot a slot constant.
     * @return its mantissa (valid when {@link #has}).
     */
    public long mantissa(final int slot)
    {
        return mantissa[slot];
    }

    /**
     * @param slot a slot constant.
     * @return its exponent (valid when {@link #has}).
     */
    public int exponent(final int slot)
    {
        return exponent[slot];
    }

    /**
     * One side's price levels, in the order the venue sent them, as parallel growable arrays.
     * The written scale (digits after the point as the venue wrote them) lets a checksum rebuild
     * the venue's exact text.
     */
    public static final class Levels
    {
        long[] price = new long[INITIAL_LEVELS];
        int[] priceExponent = new int[INITIAL_LEVELS];
        long[] size = new long[INITIAL_LEVELS];
        int[] sizeExponent = new int[INITIAL_LEVELS];
        byte[] priceScale = new byte[INITIAL_LEVELS];
        byte[] sizeScale = new byte[INITIAL_LEVELS];
        int count;

        /**
         * Append a level.
         *
         * @param priceMantissa price digits.
         * @param priceExp      price exponent.
         * @param sizeMantissa  size digits (0 removes the level in a delta).
         * @param sizeExp       size exponent.
         */
        public void add(final long priceMantissa, final int priceExp, final long sizeMantissa, final int sizeExp)
        {
            add(priceMantissa, priceExp, 0, sizeMantissa, sizeExp, 0);
        }

        /**
         * Append a level with the scales its text was written with (see {@code DecimalParser.writtenScale()}).
         *
         * @param priceMantissa price digits.
         * @param priceExp      price exponent.
         * @param priceWritten  digits after the point in the venue's price text.
         * @param sizeMantissa  size digits (0 removes the level in a delta).
         * @param sizeExp       size exponent.
         * @param sizeWritten   digits after the point in the venue's size text.
         */
        public void add(
            final long priceMantissa, final int priceExp, final int priceWritten,
            final long sizeMantissa, final int sizeExp, final int sizeWritten)
        {
            if (count == price.length)
            {
                grow();
            }
            price[count] = priceMantissa;
            priceExponent[count] = priceExp;
            priceScale[count] = (byte)priceWritten;
            size[count] = sizeMantissa;
            sizeExponent[count] = sizeExp;
            sizeScale[count] = (byte)sizeWritten;
            count++;
        }

        private void grow()
        {
            final int n = price.length * 2;
            price = java.util.Arrays.copyOf(price, n);
            priceExponent = java.util.Arrays.copyOf(priceExponent, n);
            size = java.util.Arrays.copyOf(size, n);
            sizeExponent = java.util.Arrays.copyOf(sizeExponent, n);
            priceScale = java.util.Arrays.copyOf(priceScale, n);
            sizeScale = java.util.Arrays.copyOf(sizeScale, n);
        }

        /**
         * @param i index.
         * @return digits after the point in the venue's price text.
         */
        public int priceScale(final int i)
        {
            return priceScale[i];
        }

        /**
         * @param i index.
         * @return digits after the point in the venue's size text.
         */
        public int sizeScale(final int i)
        {
            return sizeScale[i];
        }

        /** @return levels held. */
        public int count()
        {
            return count;
        }

        /**
         * @param i index.
         * @return price mantissa.
         */
        public long price(final int i)
        {
            return price[i];
        }

        /**
         * @param i index.
         * @return price exponent.
         */
        public int priceExponent(final int i)
        {
            return priceExponent[i];
        }

        /**
         * @param i index.
         * @return size mantissa.
         */
        public long size(final int i)
        {
            return size[i];
        }

        /**
         * @param i index.
         * @return size exponent.
         */
        public int sizeExponent(final int i)
        {
            return sizeExponent[i];
        }
    }
}
