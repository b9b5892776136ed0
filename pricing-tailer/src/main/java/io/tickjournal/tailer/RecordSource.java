package io.tickjournal.tailer;

/**
 * Where a record reached the sequencer from. The in-order sources (the local replica and a TCP
 * replay) deliver a partition's records in (day, sequence) order, so moving on to a later day tells
 * where the day ended; the datagram sources (live multicast and re-request answers) promise no order.
 */
public enum RecordSource
{
    /** The multicast channel. */
    LIVE(false),
    /** An answer of the configured re-request server. */
    REREQUEST(false),
    /** The local replica journal. */
    REPLICA(true),
    /** A TCP replay from the configured replication source. */
    TCP(true);

    private final boolean inOrder;

    RecordSource(final boolean inOrder)
    {
        this.inOrder = inOrder;
    }

    /** @return true when this source delivers in (day, sequence) order with nothing missing. */
    public boolean inOrder()
    {
        return inOrder;
    }
}
