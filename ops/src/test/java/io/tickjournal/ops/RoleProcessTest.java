package io.tickjournal.ops;

import io.tickjournal.journal.Tmpfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each role as its own process, as production runs them: a role that cannot do its job says why
 * in one line and exits 2; a second writer of a journal is refused naming the first; a SIGTERM stop
 * exits 0; each role logs under its own name; counters and errors are read from another process.
 */
class RoleProcessTest
{
    @TempDir
    Path root;

    private RoleProcesses roles;

    @BeforeEach
    void start()
    {
        roles = new RoleProcesses(root);
    }

    @AfterEach
    void stop() throws Exception
    {
        roles.close();
    }

    private static int freePort() throws Exception
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    private Path config(final String journal, final String stateDir, final String replicaDir, final int replicationPort,
        final int retransmitPort) throws Exception
    {
        final int group = 47_000 + (int)(ProcessHandle.current().pid() % 1000);
        final Path file = root.resolve("tj-" + replicationPort + ".yaml");
        Files.writeString(file, String.join("\n",
            "journal: {dir: " + journal + "}",
            "counters: {dir: " + root.resolve("counters") + "}",
            "feeds:",
            "  - {venue: binance-spot, code: BS, group: '239.255.46.1:" + group + "', websocket: 'ws://127.0.0.1:1', " +
                "rest: 'http://127.0.0.1:1', instruments: [{id: 1, symbol: BTCUSDT}]}",
            "bridge: {stateDir: " + stateDir + ", retransmit: '127.0.0.1:" + retransmitPort + "'}",
            "replication: {bind: '127.0.0.1:" + replicationPort + "'}",
            "tailer: {replicaDir: " + replicaDir + ", replicationSource: '127.0.0.1:" + replicationPort + "', rerequest: '127.0.0.1:" +
                retransmitPort + "', featureDir: ''}",
            ""));
        return file;
    }

    private static void assertOneLineRefusal(final RoleProcesses.Role role, final String... expected) throws Exception
    {
        assertEquals(2, role.exit(60), role.output());
        final String said = role.said().strip();
        assertEquals(1, said.lines().count(), "one line, no stack trace: " + role.output());
        for (final String part : expected)
        {
            assertTrue(said.contains(part), "should say '" + part + "': " + said);
        }
        assertFalse(role.output().contains("\tat "), role.output());
    }

    @Test
    void aSecondIngestIsRefusedNamingTheFirstAndASigtermStopExitsZero() throws Exception
    {
        final Path config = config("journal", "bridge", "replica", freePort(), freePort());
        final RoleProcesses.Role first = roles.start("ingest", "--config", config.toString());
        assertTrue(first.await("ingest running", 60), first.output());

        final RoleProcesses.Role second = roles.start("ingest", "--config", config.toString());
        assertOneLineRefusal(second, "ingest: ", "binance-spot", "already has a writer: pid=" + first.process().pid(), "host=", "since=");

        final Cli counters = Cli.run("counters", "--config", config.toString());
        assertEquals(0, counters.exit, counters.toString());
        assertTrue(counters.out.contains("ingest pid " + first.process().pid()), counters.out);
        assertTrue(counters.out.contains("ingest binance-spot: connects"), counters.out);
        assertFalse(counters.out.contains("ingest pid " + second.process().pid()), "the refused process leaves no counters file");

        first.process().destroy();
        assertEquals(0, first.exit(60), "a clean SIGTERM stop exits 0: " + first.output());
        assertTrue(first.output().contains("ingest stopped cleanly"), first.output());
    }

    @Test
    void aPortInUseFailsTheRoleFastWithOneLine() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            final int port = taken.getLocalPort();
            final RoleProcesses.Role replicate = roles.start("replicate", "--config",
                config("journal", "bridge", "replica", port, freePort()).toString());
            assertOneLineRefusal(replicate, "replicate: ", "cannot bind replication source to /127.0.0.1:" + port, "Address already in use");
        }
    }

    @Test
    void aReadOnlyStateDirectoryOrJournalFailsTheRoleFastWithOneLine() throws Exception
    {
        final Tmpfs tmpfs = Tmpfs.mount(root.resolve("ro"), 4);
        assumeTrue(tmpfs != null, "this machine does not let the test mount a tmpfs: " + Tmpfs.whyNot);
        try (tmpfs)
        {
            Files.createDirectories(tmpfs.dir().resolve("journal/binance-spot"));
            Files.createDirectories(tmpfs.dir().resolve("bridge"));
            assumeTrue(tmpfs.remountReadOnly(), "cannot remount the test's tmpfs read-only");
            final String ro = tmpfs.dir().toString();

            final RoleProcesses.Role bridge = roles.start("bridge", "--config",
                config("journal", ro + "/bridge", "replica", freePort(), freePort()).toString());
            final RoleProcesses.Role ingest = roles.start("ingest", "--config",
                config(ro + "/journal", "bridge", "replica", freePort(), freePort()).toString());
            final RoleProcesses.Role tailer = roles.start("tailer", "--config",
                config("journal", "bridge", ro + "/replica", freePort(), freePort()).toString());
            assertOneLineRefusal(bridge, "bridge: ", "bridge.stateDir " + ro + "/bridge cannot be written", "Read-only file system");
            assertOneLineRefusal(ingest, "ingest: ", "binance-spot", "cannot be written", "Read-only file system");
            assertOneLineRefusal(tailer, "tailer: ", ro + "/replica", "Read-only file system");
        }
    }

    @Test
    void theReplicateRoleLogsUnderItsOwnNameAndItsErrorsAndCountersAreReadFromAnotherProcess() throws Exception
    {
        final int port = freePort();
        final Path config = config("journal", "bridge", "replica", port, freePort());
        final RoleProcesses.Role replicate = roles.start("replicate", "--config", config.toString());
        assertTrue(replicate.await("replicate running", 60), replicate.output());
        try (Socket socket = new Socket("127.0.0.1", port); OutputStream out = socket.getOutputStream())
        {
            out.write(new byte[64]);
            out.flush();
            assertTrue(replicate.await("replication hello", 30), replicate.output());
        }
        assertTrue(replicate.said().contains("replicate: replication hello from"), replicate.output());
        assertFalse(replicate.said().contains("bridge:"), "the replicate role logs as replicate: " + replicate.output());

        final Cli errors = Cli.run("errors", "--config", config.toString());
        assertEquals(0, errors.exit, errors.toString());
        assertTrue(errors.out.contains("replicate pid " + replicate.process().pid() + ": 1 distinct error(s)"), errors.out);
        assertTrue(errors.out.contains("1 observation(s)") && errors.out.contains("replication hello from"), errors.out);

        // The role's own counters are mirrored into the file on its thread every few milliseconds: read until they show.
        Cli counters = Cli.run("counters", "--config", config.toString());
        Matcher refused = Pattern.compile("\\s+(\\d+)\\s+replicate: clients refused").matcher(counters.out);
        Matcher errorCount = Pattern.compile("\\s+(\\d+)\\s+replicate: errors").matcher(counters.out);
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!(refused.find() && errorCount.find() && "1".equals(refused.group(1))) && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
            counters = Cli.run("counters", "--config", config.toString());
            refused = Pattern.compile("\\s+(\\d+)\\s+replicate: clients refused").matcher(counters.out);
            errorCount = Pattern.compile("\\s+(\\d+)\\s+replicate: errors").matcher(counters.out);
        }
        refused.reset();
        errorCount.reset();
        assertTrue(refused.find() && errorCount.find(), counters.out);
        assertEquals("1", refused.group(1), counters.out);
        assertEquals("1", errorCount.group(1), counters.out);

        replicate.process().destroy();
        assertEquals(0, replicate.exit(60), replicate.output());
        assertTrue(replicate.output().contains("replicate stopped cleanly"), replicate.output());
    }
}
