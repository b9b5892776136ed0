package io.tickjournal.journal;

import org.agrona.DirectBuffer;

/**
 * Like {@link RecordHandler}, but may decline a record, which then stays unread (e.g. a packet
 * that is full, or a day that must be closed first). The buffer is valid only during the call.
 */
@FunctionalInterface
public interface RecordConsumer
{
    /**
     * @param day      trading day.
     * @param sequence sequence within the day.
     * @param buffer   the record.
     * @param offset   where it starts.
     * @param length   its length.
     * @return true to consume the record, false to leave it for the next read.
     */
    boolean onRecord(int day, long sequence, DirectBuffer buffer, int offset, int length);
}
