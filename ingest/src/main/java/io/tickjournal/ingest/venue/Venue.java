package io.tickjournal.ingest.venue;

import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.journal.sbe.MarketKind;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One venue (or market of a venue) ingest knows: its name and id, its protocol, its live
 * endpoints and its documented limits, which are the defaults of a feed's config.
 *
 * @param venueId         the id in records.
 * @param name            the config name, e.g. {@code binance-spot}.
 * @param protocol        the protocol.
 * @param liveWebSocket   the venue's WebSocket base URI.
 * @param liveRest        the venue's REST base URI (snapshots), or the WebSocket one when it has none.
 * @param defaultChannels channels when the config names none.
 * @param defaultKind     instruments' market kind when the config names none.
 * @param limits          documented limits (defaults of the config's keys).
 */
public record Venue(
    int venueId,
    String name,
    VenueProtocol protocol,
    URI liveWebSocket,
    URI liveRest,
    Set<Channel> defaultChannels,
    MarketKind defaultKind,
    Limits limits)
{
    /**
     * A venue's documented limits.
     *
     * @param streamsPerConnection     most streams on one connection.
     * @param argsPerRequest           most streams in one subscribe request.
     * @param controlMessagesPerSecond most client messages a second on one connection.
     * @param requestsPerHour          most subscribe requests an hour.
     * @param maxConnectionAgeNs       the venue closes connections at this age (or a long rotation period when it does not).
     * @param snapshotsPerMinute       REST snapshot budget.
     * @param subscribeTimeoutNs       subscriptions must be acknowledged (or sent) within this.
     * @param keepaliveIntervalNs      client keep-alive period (where the venue needs one).
     */
    public record Limits(
        int streamsPerConnection,
        int argsPerRequest,
        int controlMessagesPerSecond,
        int requestsPerHour,
        long maxConnectionAgeNs,
        int snapshotsPerMinute,
        long subscribeTimeoutNs,
        long keepaliveIntervalNs)
    {
    }

    private static final long SECOND = 1_000_000_000L;

    /**
     * A feed config with this venue's documented defaults.
     *
     * @param partitionDir the partition.
     * @param webSocketUri base WebSocket URI (the live one, or the simulator's).
     * @param restUri      base REST URI.
     * @param instruments  instruments.
     * @param channels     channels.
     * @return the config.
     */
    public FeedConfig defaults(
        final Path partitionDir, final URI webSocketUri, final URI restUri, final List<InstrumentSpec> instruments,
        final Set<Channel> channels)
    {
        final long age = limits.maxConnectionAgeNs();
        return new FeedConfig(
            venueId, partitionDir, webSocketUri, restUri, instruments, channels,
            limits.streamsPerConnection(),
            limits.argsPerRequest(),
            limits.controlMessagesPerSecond(),
            limits.requestsPerHour(),
            30 * SECOND,
            age,
            Math.min(600 * SECOND, age / 10),
            10 * SECOND,
            SECOND / 4,
            // Reconnect back-off cap: a few seconds with jitter loses little data after an outage, and stays
            // far inside every venue's connection-rate limit (Binance 300 per 5 minutes, Bybit 500 per 5 minutes).
            5 * SECOND,
            1000,
            limits.snapshotsPerMinute(),
            10 * SECOND,
            limits.subscribeTimeoutNs(),
            limits.keepaliveIntervalNs(),
            null,
            null);
    }
}
