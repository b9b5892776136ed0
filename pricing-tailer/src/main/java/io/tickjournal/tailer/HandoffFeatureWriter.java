package io.tickjournal.tailer;

import io.tickjournal.journal.Partition;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.Pretoucher;
import io.tickjournal.journal.sbe.FeatureSnapshotEncoder;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A new feature partition written on a thread of its own: the engine's thread encodes each
 * FeatureSnapshot (the same bytes {@link FeatureJournalWriter} appends) straight into an Agrona
 * {@link OneToOneRingBuffer}, and an appender thread takes them out in order and appends them
 * through Chronicle. A backfill appends a 306-byte record for every input record, which costs about
 * as much as computing the features; on two threads the two run at once.
 * <p>
 * The appender thread opens the {@link PartitionWriter} and is its only writer (one writer per
 * partition, and Chronicle's appender is per thread). Nothing is allocated per record: the engine
 * claims room in the ring and encodes in place; the appender reads with one handler.
 * <p>
 * <b>Failure on either side.</b> When an append is refused or throws, the appender stops and keeps
 * the cause: the engine's next feature set (or {@link #close()}) throws {@link AppendFailedException}
 * with one line saying what happened. When the engine's side fails, its caller closes this writer,
 * which appends what was handed over and stops the thread. For a new partition only (resuming is
 * {@link FeatureJournalWriter}'s: a restarted live tailer).
 */
public final class HandoffFeatureWriter implements FeatureEngine.Listener, AutoCloseable
{
    /**
     * Default ring size: room for about 110,000 feature records of 306 bytes, tens of milliseconds
     * of either side, so a pause of one (a page fault, a write-back stall, another process on its
     * core) does not stop the other.
     */
    public static final int DEFAULT_RING_BYTES = 32 << 20;

    private static final int FEATURES = 1;

    /** Appends one record to the partition (a seam for tests: the writer's own append otherwise). */
    @FunctionalInterface
    interface Appender
    {
        long append(PartitionWriter writer, DirectBuffer buffer, int offset, int length);
    }

    /** An append was refused or failed on the appender thread; the message is one line. */
    public static final class AppendFailedException extends IllegalStateException
    {
        private static final long serialVersionUID = 1L;

        AppendFailedException(final String message, final Throwable cause)
        {
            super(message, cause);
        }
    }

    private final Path dir;
    private final Pretoucher pretoucher;
    private final Appender appender;
    private final OneToOneRingBuffer ring;
    private final UnsafeBuffer ringBuffer;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final FeatureSnapshotEncoder encoder = new FeatureSnapshotEncoder();
    private final IdleStrategy claimIdle = idleStrategy();
    private final CountDownLatch opened = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closing;
    private volatile Throwable failure;
    private volatile long written;
    private volatile long appenderCpuNs;
    private long handedOver;
    private long waitsForRoom;
    private boolean closed;

    /**
     * Open the partition on a new appender thread.
     *
     * @param dir        the feature partition to create (it must hold no records).
     * @param ringBytes  the ring's capacity, a power of two.
     * @param pretoucher touches the partition's next pages ahead of the appends (started by the caller,
     *                   closed after this writer), or null.
     * @throws RuntimeException what {@link PartitionWriter}'s constructor throws when the partition cannot be opened.
     */
    public HandoffFeatureWriter(final Path dir, final int ringBytes, final Pretoucher pretoucher)
    {
        this(dir, ringBytes, pretoucher, PartitionWriter::append);
    }

    HandoffFeatureWriter(final Path dir, final int ringBytes, final Pretoucher pretoucher, final Appender appender)
    {
        if (Partition.hasCycleFiles(dir))
        {
            throw new IllegalArgumentException("feature partition " + dir + " already has records: a handoff writer writes a new one");
        }
        this.dir = dir;
        this.pretoucher = pretoucher;
        this.appender = appender;
        this.ringBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(ringBytes + RingBufferDescriptor.TRAILER_LENGTH));
        this.ring = new OneToOneRingBuffer(ringBuffer);
        this.thread = new Thread(this::run, "feature-appender");
        thread.setDaemon(true);
        thread.start();
        try
        {
            opened.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            closing = true;
            throw new AppendFailedException("interrupted while opening feature partition " + dir, ex);
        }
        final Throwable opening = failure;
        if (opening != null)
        {
            join();
            if (opening instanceof RuntimeException)
            {
                throw (RuntimeException)opening; // as the writer's own constructor throws it (a locked or full partition)
            }
            throw failed(opening);
        }
    }

    @Override
    public void onFeatures(
        final FeatureEngine.Instrument instrument, final FeatureSet features, final int day, final long sequence,
        final long receiveTimeNs)
    {
        if (failure != null)
        {
            throw failed(failure);
        }
        final int length = FeatureJournalWriter.encodedLength(features);
        int index;
        while ((index = ring.tryClaim(FEATURES, length)) <= 0)
        {
            final Throwable cause = failure;
            if (cause != null)
            {
                throw failed(cause);
            }
            if (index != RingBuffer.INSUFFICIENT_CAPACITY)
            {
                throw new AppendFailedException("feature record of " + length + " bytes does not fit the handoff ring", null);
            }
            waitsForRoom++;
            claimIdle.idle(); // the appender is behind: wait for room
        }
        claimIdle.reset();
        try
        {
            FeatureJournalWriter.encode(ringBuffer, index, header, encoder, instrument, features, day, sequence, receiveTimeNs);
        }
        catch (final RuntimeException ex)
        {
            ring.abort(index);
            throw ex;
        }
        ring.commit(index);
        handedOver++;
    }

    private void run()
    {
        final PartitionWriter writer;
        try
        {
            writer = new PartitionWriter(dir);
        }
        catch (final Throwable ex)
        {
            failure = ex;
            opened.countDown();
            return;
        }
        try
        {
            if (pretoucher != null)
            {
                pretoucher.register(writer);
            }
            opened.countDown();
            final MessageHandler handler = (type, buffer, index, length) ->
            {
                final long result = appender.append(writer, buffer, index, length);
                if (result < 0)
                {
                    throw new IllegalStateException(result == PartitionWriter.NO_SPACE ? "no space left (free-space reserve reached)" :
                        "record refused (" + result + ", reason " + writer.lastRejectReason() + ")");
                }
            };
            final IdleStrategy idle = idleStrategy();
            while (true)
            {
                if (ring.read(handler) > 0)
                {
                    idle.reset();
                    continue;
                }
                if (closing)
                {
                    // the engine's last commit happened before it set closing: drain what is left, then stop
                    while (ring.read(handler) > 0)
                    {
                        // drain
                    }
                    break;
                }
                idle.idle();
            }
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
        finally
        {
            appenderCpuNs = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            written = writer.appendedCount();
            if (pretoucher != null)
            {
                pretoucher.unregister(writer);
            }
            try
            {
                writer.close();
            }
            catch (final RuntimeException ex)
            {
                if (failure == null)
                {
                    failure = ex;
                }
            }
            opened.countDown();
        }
    }

    /** Spin, yield, then park up to 1 ms (Agrona's default): a waiting side takes little of a shared machine. */
    private static IdleStrategy idleStrategy()
    {
        return new BackoffIdleStrategy();
    }

    private AppendFailedException failed(final Throwable cause)
    {
        return new AppendFailedException("appending to feature partition " + dir + " failed: " +
            (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()), cause);
    }

    private void join()
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                thread.join();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** @return feature records handed to the appender so far (engine's thread). */
    public long handedOver()
    {
        return handedOver;
    }

    /** @return times the engine found the ring full and waited for the appender (engine's thread). */
    public long waitsForRoom()
    {
        return waitsForRoom;
    }

    /** @return the appender thread's CPU time, ns (once {@link #finish()} returned). */
    public long appenderCpuNs()
    {
        return appenderCpuNs;
    }

    /** @return feature records appended (final once {@link #close()} returned). */
    public long written()
    {
        return written;
    }

    /** {@link #finish()}. */
    @Override
    public void close()
    {
        finish();
    }

    /**
     * Append everything handed over, stop the appender thread and close the partition (once; later
     * calls do nothing).
     *
     * @throws AppendFailedException when an append failed.
     */
    public void finish()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        closing = true;
        join();
        final Throwable cause = failure;
        if (cause != null)
        {
            throw failed(cause);
        }
    }
}
