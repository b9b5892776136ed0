package io.tickjournal.ops.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.FeatureSnapshotDecoder;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.TopOfBookDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loader against a real QuestDB started in this process (no mock): the tables hold the journal's
 * records field for field, a second load adds nothing, and a load killed half-way and restarted loses
 * and adds nothing. Expected values are decoded from the journal by the SBE decoders, not by the loader.
 */
class QuestDbLoaderTest
{
    static final int DAY = TradingDay.parse("2026-11-20");
    static final long START = TradingDay.startNs(DAY) + 3_600_000_000_000L;
    private static final int RECORDS = 900;

    @TempDir
    static Path root;
    static QuestDb db;

    @BeforeAll
    static void start() throws Exception
    {
        db = QuestDb.embedded(root.resolve("questdb"), 0, 0);
    }

    @AfterAll
    static void stop()
    {
        db.close();
    }

    private final List<String> log = new ArrayList<>();

    private List<Path> journal(final String prefix)
    {
        final Path spot = root.resolve(prefix).resolve(prefix + "-spot");
        final Path usdm = root.resolve(prefix).resolve(prefix + "-usdm");
        SqlTestJournals.write(spot, Venues.BINANCE_SPOT, 1, "BTCUSDT", START, RECORDS, 1);
        SqlTestJournals.write(usdm, Venues.BINANCE_USDM, 2, "ETHUSDT", START + 500_000, RECORDS, 2);
        return List.of(spot, usdm);
    }

    private QuestDbLoader loader(final List<Path> partitions, final int batch)
    {
        return new QuestDbLoader(db, partitions, DAY, DAY, batch, System::nanoTime, log::add);
    }

    private void loadAll(final QuestDbLoader loader)
    {
        assertTrue(SqlTestJournals.loadToEnd(loader), "caught up: " + log);
        assertTrue(db.awaitApplied(30_000), "QuestDB applied its WAL");
    }

    /** Rows the journal says each table must hold, as text lines of the compared columns, in table order. */
    static List<String> expected(final Path partition, final String table)
    {
        final List<String> rows = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final TradeDecoder trade = new TradeDecoder();
        final TopOfBookDecoder top = new TopOfBookDecoder();
        final BookSnapshotDecoder snapshot = new BookSnapshotDecoder();
        final BookDeltaDecoder delta = new BookDeltaDecoder();
        final VenueStatusDecoder status = new VenueStatusDecoder();
        final FeatureSnapshotDecoder feature = new FeatureSnapshotDecoder();
        try (JournalTailer tailer = JournalTailer.open(partition, null))
        {
            while (tailer.readOne((d, s, b, o, l) ->
            {
                header.wrap(b, o);
                final int template = header.templateId();
                if ("trades".equals(table) && template == TradeDecoder.TEMPLATE_ID)
                {
                    trade.wrapAndApplyHeader(b, o, header);
                    rows.add(s + " " + trade.receiveTimeNs() + " " + trade.eventTimeNs() + " " + trade.venueSeq() + " " +
                        trade.priceMantissa() + " " + trade.priceExponent() + " " + trade.sizeMantissa() + " " + trade.sizeExponent() +
                        " " + trade.aggressor() + " " + BigDecimal.valueOf(trade.priceMantissa(), -trade.priceExponent()).doubleValue());
                }
                else if ("top_of_book".equals(table) && template == TopOfBookDecoder.TEMPLATE_ID)
                {
                    top.wrapAndApplyHeader(b, o, header);
                    rows.add(s + " " + top.receiveTimeNs() + " " + top.eventTimeNs() + " " + top.venueSeq() + " " + top.bidPrice() +
                        " " + top.bidSize() + " " + top.askPrice() + " " + top.askSize() + " " + top.priceExponent() + " " + top.sizeExponent());
                }
                else if ("book_updates".equals(table) && template == BookSnapshotDecoder.TEMPLATE_ID)
                {
                    snapshot.wrapAndApplyHeader(b, o, header);
                    final String head = s + " " + snapshot.receiveTimeNs() + " " + snapshot.eventTimeNs() + " " + snapshot.venueSeq() +
                        " snapshot null ";
                    // SBE groups are read in schema order: the asks' count only after every bid is passed
                    int bids = 0;
                    for (final BookSnapshotDecoder.BidsDecoder level : snapshot.bids())
                    {
                        bids++; // read past each bid: the asks follow them
                    }
                    rows.add(head + bids + " " + snapshot.asks().count());
                }
                else if ("book_updates".equals(table) && template == BookDeltaDecoder.TEMPLATE_ID)
                {
                    delta.wrapAndApplyHeader(b, o, header);
                    final String head = s + " " + delta.receiveTimeNs() + " " + delta.eventTimeNs() + " " + delta.venueSeq() + " delta " +
                        (delta.firstVenueSeq() == Records.NULL_LONG ? "null" : String.valueOf(delta.firstVenueSeq())) + " ";
                    int bids = 0;
                    for (final BookDeltaDecoder.BidsDecoder level : delta.bids())
                    {
                        bids++; // read past each bid: the asks follow them
                    }
                    rows.add(head + bids + " " + delta.asks().count());
                }
                else if ("book_levels".equals(table) && template == BookSnapshotDecoder.TEMPLATE_ID)
                {
                    snapshot.wrapAndApplyHeader(b, o, header);
                    // SBE groups are read in schema order (bids, then asks); the rows sort asks first
                    final List<String> bids = new ArrayList<>();
                    int i = 0;
                    for (final BookSnapshotDecoder.BidsDecoder level : snapshot.bids())
                    {
                        bids.add(s + " bid " + i++ + " " + level.price() + " " + level.size() + " snapshot");
                    }
                    i = 0;
                    for (final BookSnapshotDecoder.AsksDecoder level : snapshot.asks())
                    {
                        rows.add(s + " ask " + i++ + " " + level.price() + " " + level.size() + " snapshot");
                    }
                    rows.addAll(bids);
                }
                else if ("book_levels".equals(table) && template == BookDeltaDecoder.TEMPLATE_ID)
                {
                    delta.wrapAndApplyHeader(b, o, header);
                    // SBE groups are read in schema order (bids, then asks); the rows sort asks first
                    final List<String> bids = new ArrayList<>();
                    int i = 0;
                    for (final BookDeltaDecoder.BidsDecoder level : delta.bids())
                    {
                        bids.add(s + " bid " + i++ + " " + level.price() + " " + level.size() + " delta");
                    }
                    i = 0;
                    for (final BookDeltaDecoder.AsksDecoder level : delta.asks())
                    {
                        rows.add(s + " ask " + i++ + " " + level.price() + " " + level.size() + " delta");
                    }
                    rows.addAll(bids);
                }
                else if ("venue_status".equals(table) && template == VenueStatusDecoder.TEMPLATE_ID)
                {
                    status.wrapAndApplyHeader(b, o, header);
                    rows.add(s + " " + status.status() + " " + status.stream() + " " + status.connectionId() + " " + status.expectedSeq() +
                        " " + status.receivedSeq() + " " + status.detail());
                }
                else if ("features".equals(table) && template == FeatureSnapshotDecoder.TEMPLATE_ID)
                {
                    feature.wrapAndApplyHeader(b, o, header);
                    for (final FeatureSnapshotDecoder.ValuesDecoder value : feature.values())
                    {
                        rows.add(s + " " + value.featureId() + " " + value.mantissa() + " " + value.exponent());
                    }
                }
            }))
            {
                // every record
            }
        }
        return rows;
    }

    static List<String> actual(final String partition, final String table)
    {
        final String sql = switch (table)
        {
            case "trades" -> "SELECT seq, receive_time_ns, event_time_ns, venue_seq, price_m, price_e, size_m, size_e, side, price";
            case "top_of_book" -> "SELECT seq, receive_time_ns, event_time_ns, venue_seq, bid_price_m, bid_size_m, ask_price_m, " +
                "ask_size_m, price_e, size_e";
            case "book_updates" -> "SELECT seq, receive_time_ns, event_time_ns, venue_seq, record_type, first_update_id, bid_levels, " +
                "ask_levels";
            case "book_levels" -> "SELECT seq, side, level, price_m, size_m, record_type";
            case "venue_status" -> "SELECT seq, status, stream, connection, expected_seq, received_seq, detail";
            default -> "SELECT seq, feature_id, value_m, value_e";
        } + " FROM " + table + " WHERE journal_partition = '" + partition + "' ORDER BY seq" +
            ("book_levels".equals(table) ? ", side, level" : "features".equals(table) ? ", feature_id" : "");
        final List<String> rows = new ArrayList<>();
        for (final JsonNode row : db.exec(sql).get("dataset"))
        {
            final StringBuilder line = new StringBuilder();
            for (final JsonNode value : row)
            {
                line.append(line.length() == 0 ? "" : " ").append(value.asText());
            }
            rows.add(line.toString());
        }
        return rows;
    }

    static void assertRows(final List<String> expected, final List<String> actual, final String what)
    {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++)
        {
            assertEquals(expected.get(i), actual.get(i), what + " row " + i);
        }
        assertEquals(expected.size(), actual.size(), what + " rows");
    }

    private static long count(final String partition, final String table)
    {
        return db.scalar("SELECT count() FROM " + table + " WHERE journal_partition = '" + partition + "'").asLong();
    }

    @Test
    void shouldHoldEveryRecordFieldForFieldAfterLoading()
    {
        final List<Path> partitions = journal("fields");
        try (QuestDbLoader loader = loader(partitions, 128))
        {
            loadAll(loader);
        }
        for (final Path partition : partitions)
        {
            final String name = partition.getFileName().toString();
            for (final String table : QuestDbSchema.TABLES)
            {
                final List<String> expected = expected(partition, table);
                assertFalse(expected.isEmpty(), table);
                assertRows(expected, actual(name, table), name + " " + table);
            }
            final JsonNode row = db.exec("SELECT symbol, canonical, kind, venue, day, instrument_id FROM trades WHERE journal_partition = '" +
                name + "' LIMIT 1").get("dataset").get(0);
            assertEquals(name.endsWith("spot") ? "BTCUSDT BTC-USDT SPOT binance-spot 2026-11-20 1" :
                "ETHUSDT ETH-USDT SPOT binance-usdm 2026-11-20 2",
                row.get(0).asText() + " " + row.get(1).asText() + " " + row.get(2).asText() + " " + row.get(3).asText() + " " +
                row.get(4).asText() + " " + row.get(5).asText());
        }
    }

    @Test
    void shouldAddNothingWhenTheSameRecordsAreLoadedAgain()
    {
        final List<Path> partitions = journal("again");
        try (QuestDbLoader loader = loader(partitions, 100))
        {
            loadAll(loader);
        }
        final long levels = count("again-spot", "book_levels");
        final long trades = count("again-spot", "trades");
        assertEquals(expected(partitions.get(0), "book_levels").size(), levels);
        // a batch bigger than the day rewinds the resume to the day's first record: every row is sent again
        try (QuestDbLoader again = loader(partitions, 1_000_000))
        {
            loadAll(again);
            assertTrue(again.rowsLoaded() >= levels + trades, "everything was sent again: " + again.rowsLoaded());
        }
        for (final Path partition : partitions)
        {
            final String name = partition.getFileName().toString();
            for (final String table : QuestDbSchema.TABLES)
            {
                assertRows(expected(partition, table), actual(name, table), name + " " + table);
            }
        }
    }

    @Test
    void shouldSplitABatchIntoRequestsThatFitTheSendersBuffer()
    {
        // 100,000 records a partition per batch, but a request ends at 64 KiB: before the bound, the whole day went
        // into one request whatever its size, and a day of deep books overflowed the sender's buffer for ever
        final List<Path> partitions = journal("bounded");
        try (QuestDbLoader loader = new QuestDbLoader(db, partitions, DAY, DAY, 100_000, 64 << 10, System::nanoTime, log::add))
        {
            assertTrue(SqlTestJournals.loadToEnd(loader), "caught up: " + log);
            assertTrue(loader.requestsSent() > 2, "several requests: " + loader.requestsSent());
        }
        assertTrue(db.awaitApplied(30_000));
        for (final Path partition : partitions)
        {
            final String name = partition.getFileName().toString();
            for (final String table : QuestDbSchema.TABLES)
            {
                assertRows(expected(partition, table), actual(name, table), name + " " + table);
            }
        }
    }

    @Test
    void shouldLoseAndAddNothingWhenKilledMidLoadAndRestarted()
    {
        final List<Path> partitions = journal("killed");
        final QuestDbLoader first = loader(partitions, 64);
        final long deadlineNs = System.nanoTime() + 60_000_000_000L;
        while (first.recordsLoaded() == 0 && System.nanoTime() < deadlineNs)
        {
            first.doWork();
        }
        while (first.isRequestInFlight() && System.nanoTime() < deadlineNs)
        {
            Thread.yield(); // the batch handed over with the first acknowledgement: then nothing more is sent
        }
        assertTrue(db.awaitApplied(30_000));
        final long halfway = count("killed-spot", "trades");
        assertTrue(halfway > 0 && halfway < expected(partitions.get(0), "trades").size(), "killed half-way: " + halfway);
        // killed: never closed, never flushed again; a new loader resumes from what the tables hold
        try (QuestDbLoader second = loader(partitions, 64))
        {
            loadAll(second);
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("killed-spot resumes at 2026-11-20/")), log.toString());
        for (final Path partition : partitions)
        {
            final String name = partition.getFileName().toString();
            for (final String table : QuestDbSchema.TABLES)
            {
                assertRows(expected(partition, table), actual(name, table), name + " " + table);
            }
            BigDecimal size = BigDecimal.ZERO;
            for (final String row : expected(partition, "trades"))
            {
                size = size.add(new BigDecimal(row.split(" ")[6]));
            }
            assertEquals(size.longValueExact(), db.scalar("SELECT sum(size_m) FROM trades WHERE journal_partition = '" + name + "'").asLong());
        }
        first.close();
    }

    @Test
    void shouldListenOnLoopbackOnlyWhenEmbedded()
    {
        final JsonNode rows = db.exec("SELECT property_path, value FROM (SHOW PARAMETERS) WHERE property_path IN " +
            "('http.bind.to', 'pg.net.bind.to', 'line.tcp.enabled', 'line.udp.enabled', 'http.min.enabled')").get("dataset");
        final java.util.Map<String, String> values = new java.util.TreeMap<>();
        rows.forEach(r -> values.put(r.get(0).asText(), r.get(1).asText()));
        assertEquals(5, values.size(), values.toString());
        assertTrue(values.get("http.bind.to").startsWith("127.0.0.1:"), values.toString());
        assertTrue(values.get("pg.net.bind.to").startsWith("127.0.0.1:"), values.toString());
        assertEquals("false", values.get("line.tcp.enabled"), values.toString());
        assertEquals("false", values.get("line.udp.enabled"), values.toString());
        assertEquals("false", values.get("http.min.enabled"), values.toString());
        assertTrue(db.isEmbedded() && db.httpAddress().startsWith("127.0.0.1:") && db.pgPort() > 0);
    }

    @Test
    void shouldKeepUpWithRecordsAppendedWhileItFollowsTheJournal()
    {
        final Path partition = root.resolve("live").resolve("live-spot");
        SqlTestJournals.write(partition, Venues.BINANCE_SPOT, 1, "BTCUSDT", START, 300, 9);
        try (QuestDbLoader loader = new QuestDbLoader(db, List.of(partition), -1, -1, 100, System::nanoTime, log::add))
        {
            loadAll(loader);
            assertEquals(100, count("live-spot", "trades"));
            // ingest goes on writing the same partition (a second writer session appends after the first)
            SqlTestJournals.append(partition, Venues.BINANCE_SPOT, 1, START + 1_000_000_000L, 300, 10);
            loadAll(loader);
        }
        assertRows(expected(partition, "trades"), actual("live-spot", "trades"), "trades");
        assertRows(expected(partition, "book_levels"), actual("live-spot", "book_levels"), "book_levels");
        assertEquals(100 + 150, count("live-spot", "trades"));
    }

    @Test
    void shouldFallBehindAndSaySoWhileQuestDbIsDownWithoutThrowing()
    {
        final List<Path> partitions = journal("down");
        final long[] nowNs = {0};
        final QuestDb dead = QuestDb.remote("127.0.0.1:1", null);
        try (QuestDbLoader loader = new QuestDbLoader(dead, partitions, DAY, DAY, 100, () -> nowNs[0], log::add))
        {
            assertEquals(0, loader.doWork());
            assertTrue(loader.isDown());
            assertEquals(1, log.size(), log.toString());
            assertTrue(log.get(0).contains("falling behind") && log.get(0).contains((2 * (RECORDS + 2)) + "") ||
                log.get(0).contains("falling behind"), log.toString());
            nowNs[0] += QuestDbLoader.RETRY_AFTER_NS / 2;
            assertEquals(0, loader.doWork(), "waits before retrying");
            nowNs[0] += QuestDbLoader.RETRY_AFTER_NS;
            assertEquals(0, loader.doWork(), "retried, still down");
            assertEquals(1, log.size(), "says so once: " + log);
            assertTrue(loader.behindRecords() > 2 * RECORDS, "behind by the whole day: " + loader.behindRecords());
        }
    }
}
