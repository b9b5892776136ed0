package io.tickjournal.ops;

import io.tickjournal.ingest.sim.BinanceSimulator;
import io.tickjournal.journal.JournalVerifier;
import io.tickjournal.journal.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The journal's disk fills under a running ingest process (a 20 MiB tmpfs the test mounts, most of
 * it taken by a filler file): ingest stops appending before the disk is full and says so in its log,
 * its counters and its journal, stays alive (it used to die of SIGBUS), resumes when space returns,
 * and the journal verifies with no torn record.
 */
class DiskFullDrillTest
{
    @TempDir
    Path root;

    @Test
    void ingestPausesBeforeTheDiskIsFullAndResumesWhenSpaceReturns() throws Exception
    {
        final Tmpfs tmpfs = Tmpfs.mount(root.resolve("disk"), 20);
        assumeTrue(tmpfs != null, "this machine does not let the test mount a tmpfs: " + Tmpfs.whyNot);
        try (tmpfs;
            BinanceSimulator venue = new BinanceSimulator(BinanceSimulator.Options.defaults(false).withTradesPerSecond(1000), 0);
            RoleProcesses roles = new RoleProcesses(root))
        {
            final Path config = root.resolve("tj.yaml");
            Files.writeString(config, String.join("\n",
                "journal: {dir: " + tmpfs.dir().resolve("journal") + "}",
                "counters: {dir: counters}",
                "feeds:",
                "  - {venue: binance-spot, code: BS, group: '239.255.48.1:48999', websocket: '" + venue.webSocketUri() +
                    "', rest: '" + venue.restUri() + "', channels: [trade, depth], instruments: [{id: 1, symbol: BTCUSDT, " +
                    "priceExponent: -2}, {id: 2, symbol: ETHUSDT, priceExponent: -2}]}",
                ""));
            final Path filler = tmpfs.fill("filler", 15L << 20);
            final RoleProcesses.Role ingest = roles.start("ingest", "--config", config.toString());
            assertTrue(ingest.await("journal paused: ", 90), "the disk fills within seconds at 2,000 trades/s: " + ingest.output());
            assertTrue(ingest.process().isAlive(), ingest.output());
            // The feed's counters are mirrored into the file on its own thread a few times a second: read until they show.
            Cli counters = Cli.run("counters", "--config", config.toString());
            final long shownBy = System.nanoTime() + 10_000_000_000L;
            while (!counters.out.matches("(?s).*\\s1\\s+ingest binance-spot: journal paused.*") && System.nanoTime() < shownBy)
            {
                Thread.sleep(50);
                counters = Cli.run("counters", "--config", config.toString());
            }
            assertTrue(counters.out.matches("(?s).*\\s1\\s+ingest binance-spot: journal paused.*"), counters.out);

            Files.delete(filler);
            assertTrue(ingest.await("journal resumed: ", 60), ingest.output());
            final Path journal = tmpfs.dir().resolve("journal/binance-spot");
            final long deadline = System.nanoTime() + 60_000_000_000L;
            while (resyncedAfterResume(journal) < 2 && System.nanoTime() < deadline)
            {
                Thread.sleep(200);
            }
            assertEquals(2, resyncedAfterResume(journal), "both books rejoin from a fresh snapshot after the resume");
            ingest.process().destroy();
            assertEquals(0, ingest.exit(60), ingest.output());

            final JournalVerifier.Report report = JournalVerifier.verify(tmpfs.dir().resolve("journal/binance-spot"));
            assertTrue(report.ok(), report.problems().toString());
            assertTrue(JournalVerifier.verify(tmpfs.dir().resolve("journal/binance-spot.raw")).ok());
            final Cli audit = Cli.run("audit", "--journal", tmpfs.dir().resolve("journal").toString(), "records", "--type",
                "venue-status", "--format", "jsonl", "--limit", "1000");
            assertEquals(0, audit.exit, audit.toString());
            final int paused = audit.out.indexOf("JOURNAL_PAUSED");
            final int resumed = audit.out.indexOf("JOURNAL_RESUMED");
            assertTrue(paused >= 0 && resumed > paused, "paused, then resumed, in the journal: " + audit.out);
        }
    }

    /** RESYNCED statuses journaled after the (first) JOURNAL_RESUMED. */
    private static int resyncedAfterResume(final Path partition)
    {
        final io.tickjournal.journal.sbe.MessageHeaderDecoder header = new io.tickjournal.journal.sbe.MessageHeaderDecoder();
        final io.tickjournal.journal.sbe.VenueStatusDecoder status = new io.tickjournal.journal.sbe.VenueStatusDecoder();
        boolean resumed = false;
        final java.util.Set<Integer> instruments = new java.util.HashSet<>();
        for (final byte[] bytes : io.tickjournal.journal.JournalRecords.readAll(partition))
        {
            final org.agrona.concurrent.UnsafeBuffer r = new org.agrona.concurrent.UnsafeBuffer(bytes);
            header.wrap(r, 0);
            if (header.templateId() != io.tickjournal.journal.sbe.VenueStatusDecoder.TEMPLATE_ID)
            {
                continue;
            }
            status.wrapAndApplyHeader(r, 0, header);
            resumed |= status.status() == io.tickjournal.journal.sbe.VenueStatusKind.JOURNAL_RESUMED;
            if (resumed && status.status() == io.tickjournal.journal.sbe.VenueStatusKind.RESYNCED)
            {
                instruments.add(status.instrumentId());
            }
        }
        return instruments.size();
    }
}
