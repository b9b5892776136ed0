package io.tickjournal.ingest.coinbase;

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

/**
 * Coinbase Advanced Trade market data ({@code wss://advanced-trade-ws.coinbase.com}), as documented
 * (see fixtures/venues/SOURCES.md section 5):
 * <ul>
 * <li>Channels {@code market_trades} (TRADE), {@code level2} (DEPTH; messages arrive as
 * {@code l2_data}) and {@code ticker} (BOOK_TICKER, top of book where the ticker carries it); stream
 * names are {@code <channel>:<product>}. One channel per subscribe message
 * ({@code {"type":"subscribe","product_ids":[...],"channel":"level2"}}), so streams are planned
 * channel by channel; the first subscribe goes out on connecting (the venue disconnects after 5 s
 * without one).</li>
 * <li>{@code heartbeats} is subscribed once per connection, first, so quiet channels stay open (most
 * close after 60-90 s without updates); its messages count as data for liveness.</li>
 * <li>{@code sequence_num} numbers every message of a connection: a step other than +1 lost a
 * message, so that connection's books rejoin by resubscribing {@code level2} (unsubscribe, subscribe:
 * a new snapshot) while other connections' books go on. Book events carry no venue-wide id, so a
 * book follows the connection of its latest snapshot, and a rotation switches at the replacement's
 * snapshot.</li>
 * <li>Acknowledgement: the venue answers with a {@code subscriptions} message, but its shape and
 * whether it comes once per request are not confirmed, so the connection is live once its requests
 * are sent ({@link AckModel#NONE}); a {@code subscriptions} message is parsed as an acknowledgement
 * either way, and {@code {"type":"error"}} is journaled as a refused subscription.</li>
 * <li>Trade ids rise per product ({@link RisingIds}); a trade's {@code side} is read as the maker's
 * side (the aggressor is the other side) by default, see {@link #CoinbaseProtocol(boolean)}.</li>
 * </ul>
 */
public final class CoinbaseProtocol implements VenueProtocol
{
    private static final long SECOND = 1_000_000_000L;
    private static final JsonFactory JSON = new JsonFactory();

    private final boolean sideIsMaker;

    /**
     * @param sideIsMaker how {@code market_trades} {@code side} is read: true (the default, as several
     *                    libraries document it) when it names the maker's side, so the aggressor is
     *                    the other side; false when it names the aggressor's side. Not confirmed from
     *                    Coinbase's own text.
     */
    public CoinbaseProtocol(final boolean sideIsMaker)
    {
        this.sideIsMaker = sideIsMaker;
    }

    /**
     * Coinbase Advanced Trade spot with its documented limits: 8 unauthenticated messages a second per
     * IP (4 a connection here, so a rotation's two connections stay within it), a subscribe within 5 s
     * of connecting, no documented cap on products a connection (300 streams a connection here, which
     * bounds what one lost message makes rejoin), no documented age limit (rotated daily).
     *
     * @return the venue.
     */
    public static Venue venue()
    {
        return new Venue(Venues.COINBASE, "coinbase", new CoinbaseProtocol(true),
            URI.create("wss://advanced-trade-ws.coinbase.com"), URI.create("https://api.coinbase.com"),
            EnumSet.of(Channel.TRADE, Channel.DEPTH, Channel.BOOK_TICKER), MarketKind.SPOT,
            new Venue.Limits(300, 1000, 4, 100_000, 24 * 3600 * SECOND, 60, 5 * SECOND, 30 * SECOND));
    }

    @Override
    public int venueId()
    {
        return Venues.COINBASE;
    }

    @Override
    public VenueParser newParser()
    {
        return new CoinbaseParser(JSON, sideIsMaker);
    }

    @Override
    public boolean supports(final Channel channel)
    {
        return channel == Channel.TRADE || channel == Channel.DEPTH || channel == Channel.BOOK_TICKER;
    }

    @Override
    public String path(final Channel channel)
    {
        return "/";
    }

    @Override
    public String streamName(final InstrumentSpec spec, final Channel channel)
    {
        return channelName(channel) + ":" + spec.venueSymbol();
    }

    private static String channelName(final Channel channel)
    {
        return switch (channel)
        {
            case TRADE, AGG_TRADE -> "market_trades";
            case DEPTH -> "level2";
            case BOOK_TICKER -> "ticker";
            case MARK_PRICE -> throw new IllegalArgumentException("Coinbase spot has no mark price");
        };
    }

    @Override
    public String subscribe(final List<String> streams, final long requestId)
    {
        return request("subscribe", streams);
    }

    @Override
    public String unsubscribe(final List<String> streams, final long requestId)
    {
        return request("unsubscribe", streams);
    }

    /** One message, one channel: the streams' channel (the session cuts requests where it changes). */
    private static String request(final String type, final List<String> streams)
    {
        final String channel = streams.get(0).substring(0, streams.get(0).indexOf(':'));
        final StringBuilder text = new StringBuilder(64 + streams.size() * 16)
            .append("{\"type\":\"").append(type).append("\",\"product_ids\":[");
        for (int i = 0; i < streams.size(); i++)
        {
            final String stream = streams.get(i);
            final int colon = stream.indexOf(':');
            if (!stream.regionMatches(0, channel, 0, colon) || colon != channel.length())
            {
                throw new IllegalArgumentException("one channel per Coinbase request: " + streams);
            }
            text.append(i == 0 ? "\"" : ",\"").append(stream, colon + 1, stream.length()).append('"');
        }
        return text.append("],\"channel\":\"").append(channel).append("\"}").toString();
    }

    @Override
    public String connectionSubscription(final List<String> streams, final long requestId)
    {
        final String first = streams.get(0);
        return "{\"type\":\"subscribe\",\"product_ids\":[\"" + first.substring(first.indexOf(':') + 1) +
            "\"],\"channel\":\"heartbeats\"}";
    }

    @Override
    public boolean oneChannelPerRequest()
    {
        return true;
    }

    @Override
    public boolean connectionSequenced()
    {
        return true;
    }

    @Override
    public AckModel ackModel()
    {
        return AckModel.NONE;
    }

    @Override
    public Keepalive keepalive()
    {
        // The heartbeats channel keeps the connection busy; Netty answers the server's WebSocket pings.
        return Keepalive.NONE;
    }

    @Override
    public boolean caseInsensitiveSymbols()
    {
        return false;
    }

    @Override
    public SequenceRule bookRule()
    {
        // Book events carry no id: integrity is the connection's sequence_num, checked by the handler.
        return SequenceRule.NONE;
    }

    @Override
    public SnapshotSource snapshotSource()
    {
        return SnapshotSource.IN_STREAM;
    }

    @Override
    public URI snapshotUri(final FeedConfig config, final InstrumentSpec spec)
    {
        throw new UnsupportedOperationException("Coinbase books come in the stream");
    }

    @Override
    public TradeDedup newTradeDedup(final Channel channel)
    {
        return new RisingIds();
    }
}
