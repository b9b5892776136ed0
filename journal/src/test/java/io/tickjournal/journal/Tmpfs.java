package io.tickjournal.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs the test mounts (it needs root or CAP_SYS_ADMIN): a file system that really fills.
 * {@link #mount} says why it could not, for a JUnit assumption.
 */
public final class Tmpfs implements AutoCloseable
{
    private final Path dir;

    private Tmpfs(final Path dir)
    {
        this.dir = dir;
    }

    /**
     * @param dir    an empty directory to mount on.
     * @param sizeMb the file system's size.
     * @return the mount, or null when this machine does not allow it (see {@link #whyNot}).
     */
    public static Tmpfs mount(final Path dir, final int sizeMb)
    {
        try
        {
            Files.createDirectories(dir);
            final Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + sizeMb + "m", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0)
            {
                whyNot = "mount -t tmpfs failed: " + out.trim();
                return null;
            }
            return new Tmpfs(dir);
        }
        catch (final IOException | InterruptedException ex)
        {
            whyNot = "cannot run mount: " + ex;
            return null;
        }
    }

    /**
     * Make the mounted file system read-only (as a disk remounted read-only after errors).
     *
     * @return true when it worked.
     * @throws IOException when mount cannot run.
     */
    public boolean remountReadOnly() throws IOException
    {
        final Process p = new ProcessBuilder("mount", "-o", "remount,ro", dir.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        try
        {
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Why the last {@link #mount} failed. */
    public static volatile String whyNot = "";

    /** @return the mount point. */
    public Path dir()
    {
        return dir;
    }

    /**
     * Write a file of this many bytes (to take space away).
     *
     * @param name  its name.
     * @param bytes its size.
     * @return its path.
     * @throws IOException when the space is not there.
     */
    public Path fill(final String name, final long bytes) throws IOException
    {
        final Path file = dir.resolve(name);
        final byte[] block = new byte[1 << 16];
        java.util.Arrays.fill(block, (byte)1);
        try (var out = Files.newOutputStream(file))
        {
            for (long written = 0; written < bytes; written += block.length)
            {
                out.write(block, 0, (int)Math.min(block.length, bytes - written));
            }
        }
        return file;
    }

    @Override
    public void close() throws IOException
    {
        final Process p = new ProcessBuilder("umount", "-l", dir.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        try
        {
            p.waitFor(20, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
