package io.tickjournal.journal;

import org.agrona.DirectBuffer;

/**
 * Receives records read from a partition. The buffer is a flyweight over the mapped journal and
 * is only valid during the call: copy what must outlive it.
 */
@FunctionalInterface
public interface RecordHandler
{
    /**
     * One record.
     *
     * @param day      trading day (days since the epoch, UTC).
     * @param sequence sequence within the day, dense from 1.
     * @param buffer   the record's bytes (SBE header first).
     * @param offset   where the record starts.
     * @param length   its length.
     */
    void onRecord(int day, long sequence, DirectBuffer buffer, int offset, int length);
}
