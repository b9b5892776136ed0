package io.tickjournal.journal;

import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A partition is one Chronicle Queue directory, normally one per venue feed, rolled daily in UTC
 * so that a cycle is a trading day. Its raw capture partition sits beside it with the suffix
 * {@link #RAW_SUFFIX}.
 * <p>
 * Chronicle numbers data excerpts densely from 0 inside a cycle; the journal's sequence is that
 * number plus one, so sequences are dense from 1 each day (a test proves it across a roll).
 */
public final class Partition
{
    /** UTC daily roll with 32 bits of sequence per day. */
    public static final RollCycle ROLL_CYCLE = RollCycles.FAST_DAILY;

    /** Suffix of the raw capture partition beside a normalized one. */
    public static final String RAW_SUFFIX = ".raw";

    private Partition()
    {
    }

    /**
     * Open a partition's queue.
     *
     * @param dir          the partition directory (created if missing).
     * @param timeProvider the clock that decides the cycle of appends; the writer's own.
     * @return the queue; the caller closes it.
     */
    public static SingleChronicleQueue open(final Path dir, final TimeProvider timeProvider)
    {
        return SingleChronicleQueueBuilder.binary(dir)
            .rollCycle(ROLL_CYCLE)
            .timeProvider(timeProvider)
            .build();
    }

    /**
     * Open a partition for reading.
     *
     * @param dir the partition directory; must exist.
     * @return the queue; the caller closes it.
     * @throws IllegalArgumentException when the directory does not exist.
     */
    public static SingleChronicleQueue openForRead(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            throw new IllegalArgumentException("no journal partition at " + dir);
        }
        return SingleChronicleQueueBuilder.binary(dir).rollCycle(ROLL_CYCLE).build();
    }

    /**
     * The cycle file holding a trading day ({@code yyyyMMddF.cq4}, Chronicle's FAST_DAILY name).
     *
     * @param dir the partition directory.
     * @param day the trading day.
     * @return the file's path (it may not exist).
     */
    public static Path cycleFile(final Path dir, final int day)
    {
        return dir.resolve(TradingDay.format(day).replace("-", "") + "F" + SingleChronicleQueue.SUFFIX);
    }

    /**
     * Whether a directory holds a partition: at least one cycle file.
     *
     * @param dir a directory.
     * @return true when it is a partition with data files.
     */
    public static boolean hasCycleFiles(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return false;
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir))
        {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(SingleChronicleQueue.SUFFIX));
        }
        catch (final java.io.IOException ex)
        {
            return false;
        }
    }

    /**
     * The raw capture directory beside a partition directory.
     *
     * @param partitionDir the normalized partition.
     * @return its raw sibling.
     */
    public static Path rawDir(final Path partitionDir)
    {
        return partitionDir.resolveSibling(partitionDir.getFileName() + RAW_SUFFIX);
    }

    /**
     * Chronicle index of (day, sequence).
     *
     * @param day      trading day.
     * @param sequence dense sequence from 1.
     * @return the queue index.
     */
    public static long index(final int day, final long sequence)
    {
        return ROLL_CYCLE.toIndex(day, sequence - 1);
    }

    /**
     * Trading day of a queue index.
     *
     * @param index the queue index.
     * @return the day.
     */
    public static int day(final long index)
    {
        return ROLL_CYCLE.toCycle(index);
    }

    /**
     * Sequence within the day of a queue index.
     *
     * @param index the queue index.
     * @return dense sequence from 1.
     */
    public static long sequence(final long index)
    {
        return ROLL_CYCLE.toSequenceNumber(index) + 1;
    }

    /**
     * How many records a day holds.
     *
     * @param queue the partition.
     * @param day   the trading day.
     * @return records written that day (0 if none).
     */
    public static long recordsInDay(final SingleChronicleQueue queue, final int day)
    {
        if (day < queue.firstCycle() || day > queue.lastCycle())
        {
            return 0;
        }
        try
        {
            if (queue.listCyclesBetween(day, day).isEmpty())
            {
                return 0;
            }
            return queue.countExcerpts(ROLL_CYCLE.toIndex(day, 0), ROLL_CYCLE.toIndex(day + 1, 0));
        }
        catch (final IllegalStateException ex)
        {
            return 0; // Chronicle refuses a day whose cycle file does not exist
        }
    }
}
