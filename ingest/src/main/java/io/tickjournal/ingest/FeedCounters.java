package io.tickjournal.ingest;

/**
 * Counters of one feed, written by the feed's thread and read by views (plain longs written by one thread: a reader
 * on another thread may see a slightly stale value, never a torn one on 64-bit JVMs).
 */
public final class FeedCounters
{
    public long frames;
    public long records;
    public long trades;
    public long deltas;
    public long marks;
    public long tops;
    public long duplicates;
    public long malformed;
    public long badValues;
    public long bookGaps;
    public long tradeGaps;
    public long resyncs;
    public long snapshots;
    public long snapshotsRefused;
    public long connects;
    public long disconnects;
    public long stalls;
    public long rotations;
    public long shutdownNotices;
    public long errorResponses;

    @Override
    public String toString()
    {
        return "frames=" + frames + " records=" + records + " trades=" + trades + " deltas=" + deltas + " tops=" + tops + " marks=" + marks +
            " duplicates=" + duplicates + " malformed=" + malformed + " badValues=" + badValues +
            " bookGaps=" + bookGaps + " tradeGaps=" + tradeGaps + " resyncs=" + resyncs + " snapshots=" + snapshots +
            " connects=" + connects + " disconnects=" + disconnects + " stalls=" + stalls + " rotations=" + rotations +
            " shutdownNotices=" + shutdownNotices + " errorResponses=" + errorResponses;
    }
}
