package io.tickjournal.ops;

import io.tickjournal.ingest.sim.BinanceSimulator;
import io.tickjournal.journal.JournalRecords;
import io.tickjournal.journal.JournalVerifier;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.ops.roles.CountersFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash drills with every role as its own process, as production runs them, against a venue
 * simulator on loopback: {@code kill -9} the ingest, bridge, replicate and tailer processes
 * mid-stream, one at a time and then all together, restart them, and prove that the journal
 * verifies (complete frames, dense sequences), the replica equals the journal record for record,
 * and the last tailer delivered every journaled record exactly once (in order, counted by its
 * sequencer from the day's start, duplicates from the restarted bridge dropped).
 */
class CrashDrillTest
{
    private static final String PARTITION = "binance-spot";

    @TempDir
    Path root;

    private static int freePort() throws Exception
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    /** A counter of a live role process, or -1 (the process has not created its file yet). */
    private long counter(final RoleProcesses.Role role, final String name, final String label)
    {
        final Path file = root.resolve("counters").resolve(name + "-" + role.process().pid() + ".counters");
        if (!Files.exists(file))
        {
            return -1;
        }
        try (CountersFile counters = CountersFile.open(file))
        {
            return counters == null ? -1 : counters.value(label);
        }
    }

    private long delivered(final RoleProcesses.Role tailer)
    {
        return counter(tailer, "tailer", "tailer " + PARTITION + ": delivered");
    }

    /** Wait until the tailer has delivered this many more records than now (the whole pipeline moves). */
    private void awaitProgress(final RoleProcesses.Role tailer, final long more, final String when) throws Exception
    {
        final long from = Math.max(0, delivered(tailer));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (delivered(tailer) < from + more && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
        }
        assertTrue(delivered(tailer) >= from + more, when + ": the tailer delivered " + delivered(tailer) + ", waited for " +
            (from + more) + "\n" + tailer.output());
    }

    private static void kill9(final RoleProcesses.Role role) throws Exception
    {
        role.process().destroyForcibly();
        assertTrue(role.process().waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, role.process().exitValue(), "killed by SIGKILL");
    }

    private static void stopCleanly(final RoleProcesses.Role role, final String name) throws Exception
    {
        role.process().destroy();
        assertEquals(0, role.exit(60), name + " exits 0 on SIGTERM: " + role.output());
        assertTrue(role.output().contains(name + " stopped cleanly"), role.output());
    }

    @Test
    void everyRoleKilledMidStreamInTurnAndTogetherLosesAndRepeatsNothing() throws Exception
    {
        final int group = 48_000 + (int)(ProcessHandle.current().pid() % 1000);
        try (BinanceSimulator venue = new BinanceSimulator(BinanceSimulator.Options.defaults(false).withTradesPerSecond(100), 0);
            RoleProcesses roles = new RoleProcesses(root))
        {
            final Path config = root.resolve("tj.yaml");
            final int replication = freePort();
            final int retransmit = freePort();
            Files.writeString(config, String.join("\n",
                "journal: {dir: journal}",
                "counters: {dir: counters}",
                "feeds:",
                "  - {venue: binance-spot, code: BS, group: '239.255.47.1:" + group + "', websocket: '" + venue.webSocketUri() +
                    "', rest: '" + venue.restUri() + "',",
                "     channels: [trade, depth, bookTicker], instruments: [{id: 1, symbol: BTCUSDT, priceExponent: -2}, " +
                    "{id: 2, symbol: ETHUSDT, priceExponent: -2}]}",
                "bridge: {stateDir: bridge, heartbeatMs: 50, retransmit: '127.0.0.1:" + retransmit + "'}",
                "replication: {bind: '127.0.0.1:" + replication + "', secret: drill, heartbeatMs: 100}",
                "tailer: {replicaDir: replica, featureDir: features, replicationSource: '127.0.0.1:" + replication +
                    "', rerequest: '127.0.0.1:" + retransmit + "'}",
                ""));
            final String c = config.toString();

            RoleProcesses.Role ingest = roles.start("ingest", "--config", c);
            RoleProcesses.Role replicate = roles.start("replicate", "--config", c);
            RoleProcesses.Role bridge = roles.start("bridge", "--config", c, "--inject-loss", "0.01");
            RoleProcesses.Role tailer = roles.start("tailer", "--config", c);
            awaitProgress(tailer, 500, "at start");

            kill9(ingest);
            ingest = roles.start("ingest", "--config", c);
            awaitProgress(tailer, 300, "after ingest was killed");

            kill9(bridge);
            bridge = roles.start("bridge", "--config", c, "--inject-loss", "0.01");
            awaitProgress(tailer, 300, "after the bridge was killed");

            kill9(replicate);
            replicate = roles.start("replicate", "--config", c);
            awaitProgress(tailer, 300, "after replicate was killed");

            kill9(tailer);
            tailer = roles.start("tailer", "--config", c);
            awaitProgress(tailer, 300, "after the tailer was killed");

            kill9(ingest);
            kill9(bridge);
            kill9(replicate);
            kill9(tailer);
            ingest = roles.start("ingest", "--config", c);
            replicate = roles.start("replicate", "--config", c);
            bridge = roles.start("bridge", "--config", c, "--inject-loss", "0.01");
            tailer = roles.start("tailer", "--config", c);
            awaitProgress(tailer, 300, "after all four were killed together");

            final Cli counters = Cli.run("counters", "--config", c);
            assertTrue(counters.out.contains("STALE"), "files of killed processes are shown as stale: " + counters.out);

            stopCleanly(ingest, "ingest");
            final Path journal = root.resolve("journal").resolve(PARTITION);
            final long journaled = JournalVerifier.verify(journal).records();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (delivered(tailer) < journaled && System.nanoTime() < deadline)
            {
                Thread.sleep(50);
            }
            final long delivered = delivered(tailer);
            // The replica catches up on its own (its sink reconnects to the restarted replication source).
            final Path replicaDir = root.resolve("replica").resolve(PARTITION);
            while (JournalVerifier.verify(replicaDir).records() < journaled && System.nanoTime() < deadline)
            {
                Thread.sleep(100);
            }
            final long duplicates = counter(tailer, "tailer", "tailer " + PARTITION + ": duplicates");
            stopCleanly(tailer, "tailer");
            stopCleanly(bridge, "bridge");
            stopCleanly(replicate, "replicate");

            // Each ingest restart within the day left a trace: RESTARTED, and connection ids that never repeat.
            final Cli statuses = Cli.run("dump", root.resolve("journal").resolve(PARTITION).toString(), "--limit", "10000000");
            assertEquals(2, statuses.out.lines().filter(l -> l.contains("RESTARTED")).count(), statuses.out);
            final java.util.List<String> connected = statuses.out.lines().filter(l -> l.contains(" CONNECTED ")).map(l -> l.replaceAll(".*conn=(-?\\d+).*", "$1")).toList();
            assertEquals(connected.size(), new java.util.HashSet<>(connected).size(), "connection ids never repeat in a day: " + connected);

            // The journal and its raw partition verify (complete frames, dense sequences, times in their day, books).
            final Cli verify = Cli.run("verify", root.resolve("journal").toString());
            assertEquals(0, verify.exit, verify.toString());
            // The last tailer, which recovered the day from its start, delivered every journaled record exactly once.
            assertEquals(journaled, delivered, "delivered in order, once each (duplicates dropped: " + duplicates + ")");
            // The replica holds the journal at the same positions, record for record.
            final List<byte[]> original = JournalRecords.readAll(journal);
            final List<byte[]> replica = JournalRecords.readAll(replicaDir);
            assertEquals(original.size(), replica.size(), "the replica holds every journaled record\n" + tailer.output());
            for (int i = 0; i < original.size(); i++)
            {
                assertTrue(Arrays.equals(original.get(i), replica.get(i)), "replica record " + i + " differs");
            }
            // A sanity floor: thousands of records when the machine is quiet, fewer under heavy load.
            assertTrue(journaled > 1000, "a real stream: " + journaled);

            // Features: equal to a backfill of the journal (the feature writer resumes instead of repeating the day).
            final Cli backfill = Cli.run("backfill", "--journal", root.resolve("journal").toString(), "--from-day",
                TradingDay.format(TradingDay.ofEpochNs(System.currentTimeMillis() * 1_000_000L)), "--out",
                root.resolve("backfill").toString(), "--partition", PARTITION);
            final String featureCheck = backfill.exit == 0 ? compare(JournalRecords.readAll(root.resolve("features")),
                JournalRecords.readAll(root.resolve("backfill"))) : "backfill failed: " + backfill;
            System.out.println("crash drill: " + journaled + " records journaled and delivered; features vs backfill: " + featureCheck);
            assertTrue(featureCheck.startsWith("EQUAL"), "after every restart, the feature partition equals a backfill: " +
                featureCheck);
        }
    }

    private static String compare(final List<byte[]> live, final List<byte[]> offline)
    {
        if (live.size() != offline.size())
        {
            return "DIFFERENT: live " + live.size() + " feature records, backfill " + offline.size();
        }
        for (int i = 0; i < live.size(); i++)
        {
            if (!Arrays.equals(live.get(i), offline.get(i)))
            {
                return "DIFFERENT at feature record " + i;
            }
        }
        return "EQUAL (" + live.size() + " feature records)";
    }
}
