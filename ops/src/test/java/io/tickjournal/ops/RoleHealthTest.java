package io.tickjournal.ops;

import io.tickjournal.ops.config.TickJournalConfig;
import io.tickjournal.ops.roles.RoleCounters;
import io.tickjournal.ops.roles.RoleHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A role that stops doing its job (a server that stopped serving) ends its process with one line and exit 2. */
class RoleHealthTest
{
    @TempDir
    Path dir;

    @Test
    void aRoleThatStopsServingEndsItsProcessWithOneLineAndExitTwo() throws Exception
    {
        Files.writeString(dir.resolve("tj.yaml"), String.join("\n",
            "journal: {dir: journal}",
            "counters: {dir: counters}",
            "feeds:",
            "  - {venue: binance-spot, code: BS, group: '239.255.45.1:47500', websocket: 'ws://127.0.0.1:1', rest: 'http://127.0.0.1:1',",
            "     instruments: [{id: 1, symbol: BTCUSDT, canonical: BTC-USDT, priceExponent: -2, sizeExponent: -8}]}",
            ""));
        final AtomicBoolean closed = new AtomicBoolean();
        final long started = System.nanoTime();
        final RoleCommands.RoleCommand command = new RoleCommands.RoleCommand()
        {
            @Override
            AutoCloseable start(final TickJournalConfig config, final RoleCounters counters)
            {
                return new Failing(closed, started);
            }

            @Override
            String roleName()
            {
                return "replicate";
            }
        };
        command.config = dir.resolve("tj.yaml");
        final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        final java.io.PrintStream old = System.err;
        final int exit;
        try (java.io.PrintStream capture = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8))
        {
            System.setErr(capture);
            exit = command.call();
        }
        finally
        {
            System.setErr(old);
        }
        final String said = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(2, exit, said);
        assertTrue(said.contains("replicate: the source stopped serving; stopping (exit 2)"), said);
        assertTrue(closed.get(), "the role was closed on the way out");
    }

    /** Works for a second, then says it no longer serves. */
    private record Failing(AtomicBoolean closed, long startedNs) implements AutoCloseable, RoleHealth
    {
        @Override
        public String failure()
        {
            return System.nanoTime() - startedNs > 1_000_000_000L ? "the source stopped serving" : null;
        }

        @Override
        public void close()
        {
            closed.set(true);
        }
    }
}
