package io.tickjournal.ops;

import io.tickjournal.bridge.IdleStrategies;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.ops.config.TickJournalConfig;
import io.tickjournal.ops.roles.QuestDbRole;
import io.tickjournal.ops.roles.RoleCounters;
import io.tickjournal.ops.sql.PartitionDay;
import io.tickjournal.ops.sql.QuestDb;
import io.tickjournal.ops.sql.QuestDbLoader;
import io.tickjournal.ops.sql.QuestDbSchema;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code tickjournal load}: bulk-load days of the journal into QuestDB with a progress bar. Resumes from
 * what the tables hold and upserts on the tables' dedup keys, so running it twice, or again after it was
 * killed, adds nothing twice.
 * <p>
 * {@code load --follow} is the QuestDB follower role ({@link QuestDbRole}): it loads what the journal holds
 * and then follows it as ingest appends, until SIGTERM or Ctrl-C, printing a status line every
 * {@code --status-every} seconds. With {@code --config} it follows every partition the config names (and
 * the feature partition), uses the config's {@code questdb:} section, and keeps its counters in the config's
 * counters directory ({@code tickjournal counters} reads them).
 */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = "Load journal days into QuestDB (in-process beside the journal unless a server is configured); idempotent.")
public final class LoadCommand implements Callable<Integer>
{
    @Mixin
    QuestDbOptions questDb;

    @Option(names = "--from-day", description = "first day, e.g. 2026-11-24 (required unless --follow; --follow: every day)")
    String fromDay;

    @Option(names = "--follow", description = "load, then follow the journal as it grows (until SIGTERM or Ctrl-C)")
    boolean follow;

    @Option(names = "--status-every", description = "with --follow: seconds between status lines (default: ${DEFAULT-VALUE})",
        defaultValue = "10")
    long statusEverySeconds;

    @Option(names = "--to-day", description = "last day, inclusive (default: --from-day)")
    String toDay;

    @Option(names = "--partition", split = ",", description = "partitions (default: every normalized partition)")
    List<String> partitions;

    @Override
    public Integer call() throws Exception
    {
        if (follow)
        {
            return follow();
        }
        if (fromDay == null)
        {
            throw new IllegalArgumentException("--from-day is needed (or --follow)");
        }
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
            final Progress progress = new Progress(System.err, "load", PartitionDay.records(PartitionDay.between(dirs, from, to)));
            long records;
            long rows;
            try (QuestDbLoader loader = new QuestDbLoader(db, dirs, from, to, questDb.batchRecords(), System::nanoTime,
                System.err::println))
            {
                final IdleStrategy idle = IdleStrategies.of("backoff"); // as the follower role waits
                while (!loader.isCaughtUp())
                {
                    final int work = loader.doWork();
                    idle.idle(work);
                    if (work == 0 && loader.isDown())
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

    private int follow() throws Exception
    {
        if (toDay != null)
        {
            throw new IllegalArgumentException("--to-day and --follow do not go together: a follower has no last day");
        }
        final TickJournalConfig loaded = questDb.loadedConfig();
        final List<Path> dirs = loaded != null && (partitions == null || partitions.isEmpty()) ? QuestDbRole.partitions(loaded) :
            Journals.partitions(questDb.journal(), partitions, false);
        final int from = fromDay == null ? -1 : TradingDay.parse(fromDay);
        final CountDownLatch stop = new CountDownLatch(1);
        final TerminationSignals signals = TerminationSignals.install(stop::countDown);
        try (RoleCounters counters = loaded == null ? null : RoleCounters.create(loaded.countersDir(), "load", System.err::println);
            QuestDbRole role = new QuestDbRole(questDb.open(), dirs, from, questDb.batchRecords(), System.err::println, counters))
        {
            System.err.println("load --follow: " + dirs.size() + " partitions into QuestDB at http://" + role.db().httpAddress() +
                (counters == null ? "" : ", counters " + counters.file()) + "; SIGTERM or Ctrl-C stops it");
            final long everyMs = Math.max(1, statusEverySeconds) * 1000;
            while (!stop.await(everyMs, TimeUnit.MILLISECONDS))
            {
                System.err.println(role.statusLine());
            }
            System.err.println(role.statusLine());
            System.err.println("load --follow stopping");
        }
        finally
        {
            signals.close();
        }
        System.err.println("load --follow stopped cleanly");
        return 0;
    }
}
