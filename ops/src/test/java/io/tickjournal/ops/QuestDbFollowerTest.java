package io.tickjournal.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.FeatureSnapshotDecoder;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.TopOfBookDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import io.tickjournal.ops.roles.QuestDbRole;
import io.tickjournal.ops.sql.QuestDb;
import io.tickjournal.ops.sql.SqlTestJournals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The QuestDB follower ({@link QuestDbRole}, {@code tickjournal load --follow}) against a real QuestDB (the
 * in-process one, no mock): rows equal the journal's records while ingest writes it, after the follower
 * process is killed and restarted, and after QuestDB was stopped for a while. The expected counts and
 * {@link BigDecimal} sums per partition and day are decoded from the journal by the SBE decoders, not by
 * the loader.
 */
class QuestDbFollowerTest
{
    private static final int DAY = TradingDay.parse("2026-11-20");
    private static final long START = TradingDay.startNs(DAY) + 23 * 3_600_000_000_000L;
    private static final long NEXT_DAY = TradingDay.startNs(DAY + 1) + 1_000_000_000L;
    private static final long TIMEOUT_S = 180;

    @TempDir
    Path root;

    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());

    @Test
    void shouldHoldEveryRecordWrittenWhileItFollowsAcrossADayRoll() throws Exception
    {
        final Path journal = root.resolve("journal");
        final Path spot = journal.resolve("binance-spot");
        final Path usdm = journal.resolve("binance-usdm");
        // started before ingest has created either partition: each is picked up when it appears
        try (QuestDbRole role = new QuestDbRole(QuestDb.embedded(QuestDb.rootBeside(journal), 0, 0), List.of(spot, usdm), -1, 200,
            log::add, null))
        {
            final Thread ingest = new Thread(() ->
            {
                SqlTestJournals.write(spot, Venues.BINANCE_SPOT, 1, "BTCUSDT", START, 3_000, 1);
                SqlTestJournals.write(usdm, Venues.BINANCE_USDM, 2, "ETHUSDT", START, 2_000, 2);
                for (int i = 0; i < 5; i++)
                {
                    SqlTestJournals.append(spot, Venues.BINANCE_SPOT, 1, START + (4 + i) * 1_000_000_000L, 500, 10 + i);
                }
                // past midnight: the writer rolls to the next trading day while the follower reads
                SqlTestJournals.append(spot, Venues.BINANCE_SPOT, 1, NEXT_DAY, 1_500, 20);
                SqlTestJournals.append(usdm, Venues.BINANCE_USDM, 2, NEXT_DAY, 700, 21);
            }, "test-ingest");
            ingest.start();
            ingest.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
            final long journaled = records(spot) + records(usdm);
            await(() -> role.loader().recordsLoaded() == journaled && role.loader().isFollowing(), "follower caught up: " + log);
            assertTrue(role.statusLine().contains("following"), role.statusLine());
            assertTrue(role.statusLine().contains(" 0 behind"), role.statusLine());
            assertTrue(role.db().awaitApplied(60_000));
            final Map<String, BigDecimal[]> expected = journalTotals(spot);
            expected.putAll(journalTotals(usdm));
            assertTrue(expected.keySet().stream().anyMatch(k -> k.contains(TradingDay.format(DAY + 1))), expected.keySet().toString());
            assertTotals(expected, tableTotals(role.db()));
        }
    }

    @Test
    void shouldCatchUpWhenQuestDbComesBackAfterBeingStopped() throws Exception
    {
        final Path journal = root.resolve("journal");
        final Path spot = journal.resolve("binance-spot");
        SqlTestJournals.write(spot, Venues.BINANCE_SPOT, 1, "BTCUSDT", START, 2_000, 3);
        final Path questDbRoot = QuestDb.rootBeside(journal);
        final int port = freePort();
        QuestDb server = QuestDb.embedded(questDbRoot, port, 0);
        try (QuestDbRole role = new QuestDbRole(QuestDb.remote("127.0.0.1:" + port, null), List.of(spot), -1, 200, log::add, null))
        {
            await(() -> role.loader().recordsLoaded() == records(spot) && role.loader().isFollowing(), "loaded the first part: " + log);
            server.close();
            server = null;
            // ingest goes on while QuestDB is away
            SqlTestJournals.append(spot, Venues.BINANCE_SPOT, 1, START + 10_000_000_000L, 3_000, 4);
            await(() -> role.loader().isDown() && role.loader().recordsBehind() > 0, "says it falls behind: " + log);
            assertTrue(role.statusLine().contains("DOWN, falling behind"), role.statusLine());
            assertTrue(log.stream().anyMatch(l -> l.contains("loader falling behind")), log.toString());
            final long loadedWhileDown = role.loader().recordsLoaded();
            assertTrue(loadedWhileDown < records(spot), "nothing acknowledged while down: " + loadedWhileDown);

            server = QuestDb.embedded(questDbRoot, port, 0);
            await(() -> role.loader().recordsLoaded() == records(spot) && role.loader().isFollowing() && !role.loader().isDown(),
                "caught up after QuestDB came back: " + log);
            assertTrue(log.stream().anyMatch(l -> l.contains("answers again: catching up")), log.toString());
            assertTrue(server.awaitApplied(60_000));
            assertTotals(journalTotals(spot), tableTotals(server));
        }
        finally
        {
            if (server != null)
            {
                server.close();
            }
        }
    }

    @Test
    void shouldLoseAndRepeatNothingWhenTheFollowerProcessIsKilledMidLoadAndRestarted() throws Exception
    {
        final Path journal = root.resolve("journal");
        final Path spot = journal.resolve("binance-spot");
        final Path usdm = journal.resolve("binance-usdm");
        SqlTestJournals.write(spot, Venues.BINANCE_SPOT, 1, "BTCUSDT", START, 60_000, 5);
        SqlTestJournals.write(usdm, Venues.BINANCE_USDM, 2, "ETHUSDT", START, 40_000, 6);
        final long journaled = records(spot) + records(usdm);
        final int port = freePort();
        final String[] follow = {"load", "--follow", "--journal", journal.toString(), "--http-port", "" + port, "--pg-port", "0",
            "--status-every", "1"};
        try (RoleProcesses processes = new RoleProcesses(root))
        {
            final RoleProcesses.Role first = processes.start(follow);
            final Pattern loaded = Pattern.compile("questdb http://\\S+: ([\\d,]+) records loaded");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            long loadedBeforeKill = 0;
            while (loadedBeforeKill == 0 && System.nanoTime() < deadline && first.process().isAlive())
            {
                final Matcher m = loaded.matcher(first.output());
                while (m.find())
                {
                    loadedBeforeKill = Long.parseLong(m.group(1).replace(",", ""));
                }
                Thread.sleep(50);
            }
            assertTrue(loadedBeforeKill > 0 && loadedBeforeKill < journaled, "killed mid-load at " + loadedBeforeKill + ": " +
                first.output());
            first.process().destroyForcibly();
            assertEquals(137, first.exit(60), first.output());

            // started again as the role from a config file: the same journal and QuestDB, counters beside
            final Path config = root.resolve("follow.yaml");
            java.nio.file.Files.writeString(config, String.join("\n",
                "journal: {dir: " + journal + "}",
                "counters: {dir: " + root.resolve("counters") + "}",
                "feeds:",
                "  - {venue: binance-spot, code: BS, group: '239.255.46.1:47001', websocket: 'ws://127.0.0.1:1', " +
                    "rest: 'http://127.0.0.1:1', instruments: [{id: 1, symbol: BTCUSDT}]}",
                "  - {venue: binance-usdm, code: BU, group: '239.255.46.2:47002', websocket: 'ws://127.0.0.1:1', " +
                    "rest: 'http://127.0.0.1:1', instruments: [{id: 2, symbol: ETHUSDT}]}",
                "tailer: {featureDir: ''}",
                "questdb: {httpPort: " + port + ", pgPort: 0}",
                ""));
            final RoleProcesses.Role second = processes.start("load", "--follow", "--config", config.toString(), "--status-every", "1");
            assertTrue(second.await("binance-spot resumes at 2026-11-20/", TIMEOUT_S), second.output());
            assertTrue(second.await(" 0 behind, following", TIMEOUT_S), second.output());
            final Cli counters = Cli.run("counters", "--dir", root.resolve("counters").toString());
            assertEquals(0, counters.exit, counters.toString());
            assertTrue(counters.out.contains("load pid " + second.process().pid()), counters.out);
            for (final String counter : new String[] {"questdb: records loaded", "questdb: rows loaded", "questdb: records behind",
                "questdb: down"})
            {
                assertTrue(counters.out.contains(counter), counter + " in " + counters.out);
            }
            final QuestDb db = QuestDb.remote("127.0.0.1:" + port, null);
            assertTrue(db.awaitApplied(60_000));
            final Map<String, BigDecimal[]> expected = journalTotals(spot);
            expected.putAll(journalTotals(usdm));
            assertTotals(expected, tableTotals(db));
            second.process().destroy();
            assertEquals(0, second.exit(60), second.output());
            assertTrue(second.output().contains("load --follow stopped cleanly"), second.output());
        }
    }

    private static int freePort() throws Exception
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            Thread.sleep(20);
        }
    }

    private static long records(final Path partition)
    {
        long count = 0;
        try (JournalTailer tailer = JournalTailer.open(partition, null))
        {
            while (tailer.readOne((d, s, b, o, l) ->
            {
            }))
            {
                count++;
            }
        }
        return count;
    }

    private static void add(final Map<String, BigDecimal[]> totals, final String key, final long mantissa, final int exponent)
    {
        final BigDecimal[] t = totals.computeIfAbsent(key, k -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO});
        t[0] = t[0].add(BigDecimal.ONE);
        t[1] = t[1].add(BigDecimal.valueOf(mantissa, -exponent));
    }

    /**
     * Per "partition day table": rows and the sum of their size (trades, levels), bid size (top of book) or
     * value (features), as exact decimals; venue status rows count only.
     */
    static Map<String, BigDecimal[]> journalTotals(final Path partition)
    {
        final String name = partition.getFileName().toString();
        final Map<String, BigDecimal[]> totals = new TreeMap<>();
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
                final String key = name + " " + TradingDay.format(d) + " ";
                header.wrap(b, o);
                switch (header.templateId())
                {
                    case TradeDecoder.TEMPLATE_ID ->
                    {
                        trade.wrapAndApplyHeader(b, o, header);
                        add(totals, key + "trades", trade.sizeMantissa(), trade.sizeExponent());
                    }
                    case TopOfBookDecoder.TEMPLATE_ID ->
                    {
                        top.wrapAndApplyHeader(b, o, header);
                        add(totals, key + "top_of_book", top.bidSize(), top.sizeExponent());
                    }
                    case BookSnapshotDecoder.TEMPLATE_ID ->
                    {
                        snapshot.wrapAndApplyHeader(b, o, header);
                        final int e = snapshot.sizeExponent();
                        snapshot.bids().forEach(level -> add(totals, key + "book_levels", level.size(), e));
                        snapshot.asks().forEach(level -> add(totals, key + "book_levels", level.size(), e));
                    }
                    case BookDeltaDecoder.TEMPLATE_ID ->
                    {
                        delta.wrapAndApplyHeader(b, o, header);
                        final int e = delta.sizeExponent();
                        delta.bids().forEach(level -> add(totals, key + "book_levels", level.size(), e));
                        delta.asks().forEach(level -> add(totals, key + "book_levels", level.size(), e));
                    }
                    case VenueStatusDecoder.TEMPLATE_ID ->
                    {
                        status.wrapAndApplyHeader(b, o, header);
                        add(totals, key + "venue_status", 0, 0);
                    }
                    case FeatureSnapshotDecoder.TEMPLATE_ID ->
                    {
                        feature.wrapAndApplyHeader(b, o, header);
                        feature.values().forEach(v -> add(totals, key + "features", v.mantissa(), v.exponent()));
                    }
                    default ->
                    {
                        // definitions have no table
                    }
                }
            }))
            {
                // every record
            }
        }
        return totals;
    }

    /** The same totals from QuestDB's tables: counts and mantissa sums grouped by exponent. */
    static Map<String, BigDecimal[]> tableTotals(final QuestDb db)
    {
        final Map<String, BigDecimal[]> totals = new TreeMap<>();
        final String[][] tables = {
            {"trades", "size_m", "size_e"}, {"top_of_book", "bid_size_m", "size_e"}, {"book_levels", "size_m", "size_e"},
            {"venue_status", "0", "0"}, {"features", "value_m", "value_e"}};
        for (final String[] t : tables)
        {
            final JsonNode rows = db.exec("SELECT journal_partition, day, " + t[2] + ", count(), sum(" + t[1] + ") FROM " + t[0] +
                ("0".equals(t[2]) ? " GROUP BY journal_partition, day" : " GROUP BY journal_partition, day, " + t[2])).get("dataset");
            for (final JsonNode row : rows)
            {
                final BigDecimal[] sum = totals.computeIfAbsent(row.get(0).asText() + " " + row.get(1).asText() + " " + t[0],
                    k -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO});
                sum[0] = sum[0].add(BigDecimal.valueOf(row.get(3).asLong()));
                sum[1] = sum[1].add(BigDecimal.valueOf(row.get(4).asLong(), -row.get(2).asInt()));
            }
        }
        return totals;
    }

    private static void assertTotals(final Map<String, BigDecimal[]> expected, final Map<String, BigDecimal[]> actual)
    {
        assertFalse(expected.isEmpty());
        assertEquals(expected.keySet(), actual.keySet());
        for (final Map.Entry<String, BigDecimal[]> e : expected.entrySet())
        {
            final BigDecimal[] a = actual.get(e.getKey());
            assertEquals(e.getValue()[0], a[0], e.getKey() + " rows");
            assertEquals(0, e.getValue()[1].compareTo(a[1]), e.getKey() + " sum " + e.getValue()[1] + " vs " + a[1]);
        }
    }
}
