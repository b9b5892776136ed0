package io.tickjournal.ingest.venue;

import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.MarketKind;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VenueRegistryTest
{
    @Test
    void everyVenueIsFoundByNameAndIdAndItsNameIsTheJournalsName()
    {
        for (final Venue venue : VenueRegistry.all())
        {
            assertEquals(venue, VenueRegistry.byName(venue.name()));
            assertEquals(venue, VenueRegistry.byId(venue.venueId()));
            assertEquals(Venues.name(venue.venueId()), venue.name(), "one name per id everywhere");
            assertEquals(venue.venueId(), venue.protocol().venueId());
        }
    }

    @Test
    void anUnknownVenueIsRefusedByNameWithTheSupportedOnes()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> VenueRegistry.byName("kraken"));
        assertTrue(ex.getMessage().contains("'kraken'") && ex.getMessage().contains("binance-spot"), ex.getMessage());
    }

    @Test
    void defaultReconnectBackOffStaysWithinAFewSeconds()
    {
        for (final Venue venue : VenueRegistry.all())
        {
            final FeedConfig config = venue.defaults(Path.of("x"), venue.liveWebSocket(), venue.liveRest(),
                List.of(new InstrumentSpec(1, "BTCUSDT", "BTC-USDT", MarketKind.SPOT, -2, -8)), EnumSet.of(Channel.TRADE));
            assertTrue(config.reconnectMaxNs() <= 5_000_000_000L, venue.name() + ": an outage must not cost tens of seconds");
            assertTrue(config.rotateMarginNs() < config.maxConnectionAgeNs());
            assertTrue(URI.create(venue.liveWebSocket().toString()).getScheme().equals("wss"), venue.name());
        }
    }
}
