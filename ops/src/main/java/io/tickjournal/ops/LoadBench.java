package io.tickjournal.ops;

import io.tickjournal.bridge.IdleStrategies;
import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.gen.SyntheticMarket;
import io.tickjournal.ops.sql.QuestDb;
import io.tickjournal.ops.sql.QuestDbLoader;
import io.tickjournal.ops.sql.TypedRecord;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * Rows per second from a generated day of the journal into the in-process QuestDB, in the same run as the
 * journal's own read rate (read and decode into {@link TypedRecord}), so the two can be compared.
 * <p>
 * It also prints where the CPU went, per thread group, from the JVM's per-thread CPU clocks: the loader's
 * own thread (read the journal, build the rows, encode the line protocol, send), QuestDB's network workers
 * (parse the line protocol, write the WAL) and its WAL apply (dedup, write the table), so the split holds
 * even when the machine is shared and wall time mostly measures waiting for a core.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = "Load a generated day into the in-process QuestDB: rows/s, beside the journal's own read rate.")
public final class LoadBench implements Callable<Integer>
{
    @Option(names = "--records", description = "records in the day, trades and 10-level deltas alternating (default: " +
        "${DEFAULT-VALUE}: 110 M rows, about 4 min and 8 GB of QuestDB data on a 2-core machine)", defaultValue = "10000000")
    int records;

    @Option(names = "--only-trades", description = "trades only (one row per record)")
    boolean onlyTrades;

    @Option(names = "--batch", description = "records per line-protocol request (default: ${DEFAULT-VALUE})", defaultValue = "10000")
    int batch;

    @Option(names = "--dir", description = "where to put the scratch journal and QuestDB (default: a temporary directory)")
    Path dir;

    @Override
    public Integer call() throws Exception
    {
        final Path root = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("tickjournal-loadbench");
        try
        {
            final int day = TradingDay.parse("2026-11-20");
            final Path partition = root.resolve("journal").resolve("binance-spot");
            final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
            final SyntheticMarket market = new SyntheticMarket(1, 1, 1, 6_500_000, 1_000_000L);
            long t = TradingDay.startNs(day) + 3_600_000_000_000L;
            try (PartitionWriter writer = new PartitionWriter(partition))
            {
                writer.append(buffer, 0, market.encodeDefinition(buffer, 0, t, "BTCUSDT", "BTC-USDT"));
                for (int i = 0; i < records; i++)
                {
                    t += 1_000L;
                    writer.append(buffer, 0, onlyTrades || (i & 1) == 0 ? market.encodeTrade(buffer, 0, t) : market.encodeDelta(buffer, 0, t, 10));
                }
            }
            final TypedRecord typed = new TypedRecord();
            final long[] levels = {0};
            long startNs = System.nanoTime();
            try (JournalTailer tailer = JournalTailer.open(partition, null))
            {
                while (tailer.poll((d, s, b, o, l) -> levels[0] += typed.decode(b, o).levelCount() + 1, 4096) > 0)
                {
                    // read and decode every record
                }
            }
            final double readSeconds = (System.nanoTime() - startNs) / 1e9;
            System.out.printf("journal read+decode: %,d records in %.2f s = %,.0f records/s%n", records + 1, readSeconds,
                (records + 1) / readSeconds);
            try (QuestDb db = QuestDb.embedded(root.resolve("questdb"), 0, 0);
                QuestDbLoader loader = new QuestDbLoader(db, List.of(partition), day, day, batch, System::nanoTime, System.err::println))
            {
                final Map<String, Long> cpuBefore = cpuByGroup();
                startNs = System.nanoTime();
                final IdleStrategy idle = IdleStrategies.of("backoff");
                while (!loader.isCaughtUp())
                {
                    idle.idle(loader.doWork()); // as the follower role runs it: waiting for a request costs no core
                }
                final double sendSeconds = (System.nanoTime() - startNs) / 1e9;
                db.awaitApplied(600_000);
                final double appliedSeconds = (System.nanoTime() - startNs) / 1e9;
                System.out.printf("questdb load: %,d records as %,d rows; sent in %.2f s = %,.0f rows/s; applied (visible to SQL) " +
                    "after %.2f s = %,.0f rows/s%n", loader.recordsLoaded(), loader.rowsLoaded(), sendSeconds,
                    loader.rowsLoaded() / sendSeconds, appliedSeconds, loader.rowsLoaded() / appliedSeconds);
                final Map<String, Long> cpuAfter = cpuByGroup();
                long totalNs = 0;
                final StringBuilder split = new StringBuilder();
                for (final Map.Entry<String, Long> group : cpuAfter.entrySet())
                {
                    final long ns = group.getValue() - cpuBefore.getOrDefault(group.getKey(), 0L);
                    totalNs += ns;
                    split.append(String.format("%n  %-40s %7.2f s  %6.2f us/row", group.getKey(), ns / 1e9,
                        ns / 1e3 / Math.max(1, loader.rowsLoaded())));
                }
                System.out.printf("cpu while loading: %.2f s in %.2f s wall (%.2f cores busy; this machine has %d), %,.0f rows per " +
                    "cpu-second%s%n", totalNs / 1e9, appliedSeconds, totalNs / 1e9 / appliedSeconds,
                    Runtime.getRuntime().availableProcessors(), loader.rowsLoaded() / (totalNs / 1e9), split);
            }
        }
        finally
        {
            if (dir == null)
            {
                org.agrona.IoUtil.delete(root.toFile(), false);
            }
        }
        return 0;
    }

    /** CPU time so far of the live threads, summed per group (threads that ended are not counted). */
    private static Map<String, Long> cpuByGroup()
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final Map<String, Long> groups = new TreeMap<>();
        final Thread current = Thread.currentThread();
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds()))
        {
            if (info == null)
            {
                continue;
            }
            final long ns = threads.getThreadCpuTime(info.getThreadId());
            if (ns > 0)
            {
                groups.merge(group(info.getThreadName(), info.getThreadId() == current.getId()), ns, Long::sum);
            }
        }
        return groups;
    }

    private static String group(final String threadName, final boolean isLoader)
    {
        if (isLoader)
        {
            return "loader (read, build rows, ILP encode, send)";
        }
        if (threadName.equals("questdb-flush"))
        {
            return "loader flush (HTTP request, waits)";
        }
        if (threadName.startsWith("shared-network"))
        {
            return "questdb network (ILP parse, WAL write)";
        }
        if (threadName.startsWith("wal-apply"))
        {
            return "questdb wal-apply (dedup, table write)";
        }
        if (threadName.startsWith("shared"))
        {
            return "questdb other workers";
        }
        return "other java threads";
    }
}
