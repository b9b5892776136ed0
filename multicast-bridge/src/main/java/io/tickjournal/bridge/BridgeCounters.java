package io.tickjournal.bridge;

/**
 * What a bridge has done, written by the bridge thread only. Readers on other threads (the demo
 * view, stats) see values that may lag by a duty cycle; they are counters, not control state.
 */
public final class BridgeCounters
{
    volatile long packetsSent;
    volatile long messagesPacked;
    volatile long heartbeats;
    volatile long endOfSessions;
    volatile long sendFailures;
    volatile long sendBackPressured;
    volatile long oversizeSkipped;

    public long packetsSent()
    {
        return packetsSent;
    }

    public long messagesPacked()
    {
        return messagesPacked;
    }

    public long heartbeats()
    {
        return heartbeats;
    }

    public long endOfSessions()
    {
        return endOfSessions;
    }

    public long sendFailures()
    {
        return sendFailures;
    }

    public long sendBackPressured()
    {
        return sendBackPressured;
    }

    public long oversizeSkipped()
    {
        return oversizeSkipped;
    }
}
