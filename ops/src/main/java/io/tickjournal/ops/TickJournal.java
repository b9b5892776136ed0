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
        ReplayCommand.class,
        BackfillCommand.class,
        AuditCommand.class,
        SqlCommand.class,
        LoadCommand.class,
        ExportCommand.class,
        StatsCommand.class,
        ImportCommand.class,
        SimulateCommand.class,
        RoleCommands.IngestCommand.class,
        RoleCommands.BridgeCommand.class,
        RoleCommands.ReplicateCommand.class,
        RoleCommands.TailerCommand.class,
        RoleCommands.CheckConfigCommand.class,
        CountersCommand.class,
        ErrorsCommand.class,
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
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with its error handling (tests run subcommands through it).
     *
     * @return a new command line.
     */
    static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new TickJournal());
        commandLine.setExecutionExceptionHandler((ex, line, parsed) ->
        {
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.UncheckedIOException ||
                ex instanceof io.tickjournal.ops.roles.RoleStartException ||
                ex instanceof io.tickjournal.journal.PartitionLock.PartitionLockedException)
            {
                // Bad input (config, options, missing journal) or a job that cannot be done (a partition
                // another writer holds, a read-only directory): one clear line, no stack trace.
                line.getErr().println("tickjournal " + line.getCommandName() + ": " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return commandLine;
    }
}
