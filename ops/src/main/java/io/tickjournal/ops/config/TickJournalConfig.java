package io.tickjournal.ops.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.venue.Venue;
import io.tickjournal.ingest.venue.VenueRegistry;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.MarketKind;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one configuration file of every role (see {@code config/tickjournal.yaml}, which documents
 * each key and its default). Loading checks everything up front: a bad value names its key, the
 * value and the reason; an unknown key is refused.
 *
 * @param journalDir  where partitions live ({@code <journalDir>/<partition>}).
 * @param feeds       the venue feeds ingest runs (one partition each).
 * @param bridge      the multicast bridge and its re-request server.
 * @param replication the TCP replication source.
 * @param tailer      the pricing tailer.
 * @param countersDir where each role process keeps its counters and error log file.
 * @param questDb     the QuestDB that {@code sql}, {@code load} and the demo use.
 */
public record TickJournalConfig(
    Path journalDir, List<Feed> feeds, Bridge bridge, Replication replication, Tailer tailer, Path countersDir, QuestDb questDb)
{
    /**
     * A config with the embedded QuestDB defaults.
     *
     * @param journalDir  where partitions live.
     * @param feeds       the venue feeds.
     * @param bridge      the bridge.
     * @param replication the replication source.
     * @param tailer      the tailer.
     * @param countersDir where each role process keeps its counters.
     */
    public TickJournalConfig(
        final Path journalDir, final List<Feed> feeds, final Bridge bridge, final Replication replication, final Tailer tailer,
        final Path countersDir)
    {
        this(journalDir, feeds, bridge, replication, tailer, countersDir, QuestDb.EMBEDDED);
    }

    /**
     * Where SQL over the journal runs.
     *
     * @param address      host:port of a QuestDB server's HTTP endpoint; empty: start QuestDB in-process.
     * @param token        bearer token for that server (empty: none).
     * @param httpPort     HTTP port of the embedded QuestDB on 127.0.0.1.
     * @param pgPort       PostgreSQL wire port of the embedded QuestDB on 127.0.0.1.
     * @param batchRecords records per partition per line-protocol request of the loader.
     */
    public record QuestDb(String address, String token, int httpPort, int pgPort, int batchRecords)
    {
        /** No server configured: QuestDB runs in-process, beside the journal. */
        public static final QuestDb EMBEDDED = new QuestDb("", "", 9000, 8812, 1000);
    }

    /**
     * A config with the counters beside the journal ({@code <journalDir>/../counters}).
     *
     * @param journalDir  where partitions live.
     * @param feeds       the venue feeds.
     * @param bridge      the bridge.
     * @param replication the replication source.
     * @param tailer      the tailer.
     */
    public TickJournalConfig(
        final Path journalDir, final List<Feed> feeds, final Bridge bridge, final Replication replication, final Tailer tailer)
    {
        this(journalDir, feeds, bridge, replication, tailer, journalDir.toAbsolutePath().resolveSibling("counters"));
    }

    /**
     * One venue feed.
     *
     * @param partition the partition name (also its multicast channel's name).
     * @param code      2-character MoldUDP64 partition code.
     * @param feed      ingest settings.
     * @param group     its multicast group and port.
     */
    public record Feed(String partition, String code, FeedConfig feed, InetSocketAddress group)
    {
    }

    /**
     * @param stateDir              sent positions.
     * @param interfaceName         interface multicast leaves by.
     * @param ttl                   multicast TTL (0: this host only).
     * @param maxPayload            MoldUDP64 packet payload limit.
     * @param heartbeatMs           heartbeat when idle.
     * @param idle                  idle strategy: busy-spin, yielding, backoff.
     * @param cpu                   CPU to pin the bridge thread to (-1: none).
     * @param retransmit            re-request server bind address.
     * @param maxMessagesPerRequest re-request cap.
     * @param maxRequestsPerSecond  re-request rate limit per requester address.
     * @param maxBytesPerSecond     bytes answered per requester address per second.
     * @param maxRequesters         requester addresses tracked per second (more get nothing that second).
     */
    public record Bridge(
        Path stateDir, String interfaceName, int ttl, int maxPayload, long heartbeatMs, String idle, int cpu,
        InetSocketAddress retransmit, int maxMessagesPerRequest, int maxRequestsPerSecond, long maxBytesPerSecond,
        int maxRequesters)
    {
    }

    /**
     * @param bind        listen address.
     * @param secret      shared secret clients must present (empty: none).
     * @param heartbeatMs heartbeat when idle.
     * @param stallMs     a client that takes nothing this long is dropped.
     * @param maxClients     clients served at once (a valid hello beyond it is refused).
     * @param maxPending     connections waiting for their hello at once (beyond it the oldest is closed).
     * @param helloTimeoutMs a connection with no valid hello this long after it was accepted is closed.
     */
    public record Replication(InetSocketAddress bind, String secret, long heartbeatMs, long stallMs, int maxClients,
        int maxPending, long helloTimeoutMs)
    {
    }

    /**
     * @param replicaDir        where the replica partitions live.
     * @param replicationSource the feeder's replication source.
     * @param rerequest         the bridge's re-request server.
     * @param interfaceName     interface to join multicast on.
     * @param fromDayStart      a starting tailer recovers the whole day before joining live.
     * @param windowsMs         feature windows.
     * @param imbalanceLevels   N of the top-N imbalance.
     * @param featureDir        where to journal features (null: do not).
     * @param idle              idle strategy of the receiver.
     * @param cpu               CPU to pin the receiver to (-1: none).
     * @param fromReplica       run from the replica alone (no multicast): tail the replica as it is written.
     * @param multicastSource   the bridge host's address: multicast packets from any other are dropped (null: any).
     */
    public record Tailer(
        Path replicaDir, InetSocketAddress replicationSource, InetSocketAddress rerequest, String interfaceName,
        boolean fromDayStart, long[] windowsMs, int imbalanceLevels, Path featureDir, String idle, int cpu, boolean fromReplica,
        InetAddress multicastSource)
    {
        /** A tailer that accepts multicast from any source address (see the canonical constructor). */
        public Tailer(
            final Path replicaDir, final InetSocketAddress replicationSource, final InetSocketAddress rerequest,
            final String interfaceName, final boolean fromDayStart, final long[] windowsMs, final int imbalanceLevels,
            final Path featureDir, final String idle, final int cpu, final boolean fromReplica)
        {
            this(replicaDir, replicationSource, rerequest, interfaceName, fromDayStart, windowsMs, imbalanceLevels, featureDir,
                idle, cpu, fromReplica, null);
        }
    }

    private static final Set<String> WS = Set.of("ws", "wss");
    private static final Set<String> HTTP = Set.of("http", "https");

    /**
     * Load and check a config file.
     *
     * @param file the YAML file.
     * @return the config (relative paths resolve against the file's directory).
     * @throws ConfigException naming the first bad key.
     */
    public static TickJournalConfig load(final Path file)
    {
        final String text;
        try
        {
            text = Files.readString(file);
        }
        catch (final IOException ex)
        {
            throw new ConfigException("(file)", file, "cannot be read: " + ex.getMessage());
        }
        return parse(text, file.toAbsolutePath().getParent());
    }

    /**
     * Parse config text.
     *
     * @param yaml the YAML.
     * @param base directory relative paths resolve against.
     * @return the config.
     */
    public static TickJournalConfig parse(final String yaml, final Path base)
    {
        final JsonNode tree;
        try
        {
            // A key written twice is refused: YAML's "last one wins" would silently drop the first.
            tree = new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(yaml);
        }
        catch (final JsonProcessingException ex)
        {
            final var loc = ex.getLocation();
            final String where = loc == null ? null : "line " + loc.getLineNr() + " column " + loc.getColumnNr();
            final String message = ex.getOriginalMessage();
            if (message != null && message.startsWith("Duplicate field"))
            {
                throw new ConfigException("(yaml) " + message.substring("Duplicate field ".length()), where,
                    "key written twice (each key once: YAML would silently keep only the last)");
            }
            throw new ConfigException("(yaml)", where, "not valid YAML: " + message);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull() || (tree.isObject() && tree.isEmpty()))
        {
            throw new ConfigException("(file)", null, "empty: a config needs at least journal and feeds");
        }
        final Node root = new Node(tree, "");
        root.allowOnly("journal", "feeds", "bridge", "replication", "tailer", "counters", "questdb");
        final Node journal = root.get("journal");
        journal.allowOnly("dir");
        final Path journalDir = journal.path("dir", Path.of("data/journal"), base);

        final Node bridgeNode = root.get("bridge");
        bridgeNode.allowOnly("stateDir", "interface", "ttl", "maxPayload", "heartbeatMs", "idle", "cpu", "retransmit",
            "maxMessagesPerRequest", "maxRequestsPerSecond", "maxBytesPerSecond", "maxRequesters");
        final String idle = bridgeNode.text("idle", "backoff");
        checkIdle(bridgeNode.path() + ".idle", idle);
        final Bridge bridge = new Bridge(
            bridgeNode.path("stateDir", Path.of("data/bridge"), base),
            bridgeNode.text("interface", "lo"),
            bridgeNode.integer("ttl", 0, 0, 255),
            bridgeNode.integer("maxPayload", 1472, 64, 65_507),
            bridgeNode.number("heartbeatMs", 1000, 1, 3_600_000),
            idle,
            bridgeNode.integer("cpu", -1, -1, 4095),
            bridgeNode.address("retransmit", "127.0.0.1:40100"),
            bridgeNode.integer("maxMessagesPerRequest", 1024, 1, 65_534),
            bridgeNode.integer("maxRequestsPerSecond", 100, 1, 1_000_000),
            bridgeNode.number("maxBytesPerSecond", 2L << 20, 1472, 1L << 30),
            bridgeNode.integer("maxRequesters", 1024, 1, 1 << 20));

        checkInterface(bridgeNode.path() + ".interface", bridge.interfaceName());
        final List<Feed> feeds = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        for (final Node f : root.get("feeds").list())
        {
            final Feed feed = feed(f, journalDir);
            if (!names.add(feed.partition()))
            {
                throw new ConfigException(f.path() + ".partition", feed.partition(), "used by two feeds");
            }
            for (int i = 0; i < feeds.size(); i++)
            {
                final Feed other = feeds.get(i);
                if (other.code().equals(feed.code()))
                {
                    throw new ConfigException(f.path() + ".code", feed.code(), other.group().equals(feed.group()) ?
                        "used by feeds[" + i + "] on the same group and port " + text(feed.group()) +
                        ": a receiver could not tell their MoldUDP64 sessions apart" :
                        "used by two feeds (feeds[" + i + "]): the code names the partition in MoldUDP64 sessions");
                }
            }
            feeds.add(feed);
        }
        if (feeds.isEmpty())
        {
            throw new ConfigException("feeds", null, "no feeds: at least one is needed (every role works on the feeds' partitions)");
        }

        final Node rep = root.get("replication");
        rep.allowOnly("bind", "secret", "heartbeatMs", "stallMs", "maxClients", "maxPending", "helloTimeoutMs");
        final Replication replication = new Replication(
            rep.address("bind", "127.0.0.1:40200"),
            rep.text("secret", ""),
            rep.number("heartbeatMs", 1000, 1, 3_600_000),
            rep.number("stallMs", 10_000, 1, 3_600_000),
            rep.integer("maxClients", 32, 1, 4096),
            rep.integer("maxPending", 256, 1, 65_536),
            rep.number("helloTimeoutMs", 3000, 1, 600_000));

        final Node t = root.get("tailer");
        t.allowOnly("replicaDir", "replicationSource", "rerequest", "interface", "fromDayStart", "windowsMs",
            "imbalanceLevels", "featureDir", "idle", "cpu", "source", "multicastSource");
        final String source = t.text("source", "multicast");
        if (!"multicast".equals(source) && !"replica".equals(source))
        {
            throw new ConfigException(t.path() + ".source", source, "must be multicast or replica");
        }
        final String tailerIdle = t.text("idle", "backoff");
        checkIdle(t.path() + ".idle", tailerIdle);
        final List<String> windows = t.strings("windowsMs", List.of("1000", "10000", "60000"));
        final long[] windowsMs = new long[windows.size()];
        for (int i = 0; i < windowsMs.length; i++)
        {
            try
            {
                windowsMs[i] = Long.parseLong(windows.get(i));
            }
            catch (final NumberFormatException ex)
            {
                throw new ConfigException(t.path() + ".windowsMs[" + i + "]", windows.get(i), "not a whole number of ms");
            }
            if (windowsMs[i] <= 0 || windowsMs[i] > 86_400_000L)
            {
                throw new ConfigException(t.path() + ".windowsMs[" + i + "]", windows.get(i), "must be 1..86400000 ms");
            }
        }
        if (windowsMs.length > 8)
        {
            throw new ConfigException(t.path() + ".windowsMs", windows, "at most 8 windows");
        }
        final String featureDir = t.text("featureDir", "");
        final String multicastSource = t.text("multicastSource", "");
        InetAddress multicastSourceAddress = null;
        if (!multicastSource.isEmpty())
        {
            try
            {
                multicastSourceAddress = InetAddress.getByName(multicastSource);
            }
            catch (final UnknownHostException ex)
            {
                throw new ConfigException(t.path() + ".multicastSource", multicastSource, "not an address");
            }
        }
        checkInterface(t.path() + ".interface", t.text("interface", "lo"));
        final Tailer tailer = new Tailer(
            t.path("replicaDir", Path.of("data/replica"), base),
            t.address("replicationSource", "127.0.0.1:40200"),
            t.address("rerequest", "127.0.0.1:40100"),
            t.text("interface", "lo"),
            t.bool("fromDayStart", true),
            windowsMs,
            t.integer("imbalanceLevels", 5, 1, 100),
            featureDir.isEmpty() ? null : t.path("featureDir", null, base),
            tailerIdle,
            t.integer("cpu", -1, -1, 4095),
            "replica".equals(source),
            multicastSourceAddress);
        final Node countersNode = root.get("counters");
        countersNode.allowOnly("dir");
        final Path countersDir = countersNode.path("dir", Path.of("data/counters"), base);
        final Node q = root.get("questdb");
        q.allowOnly("address", "token", "httpPort", "pgPort", "batchRecords");
        final QuestDb questDb = new QuestDb(q.text("address", ""), q.text("token", ""), q.integer("httpPort", 9000, 0, 65_535),
            q.integer("pgPort", 8812, 0, 65_535), q.integer("batchRecords", 1000, 1, 1_000_000));
        return new TickJournalConfig(journalDir, List.copyOf(feeds), bridge, replication, tailer, countersDir, questDb);
    }

    /**
     * A feed's {@code orderbookLevel} (Upbit's price grouping, a subscription option): applied to each
     * instrument as its price grouping at its price exponent (journaled in its definition); refused
     * when not a non-negative decimal, finer than an instrument's price exponent (grouped prices would
     * not be representable), or for a venue without the option.
     */
    private static void priceGrouping(final Node f, final Venue venue, final List<InstrumentSpec> instruments)
    {
        final String key = f.path() + ".orderbookLevel";
        final String text = f.text("orderbookLevel", "0");
        final BigDecimal level;
        try
        {
            level = new BigDecimal(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException(key, text, "not a decimal number");
        }
        if (level.signum() < 0)
        {
            throw new ConfigException(key, text, "must not be negative (0 = no grouping)");
        }
        if (level.signum() == 0)
        {
            return;
        }
        for (int i = 0; i < instruments.size(); i++)
        {
            final InstrumentSpec spec = instruments.get(i);
            final BigDecimal mantissa = level.movePointRight(-spec.priceExponent()).stripTrailingZeros();
            if (mantissa.scale() > 0 || mantissa.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0)
            {
                throw new ConfigException(key, text, "finer than " + spec.venueSymbol() + "'s priceExponent " +
                    spec.priceExponent() + " (its grouped prices would not be representable)");
            }
            instruments.set(i, spec.withPriceGrouping(mantissa.longValueExact()));
        }
        try
        {
            venue.protocol().configuredFor(instruments);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(key, text, venue.name() + " has no price grouping option");
        }
    }

    /**
     * A feed's {@code orderbookUnits} (the Upbit family's orderbook units, {@code KRW-BTC.15}): applied to
     * each instrument as its book depth; absent, the venue protocol's default; refused when the venue
     * does not offer that many or has no such option.
     */
    private static void bookDepth(final Node f, final Venue venue, final List<InstrumentSpec> instruments)
    {
        final String key = f.path() + ".orderbookUnits";
        final String text = f.text("orderbookUnits", "");
        if (text.isEmpty())
        {
            return;
        }
        if (!venue.protocol().hasBookDepthOption())
        {
            throw new ConfigException(key, text, venue.name() + " has no orderbook units option");
        }
        final int units = f.integer("orderbookUnits", 0, 1, 1_000);
        instruments.replaceAll(spec -> spec.withBookDepth(units));
        try
        {
            venue.protocol().configuredFor(instruments);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(key, text, ex.getMessage());
        }
    }

    private static Path trustStore(final Node f, final Path journalDir)
    {
        final String text = f.text("trustStore", "");
        if (text.isEmpty())
        {
            return null;
        }
        final Path store = Path.of(text);
        if (!Files.isReadable(store))
        {
            throw new ConfigException(f.path() + ".trustStore", text, "no readable file there");
        }
        return store;
    }

    private static String text(final InetSocketAddress address)
    {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** An interface this host does not have would leave a role retrying to join or send hundreds of times a second. */
    private static void checkInterface(final String key, final String name)
    {
        try
        {
            if (java.net.NetworkInterface.getByName(name) == null)
            {
                throw new ConfigException(key, name, "no such network interface on this host");
            }
        }
        catch (final java.net.SocketException ex)
        {
            throw new ConfigException(key, name, "cannot be looked up: " + ex.getMessage());
        }
    }

    private static void checkIdle(final String key, final String idle)
    {
        if (!Set.of("busy-spin", "yielding", "backoff").contains(idle))
        {
            throw new ConfigException(key, idle, "must be busy-spin, yielding or backoff");
        }
    }

    private static Feed feed(final Node f, final Path journalDir)
    {
        f.allowOnly("partition", "venue", "code", "group", "websocket", "rest", "channels", "instruments",
            "stallTimeoutMs", "maxConnectionAgeMs", "rotateMarginMs", "reconnectMinMs", "reconnectMaxMs",
            "snapshotLimit", "snapshotsPerMinute", "streamsPerConnection", "argsPerRequest", "controlMessagesPerSecond",
            "requestsPerHour", "subscribeTimeoutMs", "keepaliveIntervalMs", "trustStore", "trustStorePassword", "orderbookLevel",
            "orderbookUnits");
        final String venue = f.text("venue", null);
        final Venue known;
        try
        {
            known = VenueRegistry.byName(venue);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(f.path() + ".venue", venue, ex.getMessage());
        }
        final int venueId = known.venueId();
        final String partition = f.text("partition", venue);
        if (!partition.matches("[a-z0-9][a-z0-9.-]{0,63}"))
        {
            throw new ConfigException(f.path() + ".partition", partition, "must be 1-64 lower-case letters, digits, '.' or '-'");
        }
        final String code = f.text("code", null);
        if (!code.matches("[A-Za-z0-9]{2}"))
        {
            throw new ConfigException(f.path() + ".code", code, "must be 2 ASCII letters or digits");
        }
        final InetSocketAddress group = f.address("group", null);
        if (!group.getAddress().isMulticastAddress())
        {
            throw new ConfigException(f.path() + ".group", f.text("group", null),
                "not a multicast group (IPv4 224.0.0.0/4, e.g. 239.255.10.1:40001)");
        }
        final URI ws = f.uri("websocket", null, WS);
        final URI rest = f.uri("rest", null, HTTP);
        final EnumSet<Channel> channels = EnumSet.noneOf(Channel.class);
        final List<String> defaultChannels = new ArrayList<>();
        for (final Channel c : known.defaultChannels())
        {
            defaultChannels.add(c.name());
        }
        for (final String c : f.strings("channels", defaultChannels))
        {
            try
            {
                channels.add(Channel.parse(c));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigException(f.path() + ".channels", c, ex.getMessage());
            }
        }
        final List<InstrumentSpec> instruments = new ArrayList<>();
        final Set<Integer> ids = new HashSet<>();
        final Set<String> symbols = new HashSet<>();
        for (final Node i : f.get("instruments").list())
        {
            i.allowOnly("id", "symbol", "canonical", "kind", "priceExponent", "sizeExponent");
            final String kindText = i.text("kind", known.defaultKind().name().toLowerCase(Locale.ROOT));
            final MarketKind kind;
            try
            {
                kind = MarketKind.valueOf(kindText.toUpperCase(Locale.ROOT));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigException(i.path() + ".kind", kindText, "must be spot, perpetual, future or option");
            }
            final String symbol = i.text("symbol", null);
            if (!symbol.matches("[A-Za-z0-9_-]{1,32}"))
            {
                throw new ConfigException(i.path() + ".symbol", symbol, "must be 1-32 letters, digits, '_' or '-'");
            }
            final int id = i.integer("id", 0, 1, Integer.MAX_VALUE);
            if (!ids.add(id))
            {
                throw new ConfigException(i.path() + ".id", id, "used by two instruments of this feed (ids name instruments in records)");
            }
            if (!symbols.add(symbol))
            {
                throw new ConfigException(i.path() + ".symbol", symbol, "listed twice in this feed");
            }
            instruments.add(new InstrumentSpec(id, symbol,
                i.text("canonical", symbol), kind, i.integer("priceExponent", -8, -18, 0), i.integer("sizeExponent", -8, -18, 0)));
        }
        if (instruments.isEmpty())
        {
            throw new ConfigException(f.path() + ".instruments", null, "at least one instrument is needed");
        }
        priceGrouping(f, known, instruments);
        bookDepth(f, known, instruments);
        final FeedConfig defaults = known.defaults(journalDir.resolve(partition), ws, rest, instruments, channels);
        try
        {
            final FeedConfig feed = new FeedConfig(venueId, journalDir.resolve(partition), ws, rest, instruments, channels,
                f.integer("streamsPerConnection", defaults.streamsPerConnection(), 1, 1024),
                f.integer("argsPerRequest", defaults.argsPerRequest(), 1, 1024),
                f.integer("controlMessagesPerSecond", defaults.controlMessagesPerSecond(), 1, 100),
                f.integer("requestsPerHour", defaults.requestsPerHour(), 1, 1_000_000),
                f.number("stallTimeoutMs", defaults.stallTimeoutNs() / 1_000_000, 1, 3_600_000) * 1_000_000,
                f.number("maxConnectionAgeMs", defaults.maxConnectionAgeNs() / 1_000_000, 1000, 7L * 86_400_000) * 1_000_000,
                f.number("rotateMarginMs", defaults.rotateMarginNs() / 1_000_000, 1, 86_400_000) * 1_000_000,
                defaults.overlapTimeoutNs(),
                f.number("reconnectMinMs", defaults.reconnectMinNs() / 1_000_000, 1, 3_600_000) * 1_000_000,
                f.number("reconnectMaxMs", defaults.reconnectMaxNs() / 1_000_000, 1, 3_600_000) * 1_000_000,
                f.integer("snapshotLimit", defaults.snapshotLimit(), 1, 5000),
                f.integer("snapshotsPerMinute", defaults.snapshotsPerMinute(), 1, 6000),
                defaults.snapshotTimeoutNs(),
                f.number("subscribeTimeoutMs", defaults.subscribeTimeoutNs() / 1_000_000, 100, 3_600_000) * 1_000_000,
                f.number("keepaliveIntervalMs", defaults.keepaliveIntervalNs() / 1_000_000, 100, 3_600_000) * 1_000_000,
                trustStore(f, journalDir),
                f.text("trustStorePassword", "").isEmpty() ? null : f.text("trustStorePassword", ""));
            return new Feed(partition, code, feed, group);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(f.path(), null, ex.getMessage());
        }
    }
}
