package io.tickjournal.ops;

import io.tickjournal.journal.TradingDay;
import io.tickjournal.ops.sql.QuestDb;
import io.tickjournal.ops.sql.QuestDbLoader;
import io.tickjournal.ops.sql.QuestDbSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tickjournal load}: bulk-load days of the journal into QuestDB with a progress bar. Resumes from
 * what the tables hold and upserts on the tables' dedup keys, so running it twice, or again after it was
 * killed, adds nothing twice.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = "Load journal days into QuestDB (in-process beside the journal unless a server is configured); idempotent.")
public final class LoadCommand implements Callable<Integer>
{
    @Mixin
    QuestDbOptions questDb;

    @Option(names = "--from-day", required = true, description = "first day, e.g. 2026-11-24")
    String fromDay;

    @Option(names = "--to-day", description = "last day, inclusive (default: --from-day)")
    String toDay;

    @Option(names = "--partition", split = ",", description = "partitions (default: every normalized partition)")
    List<String> partitions;

    @Override
    public Integer call() throws Exception
    {
        final int from = TradingDay.parse(fromDay);
        final int to = toDay == null ? from : TradingDay.parse(toDay);
        if (to < from)
        {
            throw new IllegalArgumentException("--to-day " + toDay + " is before --from-day " + fromDay);
        }
        final List<Path> dirs = Journals.partitions(questDb.journal(), partitions, false);
        try (QuestDb db = questDb.open())
        {
            final long startNs = System.nanoTime();
            final Progress progress = new Progress(System.err, "load", 0);
            long records;
            long rows;
            try (QuestDbLoader loader = new QuestDbLoader(db, dirs, from, to, questDb.batchRecords(), System::nanoTime,
                System.err::println))
            {
                while (!loader.isCaughtUp())
                {
                    if (loader.doWork() == 0 && loader.isDown())
                    {
                        System.err.println("QuestDB at " + db.httpAddress() + " does not answer; " + loader.recordsLoaded() +
                            " records loaded, run load again to resume");
                        return 1;
                    }
                    progress.update(loader.recordsLoaded());
                }
                progress.finish();
                records = loader.recordsLoaded();
                rows = loader.rowsLoaded();
            }
            db.awaitApplied(60_000);
            final double seconds = Math.max(1e-9, (System.nanoTime() - startNs) / 1e9);
            System.out.printf("loaded %,d records as %,d rows in %.1f s (%,.0f rows/s) into QuestDB at http://%s%n",
                records, rows, seconds, rows / seconds, db.httpAddress());
            for (final String table : QuestDbSchema.TABLES)
            {
                System.out.println("  " + table + ": " + db.scalar("SELECT count() FROM " + table).asLong() + " rows");
            }
        }
        return 0;
    }
}
