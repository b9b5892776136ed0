package io.tickjournal.ingest.venue;

import io.tickjournal.ingest.binance.BinanceProtocol;
import io.tickjournal.ingest.bithumb.BithumbProtocol;
import io.tickjournal.ingest.bybit.BybitProtocol;
import io.tickjournal.ingest.coinbase.CoinbaseProtocol;
import io.tickjournal.ingest.okx.OkxProtocol;
import io.tickjournal.ingest.upbit.UpbitProtocol;
import io.tickjournal.journal.Venues;

import java.util.ArrayList;
import java.util.List;

/**
 * Every venue ingest knows, in one place: the config accepts these names and refuses others by
 * name; the demo runs them all. Immutable.
 */
public final class VenueRegistry
{
    private static final List<Venue> VENUES = List.of(
        BinanceProtocol.spot(),
        BinanceProtocol.usdm(),
        BybitProtocol.spot(),
        BybitProtocol.linear(),
        OkxProtocol.spot(),
        OkxProtocol.swap(),
        CoinbaseProtocol.venue(),
        BithumbProtocol.venue(),
        UpbitProtocol.venue());

    private VenueRegistry()
    {
    }

    /** @return every venue, in id order. */
    public static List<Venue> all()
    {
        return VENUES;
    }

    /**
     * @param venueId a venue id.
     * @return its venue.
     * @throws IllegalArgumentException naming the supported venues when ingest does not support it.
     */
    public static Venue byId(final int venueId)
    {
        for (final Venue venue : VENUES)
        {
            if (venue.venueId() == venueId)
            {
                return venue;
            }
        }
        throw new IllegalArgumentException("venue " + Venues.name(venueId) + " is not supported by ingest (supported: " +
            names() + ")");
    }

    /**
     * @param name a venue name.
     * @return its venue.
     * @throws IllegalArgumentException naming the supported venues.
     */
    public static Venue byName(final String name)
    {
        for (final Venue venue : VENUES)
        {
            if (venue.name().equals(name))
            {
                return venue;
            }
        }
        throw new IllegalArgumentException("unknown venue '" + name + "' (supported: " + names() + ")");
    }

    /** @return the supported names, comma separated. */
    public static String names()
    {
        final List<String> names = new ArrayList<>();
        for (final Venue venue : VENUES)
        {
            names.add(venue.name());
        }
        return String.join(", ", names);
    }
}
