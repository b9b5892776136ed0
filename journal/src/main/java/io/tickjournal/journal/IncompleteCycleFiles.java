package io.tickjournal.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cycle files that were created but never got their header (the process died creating them,
 * typically of SIGBUS on a full disk), moved aside before a writer opens the partition.
 * <p>
 * Why: Chronicle waits for such a file's header to be completed by its (long dead) writer, about
 * 25-35 s per file with nothing in the log (measured: an empty, a zero-filled and a sparse file each
 * stalled the open), then carries on. A file whose first header word is 0 (never written) or still
 * marked not-complete, or that is shorter than one word, holds no record: nothing follows a
 * header that was never finished. It is renamed to {@code <file>.incomplete} (kept for a post
 * mortem, ignored by Chronicle, which lists only {@code .cq4} files) and the move is logged.
 * Only the partition's writer does this, under its {@link PartitionLock}, so no live writer can be
 * in the middle of creating the file.
 */
final class IncompleteCycleFiles
{
    private static final Logger LOG = LoggerFactory.getLogger(IncompleteCycleFiles.class);
    private static final int NOT_COMPLETE = 0x8000_0000;
    private static final String SUFFIX = ".incomplete";

    private IncompleteCycleFiles()
    {
    }

    /**
     * Move every incomplete cycle file of a partition aside.
     *
     * @param dir the partition directory (its writer's lock held).
     * @return the files moved (their new names).
     */
    static List<Path> check(final Path dir)
    {
        final List<Path> moved = new ArrayList<>();
        if (!Files.isDirectory(dir))
        {
            return moved;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : (Iterable<Path>)files.filter(f -> f.getFileName().toString().endsWith(".cq4"))::iterator)
            {
                if (incomplete(file))
                {
                    final Path aside = file.resolveSibling(file.getFileName() + SUFFIX);
                    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                    LOG.warn("partition {}: cycle file {} was created but its header was never written (the writer died " +
                        "creating it, e.g. on a full disk); it holds no record and is moved to {} so the writer does not " +
                        "wait for it", dir.getFileName(), file.getFileName(), aside.getFileName());
                    moved.add(aside);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("partition " + dir + ": cannot check its cycle files (" + ex.getMessage() + ")", ex);
        }
        return moved;
    }

    private static boolean incomplete(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (word.hasRemaining())
            {
                if (channel.read(word, word.position()) < 0)
                {
                    return true;
                }
            }
            final int header = word.getInt(0);
            return header == 0 || (header & NOT_COMPLETE) != 0;
        }
    }
}
