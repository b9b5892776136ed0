package io.tickjournal.ops;

import io.tickjournal.ingest.FeedJournal;
import io.tickjournal.journal.Fixtures;
import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.gen.SyntheticMarket;
import io.tickjournal.ops.config.ConfigException;
import io.tickjournal.ops.config.TickJournalConfig;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each subcommand driven in-process on a journal the test writes. */
class SubcommandsTest
{
    private static final int DAY = TradingDay.parse("2026-11-20");
    private static final long START = TradingDay.startNs(DAY) + 3_600_000_000_000L;

    @TempDir
    Path root;

    private Path journal()
    {
        final Path journal = root.resolve("journal");
        TestJournals.write(journal.resolve("binance-spot"), Venues.BINANCE_SPOT, 1, "BTCUSDT", START, 3_000, 1);
        TestJournals.write(journal.resolve("binance-usdm"), Venues.BINANCE_USDM, 1, "BTCUSDT", START + 500_000, 2_000, 2);
        return journal;
    }

    private static String hash(final Cli cli)
    {
        final Matcher m = Pattern.compile("output hash ([0-9a-f]{16})").matcher(cli.out);
        assertTrue(m.find(), cli.toString());
        return m.group(1);
    }

    @Test
    void replayIsDeterministicAndPaceDoesNotChangeTheOutput()
    {
        final Path journal = journal();
        final Cli first = Cli.run("replay", "--journal", journal.toString(), "--day", "2026-11-20");
        final Cli second = Cli.run("replay", "--journal", journal.toString(), "--day", "2026-11-20");
        assertEquals(0, first.exit, first.toString());
        assertTrue(first.out.contains("replayed 5,004 records from 2 partition(s)"), first.out);
        assertEquals(hash(first), hash(second), "same replay, same hash");
        final Cli paced = Cli.run("replay", "--journal", journal.toString(), "--day", "2026-11-20", "--speed", "50");
        assertEquals(hash(first), hash(paced), "pacing changes timing, not output");
        final Cli one = Cli.run("replay", "--journal", journal.toString(), "--day", "2026-11-20", "--partition", "binance-spot");
        assertNotEquals(hash(first), hash(one), "a different replay hashes differently");
        final Cli range = Cli.run("replay", "--journal", journal.toString(), "--from", "2026-11-20T01:00:01",
            "--to", "2026-11-20T01:00:02");
        assertTrue(range.out.contains("replayed 1,998 records") || range.out.contains("replayed 2,000 records") ||
            range.out.matches("(?s).*replayed 1,99\\d records.*"), range.out);
        final Cli multicast = Cli.run("replay", "--journal", journal.toString(), "--day", "2026-11-20", "--target", "multicast",
            "--multicast", "239.255.61.7:46123");
        assertEquals(0, multicast.exit, multicast.toString());
        assertTrue(multicast.out.contains("(5004 packets)"), multicast.out);
        final Cli twice = Cli.run("replay", "--journal", journal.toString(), "--day", "2026-11-20", "--target", "multicast",
            "--multicast", "239.255.61.7:46123");
        assertEquals(hash(multicast), hash(twice));
    }

    @Test
    void replayRefusesBadOptionsWithAClearMessage()
    {
        final Path journal = journal();
        final Cli bad = Cli.run("replay", "--journal", journal.toString(), "--day", "2026-13-40");
        assertEquals(2, bad.exit);
        assertTrue(bad.err.contains("--day '2026-13-40' is not a day"), bad.err);
        final Cli missing = Cli.run("replay", "--journal", journal.toString(), "--partition", "nope");
        assertEquals(2, missing.exit);
        assertTrue(missing.err.contains("no partition 'nope'"), missing.err);
    }

    @Test
    void auditAnswersMatchTheKnownContent()
    {
        final Path journal = journal();
        final Cli summary = Cli.run("audit", "--journal", journal.toString(), "summary", "--format", "csv");
        assertEquals(0, summary.exit, summary.toString());
        // 3,000 records: i % 3 == 0 are trades (1,000), the rest deltas (2,000); plus the definition and snapshot.
        assertTrue(summary.out.contains("binance-spot,BTCUSDT,3002,"), summary.out);
        assertTrue(summary.out.contains("book-delta=2000 book-snapshot=1 instrument-definition=1 trade=1000"), summary.out);
        assertTrue(summary.out.contains("binance-usdm,BTCUSDT,2002,"), summary.out);
        final Cli trades = Cli.run("audit", "--journal", journal.toString(), "records", "--venue", "binance-usdm", "--type", "trade",
            "--format", "jsonl", "--limit", "100000");
        assertEquals(667, trades.out.lines().count(), "2,000 usdm records, every third a trade");
        assertTrue(trades.out.lines().allMatch(l -> l.contains("\"type\":\"trade\"") && l.contains("\"venue\":\"binance-usdm\"")));
        final Cli window = Cli.run("audit", "--journal", journal.toString(), "records", "--partition", "binance-spot",
            "--from", "2026-11-20T01:00:00.100", "--to", "2026-11-20T01:00:00.200", "--format", "csv");
        assertEquals(100, window.out.lines().skip(1).map(l -> l.split(",")[2]).distinct().count(),
            "the 100 records in 100 ms (typed csv: one row per book level): " + window.out);
    }

    @Test
    void auditShowsTheRawFrameBehindARecord()
    {
        final Path dir = root.resolve("journal").resolve("binance-spot");
        final byte[] frame = Fixtures.bytes("binance-spot/trade.json");
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(1024);
        final SyntheticMarket market = new SyntheticMarket(1, Venues.BINANCE_SPOT, 1, 6_500_000, 1_000_000L);
        try (FeedJournal feed = new FeedJournal(dir, Venues.BINANCE_SPOT))
        {
            feed.append(buffer, 0, market.encodeDefinition(buffer, 0, START, "BNBBTC", "BNB-BTC"));
            final long rawIndex = feed.appendRaw(1, START + 1, frame, 0, frame.length);
            final int length = market.encodeTrade(buffer, 0, START + 1);
            buffer.putLong(Records.RAW_INDEX_OFFSET, rawIndex, Records.ORDER);
            feed.append(buffer, 0, length);
        }
        final Cli raw = Cli.run("audit", "--journal", root.resolve("journal").toString(), "raw", "binance-spot/2026-11-20/2");
        assertEquals(0, raw.exit, raw.toString());
        assertTrue(raw.out.contains(new String(frame, StandardCharsets.UTF_8)), raw.out);
        assertTrue(raw.out.contains("binance-spot.raw/2026-11-20/1"), raw.out);
        final Cli none = Cli.run("audit", "--journal", root.resolve("journal").toString(), "raw", "binance-spot/2026-11-20/1");
        assertEquals(1, none.exit, "a definition has no raw frame");
    }

    @Test
    void verifyFindsAPlantedCorruptionAndNamesWhere() throws Exception
    {
        final Path journal = journal();
        final Path partition = journal.resolve("binance-spot");
        // (--no-books: the generated deltas are random levels, not a consistent book; this test is about framing)
        final Cli clean = Cli.run("verify", "--no-books", partition.toString());
        assertEquals(0, clean.exit, clean.toString());
        final Path file;
        try (Stream<Path> files = Files.list(partition))
        {
            file = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        // Find record 1500 and overwrite its SBE schema id.
        final long[] position = {-1};
        try (JournalTailer tailer = JournalTailer.open(partition, null))
        {
            tailer.moveTo(DAY, 1500);
        }
        final byte[] bytes = Files.readAllBytes(file);
        final byte[] schema = {(byte)(7301 & 0xFF), (byte)(7301 >> 8)};
        int seen = 0;
        for (int i = 0; i + 8 < bytes.length && position[0] < 0; i += 4)
        {
            if (bytes[i + 4 + 4] == schema[0] && bytes[i + 4 + 5] == schema[1] && (bytes[i + 3] & 0xC0) == 0 &&
                ((bytes[i] & 0xFF) | (bytes[i + 1] & 0xFF) << 8) > 40)
            {
                if (++seen == 1500 + 8)
                {
                    position[0] = i + 4 + 4;
                }
            }
        }
        assertTrue(position[0] > 0);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(position[0]);
            raf.write(new byte[]{0x55, 0x55});
        }
        final Cli broken = Cli.run("verify", "--no-books", partition.toString());
        assertEquals(1, broken.exit, broken.toString());
        assertTrue(broken.out.contains("BROKEN"), broken.out);
        assertTrue(broken.out.contains(file.getFileName().toString()) && broken.out.contains("record does not decode"), broken.out);
        assertTrue(broken.out.matches("(?s).*seq \\d+.*byte \\d+.*|(?s).*byte \\d+.*seq \\d+.*|(?s).*at byte.*"), broken.out);
    }

    @Test
    void verifyRebuildsBooksAndNamesADeltaWithoutASnapshot()
    {
        final Path partition = root.resolve("journal").resolve("p");
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final SyntheticMarket market = new SyntheticMarket(3, 1, 1, 6_500_000, 1_000_000L);
        try (io.tickjournal.journal.PartitionWriter writer = new io.tickjournal.journal.PartitionWriter(partition))
        {
            writer.append(buffer, 0, market.encodeDefinition(buffer, 0, START, "BTCUSDT", "BTC-USDT"));
            writer.append(buffer, 0, market.encodeDelta(buffer, 0, START + 1, 10));
        }
        final Cli cli = Cli.run("verify", partition.toString());
        assertEquals(1, cli.exit, cli.toString());
        assertTrue(cli.out.contains("2026-11-20/2: delta for instrument 1 with no snapshot before it"), cli.out);
    }

    @Test
    void statsCountsRecordsPerPartitionAndDay()
    {
        final Path journal = journal();
        final Cli cli = Cli.run("stats", journal.toString(), "--types");
        assertEquals(0, cli.exit, cli.toString());
        assertTrue(cli.out.matches("(?s).*binance-spot\\s+2026-11-20\\s+3,002.*"), cli.out);
        assertTrue(cli.out.contains("Trade=1000"), cli.out);
        assertTrue(cli.out.contains("total 5,004 records"), cli.out);
    }

    @Test
    void theShippedConfigLoadsAndBadConfigsNameKeyValueAndReason() throws Exception
    {
        final Path repo = Fixtures.root().getParent().getParent();
        final TickJournalConfig shipped = TickJournalConfig.load(repo.resolve("config/tickjournal.yaml"));
        assertEquals(List.of("binance-spot", "binance-usdm", "bybit-spot", "bybit-linear", "okx-spot", "okx-swap", "coinbase", "bithumb",
            "upbit"),
            shipped.feeds().stream().map(TickJournalConfig.Feed::partition).toList(), "every venue with a simulator, live endpoints");
        assertEquals("wss://stream.binance.com:9443", shipped.feeds().get(0).feed().webSocketUri().toString());
        assertEquals(24L * 3600 * 1_000_000_000L, shipped.feeds().get(0).feed().maxConnectionAgeNs());

        final String good = Files.readString(repo.resolve("config/tickjournal.yaml"));
        assertError(good.replace("priceExponent: -2, sizeExponent: -8}", "priceExponent: -2x, sizeExponent: -8}"),
            "feeds[0].instruments[0].priceExponent = '-2x': not a whole number");
        assertError(good.replace("  ttl: 0 ", "  ttll: 0 "), "bridge.ttll = '0': unknown key");
        assertError(good.replace("code: BU", "code: BS"), "feeds[1].code = 'BS': used by two feeds");
        assertError(good.replace("wss://fstream.binance.com", "http://fstream.binance.com"),
            "feeds[1].websocket = 'http://fstream.binance.com': must be a ws or wss URI with a host");
        assertError(good.replace("idle: backoff                 #", "idle: lazy #"), "bridge.idle = 'lazy': must be busy-spin, yielding or backoff");
        assertError(good.replace("venue: binance-usdm", "venue: kraken"), "feeds[1].venue = 'kraken': unknown venue 'kraken'");
        assertError(good.replace("snapshotLimit: 1000", "snapshotLimit: 9000"), "feeds[0].snapshotLimit = '9000': must be between 1 and 5000");
        assertError("journal: [oops", "(yaml)");
        final Cli cli = Cli.run("check-config", root.resolve("missing.yaml").toString());
        assertEquals(2, cli.exit);
        assertTrue(cli.err.contains("cannot be read"), cli.err);
    }

    private void assertError(final String yaml, final String expected)
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> TickJournalConfig.parse(yaml, root));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage() + " should contain " + expected);
    }

}
