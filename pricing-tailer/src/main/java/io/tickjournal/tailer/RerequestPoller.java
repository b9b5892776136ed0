package io.tickjournal.tailer;

import io.tickjournal.journal.wire.MoldUdp64;

/**
 * Recovery by MoldUDP64 re-request: asks the configured server for a capped chunk from the next
 * sequence and waits for progress until a timeout. Answers arrive on the receiver's re-request
 * socket (connected to that server) and go through the ordering like any packet. One thread.
 */
final class RerequestPoller
{
    private final Sequencer.Rerequester rerequester;
    private final String partitionCode;
    private final SequencerCounters counters;
    private final long timeoutNs;
    private byte[] session;
    private int sessionDay = -1;
    private long markSeq;
    private int markDay;
    private long deadlineNs;

    RerequestPoller(
        final Sequencer.Rerequester rerequester, final String partitionCode, final SequencerCounters counters,
        final long timeoutNs)
    {
        this.rerequester = rerequester;
        this.partitionCode = partitionCode;
        this.counters = counters;
        this.timeoutNs = timeoutNs;
    }

    /**
     * Ask for {@code count} messages of a day from {@code sequence}.
     *
     * @param day      the day.
     * @param sequence the first wanted.
     * @param count    how many (already capped).
     * @param nowNs    now.
     */
    void request(final int day, final long sequence, final int count, final long nowNs)
    {
        if (day != sessionDay)
        {
            session = MoldUdp64.session(partitionCode, day);
            sessionDay = day;
        }
        rerequester.request(session, sequence, count);
        counters.rerequests++;
        markDay = day;
        markSeq = sequence;
        deadlineNs = nowNs + timeoutNs;
    }

    /**
     * @param day      the day being released.
     * @param sequence the next sequence to release.
     * @return true when it moved since the last request.
     */
    boolean progressed(final int day, final long sequence)
    {
        return day != markDay || sequence > markSeq;
    }

    /**
     * @param nowNs now.
     * @return true when the answer is overdue.
     */
    boolean timedOut(final long nowNs)
    {
        return nowNs - deadlineNs > 0;
    }
}
