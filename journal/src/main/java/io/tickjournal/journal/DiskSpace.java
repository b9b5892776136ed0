package io.tickjournal.journal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space on the file system a partition lives on, and the reserve a writer keeps free.
 * <p>
 * Why: a journal is memory-mapped, so the first write to a page of a cycle file allocates it;
 * when the file system has no page left to give, the kernel answers with SIGBUS and the JVM dies
 * (seen on a 20 MiB file system within 10 s). Chronicle's disk monitor only logs, and the launcher
 * turns it off; a writer instead checks {@link #usableBytes()} before it could run out and stops
 * appending while less than {@link #reserveBytes()} is free. The reserve covers what Chronicle
 * writes besides records (headers, index pages, metadata), other writers on the same file system
 * between two checks, and the status records that say the journal paused.
 * <p>
 * {@link #usableBytes()} is a {@code statvfs} call (about a microsecond): writers call it once per
 * {@link #CHECK_STEP_BYTES} appended, never per record.
 */
public final class DiskSpace
{
    /** A writer re-checks free space after appending this many bytes (far below any reserve). */
    public static final long CHECK_STEP_BYTES = 64 * 1024;
    /** Largest default reserve: enough for minutes of every feed on a production disk. */
    public static final long MAX_DEFAULT_RESERVE_BYTES = 256L << 20;
    /** Smallest reserve: a few check steps of every partition on a tiny file system. */
    public static final long MIN_RESERVE_BYTES = 1L << 20;

    private final FileStore store;
    private final Path dir;
    private final File file;
    private final long reserveBytes;

    private DiskSpace(final FileStore store, final Path dir, final long reserveBytes)
    {
        this.store = store;
        this.dir = dir;
        this.file = dir.toFile();
        this.reserveBytes = reserveBytes;
    }

    /**
     * The space of the file system holding a directory, with the default reserve: a tenth of the
     * file system, at least {@link #MIN_RESERVE_BYTES} and at most {@link #MAX_DEFAULT_RESERVE_BYTES}.
     *
     * @param dir an existing directory.
     * @return its space.
     */
    public static DiskSpace of(final Path dir)
    {
        return of(dir, -1);
    }

    /**
     * The space of the file system holding a directory.
     *
     * @param dir          an existing directory.
     * @param reserveBytes bytes to keep free, or -1 for the default.
     * @return its space.
     */
    public static DiskSpace of(final Path dir, final long reserveBytes)
    {
        try
        {
            final FileStore store = Files.getFileStore(dir);
            final long reserve = reserveBytes >= 0 ? reserveBytes :
                Math.max(MIN_RESERVE_BYTES, Math.min(MAX_DEFAULT_RESERVE_BYTES, store.getTotalSpace() / 10));
            return new DiskSpace(store, dir, reserve);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the free space of " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Bytes an unprivileged writer may still allocate (now; any thread).
     *
     * @return usable bytes, or 0 when the file system cannot be read.
     */
    public long usableBytes()
    {
        // File's statvfs returns a long and allocates nothing; FileStore.getUsableSpace() builds an
        // attributes object per call, which made the writer allocate 48 bytes every 64 KiB appended.
        return file.getUsableSpace();
    }

    /** @return bytes a writer keeps free. */
    public long reserveBytes()
    {
        return reserveBytes;
    }

    /** @return bytes free beyond the reserve (0 when below it). */
    public long spareBytes()
    {
        return Math.max(0, usableBytes() - reserveBytes);
    }

    /**
     * Say how much is free, for a log line or a status record.
     *
     * @param usable usable bytes measured.
     * @return e.g. "1.2 MiB free of a 2.0 MiB reserve on /data (tmpfs)".
     */
    public String describe(final long usable)
    {
        return mib(usable) + " free, reserve " + mib(reserveBytes) + " on " + dir + " (" + store.type() + ")";
    }

    /**
     * A byte count in MiB with one decimal.
     *
     * @param bytes the count.
     * @return e.g. "12.5 MiB".
     */
    public static String mib(final long bytes)
    {
        final long tenths = bytes * 10 / (1 << 20);
        return tenths / 10 + "." + tenths % 10 + " MiB";
    }
}
