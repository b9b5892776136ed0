package io.tickjournal.ingest;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Everything one venue feed needs: where to connect, what to subscribe, where to journal, and
 * the venue's limits and timers. The same config runs against the simulator or the real venue;
 * only the two URIs differ. Each venue's documented defaults come from
 * {@link io.tickjournal.ingest.venue.Venue#defaults}.
 *
 * @param venueId                  venue id stamped into records (see {@link io.tickjournal.journal.Venues}).
 * @param partitionDir             the normalized partition; raw frames go to its {@code .raw} sibling.
 * @param webSocketUri             base WebSocket URI, e.g. {@code wss://stream.binance.com:9443} or {@code ws://127.0.0.1:9001}.
 * @param restUri                  base REST URI, e.g. {@code https://api.binance.com}.
 * @param instruments              instruments to subscribe.
 * @param channels                 channels per instrument.
 * @param streamsPerConnection     most streams on one connection (Binance spot 1024, USD-M 200, ...).
 * @param argsPerRequest           most streams in one subscribe request (Bybit spot 10; ignored when the
 *                                 venue's subscription replaces itself, which sends everything at once).
 * @param controlMessagesPerSecond most client messages per second per connection (Binance spot 5, USD-M 10).
 * @param requestsPerHour          most subscribe requests per hour for the whole feed (OKX 480 per connection per hour).
 * @param stallTimeoutNs           no data for this long on a live connection: reconnect.
 * @param maxConnectionAgeNs       the venue closes connections at this age (Binance: 24 h).
 * @param rotateMarginNs           open the replacement this long before the age limit.
 * @param overlapTimeoutNs         longest the old and new connections overlap during a switch.
 * @param reconnectMinNs           first reconnect delay.
 * @param reconnectMaxNs           reconnect delay cap (delays double with jitter up to it).
 * @param snapshotLimit            REST depth levels to request.
 * @param snapshotsPerMinute       REST snapshot budget (weight limits).
 * @param snapshotTimeoutNs        a REST snapshot that does not answer in this time is retried.
 * @param subscribeTimeoutNs       subscriptions not acknowledged within this time: reconnect.
 * @param keepaliveIntervalNs      how often the client keep-alive is sent, for venues that need one.
 * @param trustStore               PKCS12 trust store for {@code wss}/{@code https} (a private CA, a TLS-intercepting
 *                                 proxy, the TLS simulator), or null for the JDK's trusted CAs; the host name is always verified.
 * @param trustStorePassword       its password, or null.
 */
public record FeedConfig(
    int venueId,
    Path partitionDir,
    URI webSocketUri,
    URI restUri,
    List<InstrumentSpec> instruments,
    Set<Channel> channels,
    int streamsPerConnection,
    int argsPerRequest,
    int controlMessagesPerSecond,
    int requestsPerHour,
    long stallTimeoutNs,
    long maxConnectionAgeNs,
    long rotateMarginNs,
    long overlapTimeoutNs,
    long reconnectMinNs,
    long reconnectMaxNs,
    int snapshotLimit,
    int snapshotsPerMinute,
    long snapshotTimeoutNs,
    long subscribeTimeoutNs,
    long keepaliveIntervalNs,
    Path trustStore,
    String trustStorePassword)
{
    public FeedConfig
    {
        instruments = List.copyOf(instruments);
        channels = channels.isEmpty() ? EnumSet.noneOf(Channel.class) : EnumSet.copyOf(channels);
        require(streamsPerConnection > 0, "streamsPerConnection", streamsPerConnection, "must be positive");
        require(argsPerRequest > 0, "argsPerRequest", argsPerRequest, "must be positive");
        require(controlMessagesPerSecond > 0, "controlMessagesPerSecond", controlMessagesPerSecond, "must be positive");
        require(requestsPerHour > 0, "requestsPerHour", requestsPerHour, "must be positive");
        require(subscribeTimeoutNs > 0, "subscribeTimeout", subscribeTimeoutNs, "must be positive");
        require(keepaliveIntervalNs > 0, "keepaliveInterval", keepaliveIntervalNs, "must be positive");
        require(stallTimeoutNs > 0, "stallTimeout", stallTimeoutNs, "must be positive");
        require(rotateMarginNs < maxConnectionAgeNs, "rotateMargin", rotateMarginNs, "must be shorter than maxConnectionAge");
        require(reconnectMinNs > 0 && reconnectMinNs <= reconnectMaxNs, "reconnectMin", reconnectMinNs,
            "must be positive and at most reconnectMax");
        require(snapshotLimit > 0 && snapshotLimit <= 5000, "snapshotLimit", snapshotLimit, "must be 1..5000");
        require(snapshotsPerMinute > 0, "snapshotsPerMinute", snapshotsPerMinute, "must be positive");
        require(!instruments.isEmpty(), "instruments", instruments, "at least one instrument is needed");
    }

    private static void require(final boolean ok, final String key, final Object value, final String reason)
    {
        if (!ok)
        {
            throw new IllegalArgumentException(key + " = " + value + ": " + reason);
        }
    }

    /**
     * A copy with other timers (tests and the demo use short ones).
     *
     * @param stallTimeoutNs     see the record.
     * @param maxConnectionAgeNs see the record.
     * @param rotateMarginNs     see the record.
     * @param reconnectMinNs     see the record.
     * @param reconnectMaxNs     see the record.
     * @return the copy.
     */
    public FeedConfig withTimers(
        final long stallTimeoutNs, final long maxConnectionAgeNs, final long rotateMarginNs,
        final long reconnectMinNs, final long reconnectMaxNs)
    {
        return new FeedConfig(venueId, partitionDir, webSocketUri, restUri, instruments, channels, streamsPerConnection,
            argsPerRequest, controlMessagesPerSecond, requestsPerHour, stallTimeoutNs, maxConnectionAgeNs, rotateMarginNs,
            overlapTimeoutNs, reconnectMinNs, reconnectMaxNs, snapshotLimit, snapshotsPerMinute, snapshotTimeoutNs,
            subscribeTimeoutNs, keepaliveIntervalNs, trustStore, trustStorePassword);
    }

    /**
     * A copy that journals to another partition directory (an import into another journal).
     *
     * @param dir the partition directory.
     * @return the copy.
     */
    public FeedConfig withPartitionDir(final Path dir)
    {
        return new FeedConfig(venueId, dir, webSocketUri, restUri, instruments, channels, streamsPerConnection,
            argsPerRequest, controlMessagesPerSecond, requestsPerHour, stallTimeoutNs, maxConnectionAgeNs, rotateMarginNs,
            overlapTimeoutNs, reconnectMinNs, reconnectMaxNs, snapshotLimit, snapshotsPerMinute, snapshotTimeoutNs,
            subscribeTimeoutNs, keepaliveIntervalNs, trustStore, trustStorePassword);
    }

    /**
     * A copy that trusts the certificates in a PKCS12 trust store (instead of the JDK's CAs).
     *
     * @param store    the trust store.
     * @param password its password.
     * @return the copy.
     */
    public FeedConfig withTrustStore(final Path store, final String password)
    {
        return new FeedConfig(venueId, partitionDir, webSocketUri, restUri, instruments, channels, streamsPerConnection,
            argsPerRequest, controlMessagesPerSecond, requestsPerHour, stallTimeoutNs, maxConnectionAgeNs, rotateMarginNs,
            overlapTimeoutNs, reconnectMinNs, reconnectMaxNs, snapshotLimit, snapshotsPerMinute, snapshotTimeoutNs,
            subscribeTimeoutNs, keepaliveIntervalNs, store, password);
    }
}
