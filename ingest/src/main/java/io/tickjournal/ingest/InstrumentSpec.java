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
 */
public record InstrumentSpec(
    int instrumentId, String venueSymbol, String canonicalSymbol, MarketKind marketKind, int priceExponent, int sizeExponent)
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
    }
}
