package io.tickjournal.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench load} loads its generated day into the in-process QuestDB and prints, in the same run, the
 * journal's own read rate, the rows/s and where the CPU went; every row the day makes is acknowledged.
 */
class LoadBenchTest
{
    @TempDir
    Path root;

    @Test
    void loadsEveryRowOfItsDayAndPrintsTheRatesAndTheCpuSplit()
    {
        final Cli cli = Cli.run("bench", "load", "--records", "2000", "--dir", root.toString());
        assertEquals(0, cli.exit, cli.toString());
        assertTrue(Pattern.compile("journal read\\+decode: 2,001 records in [\\d.]+ s = [\\d,]+ records/s").matcher(cli.out).find(),
            cli.out);
        // 1,000 trades (a row each) and 1,000 ten-a-side deltas (a book_updates row and 20 book_levels rows each)
        final Matcher load = Pattern.compile("questdb load: 2,001 records as ([\\d,]+) rows; sent in [\\d.]+ s = [\\d,]+ rows/s")
            .matcher(cli.out);
        assertTrue(load.find(), cli.out);
        assertEquals(1_000 + 1_000 * 21, Long.parseLong(load.group(1).replace(",", "")), cli.out);
        assertTrue(cli.out.contains("questdb network (ILP parse, WAL write)") && cli.out.contains("us/row"), cli.out);
    }
}
