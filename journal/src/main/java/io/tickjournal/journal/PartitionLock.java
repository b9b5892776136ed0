package io.tickjournal.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The exclusive right to write one partition, held for the writer's life: an OS lock
 * ({@link FileChannel#tryLock()}, {@code fcntl} on Linux) on the file {@value #FILE_NAME} in the
 * partition directory.
 * <p>
 * Chronicle's own write lock only serialises appends: a second process with the same config
 * appends between the first one's records (seen: hundreds of duplicate trades a second). An OS lock
 * dies with its process, however it dies ({@code kill -9} included), so a stale lock can never
 * keep a new writer out; the file's text (PID, host, since when) only names the holder for the
 * refusal message and is rewritten by each new holder. A lock held by another writer in the same
 * JVM is refused too.
 * <p>
 * Never share a partition directory between hosts: {@code fcntl} locks over NFS are only as good
 * as the server's lock manager.
 */
public final class PartitionLock implements AutoCloseable
{
    /** The lock file's name inside a partition directory. */
    public static final String FILE_NAME = "writer.lock";

    private final FileChannel channel;
    private final FileLock lock;
    private final Path file;

    private PartitionLock(final FileChannel channel, final FileLock lock, final Path file)
    {
        this.channel = channel;
        this.lock = lock;
        this.file = file;
    }

    /**
     * Take the write lock of a partition (creating the directory if needed).
     *
     * @param dir  the partition directory.
     * @param role what the holder is (written into the lock file after pid, host and since), e.g. the process's command.
     * @return the held lock; close it when the writer closes.
     * @throws PartitionLockedException when another writer holds it.
     * @throws UncheckedIOException     when the directory or lock file cannot be created or written
     *                                  (a read-only journal, a missing permission).
     */
    public static PartitionLock acquire(final Path dir, final String role)
    {
        final Path file = dir.resolve(FILE_NAME);
        FileChannel channel = null;
        try
        {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            final FileLock lock;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                throw new PartitionLockedException(dir, holder(channel) + " (in this process)");
            }
            if (lock == null)
            {
                throw new PartitionLockedException(dir, holder(channel));
            }
            final String text = "pid=" + ProcessHandle.current().pid() + " host=" + hostName() + " since=" + Instant.now() +
                " " + role + "\n";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new PartitionLock(channel, lock, file);
        }
        catch (final PartitionLockedException ex)
        {
            closeQuietly(channel);
            throw ex;
        }
        catch (final AccessDeniedException ex)
        {
            closeQuietly(channel);
            throw new UncheckedIOException("partition " + dir + " cannot be written (permission denied: " + ex.getFile() + ")", ex);
        }
        catch (final FileSystemException ex)
        {
            closeQuietly(channel);
            throw new UncheckedIOException("partition " + dir + " cannot be written (" +
                (ex.getReason() != null ? ex.getReason() : ex.getClass().getSimpleName()) + ": " + ex.getFile() + ")", ex);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw new UncheckedIOException("partition " + dir + " cannot be written (" + ex.getMessage() + ")", ex);
        }
    }

    private static String holder(final FileChannel channel)
    {
        try
        {
            final ByteBuffer text = ByteBuffer.allocate(512);
            channel.read(text, 0);
            final String holder = new String(text.array(), 0, text.position(), StandardCharsets.US_ASCII).trim();
            return holder.isEmpty() ? "a writer that has not named itself yet" : holder;
        }
        catch (final IOException ex)
        {
            return "a writer whose lock file cannot be read (" + ex.getMessage() + ")";
        }
    }

    private static String hostName()
    {
        try
        {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (final IOException ex)
        {
            return "unknown-host";
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // already failing
            }
        }
    }

    /** @return the lock file. */
    public Path file()
    {
        return file;
    }

    /** @return true while held. */
    public boolean isHeld()
    {
        return lock.isValid();
    }

    /** Release the lock (the file stays: it only names the last holder). */
    @Override
    public void close()
    {
        try
        {
            if (lock.isValid())
            {
                lock.release();
            }
        }
        catch (final IOException ignore)
        {
            // closing the channel releases it as well
        }
        closeQuietly(channel);
    }

    /** Another writer holds a partition's lock: the message names it (PID, host, since). */
    public static final class PartitionLockedException extends IllegalStateException
    {
        private static final long serialVersionUID = 1L;

        PartitionLockedException(final Path dir, final String holder)
        {
            super("partition " + dir + " already has a writer: " + holder + " (one writer per partition; stop it first)");
        }
    }
}
