package io.tickjournal.ops;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.JournalRecords;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two hosts: the test makes two network namespaces joined by a veth pair. The feeder host runs
 * the {@code bridge} (with injected loss) and {@code replicate} roles as separate processes; the
 * pricing host runs the {@code tailer} role, receiving multicast over the veth link (TTL 1, inside
 * the test's own namespaces only) and repairing from the feeder. Its feature partition must equal
 * a backfill of the feeder's journal record for record.
 */
class TwoHostNamespaceTest
{
    @TempDir
    Path root;

    private final String id = Long.toString(ProcessHandle.current().pid() % 10_000);
    private final String feeder = "tjf" + id;
    private final String pricing = "tjp" + id;
    private final String feederLink = "tjfv" + id;
    private final String pricingLink = "tjpv" + id;
    private final List<Process> processes = new ArrayList<>();

    private static int run(final String... command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @AfterEach
    void cleanUp() throws Exception
    {
        for (final Process p : processes)
        {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
            }
        }
        run("ip", "netns", "del", feeder);
        run("ip", "netns", "del", pricing);
    }

    private boolean makeHosts() throws Exception
    {
        if (run("ip", "netns", "add", feeder) != 0)
        {
            return false;
        }
        final int third = (int)(ProcessHandle.current().pid() % 250) + 1;
        final String[][] steps = {
            {"ip", "netns", "add", pricing},
            {"ip", "link", "add", feederLink, "netns", feeder, "type", "veth", "peer", "name", pricingLink, "netns", pricing},
            {"ip", "-n", feeder, "addr", "add", "10.77." + third + ".1/24", "dev", feederLink},
            {"ip", "-n", pricing, "addr", "add", "10.77." + third + ".2/24", "dev", pricingLink},
            {"ip", "-n", feeder, "link", "set", "lo", "up"},
            {"ip", "-n", pricing, "link", "set", "lo", "up"},
            {"ip", "-n", feeder, "link", "set", feederLink, "up"},
            {"ip", "-n", pricing, "link", "set", pricingLink, "up"},
            {"ip", "-n", feeder, "route", "add", "239.0.0.0/8", "dev", feederLink},
            {"ip", "-n", pricing, "route", "add", "239.0.0.0/8", "dev", pricingLink},
        };
        for (final String[] step : steps)
        {
            if (run(step) != 0)
            {
                throw new IllegalStateException("could not set up the namespaces: " + String.join(" ", step));
            }
        }
        return true;
    }

    private Process role(final String namespace, final Path log, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("-D") || arg.startsWith("-X"))
            {
                command.add(arg);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TickJournal.class.getName()));
        command.addAll(Arrays.asList(args));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    private static long count(final Path partition)
    {
        if (!io.tickjournal.journal.Partition.hasCycleFiles(partition))
        {
            return 0;
        }
        long n = 0;
        try (JournalTailer tailer = JournalTailer.open(partition, null))
        {
            while (tailer.readOne((d, s, b, o, l) -> { }))
            {
                n++;
            }
        }
        return n;
    }

    @Test
    void aTailerOnAnotherHostRepairsLossAndComputesTheSameFeaturesAsABackfill() throws Exception
    {
        assumeTrue(new File("/usr/sbin/ip").exists() || new File("/sbin/ip").exists(), "iproute2 is not installed");
        assumeTrue(makeHosts(), "this machine does not allow creating network namespaces");
        final int third = (int)(ProcessHandle.current().pid() % 250) + 1;
        final String feederAddress = "10.77." + third + ".1";

        final long now = System.currentTimeMillis() * 1_000_000L;
        final int today = TradingDay.ofEpochNs(now);
        final long start = Math.max(TradingDay.startNs(today) + 1_000_000_000L, now - 60_000_000_000L);
        final long written = TestJournals.write(root.resolve("journal/binance-spot"), Venues.BINANCE_SPOT, 1, "BTCUSDT", start, 20_000, 4);

        final String common = String.join("\n",
            "journal: {dir: journal}",
            "feeds:",
            "  - {venue: binance-spot, code: BS, group: '239.255.45.1:47500', websocket: 'ws://127.0.0.1:1', rest: 'http://127.0.0.1:1',",
            "     instruments: [{id: 1, symbol: BTCUSDT}]}",
            "replication: {bind: '" + feederAddress + ":47501', secret: twohosts}",
            "");
        Files.writeString(root.resolve("feeder.yaml"), common +
            "bridge: {stateDir: bridge, interface: " + feederLink + ", ttl: 1, heartbeatMs: 50, retransmit: '" + feederAddress + ":47502'}\n");
        Files.writeString(root.resolve("pricing.yaml"), common +
            "bridge: {retransmit: '" + feederAddress + ":47502'}\n" +
            "tailer: {replicaDir: replica, featureDir: features, interface: " + pricingLink + ", replicationSource: '" +
            feederAddress + ":47501', rerequest: '" + feederAddress + ":47502'}\n");

        role(feeder, root.resolve("replicate.log"), "replicate", "--config", root.resolve("feeder.yaml").toString());
        final Process tailer = role(pricing, root.resolve("tailer.log"), "tailer", "--config", root.resolve("pricing.yaml").toString());
        Thread.sleep(1500);
        role(feeder, root.resolve("bridge.log"), "bridge", "--config", root.resolve("feeder.yaml").toString(), "--inject-loss", "0.02");

        // The tailer emits a feature set for every record after the snapshot.
        final Path features = root.resolve("features");
        final long deadline = System.nanoTime() + 90_000_000_000L;
        long seen = 0;
        while (System.nanoTime() < deadline && tailer.isAlive())
        {
            seen = count(features);
            if (seen >= written - 2)
            {
                break;
            }
            Thread.sleep(200);
        }
        Thread.sleep(500);
        final String logs = Files.readString(root.resolve("tailer.log")) + Files.readString(root.resolve("bridge.log"));
        assertTrue(seen >= written - 2, "features " + seen + " of " + (written - 2) + "\n" + logs);
        tailer.destroy();
        assertTrue(tailer.waitFor(20, TimeUnit.SECONDS), "the tailer stops on SIGTERM");
        final String tailerLog = Files.readString(root.resolve("tailer.log"));
        assertTrue(tailerLog.contains("tailer stopped cleanly"), logs);
        final java.util.regex.Matcher gaps = java.util.regex.Pattern.compile(" gaps=(\\d+) repairs=(\\d+)").matcher(tailerLog);
        assertTrue(gaps.find(), tailerLog);
        assertTrue(Long.parseLong(gaps.group(1)) > 0 && gaps.group(1).equals(gaps.group(2)),
            "the injected loss made gaps, and every one was repaired: " + tailerLog);
        assertEquals(written, count(root.resolve("replica/binance-spot")), "the replica holds the day at the same positions");

        final Cli backfill = Cli.run("backfill", "--journal", root.resolve("journal").toString(), "--from-day",
            TradingDay.format(today), "--out", root.resolve("backfill").toString());
        assertEquals(0, backfill.exit, backfill.toString());
        final List<byte[]> live = JournalRecords.readAll(features);
        final List<byte[]> offline = JournalRecords.readAll(root.resolve("backfill"));
        assertEquals(offline.size(), live.size());
        for (int i = 0; i < live.size(); i++)
        {
            assertTrue(Arrays.equals(live.get(i), offline.get(i)), "feature record " + i + " differs");
        }
    }
}
