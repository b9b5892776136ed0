package io.tickjournal.ops;

import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.FeedHandler;
import io.tickjournal.ingest.FrameImporter;
import io.tickjournal.ingest.venue.Timestamps;
import io.tickjournal.journal.Records;
import io.tickjournal.ops.config.TickJournalConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;

/**
 * Imports raw captures into a journal through the live parsers, protocols and book sync, keeping
 * each frame's original receive time: this project's raw partitions (from another journal), or
 * the one-frame-a-line text format {@code <receive time> <frame>} (plain or gzip) public crypto
 * data archives use. The same frames imported twice give the same records. An unreadable line is
 * counted, named with its line number and skipped.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Import captured frames (a raw partition, or '<receive time> <frame>' lines, plain or .gz) into a journal " +
        "through the live parsers and book sync, keeping each frame's receive time.")
public final class ImportCommand implements Callable<Integer>
{
    @Option(names = "--config", required = true, description = "the YAML config: the feed's venue, instruments and exponents")
    Path config;

    @Option(names = "--partition", required = true, description = "the feed (its partition name in the config) the frames belong to")
    String partition;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source
    {
        @Option(names = "--raw", description = "a raw partition directory (another journal's <partition>.raw)")
        Path raw;

        @Option(names = "--lines", description = "a text file of '<receive time> <frame>' lines (.gz read as gzip); the time in " +
            "s, ms, us or ns since the epoch (by magnitude) or ISO-8601")
        Path lines;
    }

    @Option(names = "--journal", description = "the journal to import into (default: the config's journal.dir)")
    Path journal;

    @Option(names = "--connection", defaultValue = "1", description = "connection id for --lines frames (default: ${DEFAULT-VALUE})")
    int connection;

    @Override
    public Integer call() throws IOException
    {
        final TickJournalConfig loaded = TickJournalConfig.load(config);
        TickJournalConfig.Feed feed = null;
        for (final TickJournalConfig.Feed f : loaded.feeds())
        {
            if (f.partition().equals(partition))
            {
                feed = f;
            }
        }
        if (feed == null)
        {
            System.err.println("import: no feed with partition '" + partition + "' in " + config);
            return 2;
        }
        final Path journalDir = journal != null ? journal : loaded.journalDir();
        final FeedConfig feedConfig = feed.feed().withPartitionDir(journalDir.resolve(partition));
        final long start = System.nanoTime();
        final long[] skipped = new long[1];
        try (FrameImporter importer = new FrameImporter(feedConfig))
        {
            if (source.raw != null)
            {
                if (!Files.isDirectory(source.raw))
                {
                    System.err.println("import: " + source.raw + " is not a raw partition directory");
                    return 2;
                }
                importer.importRawPartition(source.raw);
            }
            else
            {
                skipped[0] = importLines(importer, source.lines);
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("imported %,d frames into %s: %,d records (%,.0f frames/s); malformed %d, refused %d, " +
                    "unreadable lines %d%n", importer.frames(), journalDir.resolve(partition), importer.counters().records,
                importer.frames() / Math.max(seconds, 1e-9), importer.counters().malformed, importer.counters().badValues, skipped[0]);
        }
        return 0;
    }

    private long importLines(final FrameImporter importer, final Path file) throws IOException
    {
        long skipped = 0;
        long lineNumber = 0;
        long lastTime = Long.MIN_VALUE;
        try (InputStream raw = Files.newInputStream(file);
            InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                lineNumber++;
                if (line.isBlank())
                {
                    continue;
                }
                final int space = line.indexOf(' ');
                final String why;
                if (space <= 0 || space == line.length() - 1)
                {
                    why = "expected '<receive time> <frame>'";
                }
                else
                {
                    final long time = receiveTime(line.substring(0, space));
                    if (time == Records.NULL_LONG)
                    {
                        why = "unreadable receive time '" + clip(line.substring(0, space)) + "'";
                    }
                    else if (time < lastTime)
                    {
                        why = "receive time goes back (" + Instant.ofEpochSecond(0, time) + " after " +
                            Instant.ofEpochSecond(0, lastTime) + ")";
                    }
                    else
                    {
                        lastTime = time;
                        final byte[] frame = line.substring(space + 1).getBytes(StandardCharsets.UTF_8);
                        if (importer.importFrame(connection, time, frame, 0, frame.length) == FeedHandler.MALFORMED)
                        {
                            System.err.println("import: " + file + " line " + lineNumber + ": frame does not parse (kept raw, " +
                                "journaled as MALFORMED_FRAME)");
                        }
                        continue;
                    }
                }
                skipped++;
                System.err.println("import: " + file + " line " + lineNumber + ": " + why + "; skipped");
            }
        }
        return skipped;
    }

    private static long receiveTime(final String text)
    {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() <= 19)
        {
            return Timestamps.toNanos(Long.parseLong(text));
        }
        try
        {
            final Instant instant = Instant.parse(text);
            return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
        }
        catch (final DateTimeParseException ex)
        {
            return Records.NULL_LONG;
        }
    }

    private static String clip(final String text)
    {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
