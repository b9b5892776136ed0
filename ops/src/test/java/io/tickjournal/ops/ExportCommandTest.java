package io.tickjournal.ops;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.FeatureSnapshotDecoder;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import io.tickjournal.journal.sbe.Side;
import io.tickjournal.journal.sbe.TopOfBookDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.TradeEncoder;
import io.tickjournal.journal.sbe.TradeKind;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import io.tickjournal.ops.sql.SqlTestJournals;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tickjournal export --format parquet} read back by an independent reader, DuckDB's JDBC driver: per
 * partition and day, the row counts of every table and the exact decimal sums (price * size, size, ...)
 * equal a {@link BigDecimal} recomputation over the journal's records, decoded here with the SBE decoders
 * (not by the exporter's {@code TypedRecord}). Exporting again gives byte-equal files; existing output is
 * refused unless {@code --overwrite}; a bad argument is one line and a non-zero exit.
 */
class ExportCommandTest
{
    private static final int DAY1 = TradingDay.parse("2026-11-20");
    private static final int DAY2 = DAY1 + 1;
    private static final long START1 = TradingDay.startNs(DAY1) + 3_600_000_000_000L;
    private static final long START2 = TradingDay.startNs(DAY2) + 7_200_000_000_000L;

    @TempDir
    Path root;

    /** Three partitions; two of them hold two days; okx-spot's second day adds trades at other exponents. */
    private Path journal() throws IOException
    {
        final Path journal = root.resolve("journal");
        SqlTestJournals.write(journal.resolve("binance-spot"), Venues.BINANCE_SPOT, 1, "BTCUSDT", START1, 900, 1);
        SqlTestJournals.write(journal.resolve("binance-spot"), Venues.BINANCE_SPOT, 1, "BTCUSDT", START2, 600, 11);
        SqlTestJournals.write(journal.resolve("binance-usdm"), Venues.BINANCE_USDM, 2, "ETHUSDT", START1 + 500_000, 700, 2);
        SqlTestJournals.write(journal.resolve("okx-spot"), Venues.OKX_SPOT, 3, "SOLUSDT", START1 + 700_000, 450, 3);
        SqlTestJournals.write(journal.resolve("okx-spot"), Venues.OKX_SPOT, 3, "SOLUSDT", START2 + 700_000, 300, 4);
        appendTrades(journal.resolve("okx-spot"), START2 + 10_000_000_000L);
        return journal;
    }

    /** Trades at exponents other than the synthetic market's -8: cents, -5, and one size of 10^-18. */
    private static void appendTrades(final Path dir, final long startNs)
    {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(256);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final TradeEncoder trade = new TradeEncoder();
        final long[][] trades = {{14_512L, -2, 1_234_567L, -5}, {999_999_999_999_999L, -8, 1L, -18}, {7L, 0, 3L, 0}};
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            long t = startNs;
            for (final long[] p : trades)
            {
                t += 1_000L;
                trade.wrapAndApplyHeader(buffer, 0, header).receiveTimeNs(t).eventTimeNs(t - 1).venueSeq(t).rawIndex(Records.NULL_LONG)
                    .venueId(Venues.OKX_SPOT).flags(0).instrumentId(3).priceMantissa(p[0]).sizeMantissa(p[2]).tradeTimeNs(t - 1)
                    .priceExponent((byte)p[1]).sizeExponent((byte)p[3]).aggressor(Side.SELL).kind(TradeKind.TRADE);
                writer.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength());
            }
        }
    }

    /** What one (partition, day) must hold, recomputed from the journal with the SBE decoders. */
    private static final class Expected
    {
        long trades;
        BigDecimal notional = BigDecimal.ZERO;
        BigDecimal tradeSize = BigDecimal.ZERO;
        long minReceiveNs = Long.MAX_VALUE;
        long topOfBook;
        BigDecimal bidPrice = BigDecimal.ZERO;
        long levels;
        BigDecimal levelSize = BigDecimal.ZERO;
        long statuses;
        long features;
        BigDecimal featureValue = BigDecimal.ZERO;

        String line()
        {
            return trades + " " + plain(notional) + " " + plain(tradeSize) + " " + minReceiveNs + " | " + topOfBook + " " +
                plain(bidPrice) + " | " + levels + " " + plain(levelSize) + " | " + statuses + " | " + features + " " + plain(featureValue);
        }
    }

    private static Map<String, Expected> expected(final Path journal, final List<String> partitions)
    {
        final Map<String, Expected> all = new TreeMap<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final TradeDecoder trade = new TradeDecoder();
        final TopOfBookDecoder top = new TopOfBookDecoder();
        final BookSnapshotDecoder snapshot = new BookSnapshotDecoder();
        final BookDeltaDecoder delta = new BookDeltaDecoder();
        final VenueStatusDecoder status = new VenueStatusDecoder();
        final FeatureSnapshotDecoder feature = new FeatureSnapshotDecoder();
        for (final String partition : partitions)
        {
            try (JournalTailer tailer = JournalTailer.open(journal.resolve(partition), null))
            {
                while (tailer.readOne((d, s, b, o, l) ->
                {
                    final Expected e = all.computeIfAbsent(partition + " " + TradingDay.format(d), k -> new Expected());
                    header.wrap(b, o);
                    switch (header.templateId())
                    {
                        case TradeDecoder.TEMPLATE_ID ->
                        {
                            trade.wrapAndApplyHeader(b, o, header);
                            final BigDecimal price = BigDecimal.valueOf(trade.priceMantissa(), -trade.priceExponent());
                            final BigDecimal size = BigDecimal.valueOf(trade.sizeMantissa(), -trade.sizeExponent());
                            e.trades++;
                            e.notional = e.notional.add(price.multiply(size));
                            e.tradeSize = e.tradeSize.add(size);
                            e.minReceiveNs = Math.min(e.minReceiveNs, trade.receiveTimeNs());
                        }
                        case TopOfBookDecoder.TEMPLATE_ID ->
                        {
                            top.wrapAndApplyHeader(b, o, header);
                            e.topOfBook++;
                            e.bidPrice = e.bidPrice.add(BigDecimal.valueOf(top.bidPrice(), -top.priceExponent()));
                        }
                        case BookSnapshotDecoder.TEMPLATE_ID ->
                        {
                            snapshot.wrapAndApplyHeader(b, o, header);
                            for (final BookSnapshotDecoder.BidsDecoder level : snapshot.bids())
                            {
                                e.levels++;
                                e.levelSize = e.levelSize.add(BigDecimal.valueOf(level.size(), -snapshot.sizeExponent()));
                            }
                            for (final BookSnapshotDecoder.AsksDecoder level : snapshot.asks())
                            {
                                e.levels++;
                                e.levelSize = e.levelSize.add(BigDecimal.valueOf(level.size(), -snapshot.sizeExponent()));
                            }
                        }
                        case BookDeltaDecoder.TEMPLATE_ID ->
                        {
                            delta.wrapAndApplyHeader(b, o, header);
                            for (final BookDeltaDecoder.BidsDecoder level : delta.bids())
                            {
                                e.levels++;
                                e.levelSize = e.levelSize.add(BigDecimal.valueOf(level.size(), -delta.sizeExponent()));
                            }
                            for (final BookDeltaDecoder.AsksDecoder level : delta.asks())
                            {
                                e.levels++;
                                e.levelSize = e.levelSize.add(BigDecimal.valueOf(level.size(), -delta.sizeExponent()));
                            }
                        }
                        case VenueStatusDecoder.TEMPLATE_ID ->
                        {
                            status.wrapAndApplyHeader(b, o, header);
                            e.statuses++;
                        }
                        case FeatureSnapshotDecoder.TEMPLATE_ID ->
                        {
                            feature.wrapAndApplyHeader(b, o, header);
                            for (final FeatureSnapshotDecoder.ValuesDecoder value : feature.values())
                            {
                                e.features++;
                                e.featureValue = e.featureValue.add(BigDecimal.valueOf(value.mantissa(), -value.exponent()));
                            }
                        }
                        default ->
                        {
                        }
                    }
                }))
                {
                    // read to the end
                }
            }
        }
        return all;
    }

    /** The same figures as {@link #expected}, computed by DuckDB over the exported files. */
    private static Map<String, Expected> readBack(final Path out) throws SQLException
    {
        final Map<String, Expected> all = new TreeMap<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement())
        {
            // A product keeps both scales (18 + 18 would overflow 38 digits above 99), so the price is cast to the
            // 8 decimals this journal's prices have, as the README tells users to do for their instruments
            try (ResultSet rs = sql.executeQuery("SELECT partition, day, count(*), sum(price::DECIMAL(38,8) * size), " +
                "sum(size), min(receive_time_ns), count(*) FILTER (WHERE epoch_ns(ts) <> receive_time_ns) " +
                "FROM read_parquet('" + out + "/trades/**/*.parquet', hive_partitioning=true) GROUP BY ALL"))
            {
                while (rs.next())
                {
                    final Expected e = all.computeIfAbsent(rs.getString(1) + " " + rs.getString(2), k -> new Expected());
                    e.trades = rs.getLong(3);
                    e.notional = rs.getBigDecimal(4);
                    e.tradeSize = rs.getBigDecimal(5);
                    e.minReceiveNs = rs.getLong(6);
                    assertEquals(0, rs.getLong(7), "ts is the receive time in ns");
                }
            }
            try (ResultSet rs = sql.executeQuery("SELECT partition, day, count(*), sum(bid_price) " +
                "FROM read_parquet('" + out + "/top_of_book/**/*.parquet', hive_partitioning=true) GROUP BY ALL"))
            {
                while (rs.next())
                {
                    final Expected e = all.computeIfAbsent(rs.getString(1) + " " + rs.getString(2), k -> new Expected());
                    e.topOfBook = rs.getLong(3);
                    e.bidPrice = rs.getBigDecimal(4);
                }
            }
            try (ResultSet rs = sql.executeQuery("SELECT partition, day, count(*), sum(size) " +
                "FROM read_parquet('" + out + "/book_levels/**/*.parquet', hive_partitioning=true) GROUP BY ALL"))
            {
                while (rs.next())
                {
                    final Expected e = all.computeIfAbsent(rs.getString(1) + " " + rs.getString(2), k -> new Expected());
                    e.levels = rs.getLong(3);
                    e.levelSize = rs.getBigDecimal(4);
                }
            }
            try (ResultSet rs = sql.executeQuery("SELECT partition, day, count(*) " +
                "FROM read_parquet('" + out + "/venue_status/**/*.parquet', hive_partitioning=true) GROUP BY ALL"))
            {
                while (rs.next())
                {
                    all.computeIfAbsent(rs.getString(1) + " " + rs.getString(2), k -> new Expected()).statuses = rs.getLong(3);
                }
            }
            try (ResultSet rs = sql.executeQuery("SELECT partition, day, count(*), sum(value) " +
                "FROM read_parquet('" + out + "/features/**/*.parquet', hive_partitioning=true) GROUP BY ALL"))
            {
                while (rs.next())
                {
                    final Expected e = all.computeIfAbsent(rs.getString(1) + " " + rs.getString(2), k -> new Expected());
                    e.features = rs.getLong(3);
                    e.featureValue = rs.getBigDecimal(4);
                }
            }
        }
        return all;
    }

    @Test
    void shouldBeReadByDuckDbWithTheJournalsCountsAndExactDecimalSumsPerPartitionAndDay() throws Exception
    {
        final Path journal = journal();
        final Path out = root.resolve("parquet");
        final Cli export = Cli.run("export", "--format", "parquet", "--journal", journal.toString(), "--out", out.toString());
        assertEquals(0, export.exit, export.toString());
        assertTrue(export.out.contains("5 partition-days"), export.toString());
        assertTrue(Files.isRegularFile(out.resolve("trades/partition=binance-spot/day=2026-11-20/part-0.parquet")), "Hive-style layout");

        final Map<String, Expected> expected = expected(journal, List.of("binance-spot", "binance-usdm", "okx-spot"));
        assertEquals(5, expected.size(), expected.keySet().toString());
        final Map<String, Expected> actual = readBack(out);
        assertEquals(lines(expected), lines(actual));
        assertNotEquals(BigDecimal.ZERO, expected.get("okx-spot 2026-11-21").notional, "the journal has trades to sum");
    }

    @Test
    void shouldGiveByteEqualFilesWhenTheSameJournalIsExportedAgainWholeOrADayAtATime() throws Exception
    {
        final Path journal = journal();
        final Path first = root.resolve("first");
        final Path second = root.resolve("second");
        assertEquals(0, Cli.run("export", "--format", "parquet", "--journal", journal.toString(), "--out", first.toString()).exit);
        for (final String day : List.of("2026-11-20", "2026-11-21"))
        {
            final Cli one = Cli.run("export", "--format", "parquet", "--journal", journal.toString(), "--out", second.toString(),
                "--from-day", day, "--to-day", day);
            assertEquals(0, one.exit, one.toString());
        }
        final Map<String, byte[]> a = files(first);
        final Map<String, byte[]> b = files(second);
        assertEquals(a.keySet(), b.keySet());
        assertEquals(25, a.size(), "five tables with rows in each of five partition-days: " + a.keySet());
        for (final String name : a.keySet())
        {
            assertArrayEquals(a.get(name), b.get(name), name);
        }
    }

    @Test
    void shouldRefuseExistingOutputUnlessOverwriteAndThenReplaceOnlyTheDaysItWrites() throws Exception
    {
        final Path journal = journal();
        final Path out = root.resolve("parquet");
        assertEquals(0, Cli.run("export", "--format", "parquet", "--journal", journal.toString(), "--out", out.toString()).exit);
        final Map<String, byte[]> before = files(out);

        final Cli refused = Cli.run("export", "--format", "parquet", "--journal", journal.toString(), "--out", out.toString(),
            "--partition", "okx-spot", "--from-day", "2026-11-21");
        assertEquals(2, refused.exit, refused.toString());
        assertEquals(1, refused.err.lines().count(), refused.toString());
        assertTrue(refused.err.contains("already holds 5 of the folders"), refused.err);
        assertTrue(refused.err.contains("--overwrite") && refused.err.contains("partition=okx-spot/day=2026-11-21"), refused.err);
        assertEquals(before.keySet(), files(out).keySet(), "nothing touched");

        final Path stray = out.resolve("trades/partition=okx-spot/day=2026-11-21/stale.parquet");
        Files.write(stray, new byte[]{1});
        final Cli replaced = Cli.run("export", "--format", "parquet", "--journal", journal.toString(), "--out", out.toString(),
            "--partition", "okx-spot", "--from-day", "2026-11-21", "--overwrite");
        assertEquals(0, replaced.exit, replaced.toString());
        assertTrue(Files.notExists(stray), "the day's folder is replaced whole");
        final Map<String, byte[]> after = files(out);
        assertEquals(before.keySet(), after.keySet(), "other partitions and days stay");
        for (final String name : before.keySet())
        {
            assertArrayEquals(before.get(name), after.get(name), name);
        }
    }

    @Test
    void shouldRefuseABadArgumentInOneLineWithANonZeroExit() throws Exception
    {
        final Path journal = journal();
        final String out = root.resolve("parquet").toString();
        final List<List<String>> bad = List.of(
            List.of("--format", "csv", "--journal", journal.toString(), "--out", out),
            List.of("--journal", journal.toString(), "--out", out),
            List.of("--format", "parquet", "--journal", journal.toString()),
            List.of("--format", "parquet", "--journal", root.resolve("nowhere").toString(), "--out", out),
            List.of("--format", "parquet", "--journal", journal.toString(), "--out", out, "--from-day", "2026-02-30"),
            List.of("--format", "parquet", "--journal", journal.toString(), "--out", out, "--from-day", "2026-11-21", "--to-day", "2026-11-20"),
            List.of("--format", "parquet", "--journal", journal.toString(), "--out", out, "--partition", "kraken"),
            List.of("--format", "parquet", "--journal", journal.toString(), "--out", out, "--from-day", "2027-01-01"),
            List.of("--format", "parquet", "--journal", journal.toString(), "--out", journal.resolve("okx-spot").resolve("x").toString()));
        Files.writeString(journal.resolve("okx-spot").resolve("x"), "a file, not a folder");
        for (final List<String> args : bad)
        {
            final List<String> line = new ArrayList<>(List.of("export"));
            line.addAll(args);
            final Cli run = Cli.run(line.toArray(new String[0]));
            assertEquals(2, run.exit, run.toString());
            assertEquals(1, run.err.lines().count(), args + " -> " + run);
            assertTrue(run.err.startsWith("tickjournal export: "), run.toString());
        }
        assertTrue(Files.notExists(root.resolve("parquet")), "nothing written");
    }

    @Test
    void shouldAnswerTheReadmesDuckDbQueryWithTheJournalsVolumeAndVwap() throws Exception
    {
        final String readme = readme();
        final String section = readme.substring(readme.indexOf("### Parquet export"));
        final Matcher block = Pattern.compile("```sql duckdb\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertTrue(block.find(), "the README's DuckDB query");
        final String query = block.group(1).substring(0, block.group(1).lastIndexOf(';'));
        assertTrue(query.contains("'/tmp/pqout/trades/**/*.parquet'"), query);

        // two partitions around 12:00 on the README's day; some trades fall before the query's window
        final Path journal = root.resolve("journal");
        final long noon = TradingDay.startNs(TradingDay.parse("2026-11-25")) + 12 * 3_600_000_000_000L;
        SqlTestJournals.write(journal.resolve("binance-spot"), Venues.BINANCE_SPOT, 1, "BTCUSDT", noon - 300_000_000L, 900, 21);
        SqlTestJournals.write(journal.resolve("okx-spot"), Venues.OKX_SPOT, 3, "BTCUSDT", noon + 59_500_000_000L, 1500, 22);
        final Path out = root.resolve("pqout");
        assertEquals(0, Cli.run("export", "--format", "parquet", "--journal", journal.toString(), "--out", out.toString()).exit);

        final Map<Long, BigDecimal[]> expected = new TreeMap<>(); // minute -> {trades, sum(price * size), sum(size)}
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final TradeDecoder trade = new TradeDecoder();
        for (final String partition : List.of("binance-spot", "okx-spot"))
        {
            try (JournalTailer tailer = JournalTailer.open(journal.resolve(partition), null))
            {
                while (tailer.readOne((d, seq, b, o, l) ->
                {
                    header.wrap(b, o);
                    if (header.templateId() != TradeDecoder.TEMPLATE_ID)
                    {
                        return;
                    }
                    trade.wrapAndApplyHeader(b, o, header);
                    final long t = trade.receiveTimeNs();
                    if (t >= noon && t < noon + 180_000_000_000L)
                    {
                        final BigDecimal price = BigDecimal.valueOf(trade.priceMantissa(), -trade.priceExponent());
                        final BigDecimal size = BigDecimal.valueOf(trade.sizeMantissa(), -trade.sizeExponent());
                        final BigDecimal[] m = expected.computeIfAbsent((t - noon) / 60_000_000_000L,
                            k -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
                        m[0] = m[0].add(BigDecimal.ONE);
                        m[1] = m[1].add(price.multiply(size));
                        m[2] = m[2].add(size);
                    }
                }))
                {
                    // read to the end
                }
            }
        }
        assertEquals(2, expected.size(), "trades in two minutes of the window: " + expected.keySet());

        final List<String> rows = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement())
        {
            sql.execute("SET TimeZone = 'UTC'");
            try (ResultSet rs = sql.executeQuery(query.replace("/tmp/pqout", out.toString())))
            {
                while (rs.next())
                {
                    rows.add(rs.getLong(2) + " " + rs.getDouble(3) + " " + plain(rs.getBigDecimal(4)));
                }
            }
        }
        final List<String> want = new ArrayList<>();
        for (final BigDecimal[] m : expected.values())
        {
            want.add(m[0].longValue() + " " + m[1].divide(m[2], java.math.MathContext.DECIMAL64).doubleValue() + " " + plain(m[2]));
        }
        assertEquals(want.size(), rows.size(), rows.toString());
        for (int i = 0; i < want.size(); i++)
        {
            final String[] w = want.get(i).split(" ");
            final String[] r = rows.get(i).split(" ");
            assertEquals(w[0], r[0], "trades in minute " + i);
            assertEquals(Double.parseDouble(w[1]), Double.parseDouble(r[1]), Double.parseDouble(w[1]) * 1e-12, "vwap in minute " + i);
            assertEquals(w[2], r[2], "volume in minute " + i);
        }
    }

    private static String readme() throws IOException
    {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("README.md")) || !Files.readString(dir.resolve("README.md")).contains("### Parquet export"))
        {
            dir = dir.getParent();
        }
        return Files.readString(dir.resolve("README.md"));
    }

    private static List<String> lines(final Map<String, Expected> all)
    {
        return all.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().line()).toList();
    }

    private static String plain(final BigDecimal value)
    {
        return value == null ? "null" : value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    private static Map<String, byte[]> files(final Path out) throws IOException
    {
        final Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(out))
        {
            for (final Path path : walk.filter(Files::isRegularFile).toList())
            {
                files.put(out.relativize(path).toString(), Files.readAllBytes(path));
            }
        }
        return files;
    }
}
