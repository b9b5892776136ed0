package io.tickjournal.ops;

import io.tickjournal.ops.roles.CountersFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Prints the distinct errors every role process has recorded (Agrona's {@code DistinctErrorLog} in
 * its counters file): each with how often it happened, first and last time, and its stack trace.
 */
@Command(name = "errors", mixinStandardHelpOptions = true,
    description = "Print the distinct errors of every role process, with counts and first/last time, from their counters files.")
public final class ErrorsCommand implements Callable<Integer>
{
    @Option(names = {"-c", "--config"}, description = "config file naming the counters directory (default: ${DEFAULT-VALUE})",
        defaultValue = "config/tickjournal.yaml")
    Path config;

    @Option(names = "--dir", description = "counters directory (instead of the config's counters.dir)")
    Path dir;

    @Override
    public Integer call()
    {
        final Path countersDir = CountersCommand.countersDir(dir, config);
        final List<Path> files = CountersFile.list(countersDir);
        System.out.printf("errors in %s: %d role process(es)%n", countersDir, files.size());
        for (final Path file : files)
        {
            try (CountersFile counters = CountersFile.open(file))
            {
                if (counters == null)
                {
                    continue;
                }
                final StringBuilder b = new StringBuilder();
                final int distinct = counters.readErrors((count, firstMs, lastMs, error) ->
                    b.append(String.format("%n%,d observation(s) from %s to %s:%n%s", count, Instant.ofEpochMilli(firstMs),
                        Instant.ofEpochMilli(lastMs), error)));
                System.out.printf("%n%s pid %d%s: %d distinct error(s)%s%n", counters.role(), counters.pid(),
                    counters.live() ? "" : " (STALE: the process is gone)", distinct, b);
            }
        }
        return 0;
    }
}
