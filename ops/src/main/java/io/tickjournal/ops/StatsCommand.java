package io.tickjournal.ops;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.JournalVerifier;
import io.tickjournal.journal.RecordFormatter;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** Sizes, days, records per partition and day, record types and rates. */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Journal statistics: per partition and day, records, bytes on disk, time span, rate and record types.")
public final class StatsCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "JOURNAL_DIR", description = "the journal directory")
    Path journal;

    @Option(names = "--partition", split = ",", description = "partitions (default: all, raw included)")
    List<String> partitions;

    @Option(names = "--types", description = "also count record types (reads every record)")
    boolean types;

    @Override
    public Integer call() throws IOException
    {
        long totalRecords = 0;
        long totalBytes = 0;
        System.out.printf("%-22s %-10s %12s %12s %10s %10s  %s%n", "partition", "day", "records", "file bytes", "span s", "rate/s",
            types ? "types" : "");
        for (final Path dir : Journals.partitions(journal, partitions, true))
        {
            final JournalVerifier.Report report = JournalVerifier.verify(dir);
            final Map<Integer, Map<String, Long>> byType = new TreeMap<>();
            final Map<Integer, long[]> spans = new TreeMap<>();
            try (JournalTailer tailer = JournalTailer.open(dir, null))
            {
                final boolean more = types;
                for (final JournalVerifier.DayReport d : report.days())
                {
                    spans.put(d.day(), new long[]{d.firstReceiveTimeNs(), d.lastReceiveTimeNs()});
                }
                if (more)
                {
                    while (tailer.readOne((day, s, b, o, l) ->
                        byType.computeIfAbsent(day, k -> new TreeMap<>()).merge(RecordFormatter.typeName(Records.templateId(b, o)), 1L, Long::sum)))
                    {
                        // count
                    }
                }
            }
            for (final JournalVerifier.DayReport d : report.days())
            {
                final long bytes = Files.size(dir.resolve(d.file()));
                final long[] span = spans.get(d.day());
                final double seconds = span[0] == Records.NULL_LONG ? 0 : (span[1] - span[0]) / 1e9;
                System.out.printf("%-22s %-10s %,12d %,12d %10.1f %10.1f  %s%n", dir.getFileName(), TradingDay.format(d.day()),
                    d.records(), bytes, seconds, seconds > 0 ? d.records() / seconds : 0.0,
                    types ? byType.getOrDefault(d.day(), Map.of()).toString() : "");
                totalRecords += d.records();
                totalBytes += bytes;
            }
            if (!report.ok())
            {
                System.out.printf("%-22s PROBLEMS: %s (run verify)%n", dir.getFileName(), report.problems().size());
            }
        }
        long disk = 0;
        try (Stream<Path> files = Files.walk(journal))
        {
            disk = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("total %,d records, %,d bytes in cycle files, %,d bytes in %s%n", totalRecords, totalBytes, disk, journal);
        return 0;
    }
}
