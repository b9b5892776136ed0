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

    @Override
    public String toString()
    {
        return "messages=" + messages + " delivered=" + delivered + " duplicates=" + duplicates + " gaps=" + gaps +
            " repairs=" + repairs + " fromReplica=" + recoveredFromReplica + " byRerequest=" + recoveredByRerequest +
            " byTcp=" + recoveredByTcp + " rerequests=" + rerequests + " tcpReplays=" + tcpReplays +
            " unrecovered=" + unrecovered + " overflow=" + overflow + " maxRepairUs=" + maxRepairNs / 1000 +
            " daysCompleted=" + daysCompleted;
    }
}
