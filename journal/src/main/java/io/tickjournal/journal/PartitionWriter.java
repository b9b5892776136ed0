package io.tickjournal.journal;

import io.tickjournal.journal.sbe.InstrumentDefinitionDecoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The single appender of one partition: validates each record, stamps it into the trading day of
 * its receive time, and begins every day with the instrument definitions in use.
 * <p>
 * <b>Threading:</b> exactly one thread may append, the first one that does; another thread's
 * append throws {@link IllegalStateException} (a bug, not a runtime condition). Another process
 * (or another writer in this one) is kept out by a {@link PartitionLock} held for this writer's life:
 * opening a partition someone else writes throws {@link PartitionLock.PartitionLockedException}
 * naming the holder. (Chronicle's own write lock only serialises appends; it does not keep a second
 * writer out.)
 * <p>
 * <b>Disk space:</b> every {@link DiskSpace#CHECK_STEP_BYTES} appended, the writer asks the file
 * system how much is free; below the {@link DiskSpace#reserveBytes() reserve} it stops appending and
 * {@link #append} returns {@link #NO_SPACE} (nothing of the record is written, so nothing is torn),
 * and while paused it looks again every {@link #PAUSED_CHECK_INTERVAL_NS} of receive time, resuming
 * once a quarter of the reserve more is free. A memory-mapped write with no page left to allocate
 * would be a SIGBUS that kills the process. {@link #appendWithinReserve} lets the owner journal that
 * it paused, out of the reserve.
 * <p>
 * <b>Days:</b> the queue's clock is this writer's, set from each record's receive time before the
 * append, so a record lands in the day its receive time names (receive times are clamped to never
 * go back, so a clock step backwards cannot reopen a closed day). When an append starts a new day,
 * the writer first re-appends every {@code InstrumentDefinition} it has seen, with the new
 * record's receive time, so each day replays with no outside state.
 * <p>
 * <b>Bad input:</b> a record that fails {@link RecordValidator} is refused with a negative code
 * and counted; nothing of it reaches the journal.
 */
public final class PartitionWriter implements AutoCloseable
{
    /** Append refused: the bytes are not a valid record (see {@link #lastRejectReason()}). */
    public static final long REJECTED = -1;
    /** Append refused: the file system is below this writer's free-space reserve (see {@link DiskSpace}). */
    public static final long NO_SPACE = -3;
    /** While paused for space, free space is looked at again after this much receive time. */
    public static final long PAUSED_CHECK_INTERVAL_NS = 100_000_000L;

    private final WriterClock clock = new WriterClock();
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final String name;
    /** Definitions seen, by (venue, instrument), in first-seen order; a redefinition replaces in place. */
    private final Map<Long, byte[]> definitions = new LinkedHashMap<>();
    private final UnsafeBuffer definitionBuffer = new UnsafeBuffer(new byte[0]);
    private final net.openhft.chronicle.bytes.PointerBytesStore pointer = new net.openhft.chronicle.bytes.PointerBytesStore();
    private Thread owner;
    private volatile int currentDay = Integer.MIN_VALUE;
    private long lastIndex = -1;
    private long appended;
    private long rejected;
    private int lastRejectReason;
    /** Where the writer is in its cycle file (published every 16 appends for a {@link Pretoucher}). */
    private volatile long writePosition;
    private final Path dir;
    private final PartitionLock lock;
    private final DiskSpace space;
    private long bytesSinceSpaceCheck;
    private long lastSpaceCheckNs = Long.MIN_VALUE;
    private volatile boolean spacePaused;
    private volatile long lastUsableBytes;
    private long refusedForSpace;

    /**
     * Open the writer of a partition, with the default free-space reserve.
     *
     * @param dir the partition directory.
     * @throws PartitionLock.PartitionLockedException when another writer has the partition.
     * @throws java.io.UncheckedIOException            when the partition cannot be written (read-only,
     *                                                 or its file system already below the reserve).
     */
    public PartitionWriter(final Path dir)
    {
        this(dir, -1);
    }

    /**
     * Open the writer of a partition.
     *
     * @param dir          the partition directory.
     * @param reserveBytes free space to keep on its file system, or -1 for {@link DiskSpace}'s default.
     * @throws PartitionLock.PartitionLockedException when another writer has the partition.
     * @throws java.io.UncheckedIOException            when the partition cannot be written (read-only,
     *                                                 or its file system already below the reserve).
     */
    public PartitionWriter(final Path dir, final long reserveBytes)
    {
        this.name = dir.getFileName().toString();
        this.dir = dir;
        this.lock = PartitionLock.acquire(dir, "command=" + holderCommand());
        SingleChronicleQueue opened = null;
        try
        {
            this.space = DiskSpace.of(dir, reserveBytes);
            lastUsableBytes = space.usableBytes();
            if (lastUsableBytes < space.reserveBytes())
            {
                throw new java.io.UncheckedIOException(new java.io.IOException("partition " + dir + " has no room to start: " +
                    space.describe(lastUsableBytes) + "; free space first"));
            }
            IncompleteCycleFiles.check(dir);
            opened = Partition.open(dir, clock);
        }
        finally
        {
            if (opened == null)
            {
                lock.close();
            }
        }
        this.queue = opened;
        this.appender = queue.createAppender();
        this.lastIndex = queue.lastIndex();
        if (lastIndex >= 0)
        {
            currentDay = Partition.day(lastIndex);
            clock.lastMs = Math.max(clock.lastMs, TradingDay.startNs(currentDay) / 1_000_000L);
        }
    }

    /**
     * Append one record.
     *
     * @param buffer holds the record, SBE header first.
     * @param offset where it starts.
     * @param length its exact length.
     * @return the queue index of the record (see {@link Partition#day(long)} and
     * {@link Partition#sequence(long)}), or {@link #REJECTED}.
     */
    public long append(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!accepts(buffer, offset, length))
        {
            return REJECTED;
        }

        final long receiveTimeNs = Records.receiveTimeNs(buffer, offset);
        if (!hasSpace(receiveTimeNs, length))
        {
            refusedForSpace++;
            return NO_SPACE;
        }
        return appendChecked(buffer, offset, length, receiveTimeNs);
    }

    /**
     * Append one record even while paused for space, out of the reserve: for the few records that
     * say the journal paused or resumed. Never call it for market data.
     *
     * @param buffer holds the record, SBE header first.
     * @param offset where it starts.
     * @param length its exact length.
     * @return the queue index of the record, {@link #REJECTED}, or {@link #NO_SPACE} when even the
     * reserve is down to its last quarter.
     */
    public long appendWithinReserve(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!accepts(buffer, offset, length))
        {
            return REJECTED;
        }
        lastUsableBytes = space.usableBytes();
        if (lastUsableBytes < space.reserveBytes() / 4 + length)
        {
            return NO_SPACE;
        }
        return appendChecked(buffer, offset, length, Records.receiveTimeNs(buffer, offset));
    }

    private long appendChecked(final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs)
    {
        clock.advanceTo(Math.floorDiv(receiveTimeNs, 1_000_000L));
        final int day = (int)(clock.lastMs / TradingDay.MILLIS_PER_DAY);
        final boolean isDefinition = Records.templateId(buffer, offset) == InstrumentDefinitionDecoder.TEMPLATE_ID;
        if (day != currentDay)
        {
            currentDay = day;
            beginDay(receiveTimeNs, isDefinition ? definitionKey(buffer, offset) : Long.MIN_VALUE);
        }
        if (isDefinition)
        {
            remember(buffer, offset, length);
        }
        return write(buffer, offset, length);
    }

    /** {@link #appendReplica} refused: the record would not land at the position it has at the source. */
    public static final long POSITION_MISMATCH = -2;

    /**
     * Append a record copied from another journal at the same (day, sequence) it has there: the
     * replica's path. The day is the source's, not the record's receive time, and no definitions
     * are re-appended (the source's day already begins with them), so positions stay identical.
     *
     * @param day      the record's trading day at the source.
     * @param sequence its sequence in that day at the source.
     * @param buffer   the record.
     * @param offset   where it starts.
     * @param length   its length.
     * @return the index, {@link #REJECTED} for an invalid record, {@link #POSITION_MISMATCH}
     * when the next position of this partition is not (day, sequence), or {@link #NO_SPACE} while
     * its file system is below the reserve: nothing is written then.
     */
    public long appendReplica(final int day, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!accepts(buffer, offset, length))
        {
            return REJECTED;
        }
        final long expected = lastIndex < 0 || Partition.day(lastIndex) != day ? 1 : Partition.sequence(lastIndex) + 1;
        if (sequence != expected || (lastIndex >= 0 && day < Partition.day(lastIndex)))
        {
            return POSITION_MISMATCH;
        }
        if (!hasSpace(Records.receiveTimeNs(buffer, offset), length))
        {
            refusedForSpace++;
            return NO_SPACE;
        }
        clock.advanceTo(TradingDay.startNs(day) / 1_000_000L);
        currentDay = day;
        final long index = write(buffer, offset, length);
        if (index != Partition.index(day, sequence))
        {
            throw new IllegalStateException("replica " + name + " wrote " + Partition.day(index) + "/" +
                Partition.sequence(index) + " where the source has " + day + "/" + sequence);
        }
        return index;
    }

    /** The running command as the JVM saw it ("...tickjournal.jar ingest --config ..."), clipped: names the holder in the lock file. */
    private static String holderCommand()
    {
        final String command = System.getProperty("sun.java.command", "?").replace('\n', ' ');
        return command.length() > 200 ? command.substring(0, 200) + "..." : command;
    }

    /** Owner check and validation shared by both appends; a refused record is counted with its reason. */
    private boolean accepts(final DirectBuffer buffer, final int offset, final int length)
    {
        checkOwner();
        final int valid = RecordValidator.validate(buffer, offset, length);
        if (valid != RecordValidator.OK)
        {
            rejected++;
            lastRejectReason = valid;
            return false;
        }
        return true;
    }

    /**
     * Whether this writer has room to append now (the same check an append makes, so while paused
     * it asks the file system at most once per {@link #PAUSED_CHECK_INTERVAL_NS} of receive time).
     * Lets an owner journal that it resumes before its first resumed record.
     *
     * @param receiveTimeNs the receive time of the record about to be appended.
     * @return true when an append would not be refused for space.
     */
    public boolean checkSpace(final long receiveTimeNs)
    {
        return hasSpace(receiveTimeNs, 0);
    }

    /**
     * Whether there is room for a record, asking the file system once per {@link DiskSpace#CHECK_STEP_BYTES}
     * appended, and while paused once per {@link #PAUSED_CHECK_INTERVAL_NS} of receive time.
     */
    private boolean hasSpace(final long receiveTimeNs, final int length)
    {
        if (spacePaused)
        {
            if (receiveTimeNs - lastSpaceCheckNs < PAUSED_CHECK_INTERVAL_NS && lastSpaceCheckNs != Long.MIN_VALUE)
            {
                return false;
            }
            lastSpaceCheckNs = receiveTimeNs;
            lastUsableBytes = space.usableBytes();
            if (lastUsableBytes < space.reserveBytes() + space.reserveBytes() / 4)
            {
                return false;
            }
            spacePaused = false;
            bytesSinceSpaceCheck = 0;
        }
        bytesSinceSpaceCheck += length;
        if (bytesSinceSpaceCheck >= DiskSpace.CHECK_STEP_BYTES)
        {
            bytesSinceSpaceCheck = 0;
            lastUsableBytes = space.usableBytes();
            if (lastUsableBytes < space.reserveBytes())
            {
                spacePaused = true;
                lastSpaceCheckNs = receiveTimeNs;
                return false;
            }
        }
        return true;
    }

    private void beginDay(final long receiveTimeNs, final long skipKey)
    {
        for (final byte[] definition : definitions.values())
        {
            definitionBuffer.wrap(definition);
            if (definitionKey(definitionBuffer, 0) == skipKey)
            {
                continue;
            }
            definitionBuffer.putLong(Records.RECEIVE_TIME_OFFSET, receiveTimeNs, Records.ORDER);
            write(definitionBuffer, 0, definition.length);
        }
    }

    private void remember(final DirectBuffer buffer, final int offset, final int length)
    {
        final long key = definitionKey(buffer, offset);
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        definitions.put(key, copy);
    }

    private static long definitionKey(final DirectBuffer buffer, final int offset)
    {
        return ((long)Records.venueId(buffer, offset) << 32) | (Records.instrumentId(buffer, offset) & 0xFFFF_FFFFL);
    }

    private long write(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] heap = buffer.byteArray();
        if (heap == null && (appended & 15) != 0)
        {
            // Off-heap record: one native copy through Chronicle's writeBytes, no document context
            // (measured 4-6% more ingest throughput). Every 16th append takes the document path below,
            // which also publishes the write position for the pretoucher.
            pointer.set(buffer.addressOffset() + offset, length);
            appender.writeBytes(pointer);
            appended++;
            lastIndex = appender.lastIndexAppended();
            return lastIndex;
        }
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            final byte[] array = buffer.byteArray();
            if (array != null)
            {
                bytes.write(array, buffer.wrapAdjustment() + offset, length);
            }
            else
            {
                bytes.unsafeWrite(buffer.addressOffset() + offset, length);
            }
            if ((appended & 15) == 0)
            {
                writePosition = bytes.writePosition();
            }
        }
        appended++;
        lastIndex = appender.lastIndexAppended();
        return lastIndex;
    }

    private void checkOwner()
    {
        final Thread current = Thread.currentThread();
        if (owner != current)
        {
            if (owner != null)
            {
                throw new IllegalStateException("partition " + name + " is appended by " + owner.getName() +
                    "; " + current.getName() + " may not append (one writer per partition)");
            }
            owner = current;
        }
    }

    /**
     * The trading day being appended to (any thread; a moment old).
     *
     * @return the day, or {@link Integer#MIN_VALUE} before the first append.
     */
    public int currentDay()
    {
        return currentDay;
    }

    /**
     * The cycle file of a day of this partition.
     *
     * @param day a trading day.
     * @return its file.
     */
    public Path cycleFile(final int day)
    {
        return Partition.cycleFile(dir, day);
    }

    /**
     * Byte position of the writer in its cycle file (any thread; updated every 16 appends).
     *
     * @return the position.
     */
    public long writePosition()
    {
        return writePosition;
    }

    /**
     * Index of the last record this writer (or the partition before it was opened) holds.
     *
     * @return the queue index, or -1 when empty.
     */
    public long lastIndex()
    {
        return lastIndex;
    }

    /** @return true while appends are refused for lack of space (any thread; a moment old). */
    public boolean spacePaused()
    {
        return spacePaused;
    }

    /** @return free bytes at the last check (any thread; a moment old). */
    public long lastUsableBytes()
    {
        return lastUsableBytes;
    }

    /** @return records refused for lack of space. */
    public long refusedForSpace()
    {
        return refusedForSpace;
    }

    /** @return the free space this writer watches, and its reserve. */
    public DiskSpace diskSpace()
    {
        return space;
    }

    public long appendedCount()
    {
        return appended;
    }

    public long rejectedCount()
    {
        return rejected;
    }

    /**
     * Why the last refused append was refused.
     *
     * @return a {@link RecordValidator} code.
     */
    public int lastRejectReason()
    {
        return lastRejectReason;
    }

    public String name()
    {
        return name;
    }

    /**
     * The partition's queue, for tailers in the same process.
     *
     * @return the queue (owned by this writer).
     */
    public SingleChronicleQueue queue()
    {
        return queue;
    }

    @Override
    public void close()
    {
        appender.close();
        queue.close();
        lock.close();
    }

    /** The queue's clock: the receive time of the record being appended, never going back. */
    private static final class WriterClock implements TimeProvider
    {
        long lastMs;

        void advanceTo(final long ms)
        {
            if (ms > lastMs)
            {
                lastMs = ms;
            }
        }

        @Override
        public long currentTimeMillis()
        {
            return lastMs;
        }

        @Override
        public long currentTimeMicros()
        {
            return lastMs * 1000L;
        }

        @Override
        public long currentTimeNanos()
        {
            return lastMs * 1_000_000L;
        }
    }
}
