package io.tickjournal.ops;

import io.tickjournal.bridge.LossySink;
import io.tickjournal.ingest.FeedCounters;
import io.tickjournal.ingest.IngestFeed;
import io.tickjournal.ingest.sim.BinanceSimulator;
import io.tickjournal.journal.JournalVerifier;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.decimal.Decimals;
import io.tickjournal.ops.config.TickJournalConfig;
import io.tickjournal.ops.roles.BridgeRole;
import io.tickjournal.ops.roles.IngestRole;
import io.tickjournal.ops.roles.ReplicateRole;
import io.tickjournal.ops.roles.TailerRole;
import io.tickjournal.tailer.FeatureEngine;
import io.tickjournal.tailer.FeatureIds;
import io.tickjournal.tailer.FeatureSet;
import io.tickjournal.tailer.Sequencer;
import io.tickjournal.tailer.SequencerCounters;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Everything on one machine on loopback: Binance spot and USD-M simulators, ingest, the journal,
 * the replication source, the multicast bridge (with injected packet loss, so repair is visible)
 * and the pricing tailer with its replica, books and features; a live view once a second.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run simulated venues, ingest, journal, bridge, replication and the pricing tailer on loopback, with a live view.")
public final class DemoCommand implements Callable<Integer>
{
    @Option(names = "--duration", description = "stop after this many seconds (default: run until Ctrl-C)", defaultValue = "0")
    long durationSeconds;

    @Option(names = "--dir", description = "data directory, emptied at start (default: ${DEFAULT-VALUE})", defaultValue = "demo-data")
    Path dir;

    @Option(names = "--loss", description = "packet loss injected between bridge and tailer (default: ${DEFAULT-VALUE})",
        defaultValue = "0.002")
    double loss;

    @Option(names = "--trades-per-second", description = "simulated trades per second per symbol (default: ${DEFAULT-VALUE})",
        defaultValue = "50")
    int tradesPerSecond;

    @Option(names = "--no-faults", description = "do not inject venue faults (by default: a depth gap every 10 s, a shutdown notice every 30 s)")
    boolean noFaults;

    @Option(names = "--plain", description = "print plain lines instead of redrawing the screen")
    boolean plain;

    private final Map<String, Row> rows = new ConcurrentHashMap<>();
    private final Recorder latency = new Recorder(3_600_000_000_000L, 3);

    /** What the view shows per instrument, written on the tailer thread. */
    static final class Row
    {
        final String name;
        final long[] mantissas = new long[16];
        final int[] exponents = new int[16];
        final boolean[] present = new boolean[16];
        volatile long updates;

        Row(final String name)
        {
            this.name = name;
        }
    }

    private static final int[] SHOWN = {
        FeatureIds.BEST_BID, FeatureIds.BEST_ASK, FeatureIds.MID, FeatureIds.SPREAD, FeatureIds.MICROPRICE, FeatureIds.IMBALANCE,
        FeatureIds.WINDOW_BASE + FeatureIds.WINDOW_STRIDE + FeatureIds.VWAP,
        FeatureIds.WINDOW_BASE + FeatureIds.WINDOW_STRIDE + FeatureIds.TFI,
        FeatureIds.WINDOW_BASE + FeatureIds.WINDOW_STRIDE + FeatureIds.REALIZED_VOL,
        FeatureIds.WINDOW_BASE + FeatureIds.WINDOW_STRIDE + FeatureIds.TRADE_COUNT,
        FeatureIds.CROSS_BID, FeatureIds.CROSS_ASK,
    };

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    static String demoConfig(final String spotWs, final String spotRest, final String usdmWs, final String usdmRest,
        final int retransmitPort, final int replicationPort, final int basePort)
    {
        return String.join("\n",
            "journal:",
            "  dir: journal",
            "feeds:",
            "  - partition: binance-spot",
            "    venue: binance-spot",
            "    code: BS",
            "    group: 239.255.42.1:" + basePort,
            "    websocket: " + spotWs,
            "    rest: " + spotRest,
            "    channels: [trade, aggTrade, depth, bookTicker]",
            "    instruments:",
            "      - {id: 1, symbol: BTCUSDT, canonical: BTC-USDT, priceExponent: -2, sizeExponent: -8}",
            "      - {id: 2, symbol: ETHUSDT, canonical: ETH-USDT, priceExponent: -2, sizeExponent: -8}",
            "  - partition: binance-usdm",
            "    venue: binance-usdm",
            "    code: BU",
            "    group: 239.255.42.2:" + (basePort + 1),
            "    websocket: " + usdmWs,
            "    rest: " + usdmRest,
            "    channels: [aggTrade, depth, bookTicker, markPrice]",
            "    instruments:",
            "      - {id: 1, symbol: BTCUSDT, canonical: BTC-USDT, priceExponent: -2, sizeExponent: -3}",
            "      - {id: 2, symbol: ETHUSDT, canonical: ETH-USDT, priceExponent: -2, sizeExponent: -3}",
            "    stallTimeoutMs: 5000",
            "bridge:",
            "  stateDir: bridge",
            "  interface: lo",
            "  ttl: 0",
            "  heartbeatMs: 200",
            "  idle: backoff",
            "  retransmit: 127.0.0.1:" + retransmitPort,
            "replication:",
            "  bind: 127.0.0.1:" + replicationPort,
            "  secret: demo",
            "tailer:",
            "  replicaDir: replica",
            "  replicationSource: 127.0.0.1:" + replicationPort,
            "  rerequest: 127.0.0.1:" + retransmitPort,
            "  interface: lo",
            "  featureDir: features",
            "  windowsMs: [1000, 10000, 60000]",
            "");
    }

    @Override
    public Integer call() throws Exception
    {
        BenchSupport.deleteTree(dir);
        Files.createDirectories(dir);
        final PrintStream out = System.out;
        final boolean redraw = !plain && System.console() != null;
        final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        final EpochNanoClock clock = new OffsetEpochNanoClock();

        try (BinanceSimulator spot = new BinanceSimulator(BinanceSimulator.Options.defaults(false).withTradesPerSecond(tradesPerSecond), 0);
            BinanceSimulator usdm = new BinanceSimulator(BinanceSimulator.Options.defaults(true).withTradesPerSecond(tradesPerSecond).withSeed(4242), 0))
        {
            final int basePort = 40_000 + (int)(ProcessHandle.current().pid() % 1000) * 2;
            final String yaml = demoConfig(spot.webSocketUri(), spot.restUri(), usdm.webSocketUri(), usdm.restUri(),
                freePort(), freePort(), basePort);
            Files.writeString(dir.resolve("tickjournal.yaml"), yaml);
            final TickJournalConfig config = TickJournalConfig.load(dir.resolve("tickjournal.yaml"));

            final FeatureEngine.Listener view = (instrument, features, day, sequence, receiveTimeNs) ->
            {
                latency.recordValue(Math.max(0, clock.nanoTime() - receiveTimeNs));
                final String key = instrument.venueId() + ":" + instrument.instrumentId();
                Row row = rows.get(key);
                if (row == null)
                {
                    row = rows.computeIfAbsent(key, k -> new Row(Venues.name(instrument.venueId()) + " " + instrument.canonical()));
                }
                copy(row, features);
            };

            final ReplicateRole replicate = new ReplicateRole(config, log::add);
            final BridgeRole bridge = new BridgeRole(config, loss > 0 ? LossySink.factory(loss, 7) : BridgeRole.datagrams(), log::add);
            final IngestRole ingest = new IngestRole(config, clock);
            final TailerRole tailer = new TailerRole(config, List.of(view), log::add);

            final ShutdownSignal signal = new ShutdownSignal("demo");
            final long start = System.nanoTime();
            final long end = durationSeconds > 0 ? start + TimeUnit.SECONDS.toNanos(durationSeconds) : Long.MAX_VALUE;
            Snapshot previous = new Snapshot();
            int second = 0;
            try
            {
                while (!signal.await(1, TimeUnit.SECONDS))
                {
                    second++;
                    if (!noFaults && second % 10 == 5)
                    {
                        spot.gapNextDepth("BTCUSDT");
                        log.add("fault: dropped a BTCUSDT depth event at the spot venue (expect a gap, then a resync)");
                    }
                    if (!noFaults && second % 30 == 20)
                    {
                        usdm.serverShutdown(1000);
                        log.add("fault: USD-M venue announced serverShutdown (expect a make-before-break switch)");
                    }
                    final Snapshot now = Snapshot.take(ingest, bridge, tailer, spot, usdm);
                    render(out, redraw, now, previous, System.nanoTime() - start, log);
                    previous = now;
                    if (System.nanoTime() >= end)
                    {
                        break;
                    }
                }
            }
            finally
            {
                ingest.close();
                Thread.sleep(500); // let the bridge send and the tailer receive the last records
                tailer.close();
                bridge.close();
                replicate.close();
            }
            final Snapshot last = Snapshot.take(null, bridge, tailer, spot, usdm);
            out.println();
            out.printf("stopped after %d s. journal %s: %,d records appended by ingest, tailer delivered %,d, %d gaps repaired%n",
                (System.nanoTime() - start) / 1_000_000_000L, config.journalDir(), previous.ingestRecords, last.delivered,
                last.repairs);
            for (final TickJournalConfig.Feed feed : config.feeds())
            {
                final JournalVerifier.Report report = JournalVerifier.verify(config.journalDir().resolve(feed.partition()));
                out.printf("verify %-14s %s, %,d records%n", feed.partition(), report.ok() ? "OK" : "BROKEN " + report.problems(),
                    report.records());
            }
            out.println("try: ./tickjournal stats " + config.journalDir() + "   ./tickjournal audit --journal " +
                config.journalDir() + " summary");
            out.flush();
            signal.close();
        }
        return 0;
    }

    private static void copy(final Row row, final FeatureSet features)
    {
        for (int i = 0; i < SHOWN.length; i++)
        {
            final int at = features.indexOf(SHOWN[i]);
            row.present[i] = at >= 0;
            if (at >= 0)
            {
                row.mantissas[i] = features.mantissa(at);
                row.exponents[i] = features.exponent(at);
            }
        }
        row.updates++;
    }

    /** Counters of every stage at one moment. */
    static final class Snapshot
    {
        long simFrames;
        long ingestFrames;
        long ingestRecords;
        long malformed;
        long badValues;
        long bookGaps;
        long resyncs;
        long rotations;
        long packets;
        long messages;
        long delivered;
        long gaps;
        long repairs;
        long fromReplica;
        long byRerequest;
        long byTcp;
        long maxRepairNs;
        long replicated;
        long[] perVenueFrames = new long[2];

        static Snapshot take(final IngestRole ingest, final BridgeRole bridge, final TailerRole tailer,
            final BinanceSimulator spot, final BinanceSimulator usdm)
        {
            final Snapshot s = new Snapshot();
            s.simFrames = spot.framesSent() + usdm.framesSent();
            if (ingest != null)
            {
                int v = 0;
                for (final IngestFeed feed : ingest.feeds())
                {
                    final FeedCounters c = feed.session().counters();
                    s.ingestFrames += c.frames;
                    s.ingestRecords += c.records;
                    s.malformed += c.malformed;
                    s.badValues += c.badValues;
                    s.bookGaps += c.bookGaps;
                    s.resyncs += c.resyncs;
                    s.rotations += c.rotations;
                    if (v < 2)
                    {
                        s.perVenueFrames[v++] = c.frames;
                    }
                }
            }
            s.packets = bridge.bridge().counters().packetsSent();
            s.messages = bridge.bridge().counters().messagesPacked();
            for (final Sequencer sequencer : tailer.receiver().sequencers())
            {
                final SequencerCounters c = sequencer.counters();
                s.delivered += c.delivered;
                s.gaps += c.gaps;
                s.repairs += c.repairs;
                s.fromReplica += c.recoveredFromReplica;
                s.byRerequest += c.recoveredByRerequest;
                s.byTcp += c.recoveredByTcp;
                s.maxRepairNs = Math.max(s.maxRepairNs, c.maxRepairNs);
            }
            s.replicated = tailer.replicaSink().recordsWritten();
            return s;
        }
    }

    private Histogram interval;

    private void render(final PrintStream out, final boolean redraw, final Snapshot s, final Snapshot p, final long elapsedNs,
        final List<String> log)
    {
        interval = latency.getIntervalHistogram(interval);
        final StringBuilder b = new StringBuilder(4096);
        if (redraw)
        {
            b.append("\033[H\033[2J");
        }
        b.append(String.format("tickjournal demo  %ds  (Ctrl-C to stop)%n", elapsedNs / 1_000_000_000L));
        b.append(String.format("%-10s %10s %10s   %s%n", "stage", "per second", "total", "notes"));
        b.append(String.format("%-10s %,10d %,10d   spot %,d/s  usdm %,d/s frames received%n", "venues", s.simFrames - p.simFrames,
            s.simFrames, s.perVenueFrames[0] - p.perVenueFrames[0], s.perVenueFrames[1] - p.perVenueFrames[1]));
        b.append(String.format("%-10s %,10d %,10d   records journaled; malformed %d, bad values %d, book gaps %d, resyncs %d, " +
            "rotations %d%n", "ingest", s.ingestRecords - p.ingestRecords, s.ingestRecords, s.malformed, s.badValues, s.bookGaps,
            s.resyncs, s.rotations));
        b.append(String.format("%-10s %,10d %,10d   records multicast in %,d packets (loss injected: %.2f%%)%n", "bridge",
            s.messages - p.messages, s.messages, s.packets, loss * 100));
        b.append(String.format("%-10s %,10d %,10d   records copied to the replica%n", "replica", s.replicated - p.replicated,
            s.replicated));
        b.append(String.format("%-10s %,10d %,10d   records in order; gaps %d, repaired %d (replica %d, re-request %d, tcp %d), " +
            "slowest repair %.1f ms%n", "tailer", s.delivered - p.delivered, s.delivered, s.gaps, s.repairs, s.fromReplica,
            s.byRerequest, s.byTcp, s.maxRepairNs / 1e6));
        if (interval.getTotalCount() > 0)
        {
            b.append(String.format("latency    venue frame received -> features out: p50 %s  p99 %s  p99.9 %s  max %s (%,d samples)%n",
                BenchSupport.micros(interval.getValueAtPercentile(50)), BenchSupport.micros(interval.getValueAtPercentile(99)),
                BenchSupport.micros(interval.getValueAtPercentile(99.9)), BenchSupport.micros(interval.getMaxValue()),
                interval.getTotalCount()));
        }
        b.append(String.format("%n%-26s %12s %12s %13s %8s %12s %8s %12s %9s %9s %7s%n", "instrument", "bid", "ask", "mid", "spread",
            "microprice", "imb", "vwap 10s", "tfi 10s", "rv 10s", "trades"));
        rows.values().stream().sorted((a, c) -> a.name.compareTo(c.name)).forEach(row ->
            b.append(String.format("%-26s %12s %12s %13s %8s %12s %8s %12s %9s %9s %7s%n", row.name, v(row, 0), v(row, 1),
                v(row, 2), v(row, 3), v(row, 4), v(row, 5), v(row, 6), v(row, 7), v(row, 8), v(row, 9))));
        b.append(String.format("%ncross-venue best bid / offer (from each venue's latest whole book):%n"));
        final java.util.Set<String> seen = new java.util.TreeSet<>();
        rows.values().stream().sorted((a, c) -> a.name.compareTo(c.name)).forEach(row ->
        {
            final String canonical = row.name.substring(row.name.indexOf(' ') + 1);
            if (seen.add(canonical) && row.present[10] && row.present[11])
            {
                b.append(String.format("  %-10s bid %12s  ask %12s%n", canonical, v(row, 10), v(row, 11)));
            }
        });
        final List<String> recent;
        synchronized (log)
        {
            recent = new ArrayList<>(log.subList(Math.max(0, log.size() - 4), log.size()));
        }
        if (!recent.isEmpty())
        {
            b.append(String.format("%nrecent events:%n"));
            recent.forEach(line -> b.append("  ").append(line).append(System.lineSeparator()));
        }
        out.print(b);
        out.flush();
    }

    private static String v(final Row row, final int i)
    {
        return row.present[i] ? Decimals.toString(row.mantissas[i], row.exponents[i]) : "-";
    }
}
