package io.tickjournal.ops;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a tickjournal subcommand in-process and captures what it prints. */
final class Cli
{
    final int exit;
    final String out;
    final String err;

    private Cli(final int exit, final String out, final String err)
    {
        this.exit = exit;
        this.out = out;
        this.err = err;
    }

    static synchronized Cli run(final String... args)
    {
        final PrintStream oldOut = System.out;
        final PrintStream oldErr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            System.setOut(o);
            System.setErr(e);
            final CommandLine line = TickJournal.commandLine();
            line.setOut(new java.io.PrintWriter(o, true));
            line.setErr(new java.io.PrintWriter(e, true));
            final int exit = line.execute(args);
            return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Override
    public String toString()
    {
        return "exit " + exit + "\n--- out\n" + out + "\n--- err\n" + err;
    }
}
