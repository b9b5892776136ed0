package io.tickjournal.ingest;

import io.tickjournal.journal.sbe.MarketKind;

/**
 * One instrument a feed subscribes to, as configured.
 *
 * @param instrumentId    the id stamped into records (unique within the venue).
 * @param venueSymbol     the venue's symbol, e.g. {@code BTCUSDT}.
 * @param canonicalSymbol the venue-neutral name, e.g. {@code BTC-USDT}.
 * @param marketKind      spot, perpetual, ...
 * @param priceExponent   prices are stored as mantissas at this exponent (e.g. -8).
 * @param sizeExponent    sizes are stored as mantissas at this exponent.
 * @param priceGrouping   the venue's price grouping its book is subscribed with (Upbit's orderbook
 *                        {@code level}), a mantissa at {@code priceExponent}; 0 = none. Recorded in the
 *                        instrument's definition, so a reader knows the book's prices are grouped.
 * @param bookDepth       levels a side the venue is asked to send in each book frame, where the
 *                        subscription has that option (Upbit's orderbook units, {@code KRW-BTC.15});
 *                        0 = the venue protocol's default.
 */
public record InstrumentSpec(
    int instrumentId, String venueSymbol, String canonicalSymbol, MarketKind marketKind, int priceExponent, int sizeExponent,
    long priceGrouping, int bookDepth)
{
    public InstrumentSpec
    {
        if (instrumentId <= 0)
        {
            throw new IllegalArgumentException("instrumentId must be positive: " + instrumentId);
        }
        if (venueSymbol == null || venueSymbol.isEmpty() || venueSymbol.length() > 32)
        {
            throw new IllegalArgumentException("venueSymbol must be 1 to 32 characters: " + venueSymbol);
        }
        if (priceExponent < -18 || priceExponent > 0 || sizeExponent < -18 || sizeExponent > 0)
        {
            throw new IllegalArgumentException("exponents must be within -18..0: " + priceExponent + ", " + sizeExponent);
        }
        if (priceGrouping < 0)
        {
            throw new IllegalArgumentException("priceGrouping must not be negative: " + priceGrouping);
        }
        if (bookDepth < 0)
        {
            throw new IllegalArgumentException("bookDepth must not be negative: " + bookDepth);
        }
    }

    /**
     * An instrument whose book is not grouped and has the venue's default depth.
     *
     * @param instrumentId    see the record.
     * @param venueSymbol     see the record.
     * @param canonicalSymbol see the record.
     * @param marketKind      see the record.
     * @param priceExponent   see the record.
     * @param sizeExponent    see the record.
     */
    public InstrumentSpec(
        final int instrumentId, final String venueSymbol, final String canonicalSymbol, final MarketKind marketKind,
        final int priceExponent, final int sizeExponent)
    {
        this(instrumentId, venueSymbol, canonicalSymbol, marketKind, priceExponent, sizeExponent, 0, 0);
    }

    /**
     * A copy subscribed with a price grouping.
     *
     * @param grouping the grouping, a mantissa at {@link #priceExponent()} (0 = none).
     * @return the copy.
     */
    public InstrumentSpec withPriceGrouping(final long grouping)
    {
        return new InstrumentSpec(instrumentId, venueSymbol, canonicalSymbol, marketKind, priceExponent, sizeExponent, grouping,
            bookDepth);
    }

    /**
     * A copy subscribed with this many book levels a side.
     *
     * @param depth levels a side (0 = the venue protocol's default).
     * @return the copy.
     */
    public InstrumentSpec withBookDepth(final int depth)
    {
        return new InstrumentSpec(instrumentId, venueSymbol, canonicalSymbol, marketKind, priceExponent, sizeExponent,
            priceGrouping, depth);
    }
}
