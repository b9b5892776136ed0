package io.tickjournal.journal;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Touches the pages of each registered partition's current cycle file ahead of its writer, on a
 * background thread, so the writer does not pay for the first write to each page (the kernel
 * allocating and zeroing it: measured at about a fifth of the ingest path's time on this kind of
 * machine). Chronicle's own pretoucher is not in the open-source build.
 * <p>
 * Each page is touched with an atomic compare-and-set of 0 to 0 through this thread's own mapping
 * of the file: it makes the page resident and writable but can never change a byte (it writes
 * only when the word is already 0, and then writes 0). Only the file's existing length is mapped,
 * and Chronicle does not shrink cycle files, so no access can fault past the end.
 * <p>
 * <b>Free space:</b> a touched page is an allocated page. The lead is kept within half of what the
 * file system has free beyond the writer's {@link DiskSpace#reserveBytes() reserve} (asked once per
 * step), so the pretoucher can never be what fills a disk: on a 20 MiB file system a fixed 16 MiB
 * lead filled it within seconds and the next write to the mapping killed the JVM with SIGBUS.
 */
public final class Pretoucher implements AutoCloseable
{
    private static final int PAGE = 4096;
    private static final long WINDOW = 8 << 20;

    /** Copied on register and unregister (rare), read as an array each step: no iterator, no allocation. */
    private final AtomicReference<Target[]> targets = new AtomicReference<>(new Target[0]);
    private final long aheadBytes;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long pagesTouched;

    private static final class Target
    {
        final PartitionWriter writer;
        FileChannel channel;
        int day = Integer.MIN_VALUE;
        long touchedUpTo;

        Target(final PartitionWriter writer)
        {
            this.writer = writer;
        }
    }

    /**
     * Start the background thread.
     *
     * @param aheadBytes how far ahead of each writer to keep pages touched (e.g. 16 MiB).
     */
    public Pretoucher(final long aheadBytes)
    {
        this.aheadBytes = aheadBytes;
        this.thread = new Thread(this::run, "tickjournal-pretoucher");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Keep pages ahead of a writer touched.
     *
     * @param writer the writer.
     */
    public void register(final PartitionWriter writer)
    {
        final Target target = new Target(writer);
        Target[] current;
        Target[] next;
        do
        {
            current = targets.get();
            next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = target;
        }
        while (!targets.compareAndSet(current, next));
    }

    /**
     * Stop touching a writer's pages (before closing it).
     *
     * @param writer the writer.
     */
    public void unregister(final PartitionWriter writer)
    {
        Target[] current;
        Target[] next;
        do
        {
            current = targets.get();
            next = Arrays.stream(current).filter(t -> t.writer != writer).toArray(Target[]::new);
        }
        while (!targets.compareAndSet(current, next));
        for (final Target target : current)
        {
            if (target.writer == writer)
            {
                closeChannel(target); // a step on it that is under way fails on the closed channel and is skipped
            }
        }
    }

    /** @return pages touched so far. */
    public long pagesTouched()
    {
        return pagesTouched;
    }

    private void run()
    {
        while (running)
        {
            boolean busy = false;
            for (final Target target : targets.get())
            {
                try
                {
                    busy |= step(target);
                }
                catch (final IOException | RuntimeException ex)
                {
                    closeChannel(target);
                }
            }
            if (!busy)
            {
                LockSupport.parkNanos(200_000L);
            }
        }
        for (final Target target : targets.get())
        {
            closeChannel(target);
        }
    }

    private boolean step(final Target target) throws IOException
    {
        // the day, not its file's path: a step builds no path (no allocation) until the day rolls
        final int day = target.writer.currentDay();
        final long position = target.writer.writePosition();
        if (day == Integer.MIN_VALUE || position <= 0)
        {
            return false;
        }
        if (day != target.day || target.channel == null)
        {
            closeChannel(target);
            final Path file = target.writer.cycleFile(day);
            if (!Files.exists(file))
            {
                return false;
            }
            target.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            target.day = day;
            target.touchedUpTo = 0;
        }
        final long from = Math.max(target.touchedUpTo, position & -PAGE);
        final long lead = Math.min(aheadBytes, target.writer.diskSpace().spareBytes() / 2);
        final long limit = Math.min(position + lead, target.channel.size() & -PAGE);
        if (limit - from < PAGE)
        {
            return false;
        }
        final long length = Math.min(WINDOW, limit - from);
        final MappedByteBuffer map = target.channel.map(FileChannel.MapMode.READ_WRITE, from, length);
        try
        {
            final UnsafeBuffer pages = new UnsafeBuffer(map);
            for (int offset = 0; offset < length && running; offset += PAGE)
            {
                pages.compareAndSetInt(offset, 0, 0);
            }
        }
        finally
        {
            IoUtil.unmap(map);
        }
        pagesTouched += length / PAGE;
        target.touchedUpTo = from + length;
        return true;
    }

    private static void closeChannel(final Target target)
    {
        if (target.channel != null)
        {
            try
            {
                target.channel.close();
            }
            catch (final IOException ignore)
            {
                // closing anyway
            }
            target.channel = null;
            target.day = Integer.MIN_VALUE;
        }
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
