package io.tickjournal.ops;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo end to end, briefly: simulators, ingest, bridge (with injected loss), replication and the
 * tailer in one process. When it stops, the tailer has delivered every journaled record (the demo
 * waits on the tailer's counter, not a sleep), and the journal and the live two-venue feature
 * partition verify (feature partitions by their own rule: their inputs interleave). QuestDB was filled
 * live: the demo shows its URL, and {@code tickjournal sql} answers afterwards from the data beside the
 * journal with every trade the journal holds.
 */
class DemoTest
{
    @TempDir
    Path root;

    @Test
    void theDemoDeliversEveryJournaledRecordAndItsPartitionsVerify()
    {
        final Cli demo = Cli.run("demo", "--duration", "6", "--plain", "--dir", root.resolve("demo").toString());
        assertEquals(0, demo.exit, demo.toString());
        final Matcher end = Pattern.compile("(\\d[\\d,]*\\d) records journaled, tailer delivered (\\d[\\d,]*\\d)").matcher(demo.out);
        assertTrue(end.find(), demo.out);
        assertTrue(Long.parseLong(end.group(1).replace(",", "")) > 500, demo.out);
        assertEquals(end.group(1), end.group(2), "every journaled record reached the tailer");
        assertTrue(demo.out.matches("(?s).*verify binance-spot\\s+OK.*"), demo.out);
        assertTrue(demo.out.matches("(?s).*verify binance-usdm\\s+OK.*"), demo.out);
        assertTrue(demo.out.matches("(?s).*verify features\\s+OK.*"), demo.out);
        assertTrue(demo.out.contains("ingest") && demo.out.contains("tailer"), demo.out);

        assertTrue(demo.out.matches("(?s).*questdb: http://127\\.0\\.0\\.1:\\d+ \\(web console\\) is filled live; try: " +
            "\\./tickjournal sql --journal .*"), demo.out);
        assertTrue(demo.out.matches("(?s).*questdb http://\\S+: [\\d,]+ records loaded \\([\\d,]+ rows\\), 0 behind, following.*"),
            demo.out);
        final Path journal = root.resolve("demo").resolve("journal");
        final Map<String, Long> expected = new TreeMap<>();
        for (final String partition : new String[] {"binance-spot", "binance-usdm"})
        {
            expected.put(partition, trades(journal.resolve(partition)));
        }
        final Cli sql = Cli.run("sql", "--journal", journal.toString(), "--http-port", "0", "--pg-port", "0", "--format", "csv",
            "SELECT journal_partition, count() FROM trades WHERE journal_partition IN ('binance-spot', 'binance-usdm') " +
            "ORDER BY journal_partition");
        assertEquals(0, sql.exit, sql.toString());
        final Map<String, Long> actual = new TreeMap<>();
        sql.out.lines().skip(1).forEach(line -> actual.put(line.split(",")[0], Long.parseLong(line.split(",")[1])));
        assertTrue(expected.get("binance-spot") > 0, expected.toString());
        assertEquals(expected, actual, sql.out);
    }

    /** Trades in a partition, counted by the SBE header's template id. */
    private static long trades(final Path partition)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final long[] count = {0};
        try (JournalTailer tailer = JournalTailer.open(partition, null))
        {
            while (tailer.readOne((d, s, b, o, l) -> count[0] += header.wrap(b, o).templateId() == TradeDecoder.TEMPLATE_ID ? 1 : 0))
            {
                // every record
            }
        }
        return count[0];
    }
}
