package io.tickjournal.ops.sql;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Partition;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One journal partition's day and how many records it holds: what an export or a load has to read, and the
 * total its progress bar counts towards.
 *
 * @param partition the partition's name (its folder's).
 * @param dir       the partition's folder.
 * @param day       the trading day.
 * @param records   records of that day.
 */
public record PartitionDay(String partition, Path dir, int day, long records)
{
    /**
     * The (partition, day)s with records between two days.
     *
     * @param partitions partition folders.
     * @param fromDay    first day, or -1 for the first each partition has.
     * @param toDay      last day (inclusive), or -1 for the last each partition has.
     * @return in partition order (as given), then day order.
     */
    public static List<PartitionDay> between(final List<Path> partitions, final int fromDay, final int toDay)
    {
        final List<PartitionDay> plan = new ArrayList<>();
        for (final Path dir : partitions)
        {
            if (!Partition.hasCycleFiles(dir))
            {
                continue;
            }
            try (JournalTailer tailer = JournalTailer.open(dir, null))
            {
                final int first = Math.max(fromDay, tailer.queue().firstCycle());
                final int last = toDay < 0 ? tailer.queue().lastCycle() : Math.min(toDay, tailer.queue().lastCycle());
                for (int day = first; day <= last; day++)
                {
                    final long records = Partition.recordsInDay(tailer.queue(), day);
                    if (records > 0)
                    {
                        plan.add(new PartitionDay(dir.getFileName().toString(), dir, day, records));
                    }
                }
            }
        }
        return plan;
    }

    /**
     * @param plan (partition, day)s.
     * @return their records, summed.
     */
    public static long records(final List<PartitionDay> plan)
    {
        long total = 0;
        for (final PartitionDay pd : plan)
        {
            total += pd.records();
        }
        return total;
    }
}
