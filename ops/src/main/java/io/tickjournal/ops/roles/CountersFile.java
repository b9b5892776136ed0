package io.tickjournal.ops.roles;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.ErrorConsumer;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A role process's counters file opened read-only from another process (see {@link RoleCounters}
 * for the layout): what {@code tickjournal counters} and {@code tickjournal errors} read.
 */
public final class CountersFile implements AutoCloseable
{
    private final Path file;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final CountersReader counters;
    private final UnsafeBuffer errorLog;

    private CountersFile(final Path file, final MappedByteBuffer mapped)
    {
        this.file = file;
        this.mapped = mapped;
        header = new UnsafeBuffer(mapped, 0, RoleCounters.HEADER_LENGTH);
        final int metadataLength = header.getInt(4);
        final int valuesLength = header.getInt(8);
        final int errorLength = header.getInt(12);
        counters = new CountersReader(new UnsafeBuffer(mapped, RoleCounters.HEADER_LENGTH, metadataLength),
            new UnsafeBuffer(mapped, RoleCounters.HEADER_LENGTH + metadataLength, valuesLength), StandardCharsets.US_ASCII);
        errorLog = new UnsafeBuffer(mapped, RoleCounters.HEADER_LENGTH + metadataLength + valuesLength, errorLength);
    }

    /**
     * The counters files in a directory, oldest process first.
     *
     * @param dir the counters directory.
     * @return their paths (none when the directory does not exist).
     */
    public static List<Path> list(final Path dir)
    {
        final List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir))
        {
            return files;
        }
        try (Stream<Path> all = Files.list(dir))
        {
            all.filter(f -> f.getFileName().toString().endsWith(RoleCounters.SUFFIX)).sorted().forEach(files::add);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + dir + ": " + ex.getMessage(), ex);
        }
        return files;
    }

    /**
     * Open a counters file read-only.
     *
     * @param file the file.
     * @return it, or null when it is not (yet) a complete counters file.
     */
    public static CountersFile open(final Path file)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            if (channel.size() < RoleCounters.HEADER_LENGTH)
            {
                return null;
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            if (new UnsafeBuffer(mapped, 0, 4).getIntVolatile(0) != RoleCounters.MAGIC)
            {
                IoUtil.unmap(mapped);
                return null;
            }
            return new CountersFile(file, mapped);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /** @return the file. */
    public Path file()
    {
        return file;
    }

    /** @return the role's name. */
    public String role()
    {
        final byte[] name = new byte[32];
        header.getBytes(32, name);
        int length = 0;
        while (length < name.length && name[length] != 0)
        {
            length++;
        }
        return new String(name, 0, length, StandardCharsets.US_ASCII);
    }

    /** @return the PID of the process that wrote it. */
    public long pid()
    {
        return header.getLong(16);
    }

    /** @return when that process started, ms since the epoch. */
    public long startTimeMs()
    {
        return header.getLong(24);
    }

    /** @return true while the process that wrote it runs (false: left by a killed process). */
    public boolean live()
    {
        return ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    /** @return the counters. */
    public CountersReader counters()
    {
        return counters;
    }

    /**
     * A counter's value by its label.
     *
     * @param label the exact label.
     * @return its value, or -1 when there is none.
     */
    public long value(final String label)
    {
        final long[] found = {-1};
        counters.forEach((id, typeId, key, text) ->
        {
            if (text.equals(label))
            {
                found[0] = counters.getCounterValue(id);
            }
        });
        return found[0];
    }

    /**
     * Read the distinct errors.
     *
     * @param consumer gets each: observation count, first and last time (ms), the encoded error.
     * @return how many there are.
     */
    public int readErrors(final ErrorConsumer consumer)
    {
        return ErrorLogReader.read(errorLog, consumer);
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
