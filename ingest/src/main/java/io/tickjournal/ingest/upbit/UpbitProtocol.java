package io.tickjournal.ingest.upbit;

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

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

/**
 * The Upbit protocol family, spoken by Upbit ({@code wss://api.upbit.com/websocket/v1}) and by
 * Bithumb's v2 API ({@code wss://ws-api.bithumb.com/websocket/v1}), as documented (see
 * fixtures/venues/SOURCES.md sections 6 and 7):
 * <ul>
 * <li>One request names everything: {@code [{"ticket":..},{"type":"trade","codes":[..]},
 * {"type":"orderbook","codes":[..]},{"format":"SIMPLE"}]}, and a second request on the same socket
 * REPLACES the first, with no acknowledgement ({@link AckModel#REPLACES}): the session sends the
 * whole list in one message, and again whole on any change. Codes are upper case, quote first
 * ({@code KRW-BTC}). Stream names here are {@code <type>:<code>} ({@code orderbook:KRW-BTC.15}).</li>
 * <li>{@code SIMPLE}: the documented object format with abbreviated field names ({@code ty},
 * {@code cd}, {@code tp}, {@code obu} of {@code ap}/{@code bp}/{@code as}/{@code bs}, ...), documented by
 * both venues. Same values, fewer bytes: a 30-unit book is about a third smaller, and short names are
 * cheaper to parse. {@link UpbitParser} reads both formats, so a venue that ignored the format would
 * still be understood.</li>
 * <li>Keep-alive: the text {@code PING} every 30 s (the venue closes idle sockets after about 120 s,
 * a probe saw 60 s); Upbit answers {@code {"status":"UP"}}. Data may come in binary frames of UTF-8
 * JSON.</li>
 * <li>Every orderbook frame is a whole top-N book ({@link SnapshotSource#EVERY_MESSAGE},
 * {@link SequenceRule#NONE}): nothing to join, nothing to resync.</li>
 * <li>{@code sequential_id} is unique but not ordered: duplicates across a rotation's two connections
 * are dropped by a set of recent ids ({@link RecentIds}); no gap can be seen in such ids.</li>
 * <li>Price grouping ({@code level}, KRW markets) is a subscription option, off by default; with a
 * level the venue sends grouped prices. A feed asks for it through its instruments' price grouping
 * ({@link InstrumentSpec#priceGrouping()}, the config's {@code orderbookLevel}), which the feed also
 * journals in each instrument's definition; the level belongs to the request's one orderbook part,
 * so every instrument of the feed has the same one ({@link #configuredFor}).</li>
 * <li>Book depth: an orderbook code may end in {@code .N} for the top N units: Upbit offers 1, 5, 15
 * and 30 (since 2025-07; a code without it, or with another N, gets its default, 30), Bithumb's
 * request example asks for 3, so it is taken to offer 1 to 30. The feeds ask for
 * {@link #SUBSCRIBED_UNITS} unless an instrument says otherwise ({@link InstrumentSpec#bookDepth()}, the
 * config's {@code orderbookUnits}): see {@link #SUBSCRIBED_UNITS} for why.</li>
 * </ul>
 */
public final class UpbitProtocol implements VenueProtocol
{
    private static final long SECOND = 1_000_000_000L;
    private static final JsonFactory JSON = new JsonFactory();
    private static final int RECENT_TRADE_IDS = 8192;

    /** The orderbook units an Upbit code may ask for ({@code KRW-BTC.15}); it sends 30 for any other. */
    private static final int[] UPBIT_UNITS = {1, 5, 15, 30};
    /** The most orderbook units either venue sends, and Upbit's default (for a code without a suffix). */
    private static final int MAX_OFFERED_UNITS = 30;
    /**
     * Units a feed subscribes when its instruments do not say: 15, Upbit's default in its older
     * documents. The features read the top 5 levels (the imbalance's default), a 15-unit frame
     * carries half the bytes of the venue's default 30 and costs half as much to receive, parse and
     * journal; a feed that wants the deeper book sets {@code orderbookUnits: 30}.
     */
    public static final int SUBSCRIBED_UNITS = 15;

    private final int venueId;
    /** The orderbook's {@code level} as JSON number text, or null for none. */
    private final String orderbookLevel;

    /**
     * @param venueId        {@link Venues#UPBIT} or {@link Venues#BITHUMB}.
     * @param orderbookLevel the orderbook's price grouping ({@code level}), or 0 for none (the default).
     */
    public UpbitProtocol(final int venueId, final int orderbookLevel)
    {
        this(venueId, orderbookLevel == 0 ? null : BigDecimal.valueOf(orderbookLevel));
        if (orderbookLevel < 0)
        {
            throw new IllegalArgumentException("orderbook level must not be negative: " + orderbookLevel);
        }
    }

    private UpbitProtocol(final int venueId, final BigDecimal orderbookLevel)
    {
        this.venueId = venueId;
        this.orderbookLevel = orderbookLevel == null ? null : orderbookLevel.stripTrailingZeros().toPlainString();
    }

    @Override
    public boolean hasBookDepthOption()
    {
        return true;
    }

    /**
     * @param spec the instrument.
     * @return its configured units, else {@link #SUBSCRIBED_UNITS}.
     */
    @Override
    public int bookDepth(final InstrumentSpec spec)
    {
        return spec.bookDepth() == 0 ? SUBSCRIBED_UNITS : spec.bookDepth();
    }

    /**
     * The protocol with the price grouping the instruments are configured with: none when none has
     * one, else the one level they all share (the {@code level} goes on the request's one orderbook
     * part, so it cannot differ by instrument). Each instrument's book depth goes on its own code.
     *
     * @param instruments the feed's instruments.
     * @return the protocol that subscribes them.
     * @throws IllegalArgumentException when the instruments' groupings differ, or a depth is not offered.
     */
    @Override
    public VenueProtocol configuredFor(final List<InstrumentSpec> instruments)
    {
        BigDecimal level = null;
        for (final InstrumentSpec spec : instruments)
        {
            if (spec.bookDepth() != 0 && !offered(venueId, spec.bookDepth()))
            {
                throw new IllegalArgumentException("orderbook units of " + spec.venueSymbol() + " must be " + (venueId == Venues.UPBIT ?
                    "one of " + Arrays.toString(UPBIT_UNITS) + " (Upbit sends its default " + MAX_OFFERED_UNITS + " for any other)" :
                    "1 to " + MAX_OFFERED_UNITS) + ": " + spec.bookDepth());
            }
            final BigDecimal grouping = BigDecimal.valueOf(spec.priceGrouping(), -spec.priceExponent());
            if (level != null && level.compareTo(grouping) != 0)
            {
                throw new IllegalArgumentException("one orderbook level for a whole feed (it applies to the subscription's " +
                    "orderbook part): " + level.toPlainString() + " and " + grouping.toPlainString() + " (" + spec.venueSymbol() + ")");
            }
            level = grouping;
        }
        return level == null || level.signum() == 0 ? this : new UpbitProtocol(venueId, level);
    }

    /**
     * Whether a venue of the family sends this many orderbook units when a code asks for them.
     *
     * @param venueId {@link Venues#UPBIT} or {@link Venues#BITHUMB}.
     * @param units   units asked for.
     * @return Upbit: true for 1, 5, 15 and 30; Bithumb: 1 to 30.
     */
    private static boolean offered(final int venueId, final int units)
    {
        if (venueId != Venues.UPBIT)
        {
            return units >= 1 && units <= MAX_OFFERED_UNITS;
        }
        for (final int offered : UPBIT_UNITS)
        {
            if (offered == units)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Upbit (KRW markets) with its documented limits: 5 messages a second and 100 a minute per
     * connection (one a second kept for the PING), no documented cap on codes per subscription (one
     * message carries them all), no documented connection age (rotated daily).
     *
     * @return the venue.
     */
    public static Venue venue()
    {
        return new Venue(Venues.UPBIT, "upbit", new UpbitProtocol(Venues.UPBIT, 0),
            URI.create("wss://api.upbit.com"), URI.create("https://api.upbit.com"),
            EnumSet.of(Channel.TRADE, Channel.DEPTH), MarketKind.SPOT, limits());
    }

    /**
     * The limits both venues of the family run with (Bithumb documents none of its own).
     *
     * @return the limits.
     */
    public static Venue.Limits limits()
    {
        return new Venue.Limits(1000, 1000, 5, 6000, 24 * 3600 * SECOND, 60, 10 * SECOND, 30 * SECOND);
    }

    @Override
    public int venueId()
    {
        return venueId;
    }

    @Override
    public VenueParser newParser()
    {
        return new UpbitParser(JSON);
    }

    @Override
    public boolean supports(final Channel channel)
    {
        // The ticker carries no top of book: the orderbook's first unit is it.
        return channel == Channel.TRADE || channel == Channel.DEPTH;
    }

    @Override
    public String path(final Channel channel)
    {
        return "/websocket/v1";
    }

    @Override
    public String streamName(final InstrumentSpec spec, final Channel channel)
    {
        if (channel == Channel.DEPTH)
        {
            return "orderbook:" + spec.venueSymbol() + "." + bookDepth(spec);
        }
        return (channel == Channel.BOOK_TICKER ? "ticker" : "trade") + ":" + spec.venueSymbol();
    }

    @Override
    public String subscribe(final List<String> streams, final long requestId)
    {
        final List<String> types = new ArrayList<>();
        for (final String stream : streams)
        {
            final String type = stream.substring(0, stream.indexOf(':'));
            if (!types.contains(type))
            {
                types.add(type);
            }
        }
        final StringBuilder text = new StringBuilder(64 + streams.size() * 16)
            .append("[{\"ticket\":\"tickjournal-").append(requestId).append("\"}");
        for (final String type : types)
        {
            text.append(",{\"type\":\"").append(type).append("\",\"codes\":[");
            boolean first = true;
            for (final String stream : streams)
            {
                final int colon = stream.indexOf(':');
                if (colon == type.length() && stream.startsWith(type))
                {
                    text.append(first ? "\"" : ",\"").append(stream, colon + 1, stream.length()).append('"');
                    first = false;
                }
            }
            text.append(']');
            if ("orderbook".equals(type) && orderbookLevel != null)
            {
                text.append(",\"level\":").append(orderbookLevel);
            }
            text.append('}');
        }
        return text.append(",{\"format\":\"SIMPLE\"}]").toString();
    }

    @Override
    public String unsubscribe(final List<String> streams, final long requestId)
    {
        return null;
    }

    @Override
    public AckModel ackModel()
    {
        return AckModel.REPLACES;
    }

    @Override
    public int reservedMessagesPerSecond()
    {
        return 1;
    }

    @Override
    public Keepalive keepalive()
    {
        return Keepalive.message("PING");
    }

    @Override
    public boolean caseInsensitiveSymbols()
    {
        return false;
    }

    @Override
    public SequenceRule bookRule()
    {
        return SequenceRule.NONE;
    }

    @Override
    public SnapshotSource snapshotSource()
    {
        return SnapshotSource.EVERY_MESSAGE;
    }

    @Override
    public URI snapshotUri(final FeedConfig config, final InstrumentSpec spec)
    {
        throw new UnsupportedOperationException("every orderbook message is a whole book");
    }

    @Override
    public TradeDedup newTradeDedup(final Channel channel)
    {
        return new RecentIds(RECENT_TRADE_IDS);
    }
}
