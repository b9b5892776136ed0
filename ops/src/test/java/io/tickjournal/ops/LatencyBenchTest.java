package io.tickjournal.ops;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench latency --stages --control} splits every measured record's latency into its hand-offs
 * and runs the three-thread NIO control beside the two references.
 */
class LatencyBenchTest
{
    private static final Pattern STAGE = Pattern.compile("^\\s+(\\S.*?)\\s+p50 [\\d.]+ us .*\\(n ([\\d,]+)\\)$", Pattern.MULTILINE);

    @Test
    void everyMeasuredRecordIsStampedAtEachHandOffAndTheThreeThreadControlRuns()
    {
        final int rate = 2_000;
        final Cli cli = Cli.run("bench", "latency", "--idle", "backoff", "--rate", String.valueOf(rate), "--seconds", "1",
            "--stages", "--control", "--port", "46710");
        assertEquals(0, cli.exit, cli.toString());
        // one warm-up second and one measured second, plus the instrument definition written first
        assertTrue(cli.out.contains("tailer got 4,001"), cli.out);

        int stages = 0;
        final Matcher stage = STAGE.matcher(cli.out);
        while (stage.find())
        {
            final String name = stage.group(1);
            if (name.startsWith("stamp ->") || name.startsWith("append ->") || name.startsWith("cycle start ->") ||
                name.startsWith("sendto entered ->"))
            {
                // the records written in the measured second: no more (earlier ones are warm-up), no fewer
                assertEquals(rate, Long.parseLong(stage.group(2).replace(",", "")), name + "\n" + cli.out);
                stages++;
            }
        }
        assertEquals(4, stages, cli.out);
        assertTrue(cli.out.contains("NIO, 3 threads (ring hand-off) p50"), cli.out);
        assertTrue(Pattern.compile("^\\s+bridge \\(\\d+\\)\\s+on cpu", Pattern.MULTILINE).matcher(cli.out).find(), cli.out);
    }
}
