package io.tickjournal.tailer;

import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.TradeKind;

import java.util.Arrays;

/**
 * Which trade prints feed the trade features, so each fill is counted once when a venue publishes
 * the same fills twice (Binance spot's {@code trade} and {@code aggTrade} streams): per venue one
 * {@link TradeKind} is the fill source; prints of the other kind stay in the journal for audit and
 * are skipped by the features.
 * <p>
 * The rule is a pure function of the venue id, fixed in code, so live, replay and backfill apply
 * the same one with no configuration to keep in step: TRADE (one print per fill, the finest) for
 * every venue, except venues that publish aggregated prints only, where AGG_TRADE is the fill
 * source (Binance USD-M, whose public streams have {@code aggTrade} but no {@code trade}).
 * A subscription that lacks a venue's fill source gives no trade features for it, visibly (trade
 * count 0, volume 0), never a double count. Immutable.
 */
public final class FillSource
{
    private static final FillSource DEFAULTS = new FillSource(new TradeKind[0]).with(Venues.BINANCE_USDM, TradeKind.AGG_TRADE);

    private final TradeKind[] byVenue;

    private FillSource(final TradeKind[] byVenue)
    {
        this.byVenue = byVenue;
    }

    /** @return the documented default rule. */
    public static FillSource defaults()
    {
        return DEFAULTS;
    }

    /**
     * A copy with another fill source for one venue.
     *
     * @param venueId the venue.
     * @param kind    its fill source.
     * @return the new rule.
     */
    public FillSource with(final int venueId, final TradeKind kind)
    {
        final TradeKind[] copy = Arrays.copyOf(byVenue, Math.max(byVenue.length, venueId + 1));
        copy[venueId] = kind;
        return new FillSource(copy);
    }

    /**
     * @param venueId a venue id.
     * @return the kind of print that carries its fills.
     */
    public TradeKind kindFor(final int venueId)
    {
        final TradeKind kind = venueId >= 0 && venueId < byVenue.length ? byVenue[venueId] : null;
        return kind == null ? TradeKind.TRADE : kind;
    }

    /**
     * @param venueId a venue id.
     * @param kind    a print's kind.
     * @return true when such prints feed the trade features.
     */
    public boolean feedsFeatures(final int venueId, final TradeKind kind)
    {
        return kindFor(venueId) == kind;
    }
}
