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
    int pendingResponses;
    long windowStartNs;
    int sentInWindow;
    int seenCount;
    boolean replacement;
    String closeReason;

    VenueConnection(final int id, final int slot, final ConnectionPlan plan, final long nowNs, final boolean replacement)
    {
        this.id = id;
        this.slot = slot;
        this.plan = plan;
        this.seen = new long[(plan.streams().size() + 63) / 64];
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
