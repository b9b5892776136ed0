package io.tickjournal.ops;

import io.tickjournal.ops.config.TickJournalConfig;
import io.tickjournal.ops.roles.CountersFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Prints the counters of every role process, read live from their memory-mapped counters files,
 * as AeronStat does for Aeron: another process, no connection to the roles, nothing they wait for.
 */
@Command(name = "counters", mixinStandardHelpOptions = true,
    description = "Print the live counters of every role process (ingest, bridge, replicate, tailer) from their counters files.")
public final class CountersCommand implements Callable<Integer>
{
    @Option(names = {"-c", "--config"}, description = "config file naming the counters directory (default: ${DEFAULT-VALUE})",
        defaultValue = "config/tickjournal.yaml")
    Path config;

    @Option(names = "--dir", description = "counters directory (instead of the config's counters.dir)")
    Path dir;

    @Option(names = "--watch", description = "redraw every --interval until Ctrl-C")
    boolean watch;

    @Option(names = "--interval-ms", description = "refresh interval with --watch (default: ${DEFAULT-VALUE})", defaultValue = "1000")
    long intervalMs;

    static Path countersDir(final Path dir, final Path config)
    {
        return dir != null ? dir : TickJournalConfig.load(config).countersDir();
    }

    @Override
    public Integer call() throws Exception
    {
        final Path countersDir = countersDir(dir, config);
        final PrintStream out = System.out;
        final boolean redraw = watch && System.console() != null;
        do
        {
            final StringBuilder b = new StringBuilder(8192);
            if (redraw)
            {
                b.append("\033[H\033[2J");
            }
            print(countersDir, b);
            out.print(b);
            out.flush();
            if (watch)
            {
                Thread.sleep(intervalMs);
            }
        }
        while (watch);
        return 0;
    }

    static void print(final Path countersDir, final StringBuilder b)
    {
        final List<Path> files = CountersFile.list(countersDir);
        b.append(String.format("%s  counters in %s: %d role process(es)%n", Instant.now(), countersDir, files.size()));
        for (final Path file : files)
        {
            try (CountersFile counters = CountersFile.open(file))
            {
                if (counters == null)
                {
                    continue;
                }
                b.append(String.format("%n%s pid %d since %s%s%n", counters.role(), counters.pid(),
                    Instant.ofEpochMilli(counters.startTimeMs()), counters.live() ? "" : "  (STALE: the process is gone)"));
                counters.counters().forEach((id, typeId, key, label) ->
                    b.append(String.format("  %3d %,20d  %s%n", id, counters.counters().getCounterValue(id), label)));
            }
        }
    }
}
