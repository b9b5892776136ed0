package io.tickjournal.ops;

import io.tickjournal.journal.Fixtures;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.ops.config.ConfigException;
import io.tickjournal.ops.config.TickJournalConfig;
import io.tickjournal.ops.sql.SqlTestJournals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tickjournal load} and {@code tickjournal sql} with the in-process QuestDB: each command starts it
 * beside the journal, works, and stops it; the data outlives the process, and loading twice adds nothing.
 */
class SqlCommandsTest
{
    private static final int DAY = TradingDay.parse("2026-11-20");
    private static final long START = TradingDay.startNs(DAY) + 3_600_000_000_000L;

    @TempDir
    Path root;

    @Test
    void shouldLoadADayAndAnswerSqlFromTheInProcessQuestDbAcrossRestarts() throws Exception
    {
        final Path journal = root.resolve("journal");
        SqlTestJournals.write(journal.resolve("binance-spot"), Venues.BINANCE_SPOT, 1, "BTCUSDT", START, 600, 3);
        final String[] where = {"--journal", journal.toString(), "--http-port", "0", "--pg-port", "0"};
        final Cli load = Cli.run(concat(List.of("load", "--from-day", "2026-11-20"), where));
        assertEquals(0, load.exit, load.toString());
        assertTrue(load.out.contains("trades: 200 rows"), load.toString());
        // the progress bar counts towards the day's records, read from the journal before loading
        assertTrue(Pattern.compile("load: ([0-9,]+)/\\1 records").matcher(load.err).find(), load.toString());
        assertTrue(Files.isDirectory(root.resolve("journal.questdb")), "QuestDB's data is beside the journal");

        final Cli again = Cli.run(concat(List.of("load", "--from-day", "2026-11-20"), where));
        assertEquals(0, again.exit, again.toString());
        assertTrue(again.out.contains("trades: 200 rows"), "loading twice adds nothing: " + again);

        final Cli csv = Cli.run(concat(List.of("sql", "--format", "csv",
            "SELECT side, count() AS n, sum(size_m) AS size_m FROM trades GROUP BY side ORDER BY side"), where));
        assertEquals(0, csv.exit, csv.toString());
        final List<String> lines = csv.out.lines().toList();
        assertEquals("side,n,size_m", lines.get(0));
        assertTrue(lines.stream().skip(1).allMatch(l -> l.split(",").length == 3), csv.toString());
        assertEquals(200, lines.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[1])).sum(), csv.out);

        final Cli jsonl = Cli.run(concat(List.of("sql", "--format", "jsonl", "SELECT count() AS n FROM venue_status"), where));
        assertEquals(0, jsonl.exit, jsonl.toString());
        assertEquals("{\"n\":6}", jsonl.out.trim(), "a gap and a resync every 200 records");

        final Cli bad = Cli.run(concat(List.of("sql", "SELECT nothing FROM nowhere"), where));
        assertTrue(bad.exit != 0 && bad.err.contains("nowhere"), bad.toString());
        assertEquals(1, bad.exit, bad.toString());
        assertFalse(bad.err.contains("\tat "), "QuestDB's refusal in one line, no stack trace: " + bad.err);

        // a table shows a DOUBLE to the 15 digits it holds: sums of exact decimals without binary noise
        final Cli table = Cli.run(concat(List.of("sql", "SELECT 0.1 + 0.2 AS sum, 1.25 AS exact, 65000.38432108574 AS vwap"), where));
        assertEquals(0, table.exit, table.toString());
        assertTrue(table.out.lines().anyMatch(l -> l.strip().equals("0.3  1.25   65000.3843210857")), table.out);
    }

    @Test
    void shouldReadTheQuestDbSectionOfTheConfigAndRefuseAnUnknownKey() throws Exception
    {
        final Path shippedFile = Fixtures.root().getParent().getParent().resolve("config/tickjournal.yaml");
        final String shipped = Files.readString(shippedFile);
        final TickJournalConfig defaults = TickJournalConfig.parse(shipped, shippedFile.getParent());
        assertEquals(TickJournalConfig.QuestDb.EMBEDDED, defaults.questDb(), "the shipped config runs QuestDB in-process");
        final String server = shipped.replace("  address: \"\"                   # host:port", "  address: db.example:9000   # host:port")
            .replace("  token: \"\"                     # bearer", "  token: s3cret   # bearer");
        final TickJournalConfig.QuestDb configured = TickJournalConfig.parse(server, shippedFile.getParent()).questDb();
        assertEquals("db.example:9000", configured.address());
        assertEquals("s3cret", configured.token());
        final String typo = shipped.replace("  batchRecords: 1000", "  batchRecord: 1000");
        final ConfigException refused = assertThrows(ConfigException.class, () -> TickJournalConfig.parse(typo, shippedFile.getParent()));
        assertTrue(refused.getMessage().contains("batchRecord"), refused.getMessage());
    }

    private static String[] concat(final List<String> head, final String[] tail)
    {
        final String[] all = new String[head.size() + tail.length];
        for (int i = 0; i < head.size(); i++)
        {
            all[i] = head.get(i);
        }
        System.arraycopy(tail, 0, all, head.size(), tail.length);
        return all;
    }
}
