package io.tickjournal.ops;

import io.tickjournal.journal.JournalVerifier;
import io.tickjournal.journal.TradingDay;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Checks a partition's integrity and names exactly where it breaks. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Check journal partitions: complete frames, decodable records, dense sequences, times in their day.")
public final class VerifyCommand implements Callable<Integer>
{
    @Parameters(arity = "1..*", paramLabel = "PARTITION_DIR", description = "partition directories to check")
    Path[] partitions;

    @Override
    public Integer call()
    {
        boolean ok = true;
        for (final Path partition : partitions)
        {
            if (!Files.isDirectory(partition))
            {
                System.err.println(partition + ": no such partition directory");
                ok = false;
                continue;
            }
            final JournalVerifier.Report report = JournalVerifier.verify(partition);
            System.out.printf("%s: %s, %,d records in %d day(s)%n", partition, report.ok() ? "OK" : "BROKEN",
                report.records(), report.days().size());
            for (final JournalVerifier.DayReport day : report.days())
            {
                System.out.printf("  %s %-16s %,12d records%s%n", TradingDay.format(day.day()), day.file(), day.records(),
                    day.closed() ? "  (closed)" : "");
            }
            report.problems().forEach(p -> System.out.println("  PROBLEM " + p));
            ok &= report.ok();
        }
        return ok ? 0 : 1;
    }
}
