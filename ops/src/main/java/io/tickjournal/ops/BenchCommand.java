package io.tickjournal.ops;

import picocli.CommandLine.Command;

/** Benchmarks, one subcommand per path; each prints throughput and HdrHistogram percentiles. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: throughput, latency percentiles and allocation per record.",
    subcommands = {AllBench.class, JournalBench.class, BridgeBench.class, ParseBench.class, PipelineBench.class, TailerBench.class,
        LoadBench.class})
public final class BenchCommand implements Runnable
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
