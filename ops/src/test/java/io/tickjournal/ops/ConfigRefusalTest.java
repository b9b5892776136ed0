package io.tickjournal.ops;

import io.tickjournal.journal.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Configs that used to be accepted and then misbehave are refused by {@code check-config} and by
 * every role before it starts anything, with one line naming the key, the value and the reason,
 * and exit code 2.
 */
class ConfigRefusalTest
{
    private static final String[] COMMANDS = {"check-config", "ingest", "bridge", "replicate", "tailer"};

    @TempDir
    Path root;

    private String shipped() throws Exception
    {
        return Files.readString(Fixtures.root().getParent().getParent().resolve("config/tickjournal.yaml"));
    }

    private void assertRefusedEverywhere(final String yaml, final String... expected) throws Exception
    {
        final Path file = root.resolve("bad.yaml");
        Files.writeString(file, yaml);
        for (final String command : COMMANDS)
        {
            final Cli cli = command.equals("check-config") ? Cli.run(command, file.toString()) :
                Cli.run(command, "--config", file.toString(), "--duration", "1");
            assertEquals(2, cli.exit, command + ": " + cli);
            for (final String part : expected)
            {
                assertTrue(cli.err.contains(part), command + " should say '" + part + "': " + cli.err);
            }
            assertEquals(1, cli.err.strip().lines().count(), "one line: " + cli.err);
            assertFalse(cli.err.contains("running"), command + " must not start: " + cli.err);
        }
    }

    @Test
    void theShippedConfigIsAccepted() throws Exception
    {
        Files.writeString(root.resolve("good.yaml"), shipped());
        final Cli cli = Cli.run("check-config", root.resolve("good.yaml").toString());
        assertEquals(0, cli.exit, cli.toString());
    }

    @Test
    void anEmptyFileIsRefused() throws Exception
    {
        assertRefusedEverywhere("", "(file)", "empty");
        assertRefusedEverywhere("# only a comment\n", "(file)", "empty");
    }

    @Test
    void aConfigWithNoFeedsIsRefused() throws Exception
    {
        assertRefusedEverywhere("journal: {dir: j}\n", "feeds", "no feeds");
        assertRefusedEverywhere("journal: {dir: j}\nfeeds: []\n", "feeds", "no feeds");
    }

    @Test
    void aKeyWrittenTwiceIsRefusedInsteadOfTheLastOneWinning() throws Exception
    {
        final String yaml = shipped().replace("  ttl: 0 ", "  ttl: 1\n  ttl: 0 ");
        assertRefusedEverywhere(yaml, "'ttl'", "line ", "key written twice");
    }

    @Test
    void aGroupThatIsNotMulticastIsRefused() throws Exception
    {
        assertRefusedEverywhere(shipped().replace("group: 239.255.10.2:40002", "group: 10.1.2.3:40002"),
            "feeds[1].group = '10.1.2.3:40002'", "not a multicast group");
    }

    @Test
    void anInterfaceThisHostDoesNotHaveIsRefused() throws Exception
    {
        assertRefusedEverywhere(shipped().replace("  interface: lo                 # interface multicast", "  interface: nosuch0 # x"),
            "bridge.interface = 'nosuch0'", "no such network interface");
        assertRefusedEverywhere(shipped().replace("  interface: lo                 # interface to join", "  interface: nosuch1 # x"),
            "tailer.interface = 'nosuch1'", "no such network interface");
    }

    @Test
    void twoFeedsOnOneGroupAndPortWithTheSameCodeAreRefused() throws Exception
    {
        assertRefusedEverywhere(shipped().replace("group: 239.255.10.2:40002", "group: 239.255.10.1:40001").replace("code: BU", "code: BS"),
            "feeds[1].code = 'BS'", "same group and port 239.255.10.1:40001");
    }

    @Test
    void aDuplicateInstrumentIdIsRefused() throws Exception
    {
        assertRefusedEverywhere(shipped().replace("{id: 2, symbol: ETHUSDT, canonical: ETH-USDT, priceExponent: -2, sizeExponent: -8}",
            "{id: 1, symbol: ETHUSDT, canonical: ETH-USDT, priceExponent: -2, sizeExponent: -8}"),
            "feeds[0].instruments[1].id = '1'", "used by two instruments");
    }
}
