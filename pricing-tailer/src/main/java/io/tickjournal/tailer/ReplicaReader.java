package io.tickjournal.tailer;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.RecordHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads ranges of a local replica journal for gap repair. Opens lazily (the replica may not
 * exist yet). One thread (the receiver's).
 */
public final class ReplicaReader implements AutoCloseable
{
    private final Path dir;
    private final UnsafeBuffer copy = new UnsafeBuffer(0, 0);
    private JournalTailer tailer;
    private int position = -1;
    private long positionSeq;
    private final RecordHandler forward = this::forward;
    private ReplicationClient.Handler target;
    private int readDay;

    /**
     * @param dir the replica partition directory.
     */
    public ReplicaReader(final Path dir)
    {
        this.dir = dir;
    }

    private boolean open()
    {
        if (tailer == null && Files.isDirectory(dir))
        {
            tailer = JournalTailer.open(dir, null);
        }
        return tailer != null;
    }

    /**
     * Read records of one day from a sequence on.
     *
     * @param day      day.
     * @param fromSeq  first sequence.
     * @param limit    most records.
     * @param handler  receives them (records of a later day end the call after one).
     * @return records read.
     */
    public int read(final int day, final long fromSeq, final int limit, final ReplicationClient.Handler handler)
    {
        if (!open())
        {
            return 0;
        }
        if (position != day || positionSeq != fromSeq)
        {
            if (!tailer.moveTo(day, fromSeq))
            {
                position = -1;
                return 0;
            }
            position = day;
            positionSeq = fromSeq;
        }
        int n = 0;
        target = handler;
        readDay = day;
        while (n < limit && tailer.readOne(forward))
        {
            n++;
            positionSeq++;
            if (readDay != day)
            {
                position = -1;
                break;
            }
        }
        target = null;
        return n;
    }

    private void forward(final int d, final long s, final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        copy.wrap(buffer, offset, length);
        readDay = d;
        target.onRecord(d, s, copy, 0, length);
    }

    /** @return the last day the replica holds, or -1. */
    public int lastDay()
    {
        if (!open())
        {
            return -1;
        }
        final long last = tailer.queue().lastIndex();
        return last < 0 ? -1 : Partition.day(last);
    }

    /**
     * @param day a day.
     * @return records the replica holds for it.
     */
    public long recordsInDay(final int day)
    {
        return open() ? Partition.recordsInDay(tailer.queue(), day) : 0;
    }

    @Override
    public void close()
    {
        if (tailer != null)
        {
            tailer.close();
        }
    }
}
