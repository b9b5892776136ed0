package io.tickjournal.ops;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import org.agrona.ExpandableDirectByteBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Several partitions read as one stream in a deterministic order: by receive time, then by
 * partition (in the given order), each partition's own order always kept. The same journal
 * gives the same stream every time.
 */
final class MergedReader implements AutoCloseable
{
    /** Receives merged records. */
    @FunctionalInterface
    interface Handler
    {
        void onRecord(int partition, int day, long sequence, org.agrona.DirectBuffer buffer, int offset, int length);
    }

    private final List<Head> heads = new ArrayList<>();
    private final long toNs;
    /** One partition needs no merge: its records go to the handler from the mapped file, not copied. */
    private final io.tickjournal.journal.RecordHandler direct = this::onDirect;
    private Handler directHandler;
    private boolean directEnded;

    private static final class Head
    {
        final JournalTailer tailer;
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        /** One copying handler for the head's lifetime (a capturing lambda per read allocated per record). */
        final io.tickjournal.journal.RecordHandler copy = this::copy;
        int length;
        int day;
        long sequence;
        long time;
        boolean present;

        Head(final JournalTailer tailer)
        {
            this.tailer = tailer;
        }

        private void copy(final int d, final long s, final org.agrona.DirectBuffer b, final int o, final int l)
        {
            buffer.putBytes(0, b, o, l);
            length = l;
            day = d;
            sequence = s;
            time = Records.receiveTimeNs(b, o);
        }

        void advance(final long toNs)
        {
            present = tailer.readOne(copy);
            if (present && toNs != Long.MAX_VALUE && time >= toNs && (Records.flags(buffer, 0) & Records.FLAG_DEFERRED) == 0)
            {
                present = false;
            }
        }
    }

    /**
     * @param partitions partition directories.
     * @param fromNs     first receive time (inclusive), or 0 for the start.
     * @param toNs       end receive time (exclusive), or {@link Long#MAX_VALUE}.
     */
    MergedReader(final List<Path> partitions, final long fromNs, final long toNs)
    {
        this.toNs = toNs;
        for (final Path partition : partitions)
        {
            final JournalTailer tailer = JournalTailer.open(partition, null);
            if (fromNs > 0)
            {
                final int day = TradingDay.ofEpochNs(fromNs);
                if (fromNs == TradingDay.startNs(day))
                {
                    // A whole day: start at its first record (its definitions), whatever its receive time.
                    if (!tailer.moveTo(day, 1))
                    {
                        tailer.seekReceiveTime(fromNs);
                    }
                }
                else
                {
                    tailer.seekReceiveTime(fromNs);
                }
            }
            final Head head = new Head(tailer);
            head.advance(toNs);
            heads.add(head);
        }
    }

    /**
     * Read up to {@code limit} records in merged order.
     *
     * @param handler receives them.
     * @param limit   most records.
     * @return records read (0 at the end).
     */
    int read(final Handler handler, final int limit)
    {
        if (heads.size() == 1)
        {
            return readOne(heads.get(0), handler, limit);
        }
        int n = 0;
        while (n < limit)
        {
            int best = -1;
            for (int i = 0; i < heads.size(); i++)
            {
                final Head h = heads.get(i);
                if (h.present && (best < 0 || h.time < heads.get(best).time))
                {
                    best = i;
                }
            }
            if (best < 0)
            {
                break;
            }
            final Head h = heads.get(best);
            handler.onRecord(best, h.day, h.sequence, h.buffer, 0, h.length);
            h.advance(toNs);
            n++;
        }
        return n;
    }

    /** The single partition: the record read ahead at opening (copied), then straight from the tailer. */
    private int readOne(final Head head, final Handler handler, final int limit)
    {
        int n = 0;
        if (head.present)
        {
            handler.onRecord(0, head.day, head.sequence, head.buffer, 0, head.length);
            head.present = false;
            n++;
        }
        else if (directHandler == null)
        {
            directEnded = true; // nothing at opening (or already past the range): the partition has nothing to give
        }
        directHandler = handler;
        while (n < limit && !directEnded && head.tailer.readOne(direct))
        {
            if (!directEnded)
            {
                n++;
            }
        }
        return n;
    }

    private void onDirect(final int day, final long sequence, final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        if (toNs != Long.MAX_VALUE && Records.receiveTimeNs(buffer, offset) >= toNs &&
            (Records.flags(buffer, offset) & Records.FLAG_DEFERRED) == 0)
        {
            directEnded = true;
            return;
        }
        directHandler.onRecord(0, day, sequence, buffer, offset, length);
    }

    @Override
    public void close()
    {
        for (final Head h : heads)
        {
            h.tailer.close();
        }
    }
}
