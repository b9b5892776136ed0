package io.tickjournal.ingest.venue;

import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.decimal.DecimalError;
import io.tickjournal.journal.decimal.Decimals;
import io.tickjournal.journal.sbe.BookDeltaEncoder;
import io.tickjournal.journal.sbe.BookSnapshotEncoder;
import io.tickjournal.journal.sbe.MarkPriceEncoder;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import io.tickjournal.journal.sbe.TopOfBookEncoder;
import io.tickjournal.journal.sbe.TradeEncoder;
import io.tickjournal.journal.sbe.TradeKind;
import org.agrona.MutableDirectBuffer;

/**
 * The normalizer: turns venue-neutral {@link MarketEvent}s into the journal's records (Trade,
 * TopOfBook, BookDelta, BookSnapshot, MarkPrice) at the instrument's exponents, for every venue.
 * A value that cannot be held exactly (finer than the exponent, too large), a negative or zero
 * trade size or price, or a negative level size refuses the whole record: the encode methods
 * return {@link #REFUSED} and {@link #refusal()} says which field and why; nothing is rounded.
 * <p>
 * Mark, index and funding values carry their own exponent: the finest of the instrument's price
 * exponent and what the venue sent (Binance's index price has 8 decimals where the instrument's
 * price has 1), so they are never refused for precision the instrument's trades do not have.
 * One instance per feed; the feed's thread only.
 */
public final class RecordEncoder
{
    /** An encode method's answer when the record was refused. */
    public static final int REFUSED = -1;

    private final int venueId;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final TradeEncoder trade = new TradeEncoder();
    private final TopOfBookEncoder top = new TopOfBookEncoder();
    private final BookDeltaEncoder delta = new BookDeltaEncoder();
    private final BookSnapshotEncoder snapshot = new BookSnapshotEncoder();
    private final MarkPriceEncoder mark = new MarkPriceEncoder();
    private final StringBuilder refusal = new StringBuilder(96);

    /**
     * @param venueId the feed's venue id.
     */
    public RecordEncoder(final int venueId)
    {
        this.venueId = venueId;
    }

    /** @return why the last record was refused. */
    public CharSequence refusal()
    {
        return refusal;
    }

    /**
     * @param spec          the instrument.
     * @param e             a TRADE event.
     * @param receiveTimeNs receive time.
     * @param rawIndex      the raw frame.
     * @param buffer        where to encode.
     * @return the record's length, or {@link #REFUSED}.
     */
    public int trade(
        final InstrumentSpec spec, final MarketEvent e, final long receiveTimeNs, final long rawIndex,
        final MutableDirectBuffer buffer)
    {
        final long price = scaled(e, MarketEvent.PRICE, spec.priceExponent(), "price");
        if (price == Decimals.NOT_REPRESENTABLE)
        {
            return REFUSED;
        }
        final long size = scaled(e, MarketEvent.SIZE, spec.sizeExponent(), "size");
        if (size == Decimals.NOT_REPRESENTABLE)
        {
            return REFUSED;
        }
        if (price <= 0 || size <= 0)
        {
            return refuse(price <= 0 ? "price" : "size", "must be positive in a trade");
        }
        trade.wrapAndApplyHeader(buffer, 0, header);
        Records.putCommon(buffer, 0, receiveTimeNs, e.eventTimeNs(), e.tradeIdHashed() ? Records.NULL_LONG : e.tradeId(),
            rawIndex, venueId, 0, spec.instrumentId());
        trade
            .priceMantissa(price)
            .sizeMantissa(size)
            .tradeTimeNs(e.tradeTimeNs())
            .priceExponent((byte)spec.priceExponent())
            .sizeExponent((byte)spec.sizeExponent())
            .aggressor(e.side())
            .kind(e.channel() == Channel.AGG_TRADE ? TradeKind.AGG_TRADE : TradeKind.TRADE);
        return MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength();
    }

    /**
     * @param spec          the instrument.
     * @param e             a TOP_OF_BOOK event.
     * @param receiveTimeNs receive time.
     * @param rawIndex      the raw frame.
     * @param buffer        where to encode.
     * @return the record's length, or {@link #REFUSED}.
     */
    public int topOfBook(
        final InstrumentSpec spec, final MarketEvent e, final long receiveTimeNs, final long rawIndex,
        final MutableDirectBuffer buffer)
    {
        final long bidPrice = scaled(e, MarketEvent.BID_PRICE, spec.priceExponent(), "bid price");
        final long bidSize = bidPrice == Decimals.NOT_REPRESENTABLE ? bidPrice : scaled(e, MarketEvent.BID_SIZE, spec.sizeExponent(), "bid size");
        final long askPrice = bidSize == Decimals.NOT_REPRESENTABLE ? bidSize : scaled(e, MarketEvent.ASK_PRICE, spec.priceExponent(), "ask price");
        final long askSize = askPrice == Decimals.NOT_REPRESENTABLE ? askPrice : scaled(e, MarketEvent.ASK_SIZE, spec.sizeExponent(), "ask size");
        if (askSize == Decimals.NOT_REPRESENTABLE)
        {
            return REFUSED;
        }
        if (bidSize < 0 || askSize < 0)
        {
            return refuse("size", "negative");
        }
        top.wrapAndApplyHeader(buffer, 0, header);
        Records.putCommon(buffer, 0, receiveTimeNs, e.eventTimeNs(), e.lastId(), rawIndex, venueId, 0, spec.instrumentId());
        top
            .bidPrice(bidPrice)
            .bidSize(bidSize)
            .askPrice(askPrice)
            .askSize(askSize)
            .priceExponent((byte)spec.priceExponent())
            .sizeExponent((byte)spec.sizeExponent());
        return MessageHeaderEncoder.ENCODED_LENGTH + top.encodedLength();
    }

    /**
     * @param spec          the instrument.
     * @param e             a BOOK_DELTA event.
     * @param receiveTimeNs receive time.
     * @param rawIndex      the raw frame.
     * @param buffer        where to encode.
     * @param offset        where in it.
     * @return the record's length, or {@link #REFUSED}.
     */
    public int bookDelta(
        final InstrumentSpec spec, final MarketEvent e, final long receiveTimeNs, final long rawIndex,
        final MutableDirectBuffer buffer, final int offset)
    {
        delta.wrapAndApplyHeader(buffer, offset, header);
        Records.putCommon(buffer, offset, receiveTimeNs, e.eventTimeNs(), e.lastId(), rawIndex, venueId, 0, spec.instrumentId());
        delta
            .firstVenueSeq(e.firstId())
            .prevVenueSeq(e.prevId())
            .priceExponent((byte)spec.priceExponent())
            .sizeExponent((byte)spec.sizeExponent());
        final MarketEvent.Levels b = e.bids();
        final BookDeltaEncoder.BidsEncoder bids = delta.bidsCount(b.count());
        for (int i = 0; i < b.count(); i++)
        {
            final long price = levelPrice(spec, b, i, "bid level");
            final long size = price == Decimals.NOT_REPRESENTABLE ? price : levelSize(spec, b, i, "bid level");
            if (size == Decimals.NOT_REPRESENTABLE)
            {
                return REFUSED;
            }
            bids.next().price(price).size(size);
        }
        final MarketEvent.Levels a = e.asks();
        final BookDeltaEncoder.AsksEncoder asks = delta.asksCount(a.count());
        for (int i = 0; i < a.count(); i++)
        {
            final long price = levelPrice(spec, a, i, "ask level");
            final long size = price == Decimals.NOT_REPRESENTABLE ? price : levelSize(spec, a, i, "ask level");
            if (size == Decimals.NOT_REPRESENTABLE)
            {
                return REFUSED;
            }
            asks.next().price(price).size(size);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + delta.encodedLength();
    }

    /**
     * @param spec          the instrument.
     * @param e             a BOOK_SNAPSHOT event.
     * @param receiveTimeNs receive time.
     * @param rawIndex      the raw frame.
     * @param flags         record flags ({@link Records#FLAG_FROM_SNAPSHOT} for REST).
     * @param buffer        where to encode.
     * @return the record's length, or {@link #REFUSED}.
     */
    public int bookSnapshot(
        final InstrumentSpec spec, final MarketEvent e, final long receiveTimeNs, final long rawIndex, final int flags,
        final MutableDirectBuffer buffer)
    {
        snapshot.wrapAndApplyHeader(buffer, 0, header);
        Records.putCommon(buffer, 0, receiveTimeNs, e.eventTimeNs(), e.lastId(), rawIndex, venueId, flags, spec.instrumentId());
        snapshot
            .priceExponent((byte)spec.priceExponent())
            .sizeExponent((byte)spec.sizeExponent());
        final MarketEvent.Levels b = e.bids();
        final BookSnapshotEncoder.BidsEncoder bids = snapshot.bidsCount(b.count());
        for (int i = 0; i < b.count(); i++)
        {
            final long price = levelPrice(spec, b, i, "bid level");
            final long size = price == Decimals.NOT_REPRESENTABLE ? price : levelSize(spec, b, i, "bid level");
            if (size == Decimals.NOT_REPRESENTABLE)
            {
                return REFUSED;
            }
            bids.next().price(price).size(size);
        }
        final MarketEvent.Levels a = e.asks();
        final BookSnapshotEncoder.AsksEncoder asks = snapshot.asksCount(a.count());
        for (int i = 0; i < a.count(); i++)
        {
            final long price = levelPrice(spec, a, i, "ask level");
            final long size = price == Decimals.NOT_REPRESENTABLE ? price : levelSize(spec, a, i, "ask level");
            if (size == Decimals.NOT_REPRESENTABLE)
            {
                return REFUSED;
            }
            asks.next().price(price).size(size);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + snapshot.encodedLength();
    }

    /**
     * @param spec          the instrument.
     * @param e             a MARK_PRICE event.
     * @param receiveTimeNs receive time.
     * @param rawIndex      the raw frame.
     * @param buffer        where to encode.
     * @return the record's length, or {@link #REFUSED}.
     */
    public int markPrice(
        final InstrumentSpec spec, final MarketEvent e, final long receiveTimeNs, final long rawIndex,
        final MutableDirectBuffer buffer)
    {
        if (!e.has(MarketEvent.MARK))
        {
            return refuse("mark price", "missing");
        }
        int exponent = Math.min(spec.priceExponent(), e.exponent(MarketEvent.MARK));
        if (e.has(MarketEvent.INDEX_PRICE))
        {
            exponent = Math.min(exponent, e.exponent(MarketEvent.INDEX_PRICE));
        }
        exponent = Math.max(exponent, -Decimals.MAX_POW10);
        final long markPrice = scaled(e, MarketEvent.MARK, exponent, "mark price");
        if (markPrice == Decimals.NOT_REPRESENTABLE)
        {
            return REFUSED;
        }
        final long indexPrice = e.has(MarketEvent.INDEX_PRICE) ? scaled(e, MarketEvent.INDEX_PRICE, exponent, "index price") : Records.NULL_LONG;
        if (indexPrice == Decimals.NOT_REPRESENTABLE)
        {
            return REFUSED;
        }
        final boolean hasFunding = e.has(MarketEvent.FUNDING_RATE);
        final int fundingExponent = hasFunding ? e.exponent(MarketEvent.FUNDING_RATE) : 0;
        if (fundingExponent < Byte.MIN_VALUE || fundingExponent > Byte.MAX_VALUE)
        {
            return refuse("funding rate", DecimalError.describe(DecimalError.EXPONENT_OUT_OF_RANGE));
        }
        mark.wrapAndApplyHeader(buffer, 0, header);
        Records.putCommon(buffer, 0, receiveTimeNs, e.eventTimeNs(), Records.NULL_LONG, rawIndex, venueId, 0, spec.instrumentId());
        mark
            .markPrice(markPrice)
            .indexPrice(indexPrice)
            .fundingRateMantissa(hasFunding ? e.mantissa(MarketEvent.FUNDING_RATE) : Records.NULL_LONG)
            .nextFundingTimeNs(e.nextFundingTimeNs())
            .priceExponent((byte)exponent)
            .fundingRateExponent((byte)fundingExponent);
        return MessageHeaderEncoder.ENCODED_LENGTH + mark.encodedLength();
    }

    /*
     * Levels are checked as they are written, each value rescaled once: a level that cannot be
     * represented refuses the whole record (the caller appends nothing; what was written to the scratch
     * buffer is never read). Bids are checked before asks and, per level, price, then size, then signs.
     */

    /** The level's price at the instrument's exponent, or {@link Decimals#NOT_REPRESENTABLE} after noting the refusal. */
    private long levelPrice(final InstrumentSpec spec, final MarketEvent.Levels levels, final int i, final String what)
    {
        final long price = Decimals.rescale(levels.price(i), levels.priceExponent(i), spec.priceExponent());
        if (price == Decimals.NOT_REPRESENTABLE)
        {
            refuse(what + " price", DecimalError.describe(
                Decimals.rescaleError(levels.price(i), levels.priceExponent(i), spec.priceExponent())));
        }
        return price;
    }

    /** The level's size at the instrument's exponent (its price was representable), or {@link Decimals#NOT_REPRESENTABLE}. */
    private long levelSize(final InstrumentSpec spec, final MarketEvent.Levels levels, final int i, final String what)
    {
        final long size = Decimals.rescale(levels.size(i), levels.sizeExponent(i), spec.sizeExponent());
        if (size == Decimals.NOT_REPRESENTABLE)
        {
            refuse(what + " size", DecimalError.describe(
                Decimals.rescaleError(levels.size(i), levels.sizeExponent(i), spec.sizeExponent())));
            return Decimals.NOT_REPRESENTABLE;
        }
        if (levels.size(i) < 0 || levels.price(i) <= 0)
        {
            refuse(what, levels.size(i) < 0 ? "negative size" : "price not positive");
            return Decimals.NOT_REPRESENTABLE;
        }
        return size;
    }

    private long scaled(final MarketEvent e, final int slot, final int exponent, final String field)
    {
        if (!e.has(slot))
        {
            refuse(field, "missing");
            return Decimals.NOT_REPRESENTABLE;
        }
        final long value = Decimals.rescale(e.mantissa(slot), e.exponent(slot), exponent);
        if (value == Decimals.NOT_REPRESENTABLE)
        {
            refuse(field, DecimalError.describe(Decimals.rescaleError(e.mantissa(slot), e.exponent(slot), exponent)) +
                " at exponent " + exponent);
        }
        return value;
    }

    private int refuse(final String field, final String why)
    {
        refusal.setLength(0);
        refusal.append(field).append(": ").append(why);
        return REFUSED;
    }
}
