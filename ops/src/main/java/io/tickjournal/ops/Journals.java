package io.tickjournal.ops;

import io.tickjournal.journal.Partition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds partitions under a journal directory. */
final class Journals
{
    private Journals()
    {
    }

    /**
     * @param journal   the journal directory.
     * @param names     partition names to use (empty: every normalized partition found).
     * @param withRaw   include raw partitions when listing all.
     * @return partition directories, sorted by name.
     * @throws IllegalArgumentException naming a partition that does not exist.
     */
    static List<Path> partitions(final Path journal, final List<String> names, final boolean withRaw)
    {
        if (!Files.isDirectory(journal))
        {
            throw new IllegalArgumentException("journal directory " + journal + " does not exist");
        }
        final List<Path> out = new ArrayList<>();
        if (names != null && !names.isEmpty())
        {
            for (final String name : names)
            {
                final Path dir = journal.resolve(name);
                if (!Partition.hasCycleFiles(dir))
                {
                    throw new IllegalArgumentException("no partition '" + name + "' in " + journal + " (have: " +
                        partitions(journal, List.of(), true).stream().map(p -> p.getFileName().toString()).toList() + ")");
                }
                out.add(dir);
            }
            return out;
        }
        try (Stream<Path> list = Files.list(journal))
        {
            list.filter(Partition::hasCycleFiles)
                .filter(p -> withRaw || !p.getFileName().toString().endsWith(Partition.RAW_SUFFIX))
                .sorted()
                .forEach(out::add);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return out;
    }
}
