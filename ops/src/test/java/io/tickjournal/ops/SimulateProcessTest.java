package io.tickjournal.ops;

import io.tickjournal.journal.JournalRecords;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.StreamKind;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tickjournal simulate} as its own process, with {@code tickjournal ingest} as another, as
 * an operator drills them: a fault typed on the simulator's standard input reaches the journal as
 * a book gap of that venue and instrument only, and both stop cleanly on SIGTERM.
 */
class SimulateProcessTest
{
    @TempDir
    Path dir;

    private static int freePorts(final int n) throws Exception
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            final int base;
            try (ServerSocket s = new ServerSocket(0))
            {
                base = s.getLocalPort();
            }
            boolean free = base + n < 65_000;
            for (int i = 1; i < n && free; i++)
            {
                try (ServerSocket s = new ServerSocket(base + i))
                {
                    free = s.getLocalPort() == base + i;
                }
                catch (final java.io.IOException ex)
                {
                    free = false;
                }
            }
            if (free)
            {
                return base;
            }
        }
        throw new IllegalStateException("no free ports");
    }

    @Test
    void aFaultTypedOnTheSimulatorsInputReachesTheJournalOfThatVenueOnly() throws Exception
    {
        final int port = freePorts(2);
        try (RoleProcesses roles = new RoleProcesses(dir))
        {
            final RoleProcesses.Role simulate = roles.start("simulate", "--venues", "bybit-spot,okx-spot", "--port",
                Integer.toString(port), "--trades-per-second", "100");
            assertTrue(simulate.await("simulate: running", 60), simulate.output());
            assertTrue(simulate.said().contains("bybit-spot    websocket ws://127.0.0.1:" + port), simulate.said());

            final Path config = dir.resolve("tickjournal.yaml");
            Files.writeString(config, String.join("\n",
                "journal: {dir: journal}",
                "counters: {dir: counters}",
                "feeds:",
                "  - {venue: bybit-spot, code: YS, group: '239.255.48.1:47611', websocket: 'ws://127.0.0.1:" + port + "',",
                "     rest: 'http://127.0.0.1:" + port + "', channels: [trade, depth],",
                "     instruments: [{id: 1, symbol: BTCUSDT, canonical: BTC-USDT, priceExponent: -2}, " +
                    "{id: 2, symbol: ETHUSDT, canonical: ETH-USDT, priceExponent: -2}]}",
                "  - {venue: okx-spot, code: OS, group: '239.255.48.2:47612', websocket: 'ws://127.0.0.1:" + (port + 1) + "',",
                "     rest: 'http://127.0.0.1:" + (port + 1) + "', channels: [trade, depth],",
                "     instruments: [{id: 1, symbol: BTC-USDT, canonical: BTC-USDT, priceExponent: -2}, " +
                    "{id: 2, symbol: ETH-USDT, canonical: ETH-USDT, priceExponent: -2}]}",
                ""));
            final RoleProcesses.Role ingest = roles.start("ingest", "--config", config.toString());
            final Path okx = dir.resolve("journal").resolve("okx-spot");
            assertTrue(awaitStatus(okx, VenueStatusKind.RESYNCED, 2, 60), "both OKX books joined\n" + ingest.output());

            final OutputStream commands = simulate.process().getOutputStream();
            commands.write("gap okx-spot ETH-USDT\n".getBytes(StandardCharsets.US_ASCII));
            commands.flush();
            assertTrue(simulate.await("simulate: gap okx-spot ETH-USDT", 10), simulate.output());
            assertTrue(awaitStatus(okx, VenueStatusKind.RESYNCED, 3, 60), "the ETH book resynced\n" + ingest.output());

            ingest.process().destroy();
            simulate.process().destroy();
            assertEquals(0, ingest.exit(30), ingest.output());
            assertEquals(0, simulate.exit(30), simulate.output());
            assertTrue(simulate.said().contains("simulate: stopped cleanly"), simulate.said());
            assertEquals(1, count(okx, VenueStatusKind.GAP_DETECTED, 2), "a BOOK gap of ETH-USDT at OKX");
            assertEquals(0, count(okx, VenueStatusKind.GAP_DETECTED, 1), "BTC-USDT was not touched");
            assertEquals(0, count(dir.resolve("journal").resolve("bybit-spot"), VenueStatusKind.GAP_DETECTED, 0),
                "nor the other venue");
            final Cli verify = Cli.run("verify", dir.resolve("journal").toString());
            assertEquals(0, verify.exit, verify.toString());
        }
    }

    private static boolean awaitStatus(final Path partition, final VenueStatusKind kind, final int atLeast, final long timeoutS)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutS * 1_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            if (Files.isDirectory(partition) && count(partition, kind, 0) >= atLeast)
            {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** Book statuses of a kind, for one instrument id, or any when 0. */
    private static int count(final Path partition, final VenueStatusKind kind, final int instrumentId)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final VenueStatusDecoder status = new VenueStatusDecoder();
        int n = 0;
        for (final byte[] bytes : JournalRecords.readAll(partition))
        {
            final UnsafeBuffer r = new UnsafeBuffer(bytes);
            header.wrap(r, 0);
            if (header.templateId() == VenueStatusDecoder.TEMPLATE_ID)
            {
                status.wrapAndApplyHeader(r, 0, header);
                if (status.status() == kind && (kind != VenueStatusKind.GAP_DETECTED || status.stream() == StreamKind.BOOK) &&
                    (instrumentId == 0 || status.instrumentId() == instrumentId))
                {
                    n++;
                }
            }
        }
        return n;
    }
}
