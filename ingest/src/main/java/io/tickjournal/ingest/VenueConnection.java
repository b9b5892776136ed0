package io.tickjournal.ingest;

/**
 * State of one WebSocket connection of a feed. Mutated by its {@link FeedSession} only.
 */
public final class VenueConnection
{
    /** Connection states. */
    public enum State
    {
        CONNECTING,
        SUBSCRIBING,
        LIVE,
        CLOSING,
        CLOSED
    }

    final int id;
    final int slot;
    final ConnectionPlan plan;
    final long[] seen;
    State state = State.CONNECTING;
    long createdNs;
    long openedNs;
    long liveSinceNs;
    long lastDataNs;
    int nextStream;
    boolean preambleSent;
    int pendingResponses;
    long windowStartNs;
    int sentInWindow;
    int seenCount;
    int refusals;
    long lastPingNs;
    final long[] resubscribe;
    int resubscribeCount;
    boolean replacement;
    String closeReason;

    VenueConnection(final int id, final int slot, final ConnectionPlan plan, final long nowNs, final boolean replacement)
    {
        this.id = id;
        this.slot = slot;
        this.plan = plan;
        this.seen = new long[(plan.streams().size() + 63) / 64];
        this.resubscribe = new long[seen.length];
        this.lastPingNs = nowNs;
        this.createdNs = nowNs;
        this.lastDataNs = nowNs;
        this.replacement = replacement;
    }

    /** @return the connection id (in VenueStatus and RawFrame records). */
    public int id()
    {
        return id;
    }

    /** @return its state. */
    public State state()
    {
        return state;
    }

    /** @return the plan it serves. */
    public ConnectionPlan plan()
    {
        return plan;
    }

    void markResubscribe(final int position)
    {
        final long bit = 1L << (position & 63);
        if ((resubscribe[position >> 6] & bit) == 0)
        {
            resubscribe[position >> 6] |= bit;
            resubscribeCount++;
        }
    }

    void unmarkResubscribe(final int position)
    {
        final long bit = 1L << (position & 63);
        if ((resubscribe[position >> 6] & bit) != 0)
        {
            resubscribe[position >> 6] &= ~bit;
            resubscribeCount--;
        }
    }

    void clearResubscribe()
    {
        java.util.Arrays.fill(resubscribe, 0);
        resubscribeCount = 0;
    }

    int nextResubscribe(final int from)
    {
        for (int position = from, n = plan.streams().size(); position < n; position++)
        {
            if ((resubscribe[position >> 6] & (1L << (position & 63))) != 0)
            {
                return position;
            }
        }
        return -1;
    }

    boolean markSeen(final int position)
    {
        final long bit = 1L << (position & 63);
        if ((seen[position >> 6] & bit) != 0)
        {
            return false;
        }
        seen[position >> 6] |= bit;
        seenCount++;
        return true;
    }
}
