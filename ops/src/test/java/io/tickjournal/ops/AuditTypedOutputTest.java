package io.tickjournal.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code audit records} in csv and jsonl gives every field its own column, with exact decimals: each
 * value is checked against a BigDecimal recomputed from the journal's records by the SBE decoders.
 */
class AuditTypedOutputTest
{
    private static final int DAY = TradingDay.parse("2026-11-20");
    private static final long START = TradingDay.startNs(DAY) + 3_600_000_000_000L;
    private static final int RECORDS = 300;

    @TempDir
    Path root;

    /** One expected output row, recomputed from the record. */
    private record Expected(long seq, long receiveNs, long eventNs, String type, long venueSeq, BigDecimal price, BigDecimal size,
        String side, String bookSide, int level)
    {
    }

    private List<Expected> expected(final Path partition)
    {
        final List<Expected> rows = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final TradeDecoder trade = new TradeDecoder();
        final BookDeltaDecoder delta = new BookDeltaDecoder();
        final BookSnapshotDecoder snapshot = new BookSnapshotDecoder();
        try (JournalTailer tailer = JournalTailer.open(partition, null))
        {
            while (tailer.readOne((d, s, b, o, l) ->
            {
                header.wrap(b, o);
                switch (header.templateId())
                {
                    case TradeDecoder.TEMPLATE_ID ->
                    {
                        trade.wrapAndApplyHeader(b, o, header);
                        rows.add(new Expected(s, trade.receiveTimeNs(), trade.eventTimeNs(), "trade", trade.venueSeq(),
                            BigDecimal.valueOf(trade.priceMantissa(), -trade.priceExponent()),
                            BigDecimal.valueOf(trade.sizeMantissa(), -trade.sizeExponent()), trade.aggressor().name(), null, -1));
                    }
                    case BookDeltaDecoder.TEMPLATE_ID ->
                    {
                        delta.wrapAndApplyHeader(b, o, header);
                        final int pe = -delta.priceExponent();
                        final int se = -delta.sizeExponent();
                        int i = 0;
                        for (final BookDeltaDecoder.BidsDecoder level : delta.bids())
                        {
                            rows.add(new Expected(s, delta.receiveTimeNs(), delta.eventTimeNs(), "book-delta", delta.venueSeq(),
                                BigDecimal.valueOf(level.price(), pe), BigDecimal.valueOf(level.size(), se), null, "bid", i++));
                        }
                        i = 0;
                        for (final BookDeltaDecoder.AsksDecoder level : delta.asks())
                        {
                            rows.add(new Expected(s, delta.receiveTimeNs(), delta.eventTimeNs(), "book-delta", delta.venueSeq(),
                                BigDecimal.valueOf(level.price(), pe), BigDecimal.valueOf(level.size(), se), null, "ask", i++));
                        }
                    }
                    case BookSnapshotDecoder.TEMPLATE_ID ->
                    {
                        snapshot.wrapAndApplyHeader(b, o, header);
                        final int pe = -snapshot.priceExponent();
                        final int se = -snapshot.sizeExponent();
                        int i = 0;
                        for (final BookSnapshotDecoder.BidsDecoder level : snapshot.bids())
                        {
                            rows.add(new Expected(s, snapshot.receiveTimeNs(), snapshot.eventTimeNs(), "book-snapshot",
                                snapshot.venueSeq(), BigDecimal.valueOf(level.price(), pe), BigDecimal.valueOf(level.size(), se),
                                null, "bid", i++));
                        }
                        i = 0;
                        for (final BookSnapshotDecoder.AsksDecoder level : snapshot.asks())
                        {
                            rows.add(new Expected(s, snapshot.receiveTimeNs(), snapshot.eventTimeNs(), "book-snapshot",
                                snapshot.venueSeq(), BigDecimal.valueOf(level.price(), pe), BigDecimal.valueOf(level.size(), se),
                                null, "ask", i++));
                        }
                    }
                    default -> rows.add(new Expected(s, 0, 0, "instrument-definition", 0, null, null, null, null, -1));
                }
            }))
            {
                // read all
            }
        }
        return rows;
    }

    private Path journal()
    {
        final Path journal = root.resolve("journal");
        TestJournals.write(journal.resolve("binance-spot"), Venues.BINANCE_SPOT, 7, "ETHUSDT", START, RECORDS, 11);
        return journal;
    }

    private static void assertExact(final BigDecimal expected, final String text, final String what)
    {
        assertFalse(text.contains("E") || text.contains("e"), what + " is plain decimal text: " + text);
        assertEquals(expected, new BigDecimal(text), what);
    }

    @Test
    void csvGivesEachFieldItsOwnColumnAndOneRowPerBookLevel()
    {
        final Path journal = journal();
        final List<Expected> expected = expected(journal.resolve("binance-spot"));
        final Cli cli = Cli.run("audit", "--journal", journal.toString(), "records", "--format", "csv", "--limit", "100000");
        assertEquals(0, cli.exit, cli.toString());
        final List<String> lines = cli.out.lines().toList();
        final List<String> columns = List.of(lines.get(0).split(",", -1));
        assertEquals(expected.size(), lines.size() - 1, "a row per trade, per book level and per definition");
        for (int i = 0; i < expected.size(); i++)
        {
            final Expected e = expected.get(i);
            final String[] row = lines.get(i + 1).split(",", -1);
            assertEquals(columns.size(), row.length, lines.get(i + 1));
            final String where = "row " + (i + 1) + ": " + lines.get(i + 1);
            assertEquals(String.valueOf(e.seq()), row[columns.indexOf("seq")], where);
            assertEquals(e.type(), row[columns.indexOf("type")], where);
            assertEquals("binance-spot", row[columns.indexOf("venue")], where);
            assertEquals("7", row[columns.indexOf("instrument_id")], where);
            assertEquals("ETHUSDT", row[columns.indexOf("symbol")], where);
            assertEquals("ETH-USDT", row[columns.indexOf("canonical")], where);
            assertEquals("SPOT", row[columns.indexOf("kind")], where);
            if (e.price() == null)
            {
                continue;
            }
            assertEquals(String.valueOf(e.receiveNs()), row[columns.indexOf("receive_time_ns")], where);
            assertEquals(Instant.ofEpochSecond(0, e.receiveNs()), Instant.parse(row[columns.indexOf("receive_time")]), where);
            assertEquals(String.valueOf(e.eventNs()), row[columns.indexOf("event_time_ns")], where);
            assertEquals(String.valueOf(e.venueSeq()), row[columns.indexOf("venue_seq")], where);
            if ("trade".equals(e.type()))
            {
                assertExact(e.price(), row[columns.indexOf("price")], where);
                assertExact(e.size(), row[columns.indexOf("size")], where);
                assertEquals(e.side(), row[columns.indexOf("side")], where);
                assertEquals(String.valueOf(e.venueSeq()), row[columns.indexOf("trade_id")], where);
                assertEquals("", row[columns.indexOf("level_price")], where);
            }
            else
            {
                assertExact(e.price(), row[columns.indexOf("level_price")], where);
                assertExact(e.size(), row[columns.indexOf("level_size")], where);
                assertEquals(e.bookSide(), row[columns.indexOf("book_side")], where);
                assertEquals(String.valueOf(e.level()), row[columns.indexOf("level")], where);
                assertEquals(String.valueOf(e.venueSeq()), row[columns.indexOf("update_id")], where);
                assertEquals("", row[columns.indexOf("price")], where);
            }
        }
    }

    @Test
    void jsonLinesCarryTypedFieldsAndBookLevelsAsArrays() throws Exception
    {
        final Path journal = journal();
        final List<Expected> expected = expected(journal.resolve("binance-spot"));
        final Cli cli = Cli.run("audit", "--journal", journal.toString(), "records", "--format", "jsonl", "--limit", "100000");
        assertEquals(0, cli.exit, cli.toString());
        final ObjectMapper mapper = new ObjectMapper();
        final List<JsonNode> lines = new ArrayList<>();
        for (final String line : cli.out.lines().toList())
        {
            lines.add(mapper.readTree(line));
        }
        assertEquals(RECORDS + 2, lines.size(), "one line per record");
        BigDecimal bookSizeSum = BigDecimal.ZERO;
        BigDecimal expectedBookSizeSum = BigDecimal.ZERO;
        int e = 0;
        for (final JsonNode node : lines)
        {
            final long seq = node.get("seq").asLong();
            assertTrue(node.get("receive_time_ns").isIntegralNumber(), node.toString());
            final String type = node.get("type").asText();
            if ("trade".equals(type))
            {
                final Expected trade = expected.get(e++);
                assertEquals(trade.seq(), seq);
                assertTrue(node.get("price").isTextual(), "decimals are text, never floats: " + node);
                assertExact(trade.price(), node.get("price").asText(), node.toString());
                assertExact(trade.size(), node.get("size").asText(), node.toString());
                assertEquals(trade.side(), node.get("side").asText());
                assertEquals(trade.venueSeq(), node.get("trade_id").asLong());
                assertNull(node.get("bids"), "a trade has no levels");
            }
            else if (type.startsWith("book-"))
            {
                for (final String side : List.of("bids", "asks"))
                {
                    for (final JsonNode level : node.get(side))
                    {
                        final Expected l = expected.get(e++);
                        assertEquals(l.seq(), seq);
                        assertEquals(side, l.bookSide() + "s");
                        assertEquals(l.level(), level.get("level").asInt());
                        assertExact(l.price(), level.get("price").asText(), node.toString());
                        assertExact(l.size(), level.get("size").asText(), node.toString());
                        bookSizeSum = bookSizeSum.add(new BigDecimal(level.get("size").asText()));
                        expectedBookSizeSum = expectedBookSizeSum.add(l.size());
                    }
                }
                assertEquals(node.get("venue_seq").asLong(), node.get("update_id").asLong());
            }
            else
            {
                assertEquals("instrument-definition", type);
                assertEquals("ETH-USDT", node.get("canonical").asText());
                e++;
            }
        }
        assertEquals(expected.size(), e, "every expected row was met");
        assertTrue(expectedBookSizeSum.signum() > 0);
        assertEquals(0, expectedBookSizeSum.compareTo(bookSizeSum), "sum of book level sizes");
    }
}
