package io.tickjournal.ops;

import io.tickjournal.journal.JournalRecords;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.ops.config.TickJournalConfig;
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
 * A tailer stopped mid-day and started again (it replays the day from its start) leaves a feature
 * partition equal to a backfill of the day: nothing written twice, nothing missing.
 */
class TailerRestartTest
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
    void aTailerRestartedMidDayWritesTheFeaturePartitionABackfillWrites() throws Exception
    {
        final long now = System.currentTimeMillis() * 1_000_000L;
        final int today = TradingDay.ofEpochNs(now);
        final long start = Math.max(TradingDay.startNs(today) + 1_000_000_000L, now - 60_000_000_000L);
        final Path journal = root.resolve("journal/binance-spot");
        final long first = TestJournals.write(journal, Venues.BINANCE_SPOT, 1, "BTCUSDT", start, 3_000, 9);
        final String yaml = String.join("\n",
            "journal: {dir: journal}",
            "feeds:",
            "  - {venue: binance-spot, code: BS, group: '239.255.43.9:" + freePort() + "', websocket: 'ws://127.0.0.1:1', " +
                "rest: 'http://127.0.0.1:1',",
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
            true));

        runUntilDelivered(config, first);
        // the day goes on while the tailer is down: more records, a second snapshot among them
        final long second = TestJournals.write(journal, Venues.BINANCE_SPOT, 1, "BTCUSDT", start + 4_000_000_000L, 2_000, 10);
        runUntilDelivered(config, first + second);

        final Cli backfill = Cli.run("backfill", "--journal", root.resolve("journal").toString(), "--from-day",
            TradingDay.format(today), "--out", root.resolve("backfill").toString());
        assertEquals(0, backfill.exit, backfill.toString());
        final List<byte[]> live = JournalRecords.readAll(root.resolve("features"));
        final List<byte[]> offline = JournalRecords.readAll(root.resolve("backfill"));
        assertTrue(offline.size() > 3_000, "backfill features: " + offline.size());
        assertEquals(offline.size(), live.size(), "feature records of the restarted tailer against the backfill");
        for (int i = 0; i < live.size(); i++)
        {
            assertTrue(Arrays.equals(live.get(i), offline.get(i)), "feature record " + i + " differs");
        }
    }

    private static void runUntilDelivered(final TickJournalConfig config, final long records) throws Exception
    {
        try (ReplicateRole replicate = new ReplicateRole(config, s -> { });
            TailerRole tailer = new TailerRole(config, List.of(), s -> { }))
        {
            final long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline && tailer.delivered() < records)
            {
                Thread.sleep(20);
            }
            assertEquals(records, tailer.delivered(), "records the tailer delivered to its engine; replication clients " +
                replicate.source().clientCount());
            Thread.sleep(100);
        }
    }
}
