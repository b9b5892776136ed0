package io.tickjournal.journal;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

    private final List<Target> targets = new CopyOnWriteArrayList<>();
    private final long aheadBytes;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long pagesTouched;

    private static final class Target
    {
        final PartitionWriter writer;
        FileChannel channel;
        Path file;
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
        targets.add(new Target(writer));
    }

    /**
     * Stop touching a writer's pages (before closing it).
     *
     * @param writer the writer.
     */
    public void unregister(final PartitionWriter writer)
    {
        targets.removeIf(t -> t.writer == writer);
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
            for (final Target target : targets)
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
        for (final Target target : targets)
        {
            closeChannel(target);
        }
    }

    private boolean step(final Target target) throws IOException
    {
        final Path file = target.writer.currentFile();
        final long position = target.writer.writePosition();
        if (file == null || position <= 0)
        {
            return false;
        }
        if (!file.equals(target.file))
        {
            closeChannel(target);
            if (!Files.exists(file))
            {
                return false;
            }
            target.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            target.file = file;
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
            target.file = null;
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
