package io.tickjournal.tailer;

/**
 * The recovery half of a sequencer: a non-blocking state machine, stepped by {@link #poll(long)} on
 * the injected clock, that fills the ordering's gap from one source at a time, as Aeron's
 * {@code ReplayMerge} steps a replay and {@code LossDetector} a loss.
 * <pre>
 * | state         | does                                           | leaves for                                    |
 * |===============|================================================|===============================================|
 * | IDLE          | nothing                                        | REORDER_WAIT when a gap opens (gaps + 1)      |
 * | REORDER_WAIT  | waits reorderWindow for the gap to fill itself | the next source, or give-up                   |
 * | REPLICA       | reads the range from the local replica         | the next source when it has nothing more      |
 * | REREQUEST     | waits for the answer to a capped request       | the next source on progress or timeout        |
 * | TCP           | streams a replay from the replication source   | REORDER_WAIT when it fails (back-off)         |
 * </pre>
 * Any state goes back to IDLE when the gap closes (a repair, timed) or when it gives up. The next
 * source is, in order: the replica when it holds the range; TCP for a gap above {@code tcpThreshold},
 * after {@code maxRetries} unanswered re-requests, or when there is no re-request server, unless it is
 * backing off; a re-request while fewer than {@code 2 x maxRetries} went unanswered; else, once
 * {@code giveUp} has passed since the gap opened, {@link RecordOrdering#giveUp()} (skip to the first
 * record held or the known day end; never to a sequence only announced). Retries reset on progress,
 * when TCP fails and with every gap. One thread (the receiver's).
 */
public final class GapRecovery
{
    /** Where recovery stands. */
    public enum State
    {
        /** No gap. */
        IDLE,
        /** A gap is open; waiting briefly for reordered packets, or for a back-off to end. */
        REORDER_WAIT,
        /** Reading the gap from the local replica. */
        REPLICA,
        /** A re-request is out. */
        REREQUEST,
        /** A TCP replay is open. */
        TCP
    }

    private static final int REPLICA_BATCH = 1024;

    private final RecordOrdering ordering;
    private final SequencerCounters counters;
    private final Sequencer.Settings settings;
    private final ReplicaPoller replica;
    private final RerequestPoller rerequest;
    private final TcpPoller tcp;
    private State state = State.IDLE;
    private long gapStartNs;
    private int retries;

    /**
     * @param ordering  the ordering whose gaps it fills.
     * @param counters  where gaps, repairs and requests are counted.
     * @param settings  timeouts and limits.
     * @param replica   the replica source, or null.
     * @param rerequest the re-request source, or null.
     * @param tcp       the TCP replay source, or null.
     */
    GapRecovery(
        final RecordOrdering ordering, final SequencerCounters counters, final Sequencer.Settings settings,
        final ReplicaPoller replica, final RerequestPoller rerequest, final TcpPoller tcp)
    {
        this.ordering = ordering;
        this.counters = counters;
        this.settings = settings;
        this.replica = replica;
        this.rerequest = rerequest;
        this.tcp = tcp;
    }

    /** @return the current state. */
    public State state()
    {
        return state;
    }

    /**
     * Step recovery.
     *
     * @param nowNs now.
     * @return work done.
     */
    public int poll(final long nowNs)
    {
        if (!ordering.hasGap())
        {
            if (state != State.IDLE)
            {
                repaired(nowNs);
            }
            return 0;
        }
        switch (state)
        {
            case IDLE:
                state = State.REORDER_WAIT;
                gapStartNs = nowNs;
                retries = 0;
                counters.gaps++;
                return 1;
            case REORDER_WAIT:
                return nowNs - gapStartNs < settings.reorderWindowNs() ? 0 : nextSource(nowNs);
            case REPLICA:
                return nextSource(nowNs);
            case REREQUEST:
                if (rerequest.progressed(ordering.day(), ordering.nextSequence()))
                {
                    retries = 0;
                    return nextSource(nowNs);
                }
                if (rerequest.timedOut(nowNs))
                {
                    retries++;
                    return nextSource(nowNs);
                }
                return 0;
            case TCP:
                final int n = tcp.poll(nowNs);
                if (!tcp.isOpen())
                {
                    retries = 0;
                    state = State.REORDER_WAIT;
                }
                return n;
            default:
                return 0;
        }
    }

    private int nextSource(final long nowNs)
    {
        if (replica != null)
        {
            // Read the gap only: what lies beyond it is held already or is about to arrive live.
            final int n = replica.read((int)Math.min(REPLICA_BATCH, Math.max(1, ordering.gapSize())));
            if (n > 0)
            {
                state = State.REPLICA;
                return n;
            }
            if (replica.endDayIfHeld() && !ordering.hasGap())
            {
                return 1;
            }
        }
        final long size = ordering.gapSize();
        if (tcp != null && tcp.ready(nowNs) &&
            (size > settings.tcpThreshold() || retries >= settings.maxRetries() || rerequest == null))
        {
            if (tcp.open(nowNs))
            {
                state = State.TCP;
                return 1;
            }
        }
        if (rerequest != null && retries < settings.maxRetries() * 2)
        {
            rerequest.request(ordering.day(), ordering.nextSequence(),
                (int)Math.max(1, Math.min(size, settings.maxPerRequest())), nowNs);
            state = State.REREQUEST;
            return 1;
        }
        if (nowNs - gapStartNs > settings.giveUpNs())
        {
            ordering.giveUp();
            closeTcp();
            state = State.IDLE;
            retries = 0;
            return 1;
        }
        state = State.REORDER_WAIT;
        return 0;
    }

    private void repaired(final long nowNs)
    {
        final long took = nowNs - gapStartNs;
        counters.repairs++;
        counters.lastRepairNs = took;
        counters.totalRepairNs += took;
        if (took > counters.maxRepairNs)
        {
            counters.maxRepairNs = took;
        }
        closeTcp();
        state = State.IDLE;
        retries = 0;
    }

    private void closeTcp()
    {
        if (tcp != null)
        {
            tcp.close();
        }
    }

    /** Close any recovery connection. */
    public void close()
    {
        closeTcp();
    }
}
