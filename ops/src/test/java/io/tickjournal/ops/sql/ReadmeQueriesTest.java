package io.tickjournal.ops.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every query of the README's "SQL and history" section runs against a loaded generated day in the
 * in-process QuestDB and answers rows; the volume, the gap counts and the rebuilt book are checked against
 * values recomputed from the journal's records. The README's queries carry the times of a demo day, so the
 * generated journal is placed there: it starts 500 ms before the instant the book query rebuilds.
 */
class ReadmeQueriesTest
{
    private static final int RECORDS = 1_500;
    private static final Pattern INSTANT = Pattern.compile("ts <= '([0-9T:.-]+)Z'");

    @TempDir
    Path root;

    static List<String> readmeQueries() throws Exception
    {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("README.md")) || !Files.readString(dir.resolve("README.md")).contains("## SQL and history"))
        {
            dir = dir.getParent();
        }
        final String readme = Files.readString(dir.resolve("README.md"));
        final String section = readme.substring(readme.indexOf("## SQL and history"));
        final String body = section.indexOf("\n## ", 5) > 0 ? section.substring(0, section.indexOf("\n## ", 5)) : section;
        final List<String> queries = new ArrayList<>();
        final Matcher m = Pattern.compile("```sql\n(.*?)```", Pattern.DOTALL).matcher(body);
        while (m.find())
        {
            queries.add(m.group(1).trim().replaceAll(";$", ""));
        }
        return queries;
    }

    @Test
    void shouldAnswerEveryReadmeQueryWithRowsThatMatchTheJournal() throws Exception
    {
        final List<String> queries = readmeQueries();
        assertEquals(7, queries.size(), "the README's queries: " + queries);
        final Matcher instant = INSTANT.matcher(queries.get(6));
        assertTrue(instant.find(), "the book query names its instant: " + queries.get(6));
        final java.time.Instant bookAt = java.time.Instant.parse(instant.group(1) + "Z");
        final long bookAtNs = bookAt.getEpochSecond() * 1_000_000_000L + bookAt.getNano();
        final long start = bookAtNs - 500_000_000L;
        final int day = TradingDay.ofEpochNs(start);
        final Path spot = root.resolve("journal").resolve("binance-spot");
        final Path usdm = root.resolve("journal").resolve("binance-usdm");
        SqlTestJournals.write(spot, Venues.BINANCE_SPOT, 1, "BTCUSDT", start, RECORDS, 5);
        SqlTestJournals.write(usdm, Venues.BINANCE_USDM, 1, "BTCUSDT", start + 250_000, RECORDS, 6);
        try (QuestDb db = QuestDb.embedded(QuestDb.rootBeside(root.resolve("journal")), 0, 0))
        {
            try (QuestDbLoader loader = new QuestDbLoader(db, List.of(spot, usdm), day, day, 500, System::nanoTime, s -> { }))
            {
                assertTrue(SqlTestJournals.loadToEnd(loader));
            }
            assertTrue(db.awaitApplied(30_000));
            final List<JsonNode> answers = new ArrayList<>();
            for (final String sql : queries)
            {
                final JsonNode dataset = db.exec(sql).get("dataset");
                assertFalse(dataset.isEmpty(), "no rows from: " + sql);
                answers.add(dataset);
            }

            // VWAP per minute: the exact (DECIMAL) volumes add up to the journal's traded size
            BigDecimal volume = BigDecimal.ZERO;
            for (final Path p : List.of(spot, usdm))
            {
                volume = volume.add(tradedSize(p));
            }
            BigDecimal sqlVolume = BigDecimal.ZERO;
            for (final JsonNode row : answers.get(0))
            {
                sqlVolume = sqlVolume.add(new BigDecimal(row.get(4).asText()));
            }
            assertEquals(0, volume.compareTo(sqlVolume), "traded volume " + volume + " vs " + sqlVolume);

            // gaps and resyncs per venue and day: one of each every 200 records
            for (final JsonNode row : answers.get(3))
            {
                assertEquals(RECORDS / 200, row.get(2).asLong(), "gaps " + row);
                assertEquals(RECORDS / 200, row.get(3).asLong(), "resyncs " + row);
                assertEquals(0, row.get(4).asLong(), "malformed " + row);
            }

            // the book at the README's instant, replayed from the journal
            final TreeMap<String, BigDecimal> book = bookAt(spot, bookAtNs);
            final TreeMap<String, BigDecimal> fromSql = new TreeMap<>();
            for (final JsonNode row : answers.get(6))
            {
                fromSql.put(row.get(0).asText() + " " + new BigDecimal(row.get(1).asText()).stripTrailingZeros().toPlainString(),
                    new BigDecimal(row.get(2).asText()));
            }
            assertFalse(book.isEmpty());
            assertEquals(book.keySet(), fromSql.keySet(), "levels of the book");
            for (final String level : book.keySet())
            {
                assertEquals(book.get(level).doubleValue(), fromSql.get(level).doubleValue(), 1e-12, level);
            }
        }
    }

    private static BigDecimal tradedSize(final Path partition)
    {
        final BigDecimal[] sum = {BigDecimal.ZERO};
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final TradeDecoder trade = new TradeDecoder();
        try (JournalTailer tailer = JournalTailer.open(partition, null))
        {
            while (tailer.readOne((d, s, b, o, l) ->
            {
                if (Records.templateId(b, o) == TradeDecoder.TEMPLATE_ID)
                {
                    trade.wrapAndApplyHeader(b, o, header);
                    sum[0] = sum[0].add(BigDecimal.valueOf(trade.sizeMantissa(), -trade.sizeExponent()));
                }
            }))
            {
                // every record
            }
        }
        return sum[0];
    }

    /** Levels "side price" -> size at a time: the last snapshot, then the deltas; size 0 removes. */
    private static TreeMap<String, BigDecimal> bookAt(final Path partition, final long timeNs)
    {
        final TreeMap<String, BigDecimal> book = new TreeMap<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final BookSnapshotDecoder snapshot = new BookSnapshotDecoder();
        final BookDeltaDecoder delta = new BookDeltaDecoder();
        try (JournalTailer tailer = JournalTailer.open(partition, null))
        {
            while (tailer.readOne((d, s, b, o, l) ->
            {
                if (Records.receiveTimeNs(b, o) > timeNs)
                {
                    return;
                }
                final int template = Records.templateId(b, o);
                if (template == BookSnapshotDecoder.TEMPLATE_ID)
                {
                    book.clear();
                    snapshot.wrapAndApplyHeader(b, o, header);
                    final int pe = -snapshot.priceExponent();
                    final int se = -snapshot.sizeExponent();
                    for (final BookSnapshotDecoder.BidsDecoder level : snapshot.bids())
                    {
                        apply(book, "bid", BigDecimal.valueOf(level.price(), pe), BigDecimal.valueOf(level.size(), se));
                    }
                    for (final BookSnapshotDecoder.AsksDecoder level : snapshot.asks())
                    {
                        apply(book, "ask", BigDecimal.valueOf(level.price(), pe), BigDecimal.valueOf(level.size(), se));
                    }
                }
                else if (template == BookDeltaDecoder.TEMPLATE_ID)
                {
                    delta.wrapAndApplyHeader(b, o, header);
                    final int pe = -delta.priceExponent();
                    final int se = -delta.sizeExponent();
                    for (final BookDeltaDecoder.BidsDecoder level : delta.bids())
                    {
                        apply(book, "bid", BigDecimal.valueOf(level.price(), pe), BigDecimal.valueOf(level.size(), se));
                    }
                    for (final BookDeltaDecoder.AsksDecoder level : delta.asks())
                    {
                        apply(book, "ask", BigDecimal.valueOf(level.price(), pe), BigDecimal.valueOf(level.size(), se));
                    }
                }
            }))
            {
                // every record
            }
        }
        return book;
    }

    private static void apply(final TreeMap<String, BigDecimal> book, final String side, final BigDecimal price, final BigDecimal size)
    {
        final String key = side + " " + price.stripTrailingZeros().toPlainString();
        if (size.signum() == 0)
        {
            book.remove(key);
        }
        else
        {
            book.put(key, size);
        }
    }

}
