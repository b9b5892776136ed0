package io.tickjournal.ingest;

import org.agrona.concurrent.EpochNanoClock;

/** A clock tests move by hand. */
public final class ManualClock implements EpochNanoClock
{
    private long nowNs;

    /**
     * @param startNs first reading.
     */
    public ManualClock(final long startNs)
    {
        this.nowNs = startNs;
    }

    @Override
    public long nanoTime()
    {
        return nowNs;
    }

    /**
     * @param ns how far to move.
     * @return the new time.
     */
    public long advance(final long ns)
    {
        nowNs += ns;
        return nowNs;
    }
}
