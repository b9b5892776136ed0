package io.tickjournal.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.text.ParseException;
import java.util.NavigableSet;

/**
 * Reads one partition in order: by (day, sequence), from a receive time, or from where a named
 * tailer last stopped. Records are handed over as flyweights on the mapped file; nothing is
 * copied or allocated per record.
 * <p>
 * <b>Threading:</b> one thread uses a tailer. A named tailer ({@link #open(Path, String)})
 * persists its position in the partition's metadata, so a restarted reader resumes after the last
 * record it consumed.
 */
public final class JournalTailer implements AutoCloseable
{
    private final SingleChronicleQueue queue;
    private final boolean ownsQueue;
    private final ExcerptTailer tailer;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    /**
     * Tail a queue opened elsewhere (e.g. the writer's).
     *
     * @param queue      the partition.
     * @param tailerName a name whose position persists, or null for an anonymous tailer at the start.
     */
    public JournalTailer(final SingleChronicleQueue queue, final String tailerName)
    {
        this(queue, tailerName, false);
    }

    private JournalTailer(final SingleChronicleQueue queue, final String tailerName, final boolean ownsQueue)
    {
        this.queue = queue;
        this.ownsQueue = ownsQueue;
        this.tailer = tailerName == null ? queue.createTailer() : queue.createTailer(tailerName);
    }

    /**
     * Open a partition directory for reading.
     *
     * @param dir        the partition directory.
     * @param tailerName a persistent tailer name, or null.
     * @return the tailer, which owns and closes its queue.
     */
    public static JournalTailer open(final Path dir, final String tailerName)
    {
        return new JournalTailer(Partition.openForRead(dir), tailerName, true);
    }

    /**
     * Read up to {@code limit} records.
     *
     * @param handler receives each record.
     * @param limit   most records to read.
     * @return records read (0 when caught up).
     */
    public int poll(final RecordHandler handler, final int limit)
    {
        int count = 0;
        while (count < limit && readOne(handler))
        {
            count++;
        }
        return count;
    }

    /**
     * Read the next record if there is one.
     *
     * @param handler receives it.
     * @return true when a record was read.
     */
    public boolean readOne(final RecordHandler handler)
    {
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            final long index = wrapRecord(dc);
            handler.onRecord(Partition.day(index), Partition.sequence(index), view, 0, view.capacity());
            return true;
        }
    }

    /**
     * Offer the next record to a consumer that may decline it; a declined record stays unread.
     *
     * @param consumer decides whether to take the record.
     * @return 1 when a record was taken, 0 when there was none, -1 when the consumer declined it.
     */
    public int offerOne(final RecordConsumer consumer)
    {
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return 0;
            }
            final long index = wrapRecord(dc);
            if (consumer.onRecord(Partition.day(index), Partition.sequence(index), view, 0, view.capacity()))
            {
                return 1;
            }
            dc.rollbackOnClose();
            return -1;
        }
    }

    /** Point {@link #view} at the present document's bytes on the mapped file; returns its index. */
    private long wrapRecord(final DocumentContext dc)
    {
        final Bytes<?> bytes = dc.wire().bytes();
        view.wrap(bytes.addressForRead(bytes.readPosition()), (int)bytes.readRemaining());
        return dc.index();
    }

    /**
     * Position before (day, sequence) so the next read returns it.
     *
     * @param day      the trading day.
     * @param sequence dense sequence from 1.
     * @return false when no such record exists (position unchanged).
     */
    public boolean moveTo(final int day, final long sequence)
    {
        return sequence >= 1 && tailer.moveToIndex(Partition.index(day, sequence));
    }

    /**
     * Position at a queue index (the next read returns it, or the next record written there).
     *
     * @param index a queue index.
     * @return whether the record exists yet.
     */
    public boolean moveToIndex(final long index)
    {
        return tailer.moveToIndex(index);
    }

    /**
     * Position at the first record whose receive time is at or after {@code receiveTimeNs}, by
     * binary search inside the day that time falls in (receive times never go back within a
     * partition, see {@link PartitionWriter}).
     *
     * @param receiveTimeNs ns since the epoch.
     * @return false when every record is earlier (positioned at the end).
     */
    public boolean seekReceiveTime(final long receiveTimeNs)
    {
        final int firstDay = queue.firstCycle();
        final int lastDay = queue.lastCycle();
        if (firstDay == Integer.MAX_VALUE || lastDay < 0)
        {
            return false;
        }
        final int targetDay = TradingDay.ofEpochNs(receiveTimeNs);
        if (targetDay > lastDay)
        {
            tailer.toEnd();
            return false;
        }
        final NavigableSet<Long> days = queue.listCyclesBetween(Math.max(targetDay, firstDay), lastDay);
        for (final Long d : days)
        {
            final int day = d.intValue();
            final long count = Partition.recordsInDay(queue, day);
            long lo = 1;
            long hi = count + 1;
            while (lo < hi)
            {
                final long mid = (lo + hi) >>> 1;
                if (receiveTimeAt(day, mid) < receiveTimeNs)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }
            if (lo <= count)
            {
                return tailer.moveToIndex(Partition.index(day, lo));
            }
        }
        tailer.toEnd();
        return false;
    }

    private long receiveTimeAt(final int day, final long sequence)
    {
        if (!tailer.moveToIndex(Partition.index(day, sequence)))
        {
            return Long.MAX_VALUE;
        }
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return Long.MAX_VALUE;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            dc.rollbackOnClose();
            return bytes.readLong(bytes.readPosition() + Records.RECEIVE_TIME_OFFSET);
        }
    }

    /** Position at the first record of the partition. */
    public void toStart()
    {
        tailer.direction(TailerDirection.FORWARD).toStart();
    }

    /** Position after the last record, to read only what is appended from now on. */
    public void toEnd()
    {
        tailer.toEnd();
    }

    /**
     * The index the next read would return.
     *
     * @return a queue index.
     */
    public long index()
    {
        return tailer.index();
    }

    /**
     * The next trading day after {@code day} that holds records.
     *
     * @param day a trading day.
     * @return the next day, or -1 when there is none.
     */
    public int nextDay(final int day)
    {
        try
        {
            return queue.nextCycle(day, TailerDirection.FORWARD);
        }
        catch (final ParseException ex)
        {
            throw new IllegalStateException("unreadable cycle file name in " + queue.file(), ex);
        }
    }

    public SingleChronicleQueue queue()
    {
        return queue;
    }

    @Override
    public void close()
    {
        tailer.close();
        if (ownsQueue)
        {
            queue.close();
        }
    }
}
