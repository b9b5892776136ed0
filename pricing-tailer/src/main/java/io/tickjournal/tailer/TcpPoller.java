package io.tickjournal.tailer;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Recovery by TCP replay from the configured replication source: one connection at a time, its
 * records fed in order through the ordering, closed when it fails, is refused or makes no progress
 * for {@code idleTimeoutNs}. After a failure the next connection waits a back-off that doubles from
 * {@link #MIN_BACKOFF_NS} to {@link #MAX_BACKOFF_NS}, with jitter (a uniformly random half of it), so
 * a source that refuses or is down is not hammered; a connection that delivered records resets it.
 * One receive buffer is reused by every connection. Failures go to the error handler (a bounded
 * distinct-error log). One thread.
 */
final class TcpPoller implements ReplicationClient.Handler
{
    /** First back-off: long enough that a refused connection is not retried within a duty cycle. */
    static final long MIN_BACKOFF_NS = 100_000_000L;
    /** Largest back-off: a source that comes back is used again within seconds. */
    static final long MAX_BACKOFF_NS = 5_000_000_000L;
    /** Receive buffer: larger than the largest record (64 KiB) plus a frame header, with room to batch. */
    static final int RECEIVE_BUFFER_BYTES = 1 << 20;

    private final Sequencer.TcpReplay opener;
    private final String partition;
    private final RecordOrdering ordering;
    private final SequencerCounters counters;
    private final ErrorHandler errorHandler;
    private final long idleTimeoutNs;
    private final SplittableRandom random;
    private ByteBuffer receiveBuffer;
    private ReplicationClient client;
    private long lastProgressNs;
    private long notBeforeNs;
    private long backoffNs = MIN_BACKOFF_NS;
    private long recordsThisConnection;

    TcpPoller(
        final Sequencer.TcpReplay opener, final String partition, final RecordOrdering ordering,
        final SequencerCounters counters, final ErrorHandler errorHandler, final long idleTimeoutNs, final long seed)
    {
        this.opener = opener;
        this.partition = partition;
        this.ordering = ordering;
        this.counters = counters;
        this.errorHandler = errorHandler;
        this.idleTimeoutNs = idleTimeoutNs;
        this.random = new SplittableRandom(seed);
    }

    /**
     * @param nowNs now.
     * @return true when no back-off is running.
     */
    boolean ready(final long nowNs)
    {
        return nowNs - notBeforeNs >= 0;
    }

    /** @return true while a connection is open. */
    boolean isOpen()
    {
        return client != null;
    }

    /** @return when the next connection may be opened (after a failure). */
    long notBeforeNs()
    {
        return notBeforeNs;
    }

    /**
     * Open a replay from the next sequence.
     *
     * @param nowNs now.
     * @return true when a connection is under way.
     */
    boolean open(final long nowNs)
    {
        if (receiveBuffer == null)
        {
            receiveBuffer = ByteBuffer.allocateDirect(RECEIVE_BUFFER_BYTES);
        }
        try
        {
            client = opener.open(partition, ordering.day(), ordering.nextSequence(), receiveBuffer);
        }
        catch (final IOException ex)
        {
            client = null;
            fail(nowNs, ex);
            return false;
        }
        counters.tcpReplays++;
        lastProgressNs = nowNs;
        recordsThisConnection = 0;
        return true;
    }

    /**
     * Read what arrived; close with a back-off when the connection failed or stalled.
     *
     * @param nowNs now.
     * @return records dispatched.
     */
    int poll(final long nowNs)
    {
        if (client == null)
        {
            return 0;
        }
        final int n = client.poll(this, 4096);
        if (n > 0)
        {
            lastProgressNs = nowNs;
            recordsThisConnection += n;
        }
        if (client.state() != ReplicationClient.OPEN)
        {
            fail(nowNs, new IOException("tcp replay of " + partition + ": " + client.failure()));
        }
        else if (nowNs - lastProgressNs > idleTimeoutNs)
        {
            fail(nowNs, new IOException("tcp replay of " + partition + ": no progress for " + idleTimeoutNs / 1_000_000 + " ms"));
        }
        return n;
    }

    /** Close the connection (the gap is repaired); a connection that delivered resets the back-off. */
    void close()
    {
        if (client != null)
        {
            client.close();
            client = null;
            if (recordsThisConnection > 0)
            {
                backoffNs = MIN_BACKOFF_NS;
            }
        }
    }

    private void fail(final long nowNs, final Throwable cause)
    {
        counters.tcpFailures++;
        errorHandler.onError(cause);
        if (client != null)
        {
            client.close();
            client = null;
        }
        if (recordsThisConnection > 0)
        {
            backoffNs = MIN_BACKOFF_NS;
            recordsThisConnection = 0;
        }
        final long half = backoffNs >> 1;
        notBeforeNs = nowNs + half + random.nextLong(half + 1);
        backoffNs = Math.min(MAX_BACKOFF_NS, backoffNs << 1);
    }

    @Override
    public void onRecord(final int day, final long sequence, final UnsafeBuffer buffer, final int offset, final int length)
    {
        ordering.onMessage(day, sequence, buffer, offset, length, RecordSource.TCP);
    }

    @Override
    public void onHeartbeat(final int day, final long sequence)
    {
        ordering.onHeartbeat(day, sequence, RecordSource.TCP);
    }
}
