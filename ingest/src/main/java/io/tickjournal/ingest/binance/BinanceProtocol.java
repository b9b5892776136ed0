package io.tickjournal.ingest.binance;

import com.fasterxml.jackson.core.JsonFactory;
import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.venue.AckModel;
import io.tickjournal.ingest.venue.Keepalive;
import io.tickjournal.ingest.venue.RisingIds;
import io.tickjournal.ingest.venue.SequenceRule;
import io.tickjournal.ingest.venue.SnapshotSource;
import io.tickjournal.ingest.venue.TradeDedup;
import io.tickjournal.ingest.venue.Venue;
import io.tickjournal.ingest.venue.VenueParser;
import io.tickjournal.ingest.venue.VenueProtocol;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.MarketKind;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Binance spot and USD-M futures, as Binance documents them (see fixtures/venues/SOURCES.md):
 * <ul>
 * <li>Streams {@code <symbol>@trade|aggTrade|depth@100ms|bookTicker|markPrice@1s}, lower case,
 * subscribed with {@code {"method":"SUBSCRIBE","params":[...],"id":n}} and answered per request
 * ({@code {"result":null,"id":n}}). Spot serves everything on {@code /stream}; USD-M routes
 * depth and bookTicker to {@code /public/stream} and the rest to {@code /market/stream}.</li>
 * <li>The server pings every 20 s (Netty answers); pongs count against 5 (spot) or 10 (USD-M)
 * messages a second, so one a second is kept spare.</li>
 * <li>Books join from a REST snapshot: spot checks {@code U}/{@code u}
 * ({@link SequenceRule#FIRST_LAST}), USD-M the {@code pu} chain ({@link SequenceRule#PREV_CHAIN}).</li>
 * <li>Trade and aggregate trade ids rise: {@link RisingIds}.</li>
 * </ul>
 */
public final class BinanceProtocol implements VenueProtocol
{
    private static final long SECOND = 1_000_000_000L;
    private static final JsonFactory JSON = new JsonFactory();

    private final boolean futures;

    private BinanceProtocol(final boolean futures)
    {
        this.futures = futures;
    }

    /** @return Binance spot. */
    public static Venue spot()
    {
        return new Venue(Venues.BINANCE_SPOT, "binance-spot", new BinanceProtocol(false),
            URI.create("wss://stream.binance.com:9443"), URI.create("https://api.binance.com"),
            EnumSet.of(Channel.TRADE, Channel.DEPTH, Channel.BOOK_TICKER), MarketKind.SPOT,
            new Venue.Limits(1024, 100, 5, 100_000, 24 * 3600 * SECOND, 60, 30 * SECOND, 20 * SECOND));
    }

    /** @return Binance USD-M futures. */
    public static Venue usdm()
    {
        return new Venue(Venues.BINANCE_USDM, "binance-usdm", new BinanceProtocol(true),
            URI.create("wss://fstream.binance.com"), URI.create("https://fapi.binance.com"),
            EnumSet.of(Channel.AGG_TRADE, Channel.DEPTH, Channel.BOOK_TICKER, Channel.MARK_PRICE), MarketKind.PERPETUAL,
            new Venue.Limits(200, 100, 10, 100_000, 24 * 3600 * SECOND, 60, 30 * SECOND, 20 * SECOND));
    }

    @Override
    public int venueId()
    {
        return futures ? Venues.BINANCE_USDM : Venues.BINANCE_SPOT;
    }

    @Override
    public VenueParser newParser()
    {
        return new BinanceParser(JSON);
    }

    @Override
    public boolean supports(final Channel channel)
    {
        return channel != Channel.MARK_PRICE || futures;
    }

    @Override
    public String path(final Channel channel)
    {
        if (!futures)
        {
            return "/stream";
        }
        return channel == Channel.DEPTH || channel == Channel.BOOK_TICKER ? "/public/stream" : "/market/stream";
    }

    @Override
    public String streamName(final InstrumentSpec spec, final Channel channel)
    {
        final String s = spec.venueSymbol().toLowerCase(Locale.ROOT);
        return switch (channel)
        {
            case TRADE -> s + "@trade";
            case AGG_TRADE -> s + "@aggTrade";
            case DEPTH -> s + "@depth@100ms";
            case BOOK_TICKER -> s + "@bookTicker";
            case MARK_PRICE -> s + "@markPrice@1s";
        };
    }

    @Override
    public String subscribe(final List<String> streams, final long requestId)
    {
        return request("SUBSCRIBE", streams, requestId);
    }

    @Override
    public String unsubscribe(final List<String> streams, final long requestId)
    {
        return request("UNSUBSCRIBE", streams, requestId);
    }

    private static String request(final String method, final List<String> streams, final long requestId)
    {
        final StringBuilder text = new StringBuilder(32 + streams.size() * 24)
            .append("{\"method\":\"").append(method).append("\",\"params\":[");
        for (int i = 0; i < streams.size(); i++)
        {
            text.append(i == 0 ? "\"" : ",\"").append(streams.get(i)).append('"');
        }
        return text.append("],\"id\":").append(requestId).append('}').toString();
    }

    @Override
    public AckModel ackModel()
    {
        return AckModel.PER_REQUEST;
    }

    @Override
    public int reservedMessagesPerSecond()
    {
        return 1;
    }

    @Override
    public Keepalive keepalive()
    {
        return Keepalive.NONE;
    }

    @Override
    public boolean caseInsensitiveSymbols()
    {
        return true;
    }

    @Override
    public SequenceRule bookRule()
    {
        return futures ? SequenceRule.PREV_CHAIN : SequenceRule.FIRST_LAST;
    }

    @Override
    public SnapshotSource snapshotSource()
    {
        return SnapshotSource.REST;
    }

    @Override
    public URI snapshotUri(final FeedConfig config, final InstrumentSpec spec)
    {
        final String path = futures ? "/fapi/v1/depth" : "/api/v3/depth";
        return config.restUri().resolve(path + "?symbol=" + spec.venueSymbol().toUpperCase(Locale.ROOT) +
            "&limit=" + config.snapshotLimit());
    }

    @Override
    public TradeDedup newTradeDedup(final Channel channel)
    {
        return new RisingIds();
    }
}
