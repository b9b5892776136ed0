package io.tickjournal.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs every benchmark with a short default size, each beside its reference in the same JVM run, and
 * writes one Markdown table (stage, ours, reference, ratio, target, allocation) with the machine and
 * the date. The parse and tailer benchmarks print their references themselves; their lines are read
 * back from what they print.
 */
@Command(name = "all", mixinStandardHelpOptions = true,
    description = "Run every benchmark beside its reference and write one Markdown table (machine and date included).")
public final class AllBench implements Callable<Integer>
{
    private static final Pattern PARSE_LINE = Pattern.compile(
        "^(\\S.*?)\\s+[\\d,]+ frames\\s+(\\d+) B: ([\\d,]+) frames/s .*?, ([\\d.]+) B allocated/frame");
    private static final Pattern JACKSON_LINE = Pattern.compile("Jackson parse alone \\(same frames, no journal\\): ([\\d,]+) frames/s");
    private static final Pattern TAILER_LINE = Pattern.compile(
        "sequencer \\+ books \\+ features ([\\d,]+) records/s .*?B allocated/record [\\d.]+, second half ([\\d.]+).*?raw journal read ([\\d,]+) records/s");

    @Option(names = "--out", description = "the Markdown file to write (default: ${DEFAULT-VALUE})", defaultValue = "bench-all.md")
    Path out;

    @Option(names = "--parse-trades", description = "trade frames per parse pass (default: ${DEFAULT-VALUE})", defaultValue = "300000")
    int parseTrades;

    @Option(names = "--parse-depths", description = "depth frames per parse pass (default: ${DEFAULT-VALUE})", defaultValue = "100000")
    int parseDepths;

    @Override
    public Integer call() throws Exception
    {
        final Instant date = Instant.now();
        final String machine = BenchReport.machine();
        final BenchReport all = new BenchReport();
        final long start = System.nanoTime();

        final JournalBench journal = new JournalBench();
        section("bench journal", journal);
        all.addAll(journal.report);

        final String parse = captured("bench parse", new ParseBench(),
            "--trades", String.valueOf(parseTrades), "--depths", String.valueOf(parseDepths));
        String label = null;
        double ours = 0;
        double allocation = 0;
        for (final String line : parse.split("\n"))
        {
            final Matcher frame = PARSE_LINE.matcher(line);
            if (frame.find())
            {
                label = frame.group(1).trim() + " " + frame.group(2) + " B";
                ours = number(frame.group(3));
                allocation = Double.parseDouble(frame.group(4));
                continue;
            }
            final Matcher jackson = JACKSON_LINE.matcher(line);
            if (jackson.find() && label != null)
            {
                all.add(BenchRow.throughput("ingest, whole path, " + label, ours, "Jackson parse alone, same frames",
                    number(jackson.group(1)), allocation, Double.NaN));
                label = null;
            }
        }

        final BridgeBench bridge = new BridgeBench();
        section("bench bridge", bridge);
        all.addAll(bridge.report);

        final String tailer = captured("bench tailer", new TailerBench(), "--gaps", "50");
        Matcher last = null;
        for (final String line : tailer.split("\n"))
        {
            final Matcher m = TAILER_LINE.matcher(line);
            if (m.find())
            {
                last = m;
            }
        }
        if (last != null)
        {
            // Allocation of the pass's second half: the first 60 s of record time grow each instrument's
            // event ring to what its 60 s window holds (once); after that nothing is allocated per record.
            all.add(BenchRow.throughput("tailer, sequencer + books + features (allocation: second half, windows full)", number(last.group(1)),
                "raw journal read, same records", number(last.group(3)), Double.parseDouble(last.group(2)), Double.NaN));
        }

        final PipelineBench latency = new PipelineBench();
        section("bench latency", latency);
        all.addAll(latency.report);

        final String table = all.markdown(machine, date);
        System.out.printf("%n%s%nbench all took %.0f s; written to %s%n", table, (System.nanoTime() - start) / 1e9,
            out.toAbsolutePath());
        Files.writeString(out, table, StandardCharsets.UTF_8);
        return 0;
    }

    private static double number(final String text)
    {
        return Double.parseDouble(text.replace(",", ""));
    }

    private static void section(final String name, final Object command, final String... args)
    {
        System.out.printf("%n=== %s%n", name);
        final int exit = new CommandLine(command).execute(args);
        if (exit != 0)
        {
            throw new IllegalStateException(name + " exited " + exit);
        }
    }

    /** Run a benchmark whose figures exist only in what it prints: print it and keep a copy. */
    private static String captured(final String name, final Object command, final String... args)
    {
        final PrintStream original = System.out;
        final ByteArrayOutputStream copy = new ByteArrayOutputStream();
        final PrintStream tee = new PrintStream(new OutputStream()
        {
            @Override
            public void write(final int b)
            {
                original.write(b);
                copy.write(b);
            }

            @Override
            public void write(final byte[] b, final int off, final int len)
            {
                original.write(b, off, len);
                copy.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        System.setOut(tee);
        try
        {
            section(name, command, args);
        }
        finally
        {
            System.out.flush();
            System.setOut(original);
        }
        return copy.toString(StandardCharsets.UTF_8);
    }
}
