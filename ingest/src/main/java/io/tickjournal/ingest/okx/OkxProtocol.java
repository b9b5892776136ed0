package io.tickjournal.ingest.okx;

import com.fasterxml.jackson.core.JsonFactory;
import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.venue.AckModel;
import io.tickjournal.ingest.venue.BookChecksum;
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
 * OKX v5 public spot and perpetual swaps, as OKX documents them (see fixtures/venues/SOURCES.md,
 * section 4):
 * <ul>
 * <li>Channels {@code trades}, {@code books} (400 levels, 100 ms) and {@code bbo-tbt}, all on
 * {@code /ws/v5/public}. A subscription argument is an object {@code {"channel":..,"instId":..}};
 * its stream name here is {@code channel:instId}, which {@link #subscribe} turns back into the
 * object.</li>
 * <li>Each argument of a request is acknowledged by its own {@code event: subscribe}
 * ({@link AckModel#PER_ARG}). Subscribe, unsubscribe and login requests are limited to 480 an hour
 * per connection (the session counts them per feed, which is stricter), and a request must stay
 * under 64 KB; OKX recommends fewer than 30 channels per connection for 400-level books.</li>
 * <li>Keep-alive: the text {@code ping}, answered by the text {@code pong}; OKX drops a connection
 * with nothing pushed for 30 s, so the ping goes every 20 s.</li>
 * <li>Books come in the stream (a snapshot after subscribing), chained by
 * {@code prevSeqId == last seqId} ({@link SequenceRule#PREV_CHAIN_OKX}, with the empty keep-alive
 * and the maintenance reset), and checked with the CRC32 checksum while OKX still sends a non-zero one
 * ({@link OkxChecksum}). A gap or mismatch resubscribes the one book stream.</li>
 * <li>Trade ids rise ({@link RisingIds}); a message aggregating {@code count} fills names the last.</li>
 * </ul>
 * OKX announced it will remove the initial book snapshot (production "early August 2026"); a book
 * would then have to join from {@code GET /api/v5/market/books?source=0} by {@code seqId}. This
 * protocol follows the documented in-stream snapshot; see the README for the change.
 */
public final class OkxProtocol implements VenueProtocol
{
    private static final long SECOND = 1_000_000_000L;
    private static final JsonFactory JSON = new JsonFactory();

    private final boolean swap;

    private OkxProtocol(final boolean swap)
    {
        this.swap = swap;
    }

    /** @return OKX spot. */
    public static Venue spot()
    {
        return venue(false);
    }

    /** @return OKX perpetual swaps. */
    public static Venue swap()
    {
        return venue(true);
    }

    private static Venue venue(final boolean swap)
    {
        return new Venue(swap ? Venues.OKX_SWAP : Venues.OKX_SPOT, swap ? "okx-swap" : "okx-spot", new OkxProtocol(swap),
            URI.create("wss://ws.okx.com:8443"), URI.create("https://www.okx.com"),
            EnumSet.of(Channel.TRADE, Channel.DEPTH, Channel.BOOK_TICKER), swap ? MarketKind.PERPETUAL : MarketKind.SPOT,
            // 30 streams a connection (OKX's advice for 400-level books), all in one request; 480 requests an hour
            // (documented per connection, applied per feed); messages a second and connection age are not documented.
            new Venue.Limits(30, 30, 5, 480, 24 * 3600 * SECOND, 20, 30 * SECOND, 20 * SECOND));
    }

    @Override
    public int venueId()
    {
        return swap ? Venues.OKX_SWAP : Venues.OKX_SPOT;
    }

    @Override
    public VenueParser newParser()
    {
        return new OkxParser(JSON);
    }

    @Override
    public boolean supports(final Channel channel)
    {
        return channel == Channel.TRADE || channel == Channel.DEPTH || channel == Channel.BOOK_TICKER;
    }

    @Override
    public String path(final Channel channel)
    {
        return "/ws/v5/public";
    }

    @Override
    public String streamName(final InstrumentSpec spec, final Channel channel)
    {
        final String instId = spec.venueSymbol();
        return switch (channel)
        {
            case TRADE -> "trades:" + instId;
            case DEPTH -> "books:" + instId;
            case BOOK_TICKER -> "bbo-tbt:" + instId;
            default -> throw new IllegalArgumentException("OKX has no " + channel + " channel here");
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
        final StringBuilder text = new StringBuilder(40 + streams.size() * 48)
            .append("{\"id\":\"").append(requestId).append("\",\"op\":\"").append(op).append("\",\"args\":[");
        for (int i = 0; i < streams.size(); i++)
        {
            final String stream = streams.get(i);
            final int colon = stream.indexOf(':');
            text.append(i == 0 ? "" : ",")
                .append("{\"channel\":\"").append(stream, 0, colon)
                .append("\",\"instId\":\"").append(stream, colon + 1, stream.length()).append("\"}");
        }
        return text.append("]}").toString();
    }

    @Override
    public AckModel ackModel()
    {
        return AckModel.PER_ARG;
    }

    @Override
    public Keepalive keepalive()
    {
        return Keepalive.message("ping");
    }

    @Override
    public boolean caseInsensitiveSymbols()
    {
        return false;
    }

    @Override
    public SequenceRule bookRule()
    {
        return SequenceRule.PREV_CHAIN_OKX;
    }

    @Override
    public SnapshotSource snapshotSource()
    {
        return SnapshotSource.IN_STREAM;
    }

    @Override
    public URI snapshotUri(final FeedConfig config, final InstrumentSpec spec)
    {
        return config.restUri().resolve("/api/v5/market/books?instId=" + spec.venueSymbol() + "&sz=" +
            Math.min(config.snapshotLimit(), 400));
    }

    @Override
    public TradeDedup newTradeDedup(final Channel channel)
    {
        return new RisingIds();
    }

    @Override
    public BookChecksum newBookChecksum()
    {
        return new OkxChecksum();
    }
}
