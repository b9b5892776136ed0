package io.tickjournal.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Locates the venue fixtures shipped in the repository ({@code fixtures/venues}). */
public final class Fixtures
{
    private Fixtures()
    {
    }

    /**
     * The fixtures root: the {@code tickjournal.fixtures} property set by surefire, else found by
     * walking up from the working directory.
     *
     * @return the {@code fixtures/venues} directory.
     */
    public static Path root()
    {
        final String configured = System.getProperty("tickjournal.fixtures");
        if (configured != null && Files.isDirectory(Paths.get(configured)))
        {
            return Paths.get(configured);
        }
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null)
        {
            final Path candidate = dir.resolve("fixtures").resolve("venues");
            if (Files.isDirectory(candidate))
            {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("fixtures/venues not found above " + Paths.get("").toAbsolutePath());
    }

    /**
     * Every file of a kind below the root.
     *
     * @param suffix e.g. {@code .json}.
     * @return sorted paths.
     */
    public static List<Path> all(final String suffix)
    {
        try (Stream<Path> files = Files.walk(root()))
        {
            return files.filter(p -> p.toString().endsWith(suffix)).sorted().collect(Collectors.toList());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * One fixture's bytes.
     *
     * @param relative e.g. {@code binance-spot/trade.json}.
     * @return its bytes.
     */
    public static byte[] bytes(final String relative)
    {
        try
        {
            return Files.readAllBytes(root().resolve(relative));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
