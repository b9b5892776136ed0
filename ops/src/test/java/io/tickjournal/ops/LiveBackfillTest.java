package io.tickjournal.ops;

import io.tickjournal.bridge.LossySink;
import io.tickjournal.journal.JournalRecords;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.ops.config.TickJournalConfig;
import io.tickjournal.ops.roles.BridgeRole;
import io.tickjournal.ops.roles.ReplicateRole;
import io.tickjournal.ops.roles.TailerRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live roles (replication, a lossy bridge, the tailer journaling its features) over loopback,
 * then {@code backfill} over the same journal: the feature partitions are equal record for record.
 */
class LiveBackfillTest
{
    @TempDir
    Path root;

    private static int freePort() throws Exception
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    @Test
    void backfillEqualsTheFeaturesTheLiveTailerComputed() throws Exception
    {
        run(false);
    }

    @Test
    void aTailerRunningFromTheReplicaAloneComputesTheSameFeatures() throws Exception
    {
        run(true);
    }

    private void run(final boolean fromReplica) throws Exception
    {
        final long now = System.currentTimeMillis() * 1_000_000L;
        final int today = TradingDay.ofEpochNs(now);
        final long start = Math.max(TradingDay.startNs(today) + 1_000_000_000L, now - 60_000_000_000L);
        final long written = TestJournals.write(root.resolve("journal/binance-spot"), Venues.BINANCE_SPOT, 1, "BTCUSDT", start, 4_000, 9);
        final int port = 47_000 + (int)(ProcessHandle.current().pid() % 1000);
        final String yaml = String.join("\n",
            "journal: {dir: journal}",
            "feeds:",
            "  - {venue: binance-spot, code: BS, group: '239.255.43.9:" + port + "', websocket: 'ws://127.0.0.1:1', rest: 'http://127.0.0.1:1',",
            "     instruments: [{id: 1, symbol: BTCUSDT}]}",
            "bridge: {stateDir: bridge, heartbeatMs: 20, retransmit: '127.0.0.1:" + freePort() + "'}",
            "replication: {bind: '127.0.0.1:" + freePort() + "', secret: t}",
            "tailer: {replicaDir: replica, featureDir: features}",
            "");
        Files.writeString(root.resolve("tj.yaml"), yaml);
        final TickJournalConfig parsed = TickJournalConfig.load(root.resolve("tj.yaml"));
        final TickJournalConfig config = new TickJournalConfig(parsed.journalDir(), parsed.feeds(), parsed.bridge(),
            parsed.replication(), new TickJournalConfig.Tailer(parsed.tailer().replicaDir(), parsed.replication().bind(),
            parsed.bridge().retransmit(), "lo", true, parsed.tailer().windowsMs(), 5, parsed.tailer().featureDir(), "backoff", -1,
            fromReplica));

        final long delivered;
        final String counters;
        try (ReplicateRole replicate = new ReplicateRole(config, s -> { });
            BridgeRole bridge = new BridgeRole(config, LossySink.factory(0.01, 3), s -> { });
            TailerRole tailer = new TailerRole(config, List.of(), s -> { }))
        {
            final long deadline = System.nanoTime() + 60_000_000_000L;
            long seen = 0;
            while (System.nanoTime() < deadline)
            {
                seen = tailer.delivered();
                if (seen >= written)
                {
                    break;
                }
                Thread.sleep(20);
            }
            delivered = seen;
            counters = (fromReplica ? "replica tail" : tailer.receiver().sequencers().get(0).counters().toString()) + " bridge " +
                bridge.bridge().counters().packetsSent() + " packets, replication clients " + replicate.source().clientCount();
            Thread.sleep(200);
        }
        assertEquals(written, delivered, counters);

        final Cli backfill = Cli.run("backfill", "--journal", root.resolve("journal").toString(), "--from-day",
            TradingDay.format(today), "--out", root.resolve("backfill").toString(), "--csv", root.resolve("backfill.csv").toString());
        assertEquals(0, backfill.exit, backfill.toString());
        final List<byte[]> live = JournalRecords.readAll(root.resolve("features"));
        final List<byte[]> offline = JournalRecords.readAll(root.resolve("backfill"));
        assertTrue(live.size() > 1000, "live features: " + live.size());
        assertEquals(live.size(), offline.size());
        for (int i = 0; i < live.size(); i++)
        {
            assertTrue(Arrays.equals(live.get(i), offline.get(i)), "feature record " + i + " differs");
        }
        assertEquals(live.size() + 1, Files.readAllLines(root.resolve("backfill.csv")).size(), "CSV: header + one row per feature set");
    }
}
