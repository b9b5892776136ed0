package io.tickjournal.ops;

import io.tickjournal.journal.TradingDay;
import io.tickjournal.ops.sql.ParquetExporter;
import io.tickjournal.ops.sql.PartitionDay;
import io.tickjournal.ops.sql.ParquetTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tickjournal export --format parquet}: journal days as typed Parquet files in a Hive-style layout
 * ({@code OUT/trades/partition=binance-spot/day=2026-11-30/part-0.parquet}) that Spark, Trino or DuckDB read
 * as they are. Refuses output that already holds a day it would write unless {@code --overwrite}; the same
 * journal exported twice gives byte-equal files.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export journal days as Parquet, one folder per table, partition and day (Hive-style), for Spark, Trino or DuckDB.")
public final class ExportCommand implements Callable<Integer>
{
    @Option(names = "--journal", description = "journal directory (required)")
    Path journal;

    @Option(names = "--format", description = "output format: parquet (required)")
    String format;

    @Option(names = "--out", description = "output folder (required); created when missing")
    Path out;

    @Option(names = "--from-day", description = "first day, e.g. 2026-11-24 (default: each partition's first)")
    String fromDay;

    @Option(names = "--to-day", description = "last day, inclusive (default: each partition's last)")
    String toDay;

    @Option(names = "--partition", split = ",", description = "partitions (default: every normalized partition)")
    List<String> partitions;

    @Option(names = "--overwrite", description = "replace the partition-days this export writes when --out already holds them")
    boolean overwrite;

    @Override
    public Integer call() throws Exception
    {
        if (!"parquet".equals(format))
        {
            throw new IllegalArgumentException(format == null ? "--format parquet is required" :
                "--format " + format + " is not supported (supported: parquet)");
        }
        if (out == null)
        {
            throw new IllegalArgumentException("--out DIR is required");
        }
        if (journal == null)
        {
            throw new IllegalArgumentException("--journal DIR is required");
        }
        final int from = fromDay == null ? -1 : TradingDay.parse(fromDay);
        final int to = toDay == null ? -1 : TradingDay.parse(toDay);
        if (from >= 0 && to >= 0 && to < from)
        {
            throw new IllegalArgumentException("--to-day " + toDay + " is before --from-day " + fromDay);
        }
        final List<Path> dirs = Journals.partitions(journal, partitions, false);
        final List<PartitionDay> plan = PartitionDay.between(dirs, from, to);
        if (plan.isEmpty())
        {
            throw new IllegalArgumentException("no records in " + journal + " for " + range(fromDay, toDay));
        }
        final long total = PartitionDay.records(plan);
        final Progress progress = new Progress(System.err, "export", total);
        final long startNs = System.nanoTime();
        final ParquetExporter.Summary summary = new ParquetExporter(out, overwrite, progress::update).export(plan);
        progress.finish();
        final double seconds = Math.max(1e-9, (System.nanoTime() - startNs) / 1e9);
        System.out.printf("exported %,d records of %d partition-days in %.1f s (%,.0f records/s) to %s (%,d bytes)%n",
            summary.records, plan.size(), seconds, summary.records / seconds, out, summary.bytes);
        for (final ParquetTable table : ParquetTable.values())
        {
            System.out.printf("  %s: %,d rows in %d files%n", table.tableName(), summary.rows.getOrDefault(table, 0L),
                summary.files.getOrDefault(table, 0));
        }
        return 0;
    }

    private static String range(final String fromDay, final String toDay)
    {
        if (fromDay == null && toDay == null)
        {
            return "any day";
        }
        return (fromDay == null ? "the start" : fromDay) + " to " + (toDay == null ? "the end" : toDay);
    }
}
