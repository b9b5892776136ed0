package io.tickjournal.tailer;

/**
 * Counters of one sequencer, written by the receiver's thread and read by views (plain fields
 * written by one thread; readers may see a value a moment old).
 */
public final class SequencerCounters
{
    public long messages;
    public long delivered;
    public long duplicates;
    public long gaps;
    public long repairs;
    public long recoveredFromReplica;
    public long recoveredByRerequest;
    public long recoveredByTcp;
    public long rerequests;
    public long tcpReplays;
    public long unrecovered;
    public long overflow;
    public long lastRepairNs;
    public long maxRepairNs;
    public long totalRepairNs;
    public long heartbeats;
    public long daysCompleted;
    /** Packets whose framing overran the datagram (counts, lengths). */
    public long malformed;
    /** Messages that are not a valid record of the schema: dropped, and their sequence repaired like a loss. */
    public long invalid;
    /** Packets whose session names a day more than one from the tailer's clock, or a day that does not follow. */
    public long otherDay;
    /** Sequences at or beyond the reorder window: dropped, never a target to skip to. */
    public long beyondWindow;
    /** Day ends that contradict records already known (an end below them): ignored. */
    public long contradictions;
    /** Days left with their tail unknown after every source gave up (the next day had begun). */
    public long daysAbandoned;
    /** Gaps given up with no known end: the hint dropped, nothing skipped. */
    public long hintsDropped;
    /** TCP replays that failed (refused, closed, idle, cannot connect), each followed by a back-off. */
    public long tcpFailures;

    @Override
    public String toString()
    {
        return "messages=" + messages + " delivered=" + delivered + " duplicates=" + duplicates + " gaps=" + gaps +
            " repairs=" + repairs + " fromReplica=" + recoveredFromReplica + " byRerequest=" + recoveredByRerequest +
            " byTcp=" + recoveredByTcp + " rerequests=" + rerequests + " tcpReplays=" + tcpReplays +
            " unrecovered=" + unrecovered + " overflow=" + overflow + " maxRepairUs=" + maxRepairNs / 1000 +
            " daysCompleted=" + daysCompleted + " malformed=" + malformed + " invalid=" + invalid + " otherDay=" + otherDay +
            " beyondWindow=" + beyondWindow + " contradictions=" + contradictions + " daysAbandoned=" + daysAbandoned +
            " hintsDropped=" + hintsDropped + " tcpFailures=" + tcpFailures;
    }
}
