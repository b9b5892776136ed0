package io.tickjournal.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one {@code tickjournal} command: every role and tool is a subcommand.
 */
@Command(
    name = "tickjournal",
    mixinStandardHelpOptions = true,
    version = "tickjournal 0.1.0",
    description = "Persisted crypto tick journal with MoldUDP64 multicast fan-out.",
    subcommands = {
        RoundTripCommand.class,
        VerifyCommand.class,
        DumpCommand.class,
        BenchCommand.class,
        DemoCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class TickJournal implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /**
     * Entry point.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        final int exitCode = new CommandLine(new TickJournal()).execute(args);
        System.exit(exitCode);
    }
}
