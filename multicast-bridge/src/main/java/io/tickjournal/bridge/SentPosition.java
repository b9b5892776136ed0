package io.tickjournal.bridge;

import org.agrona.CloseHelper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The journal index of the last record a channel has put on the wire, kept in a memory-mapped
 * 8-byte file so that it survives a crash of the process (the page cache keeps it) and costs one
 * store per packet. A restarted bridge resumes right after it: no gap, no repeat.
 * <p>
 * The bridge does not rely on Chronicle's named-tailer position for this: that moves when a
 * record is read, and a record is read into a packet before the packet is sent.
 */
public final class SentPosition implements AutoCloseable
{
    /** No record has been sent yet. */
    public static final long NONE = -1;

    private final FileChannel channel;
    private final MappedByteBuffer mapped;

    /**
     * Open (or create) a position file.
     *
     * @param file the file.
     */
    public SentPosition(final Path file)
    {
        try
        {
            Files.createDirectories(file.toAbsolutePath().getParent());
            final boolean fresh = !Files.exists(file);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, 8);
            if (fresh)
            {
                mapped.putLong(0, NONE);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open bridge position file " + file, ex);
        }
    }

    public long get()
    {
        return mapped.getLong(0);
    }

    /**
     * Record that everything up to and including {@code index} is on the wire.
     *
     * @param index a journal index.
     */
    public void set(final long index)
    {
        mapped.putLong(0, index);
    }

    @Override
    public void close()
    {
        CloseHelper.close(channel);
    }
}
