package io.tickjournal.ops;

import io.tickjournal.journal.JournalRecords;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.StreamKind;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The venue gone for 60 s, then back, with {@code tickjournal simulate} and {@code tickjournal ingest}
 * each its own process: ingest keeps retrying within its capped back-off, reconnects within a few
 * seconds of the venue's return, journals the trades lost meanwhile as a gap of the trade stream,
 * rejoins its books, and the journal verifies.
 */
class VenueOutageDrillTest
{
    private static final int OUTAGE_S = 60;

    @TempDir
    Path dir;

    @Test
    void aVenueGoneForAMinuteIsBackWithinSecondsAndItsLossIsJournaled() throws Exception
    {
        final int port;
        try (ServerSocket s = new ServerSocket(0))
        {
            port = s.getLocalPort();
        }
        try (RoleProcesses roles = new RoleProcesses(dir))
        {
            final RoleProcesses.Role simulate = roles.start("simulate", "--venues", "binance-spot", "--port", Integer.toString(port),
                "--trades-per-second", "20");
            assertTrue(simulate.await("simulate: running", 60), simulate.output());
            final Path config = dir.resolve("tickjournal.yaml");
            Files.writeString(config, String.join("\n",
                "journal: {dir: journal}",
                "counters: {dir: counters}",
                "feeds:",
                "  - {venue: binance-spot, code: BS, group: '239.255.48.3:47613', websocket: 'ws://127.0.0.1:" + port + "',",
                "     rest: 'http://127.0.0.1:" + port + "', channels: [trade, depth],",
                "     instruments: [{id: 1, symbol: BTCUSDT, canonical: BTC-USDT, priceExponent: -2}]}",
                ""));
            final RoleProcesses.Role ingest = roles.start("ingest", "--config", config.toString());
            final Path journal = dir.resolve("journal").resolve("binance-spot");
            assertTrue(await(() -> count(statuses(journal), "RESYNCED") >= 1, 60), ingest.output());

            final OutputStream commands = simulate.process().getOutputStream();
            commands.write(("down binance-spot " + OUTAGE_S + "\n").getBytes(StandardCharsets.US_ASCII));
            commands.flush();
            final long downAt = System.nanoTime();
            assertTrue(simulate.await("simulate: down binance-spot", 10), simulate.output());
            Thread.sleep(OUTAGE_S * 1000L);
            final long backAt = System.nanoTime();
            final int connectedBefore = count(statuses(journal), "CONNECTED");
            assertTrue(await(() -> count(statuses(journal), "CONNECTED") > connectedBefore, 30), ingest.output());
            final double reconnectS = (System.nanoTime() - backAt) / 1e9;
            assertTrue(reconnectS < 8, "back within the capped back-off (5 s with jitter), not tens of seconds: " + reconnectS);
            assertTrue(await(() -> count(statuses(journal), "RESYNCED") >= 2, 30), "the book rejoined");
            assertTrue(await(() -> statuses(journal).contains("GAP_DETECTED:TRADE"), 30),
                "the trades lost while the venue was down are a gap of the trade stream: " + statuses(journal));
            assertTrue((System.nanoTime() - downAt) / 1e9 >= OUTAGE_S);

            ingest.process().destroy();
            simulate.process().destroy();
            assertEquals(0, ingest.exit(30), ingest.output());
            assertEquals(0, simulate.exit(30), simulate.output());
            final Cli verify = Cli.run("verify", dir.resolve("journal").toString());
            assertEquals(0, verify.exit, verify.toString());
        }
    }

    private static boolean await(final java.util.function.BooleanSupplier condition, final long timeoutS) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutS * 1_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            if (condition.getAsBoolean())
            {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    private static int count(final List<String> statuses, final String kind)
    {
        return (int)statuses.stream().filter(s -> s.equals(kind) || s.startsWith(kind + ":")).count();
    }

    /** Each status as KIND or KIND:STREAM (when it names a stream). */
    private static List<String> statuses(final Path partition)
    {
        final List<String> out = new ArrayList<>();
        if (!Files.isDirectory(partition))
        {
            return out;
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final VenueStatusDecoder status = new VenueStatusDecoder();
        for (final byte[] bytes : JournalRecords.readAll(partition))
        {
            final UnsafeBuffer r = new UnsafeBuffer(bytes);
            header.wrap(r, 0);
            if (header.templateId() == VenueStatusDecoder.TEMPLATE_ID)
            {
                status.wrapAndApplyHeader(r, 0, header);
                out.add(status.stream() == StreamKind.NONE ? status.status().name() : status.status() + ":" + status.stream());
            }
        }
        return out;
    }
}
