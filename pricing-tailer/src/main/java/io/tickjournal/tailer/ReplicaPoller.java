package io.tickjournal.tailer;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Recovery from the local replica journal: reads the gap's range in order and, once the replica has
 * moved past the day, tells where the day ended, but only for a day the replica really holds (a
 * replica started after the day began holds none of it and knows nothing of its end). One thread.
 */
final class ReplicaPoller implements ReplicationClient.Handler
{
    private final ReplicaReader replica;
    private final RecordOrdering ordering;

    ReplicaPoller(final ReplicaReader replica, final RecordOrdering ordering)
    {
        this.replica = replica;
        this.ordering = ordering;
    }

    /**
     * @param limit most records.
     * @return records read from the replica at the next sequence.
     */
    int read(final int limit)
    {
        return replica.read(ordering.day(), ordering.nextSequence(), limit, this);
    }

    /**
     * When the replica holds the current day and has moved on past it, end the day where the replica's
     * copy ends.
     *
     * @return true when the day's end was learned.
     */
    boolean endDayIfHeld()
    {
        final int day = ordering.day();
        if (replica.lastDay() <= day)
        {
            return false;
        }
        final long held = replica.recordsInDay(day);
        return held > 0 && ordering.endDayAt(held + 1, true);
    }

    @Override
    public void onRecord(final int day, final long sequence, final UnsafeBuffer buffer, final int offset, final int length)
    {
        ordering.onMessage(day, sequence, buffer, offset, length, RecordSource.REPLICA);
    }

    @Override
    public void onHeartbeat(final int day, final long sequence)
    {
        // a replica reader sends none
    }
}
