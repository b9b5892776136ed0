package io.tickjournal.ops;

import io.tickjournal.bridge.LossySink;
import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.venue.VenueRegistry;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.sim.BinanceSimProtocol;
import io.tickjournal.ingest.sim.BybitSimProtocol;
import io.tickjournal.ingest.sim.OkxSimProtocol;
import io.tickjournal.ingest.sim.SimProtocol;
import io.tickjournal.ingest.sim.VenueSimulator;
import io.tickjournal.journal.JournalVerifier;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.decimal.Decimals;
import io.tickjournal.ops.config.TickJournalConfig;
import io.tickjournal.ops.roles.BridgeRole;
import io.tickjournal.ops.roles.IngestRole;
import io.tickjournal.ops.roles.QuestDbRole;
import io.tickjournal.ops.roles.CountersFile;
import io.tickjournal.ops.roles.ReplicateRole;
import io.tickjournal.ops.roles.RoleCounters;
import io.tickjournal.ops.roles.TailerRole;
import io.tickjournal.ops.sql.QuestDb;
import io.tickjournal.tailer.FeatureEngine;
import io.tickjournal.tailer.FeatureIds;
import io.tickjournal.tailer.FeatureSet;
import io.tickjournal.journal.sbe.MarketKind;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.IoUtil;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Everything on one machine on loopback: a simulator per venue (Binance, Bybit, OKX: spot and
 * perpetual each; Coinbase, Upbit, Bithumb), ingest, the journal,
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

    /** What runs by default: every venue of {@link SimulatedVenue#ALL} (the view fits them in 120x40, see {@link DemoView}). */
    static final List<SimulatedVenue> VENUES = SimulatedVenue.DEFAULT;

    @Option(names = "--venues", split = ",", description = "venues to simulate and ingest (default: all nine: " +
        "binance-spot, binance-usdm, bybit-spot, bybit-linear, okx-spot, okx-swap, coinbase, upbit, bithumb)")
    List<String> venueNames;

    /** The venues this run simulates and ingests ({@code --venues}, default {@link SimulatedVenue#DEFAULT}). */
    private List<SimulatedVenue> venues = VENUES;


    /**
     * What the view shows per instrument. Written on the tailer thread, read by the view thread
     * under a sequence lock (as Aeron's counters and Agrona's broadcast buffers do): the writer
     * makes {@code version} odd, writes, makes it even; a reader copies and keeps the copy only if
     * the version was even and unchanged around it, so it never shows half an update.
     */
    static final class Row
    {
        final String name;
        private final long[] mantissas = new long[16];
        private final int[] exponents = new int[16];
        private final boolean[] present = new boolean[16];
        private final AtomicLong version = new AtomicLong();

        Row(final String name)
        {
            this.name = name;
        }

        /** Tailer thread only. */
        void write(final FeatureSet features)
        {
            version.setRelease(version.getPlain() + 1);
            VarHandle.storeStoreFence();
            for (int i = 0; i < SHOWN.length; i++)
            {
                final int at = features.indexOf(SHOWN[i]);
                present[i] = at >= 0;
                if (at >= 0)
                {
                    mantissas[i] = features.mantissa(at);
                    exponents[i] = features.exponent(at);
                }
            }
            version.setRelease(version.getPlain() + 1);
        }

        /**
         * A consistent copy (view thread).
         *
         * @return the values as text, one per shown feature ("-" where absent).
         */
        String[] read()
        {
            final String[] values = new String[SHOWN.length];
            final long[] m = new long[SHOWN.length];
            final int[] e = new int[SHOWN.length];
            final boolean[] p = new boolean[SHOWN.length];
            while (true)
            {
                final long before = version.getAcquire();
                if ((before & 1) == 0)
                {
                    System.arraycopy(mantissas, 0, m, 0, m.length);
                    System.arraycopy(exponents, 0, e, 0, e.length);
                    System.arraycopy(present, 0, p, 0, p.length);
                    VarHandle.loadLoadFence();
                    if (version.getAcquire() == before)
                    {
                        break;
                    }
                }
                Thread.onSpinWait();
            }
            for (int i = 0; i < values.length; i++)
            {
                values[i] = p[i] ? Decimals.toString(m[i], e[i]) : "-";
            }
            return values;
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

    private static String kindSuffix(final MarketKind kind)
    {
        return switch (kind)
        {
            case PERPETUAL -> "-PERP";
            case FUTURE -> "-FUT";
            case OPTION -> "-OPT";
            default -> "";
        };
    }

    /**
     * A row's name in the view: {@code <venue> <canonical>[-KIND]}. The kind is part of it: spot and
     * the perpetual are different instruments (and cross-venue groups).
     *
     * @param instrument the instrument.
     * @return its name.
     */
    static String rowName(final FeatureEngine.Instrument instrument)
    {
        return Venues.name(instrument.venueId()) + " " + instrument.canonical() + kindSuffix(instrument.marketKind());
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    /**
     * The demo's configuration, built as the config object (the same one {@code config/tickjournal.yaml}
     * loads into), pointing at the simulators on loopback.
     *
     * @param dir             the demo's data directory.
     * @param venues          the venues run.
     * @param simulators      one per venue.
     * @param retransmitPort  the bridge's re-request port.
     * @param replicationPort the replication source's port.
     * @param basePort        the first venue's multicast port (the next venues count up).
     * @return the config.
     */
    static TickJournalConfig demoConfig(final Path dir, final List<SimulatedVenue> venues, final List<VenueSimulator> simulators,
        final int retransmitPort,
        final int replicationPort, final int basePort)
    {
        final Path root = dir.toAbsolutePath();
        final Path journalDir = root.resolve("journal");
        final List<TickJournalConfig.Feed> feeds = new ArrayList<>();
        for (int i = 0; i < venues.size(); i++)
        {
            final SimulatedVenue venue = venues.get(i);
            feeds.add(new TickJournalConfig.Feed(venue.partition(), venue.code(), venue.feed(journalDir, simulators.get(i)),
                new InetSocketAddress("239.255.42." + (i + 1), basePort + i)));
        }
        final InetSocketAddress retransmit = new InetSocketAddress("127.0.0.1", retransmitPort);
        final InetSocketAddress replication = new InetSocketAddress("127.0.0.1", replicationPort);
        return new TickJournalConfig(journalDir, feeds,
            new TickJournalConfig.Bridge(root.resolve("bridge"), "lo", 0, 1472, 200, "backoff", -1, retransmit, 1024, 100,
                2L << 20, 1024),
            new TickJournalConfig.Replication(replication, "demo", 1000, 10_000, 32, 256, 3000),
            new TickJournalConfig.Tailer(root.resolve("replica"), replication, retransmit, "lo", true, new long[] {1000, 10_000, 60_000},
                5, root.resolve("features"), "backoff", -1, false, null),
            root.resolve("counters"));
    }

    @Override
    public Integer call() throws Exception
    {
        try
        {
            venues = SimulatedVenue.pick(venueNames);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("demo: " + ex.getMessage());
            return 2;
        }
        IoUtil.delete(dir.toFile(), false);
        Files.createDirectories(dir);
        final PrintStream out = System.out;
        final boolean redraw = !plain && System.console() != null;
        final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        final EpochNanoClock clock = new OffsetEpochNanoClock();

        final List<VenueSimulator> simulators = new ArrayList<>();
        try
        {
            final long referenceOriginMs = System.currentTimeMillis();
            for (final SimulatedVenue venue : venues)
            {
                simulators.add(venue.start(tradesPerSecond, 0, referenceOriginMs));
            }
            final int basePort = 40_000 + (int)(ProcessHandle.current().pid() % 1000) * 2;
            final TickJournalConfig config = demoConfig(dir, venues, simulators, freePort(), freePort(), basePort);

            final FeatureEngine.Listener view = (instrument, features, day, sequence, receiveTimeNs) ->
            {
                latency.recordValue(Math.max(0, clock.nanoTime() - receiveTimeNs));
                final String key = instrument.venueId() + ":" + instrument.instrumentId();
                Row row = rows.get(key);
                if (row == null)
                {
                    row = rows.computeIfAbsent(key, k -> new Row(rowName(instrument)));
                }
                row.write(features);
            };

            final CountDownLatch stop = new CountDownLatch(1);
            final ShutdownSignalBarrier barrier = new ShutdownSignalBarrier(stop::countDown);
            final TerminationSignals signals = TerminationSignals.install(barrier::signal);
            try (RoleCounters counters = RoleCounters.create(config.countersDir(), "demo", log::add);
                CountersFile view2 = CountersFile.open(counters.file()))
            {
                final ReplicateRole replicate = new ReplicateRole(config, log::add, counters);
                final BridgeRole bridge = new BridgeRole(config, loss > 0 ? LossySink.factory(loss, 7) : BridgeRole.datagrams(), log::add,
                    counters);
                final IngestRole ingest = new IngestRole(config, clock, counters);
                final TailerRole tailer = new TailerRole(config, List.of(view), log::add, counters);
                final QuestDbRole questDb = startQuestDb(config, log, counters, out);

                final long start = System.nanoTime();
                final long end = durationSeconds > 0 ? start + TimeUnit.SECONDS.toNanos(durationSeconds) : Long.MAX_VALUE;
                Snapshot previous = new Snapshot(venues.size());
                int second = 0;
                long journaled = 0;
                try
                {
                    while (!stop.await(1, TimeUnit.SECONDS))
                    {
                        second++;
                        injectFaults(second, simulators, log);
                        final Snapshot now = Snapshot.take(view2, venues, simulators);
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
                    for (final TickJournalConfig.Feed feed : config.feeds())
                    {
                        journaled += JournalVerifier.verify(config.journalDir().resolve(feed.partition())).records();
                    }
                    awaitDelivered(view2, journaled, TimeUnit.SECONDS.toNanos(10));
                    tailer.close();
                    bridge.close();
                    replicate.close();
                    stopQuestDb(questDb, out);
                }
                final Snapshot last = Snapshot.take(view2, venues, simulators);
                out.println();
                out.printf("stopped after %d s. journal %s: %,d records journaled, tailer delivered %,d, %d gaps repaired%n",
                    (System.nanoTime() - start) / 1_000_000_000L, config.journalDir(), journaled, last.delivered, last.repairs);
                for (final TickJournalConfig.Feed feed : config.feeds())
                {
                    final JournalVerifier.Report report = JournalVerifier.verify(config.journalDir().resolve(feed.partition()));
                    out.printf("verify %-14s %s, %,d records%n", feed.partition(), report.ok() ? "OK" : "BROKEN " + report.problems(),
                        report.records());
                }
                if (config.tailer().featureDir() != null && Files.isDirectory(config.tailer().featureDir()))
                {
                    final JournalVerifier.Report report = JournalVerifier.verify(config.tailer().featureDir());
                    out.printf("verify %-14s %s, %,d feature records%n", "features", report.ok() ? "OK" : "BROKEN " + report.problems(),
                        report.records());
                }
                out.println("try: ./tickjournal stats " + config.journalDir() + "   ./tickjournal audit --journal " +
                    config.journalDir() + " summary");
                out.println("try: ./tickjournal sql --journal " + config.journalDir() + " \"" + TRY_SQL + "\"");
                out.flush();
            }
            finally
            {
                signals.close();
                barrier.close();
            }
        }
        finally
        {
            simulators.forEach(VenueSimulator::close);
        }
        return 0;
    }

    /**
     * The QuestDB follower over the demo's journal, into QuestDB in this process (its data beside the journal,
     * on the configured HTTP port, or a free one when that is taken); says where to look. A QuestDB that
     * cannot start costs the demo nothing but SQL: null then.
     */
    private static QuestDbRole startQuestDb(final TickJournalConfig config, final List<String> log, final RoleCounters counters,
        final PrintStream out)
    {
        try
        {
            final TickJournalConfig.QuestDb q = config.questDb();
            final Path questDbRoot = QuestDb.rootBeside(config.journalDir());
            QuestDb started;
            try
            {
                started = QuestDb.embedded(questDbRoot, isFree(q.httpPort()) ? q.httpPort() : 0, isFree(q.pgPort()) ? q.pgPort() : 0);
            }
            catch (final RuntimeException ex)
            {
                // a port taken between the check and the bind: any free ones
                started = QuestDb.embedded(questDbRoot, 0, 0);
            }
            final QuestDb db = started;
            final QuestDbRole role = new QuestDbRole(db, QuestDbRole.partitions(config), -1, q.batchRecords(), log::add, counters);
            final String line = "questdb: http://" + db.httpAddress() + " (web console) is filled live; try: ./tickjournal sql --journal " +
                config.journalDir() + " \"" + TRY_SQL + "\"";
            out.println(line);
            log.add("questdb: http://" + db.httpAddress() + " filled live (./tickjournal sql --journal " + config.journalDir() + " \"...\")");
            return role;
        }
        catch (final IOException | RuntimeException ex)
        {
            log.add("questdb: not started (" + ex.getMessage() + "); the demo runs without SQL");
            return null;
        }
    }

    /** The query the demo suggests: VWAP and volume per minute per venue and symbol. */
    static final String TRY_SQL = "SELECT ts, venue, symbol, sum(price * size) / sum(size) AS vwap, sum(size) AS volume, count() AS trades " +
        "FROM trades SAMPLE BY 1m ORDER BY ts, venue, symbol";

    /** Let the follower load what the demo journaled (up to 30 s), then stop it and its QuestDB. */
    private static void stopQuestDb(final QuestDbRole questDb, final PrintStream out)
    {
        if (questDb == null)
        {
            return;
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !(questDb.loader().isFollowing() && questDb.loader().recordsBehind() == 0))
        {
            LockSupport.parkNanos(RoleCounters.MIRROR_INTERVAL_NS);
        }
        questDb.db().awaitApplied(30_000);
        final String status = questDb.statusLine();
        questDb.close();
        out.println(status);
    }

    private static boolean isFree(final int port)
    {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return socket.isBound();
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** A depth gap at the spot venues every 10 s, a shutdown notice at the futures venues every 30 s. */
    private void injectFaults(final int second, final List<VenueSimulator> simulators, final List<String> log)
    {
        if (noFaults)
        {
            return;
        }
        for (int i = 0; i < venues.size(); i++)
        {
            final SimulatedVenue venue = venues.get(i);
            if (venue.fault() == SimulatedVenue.Fault.BOOK_GAP && second % 10 == 5)
            {
                simulators.get(i).gapNextBookEvent(venue.faultSymbol());
                log.add("fault: dropped a " + venue.faultSymbol() + " book event at " + venue.partition() +
                    " (expect a gap, then a resync of that book only)");
            }
            if (venue.fault() == SimulatedVenue.Fault.SHUTDOWN_NOTICE && second % 30 == 20)
            {
                simulators.get(i).serverShutdown(1000);
                log.add("fault: " + venue.partition() + " announced a shutdown (expect a make-before-break switch)");
            }
        }
    }

    /** Wait until the tailer has delivered every journaled record (read from its counter), or the time is up. */
    private void awaitDelivered(final CountersFile counters, final long journaled, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (deliveredOf(counters) < journaled && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(RoleCounters.MIRROR_INTERVAL_NS / 10);
        }
    }

    private long deliveredOf(final CountersFile counters)
    {
        long delivered = 0;
        for (final SimulatedVenue venue : venues)
        {
            delivered += Math.max(0, counters.value("tailer " + venue.partition() + ": delivered"));
        }
        return delivered;
    }

    /** Counters of every stage at one moment, read from the demo's counters file. */
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
        final long[] perVenueFrames;

        Snapshot(final int venues)
        {
            perVenueFrames = new long[venues];
        }

        static Snapshot take(final CountersFile c, final List<SimulatedVenue> venues, final List<VenueSimulator> simulators)
        {
            final Snapshot s = new Snapshot(venues.size());
            for (int i = 0; i < venues.size(); i++)
            {
                s.simFrames += simulators.get(i).recorder().framesSent();
                final String ingest = "ingest " + venues.get(i).partition() + ": ";
                s.perVenueFrames[i] = Math.max(0, c.value(ingest + "frames"));
                s.ingestFrames += s.perVenueFrames[i];
                s.ingestRecords += Math.max(0, c.value(ingest + "records"));
                s.malformed += Math.max(0, c.value(ingest + "malformed"));
                s.badValues += Math.max(0, c.value(ingest + "bad values"));
                s.bookGaps += Math.max(0, c.value(ingest + "book gaps"));
                s.resyncs += Math.max(0, c.value(ingest + "resyncs"));
                s.rotations += Math.max(0, c.value(ingest + "rotations"));
                final String tailer = "tailer " + venues.get(i).partition() + ": ";
                s.delivered += Math.max(0, c.value(tailer + "delivered"));
                s.gaps += Math.max(0, c.value(tailer + "gaps"));
                s.repairs += Math.max(0, c.value(tailer + "repairs"));
                s.fromReplica += Math.max(0, c.value(tailer + "recovered from replica"));
                s.byRerequest += Math.max(0, c.value(tailer + "recovered by re-request"));
                s.byTcp += Math.max(0, c.value(tailer + "recovered by tcp"));
                s.maxRepairNs = Math.max(s.maxRepairNs, c.value(tailer + "max repair ns"));
            }
            s.packets = Math.max(0, c.value("bridge: packets sent"));
            s.messages = Math.max(0, c.value("bridge: messages sent"));
            s.replicated = Math.max(0, c.value("tailer replica: records written"));
            return s;
        }
    }

    private Histogram interval;
    private DemoView demoView;

    /** One frame of the live view ({@link DemoView}): redrawn in place on a terminal, printed plain otherwise. */
    private void render(final PrintStream out, final boolean redraw, final Snapshot s, final Snapshot p, final long elapsedNs,
        final List<String> log)
    {
        interval = latency.getIntervalHistogram(interval);
        if (demoView == null)
        {
            demoView = new DemoView(venues, loss);
        }
        final List<String> recent;
        synchronized (log)
        {
            recent = new ArrayList<>(log.subList(Math.max(0, log.size() - DemoView.RECENT_EVENTS), log.size()));
        }
        final StringBuilder b = new StringBuilder(8192);
        if (redraw)
        {
            b.append("\033[H\033[2J");
        }
        for (final String line : demoView.render(s, p, elapsedNs, interval, rows.values(), recent))
        {
            b.append(line).append(System.lineSeparator());
        }
        out.print(b);
        out.flush();
    }
}
