package io.tickjournal.ingest.bybit;

import com.fasterxml.jackson.core.JsonFactory;
import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.venue.AckModel;
import io.tickjournal.ingest.venue.Keepalive;
import io.tickjournal.ingest.venue.RecentIds;
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

/**
 * Bybit v5 public spot and linear (USDT/USDC perpetuals), as Bybit documents them (see
 * fixtures/venues/SOURCES.md, section 3):
 * <ul>
 * <li>Topics {@code publicTrade.{symbol}}, {@code orderbook.50.{symbol}} (the 20 ms depth on both
 * markets) and, on linear, {@code tickers.{symbol}} for mark, index and funding; symbols upper case.
 * Spot is served on {@code /v5/public/spot}, linear on {@code /v5/public/linear}.</li>
 * <li>Subscribed with {@code {"req_id":"n","op":"subscribe","args":[...]}}, answered once per
 * request; spot takes at most 10 args a request (linear states no limit; 100 is used), and a
 * connection's args must stay under 21,000 characters (200 streams of at most ~40 characters).</li>
 * <li>The client sends {@code {"op":"ping"}} every 20 s (the doc's recommendation; the server cuts
 * an idle connection after about 10 minutes).</li>
 * <li>Books come in the stream: a snapshot after subscribing (and whenever Bybit sends one),
 * then deltas whose {@code u} rises by one ({@link SequenceRule#CONTIGUOUS}); {@code u == 1} is a
 * reset snapshot after a service restart. A gap resubscribes the one book stream.</li>
 * <li>Trade ids are UUIDs on some markets, so duplicates are found in a set of recent ids
 * ({@link RecentIds}); no gap can be seen in them.</li>
 * </ul>
 * No connection age, per-second or per-hour request limit is documented for public streams: the
 * values used are conservative and named as such.
 */
public final class BybitProtocol implements VenueProtocol
{
    private static final long SECOND = 1_000_000_000L;
    private static final JsonFactory JSON = new JsonFactory();
    /** Trade ids remembered per instrument: a rotation's two connections deliver the same trade milliseconds apart. */
    static final int RECENT_TRADE_IDS = 4096;

    private final boolean linear;

    private BybitProtocol(final boolean linear)
    {
        this.linear = linear;
    }

    /** @return Bybit spot. */
    public static Venue spot()
    {
        return new Venue(Venues.BYBIT_SPOT, "bybit-spot", new BybitProtocol(false),
            URI.create("wss://stream.bybit.com"), URI.create("https://api.bybit.com"),
            EnumSet.of(Channel.TRADE, Channel.DEPTH), MarketKind.SPOT,
            // 10 args a request (documented for spot); 10 messages a second and 24 h age are not documented: conservative.
            new Venue.Limits(200, 10, 10, 100_000, 24 * 3600 * SECOND, 60, 30 * SECOND, 20 * SECOND));
    }

    /** @return Bybit linear (USDT and USDC perpetuals). */
    public static Venue linear()
    {
        return new Venue(Venues.BYBIT_LINEAR, "bybit-linear", new BybitProtocol(true),
            URI.create("wss://stream.bybit.com"), URI.create("https://api.bybit.com"),
            EnumSet.of(Channel.TRADE, Channel.DEPTH, Channel.MARK_PRICE), MarketKind.PERPETUAL,
            new Venue.Limits(200, 100, 10, 100_000, 24 * 3600 * SECOND, 60, 30 * SECOND, 20 * SECOND));
    }

    @Override
    public int venueId()
    {
        return linear ? Venues.BYBIT_LINEAR : Venues.BYBIT_SPOT;
    }

    @Override
    public VenueParser newParser()
    {
        return new BybitParser(JSON);
    }

    @Override
    public boolean supports(final Channel channel)
    {
        return switch (channel)
        {
            case TRADE, DEPTH -> true;
            case MARK_PRICE -> linear;
            default -> false;
        };
    }

    @Override
    public String path(final Channel channel)
    {
        return linear ? "/v5/public/linear" : "/v5/public/spot";
    }

    @Override
    public String streamName(final InstrumentSpec spec, final Channel channel)
    {
        final String s = spec.venueSymbol();
        return switch (channel)
        {
            case TRADE -> "publicTrade." + s;
            case DEPTH -> "orderbook.50." + s;
            case MARK_PRICE -> "tickers." + s;
            default -> throw new IllegalArgumentException("Bybit has no " + channel + " stream");
        };
    }

    @Override
    public String subscribe(final List<String> streams, final long requestId)
    {
        return request("subscribe", streams, requestId);
    }

    @Override
    public String unsubscribe(final List<String> streams, final long requestId)
    {
        return request("unsubscribe", streams, requestId);
    }

    private static String request(final String op, final List<String> streams, final long requestId)
    {
        final StringBuilder text = new StringBuilder(48 + streams.size() * 28)
            .append("{\"req_id\":\"").append(requestId).append("\",\"op\":\"").append(op).append("\",\"args\":[");
        for (int i = 0; i < streams.size(); i++)
        {
            text.append(i == 0 ? "\"" : ",\"").append(streams.get(i)).append('"');
        }
        return text.append("]}").toString();
    }

    @Override
    public AckModel ackModel()
    {
        return AckModel.PER_REQUEST;
    }

    @Override
    public Keepalive keepalive()
    {
        return Keepalive.message("{\"op\":\"ping\"}");
    }

    @Override
    public boolean caseInsensitiveSymbols()
    {
        return false;
    }

    @Override
    public SequenceRule bookRule()
    {
        return SequenceRule.CONTIGUOUS;
    }

    @Override
    public SnapshotSource snapshotSource()
    {
        return SnapshotSource.IN_STREAM;
    }

    @Override
    public URI snapshotUri(final FeedConfig config, final InstrumentSpec spec)
    {
        return config.restUri().resolve("/v5/market/orderbook?category=" + (linear ? "linear" : "spot") +
            "&symbol=" + spec.venueSymbol() + "&limit=" + Math.min(config.snapshotLimit(), linear ? 500 : 200));
    }

    @Override
    public TradeDedup newTradeDedup(final Channel channel)
    {
        return new RecentIds(channel == Channel.TRADE ? RECENT_TRADE_IDS : 1);
    }
}
