package io.tickjournal.ingest.venue;

import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.InstrumentSpec;

import java.net.URI;
import java.util.List;

/**
 * A venue's (or one market of a venue's) protocol, as data and small functions, handed to the one
 * venue-neutral session and handler, the way Artio hands a FIX dictionary to one session engine:
 * routes and stream names, the subscription message and how it is acknowledged, the keep-alive,
 * the parser, and the book rules. A venue is a protocol, a parser and a simulator protocol; no
 * generic class names a venue.
 * <p>
 * Implementations are immutable and shareable; {@link #newParser()} and the per-instrument
 * factories make the per-connection and per-instrument state.
 */
public interface VenueProtocol
{
    /** @return the venue id stamped into records. */
    int venueId();

    /** @return a new parser (one per connection... and one for REST bodies). */
    VenueParser newParser();

    /**
     * @param channel a channel.
     * @return whether the venue has it (USD-M has mark prices, spot does not).
     */
    boolean supports(Channel channel);

    /**
     * The WebSocket path (below the configured base URI) a channel is served on.
     *
     * @param channel the channel.
     * @return the path, e.g. {@code /stream}.
     */
    String path(Channel channel);

    /**
     * The venue's name for one stream.
     *
     * @param spec    the instrument.
     * @param channel the channel.
     * @return e.g. {@code btcusdt@depth@100ms}, {@code orderbook.50.BTCUSDT}, {@code books:BTC-USDT}.
     */
    String streamName(InstrumentSpec spec, Channel channel);

    /**
     * The message that subscribes streams.
     *
     * @param streams   stream names (at most the configured arguments per request).
     * @param requestId a request id to echo, where the venue has one.
     * @return the message text.
     */
    String subscribe(List<String> streams, long requestId);

    /**
     * The message that unsubscribes streams (a rejoin resubscribes one book), or null when the
     * venue has none (a replacing subscription is simply sent again).
     *
     * @param streams   stream names.
     * @param requestId a request id.
     * @return the message text, or null.
     */
    String unsubscribe(List<String> streams, long requestId);

    /** @return how subscriptions are acknowledged. */
    AckModel ackModel();

    /**
     * @return messages a second kept spare below the configured request rate (Binance counts the
     *         pongs that answer its pings against the same limit, so one a second is kept for them).
     */
    default int reservedMessagesPerSecond()
    {
        return 0;
    }

    /**
     * @return most new connections a second the venue accepts from one address (OKX: 3), or 0 for no
     *         limit: a feed of many connections opens them no faster.
     */
    default int connectsPerSecond()
    {
        return 0;
    }

    /** @return what the client sends to keep a connection open. */
    Keepalive keepalive();

    /** @return whether the venue's symbols compare case-insensitively (Binance stream names are lower case). */
    boolean caseInsensitiveSymbols();

    /** @return the book sequencing rule. */
    SequenceRule bookRule();

    /** @return where book snapshots come from. */
    SnapshotSource snapshotSource();

    /**
     * The REST snapshot of one instrument's book ({@link SnapshotSource#REST} only).
     *
     * @param config the feed.
     * @param spec   the instrument.
     * @return the URI.
     */
    URI snapshotUri(FeedConfig config, InstrumentSpec spec);

    /**
     * @param channel a trade channel.
     * @return a new duplicate filter for one instrument's trades on it.
     */
    TradeDedup newTradeDedup(Channel channel);

    /** @return a new book checksum for one instrument, or null when the venue sends none. */
    default BookChecksum newBookChecksum()
    {
        return null;
    }

    /**
     * Whether the venue numbers every message of a connection ({@link MarketFrame#connectionSequence()},
     * Coinbase's {@code sequence_num}): any step other than +1 is a lost message, so the books carried
     * by that connection are rejoined. Such a venue's book events carry no venue-wide id, so a book
     * also follows only the connection of its latest snapshot (a rotation switches at a snapshot).
     *
     * @return true when frames carry a per-connection message sequence.
     */
    default boolean connectionSequenced()
    {
        return false;
    }

    /**
     * Whether one subscribe message may name only one channel (Coinbase): streams are then planned
     * channel by channel and each request is cut where the channel changes.
     *
     * @return true when a request carries one channel.
     */
    default boolean oneChannelPerRequest()
    {
        return false;
    }

    /**
     * A message sent once on every connection before its stream subscriptions (Coinbase's
     * {@code heartbeats} subscription, which keeps quiet channels open), or null.
     *
     * @param streams   the connection's streams.
     * @param requestId a request id.
     * @return the message text, or null.
     */
    default String connectionSubscription(final List<String> streams, final long requestId)
    {
        return null;
    }

    /**
     * The book levels a side an instrument's subscription asks the venue for, as its definition records
     * them.
     *
     * @param spec the instrument.
     * @return 0 by default: the book as the venue sends it.
     */
    default int bookDepth(final InstrumentSpec spec)
    {
        return 0;
    }

    /**
     * Whether a subscription can ask for a number of book levels a side
     * ({@link InstrumentSpec#bookDepth()}).
     *
     * @return false by default.
     */
    default boolean hasBookDepthOption()
    {
        return false;
    }

    /**
     * This protocol as a feed of these instruments subscribes them: a venue whose subscription
     * carries an option the instruments are configured with (Upbit's price grouping, its book depth) returns a
     * protocol that sends it. Called once, when the feed's handler is made.
     *
     * @param instruments the feed's instruments.
     * @return the protocol to use (this one, by default).
     * @throws IllegalArgumentException when an instrument asks for an option this venue does not have.
     */
    default VenueProtocol configuredFor(final List<InstrumentSpec> instruments)
    {
        for (final InstrumentSpec spec : instruments)
        {
            if (spec.priceGrouping() != 0)
            {
                throw new IllegalArgumentException("venue " + venueId() + " has no price grouping (instrument " +
                    spec.venueSymbol() + ")");
            }
            if (spec.bookDepth() != 0)
            {
                throw new IllegalArgumentException("venue " + venueId() + " has no book depth option (instrument " +
                    spec.venueSymbol() + ")");
            }
        }
        return this;
    }
}
