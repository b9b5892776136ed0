package io.tickjournal.ops;

import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.FeedJournal;
import io.tickjournal.ingest.FeedSession;
import io.tickjournal.ingest.FeedTransport;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.IngestFeed;
import io.tickjournal.ingest.upbit.UpbitProtocol;
import io.tickjournal.ingest.venue.VenueRegistry;
import io.tickjournal.journal.sbe.MarketKind;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Venue frames through the real ingest path on one thread: raw capture, Jackson parse,
 * sequencing, encoding and append into real partitions on disk. Frames are pre-rendered the way
 * each venue sends them (Binance's combined-stream wrapper, Bybit's topic envelope with a UUID
 * trade id, OKX's arg/data envelope with four-element levels, Coinbase's level objects, Upbit's and
 * Bithumb's whole books of JSON numbers); only the id digits are rewritten in
 * place per frame so every frame is new to the dedup and book checks.
 */
@Command(name = "parse", mixinStandardHelpOptions = true,
    description = "Parse, normalize and append each venue's trade and depth frames: frames/s, percentiles, bytes allocated per frame, " +
        "and each venue's p50 per frame against Binance's (its 10-a-side depth frame, and its depth frame of equal levels).")
public final class ParseBench implements Callable<Integer>
{
    private static final int POOL = 512;
    private static final int ID_DIGITS = 13;
    private static final String BINANCE = "binance-spot";
    /** Levels a side of the reference Binance depth frame every venue's per-frame cost is compared with. */
    private static final int BINANCE_LEVELS = 10;

    @Option(names = "--trades", description = "trade frames per pass (default: ${DEFAULT-VALUE})", defaultValue = "3000000")
    int trades;

    @Option(names = "--depths", description = "depth frames per pass (default: ${DEFAULT-VALUE})", defaultValue = "1000000")
    int depths;

    @Option(names = "--venues", split = ",", description = "venues whose frames to measure (default: ${DEFAULT-VALUE})",
        defaultValue = "binance-spot,bybit-spot,okx-spot,coinbase,bithumb,upbit")
    List<String> venues;

    @Option(names = "--krw-units", description = "units in Upbit's and Bithumb's whole books: 15 is what the feeds subscribe " +
        "by default (orderbookUnits), 30 the venues' own default (default: ${DEFAULT-VALUE})",
        defaultValue = "" + UpbitProtocol.SUBSCRIBED_UNITS)
    int krwUnits = UpbitProtocol.SUBSCRIBED_UNITS;

    @Option(names = "--krw-format", description = "object format of Upbit's and Bithumb's frames: SIMPLE (abbreviated keys, what the " +
        "feeds subscribe with) or DEFAULT (the documented names) (default: ${DEFAULT-VALUE})", defaultValue = "SIMPLE")
    String krwFormat = "SIMPLE";

    @Option(names = "--rounds", description = "times the whole list of passes is run in the same JVM, each round's ratios printed, " +
        "then each frame's median ratio over the rounds: on a shared machine a pass that another process slows moves one round's " +
        "ratio, not the median (default: ${DEFAULT-VALUE})", defaultValue = "1")
    int rounds = 1;

    @Option(names = "--dir", description = "where to put the scratch journals (default: a temporary directory)")
    Path dir;

    @Option(names = "--pretouch", description = "touch journal pages ahead of the writer on a background thread: on, off, or both " +
        "(both: each pass without, then with, in one run, to compare) (default: ${DEFAULT-VALUE}, as the ingest role runs)", defaultValue = "on")
    String pretouch;

    @Override
    public Integer call() throws Exception
    {
        krwSimple(); // a bad --krw-format is refused before anything runs
        final Path root = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("tickjournal-parse");
        try
        {
            System.out.printf("java %s, %d cpus, heap %d MiB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            final List<Boolean> modes = switch (pretouch)
            {
                case "on" -> List.of(true);
                case "off" -> List.of(false);
                case "both" -> List.of(false, true);
                default -> throw new IllegalArgumentException("--pretouch must be on, off or both, got '" + pretouch + "'");
            };
            if (rounds < 1)
            {
                throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
            }
            int n = 0;
            final List<List<Result>> allRounds = new ArrayList<>();
            for (int round = 1; round <= rounds; round++)
            {
                if (rounds > 1)
                {
                    System.out.printf("%n---- round %d of %d%n", round, rounds);
                }
                final List<Result> results = new ArrayList<>();
                for (final String venue : venues)
                {
                    VenueRegistry.byName(venue);
                    for (final boolean on : modes)
                    {
                        results.add(onOwnThread(venue, root.resolve("trades" + n), false, BINANCE_LEVELS, trades, on));
                        n++;
                    }
                    for (final boolean on : modes)
                    {
                        results.add(onOwnThread(venue, root.resolve("depths" + n), true, BINANCE_LEVELS, depths, on));
                        n++;
                    }
                    if (venue.equals(BINANCE) && krwUnits != BINANCE_LEVELS && (venues.contains("upbit") || venues.contains("bithumb")))
                    {
                        // The second reference: Binance's depth frame with as many levels as a whole KRW book.
                        for (final boolean on : modes)
                        {
                            results.add(onOwnThread(venue, root.resolve("depths" + n), true, krwUnits, depths, on));
                            n++;
                        }
                    }
                }
                printRatios(results);
                allRounds.add(results);
            }
            if (rounds > 1)
            {
                printMedians(allRounds);
            }
        }
        finally
        {
            if (dir == null)
            {
                org.agrona.IoUtil.delete(root.toFile(), false);
            }
        }
        return 0;
    }

    private static final class Frame
    {
        final byte[] bytes;
        final int[] idOffsets;
        /** The first placeholder is the previous event's id (OKX {@code prevSeqId}), the second this one's. */
        boolean chained;

        Frame(final String text, final boolean chained)
        {
            this(text);
            this.chained = chained;
        }

        Frame(final String text)
        {
            this.bytes = text.getBytes(StandardCharsets.US_ASCII);
            final String marker = "9".repeat(ID_DIGITS);
            int count = 0;
            for (int i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + ID_DIGITS))
            {
                count++;
            }
            idOffsets = new int[count];
            int n = 0;
            for (int i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + ID_DIGITS))
            {
                idOffsets[n++] = i;
            }
        }

        /** Write ids: the first placeholder gets {@code first} ({@code first - 1} when chained), the others {@code second}. */
        void ids(final long first, final long second)
        {
            for (int k = 0; k < idOffsets.length; k++)
            {
                long v = k == 0 ? (chained ? first - 1 : first) : second;
                for (int i = idOffsets[k] + ID_DIGITS - 1; i >= idOffsets[k]; i--)
                {
                    bytes[i] = (byte)('0' + (v % 10));
                    v /= 10;
                }
            }
        }
    }

    private static String price(final SplittableRandom random)
    {
        return "650" + (10 + random.nextInt(89)) + "." + (10 + random.nextInt(89)) + "000000";
    }

    private static String size(final SplittableRandom random)
    {
        return "0." + String.format("%08d", 1 + random.nextInt(99_999_999));
    }

    private Frame[] frames(final String venue, final boolean depth, final int binanceLevels)
    {
        if (venue.startsWith("bybit"))
        {
            return bybitFrames(depth);
        }
        if (venue.startsWith("okx"))
        {
            return okxFrames(depth);
        }
        if (venue.equals("coinbase"))
        {
            return coinbaseFrames(depth);
        }
        if (venue.equals("upbit") || venue.equals("bithumb"))
        {
            return upbitFamilyFrames(venue.equals("bithumb"), depth, krwUnits, krwSimple());
        }
        final SplittableRandom random = new SplittableRandom(7);
        final Frame[] frames = new Frame[POOL];
        final String id = "9".repeat(ID_DIGITS);
        for (int i = 0; i < POOL; i++)
        {
            if (!depth)
            {
                frames[i] = new Frame("{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1767225600123,\"s\":\"BTCUSDT\"," +
                    "\"t\":" + id + ",\"p\":\"" + price(random) + "\",\"q\":\"" + size(random) + "\",\"T\":1767225600122,\"m\":" +
                    random.nextBoolean() + ",\"M\":true}}");
            }
            else
            {
                frames[i] = new Frame(binanceDepth(random, id, binanceLevels));
            }
        }
        return frames;
    }

    /**
     * A Binance spot {@code depth} diff as the combined stream sends it ({@code depthUpdate}, first and
     * last update ids, bids and asks as {@code [price, quantity]} string pairs), with {@code levels}
     * levels a side.
     *
     * @param random prices and sizes.
     * @param id     the update ids' text.
     * @param levels levels a side.
     * @return the frame's text.
     */
    static String binanceDepth(final SplittableRandom random, final String id, final int levels)
    {
        final StringBuilder json = new StringBuilder(1024).append("{\"stream\":\"btcusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",")
            .append("\"E\":1767225600123,\"s\":\"BTCUSDT\",\"U\":").append(id).append(",\"u\":").append(id).append(",\"b\":[");
        for (int l = 0; l < levels; l++)
        {
            json.append(l == 0 ? "[\"" : ",[\"").append(price(random)).append("\",\"").append(size(random)).append("\"]");
        }
        json.append("],\"a\":[");
        for (int l = 0; l < levels; l++)
        {
            json.append(l == 0 ? "[\"" : ",[\"").append(price(random)).append("\",\"").append(size(random)).append("\"]");
        }
        return json.append("]}}").toString();
    }

    private static String levels(final SplittableRandom random, final String extra)
    {
        final StringBuilder json = new StringBuilder(512).append('[');
        for (int l = 0; l < 10; l++)
        {
            json.append(l == 0 ? "[\"" : ",[\"").append(price(random)).append("\",\"").append(size(random)).append('"')
                .append(extra).append(']');
        }
        return json.append(']').toString();
    }

    /**
     * Bybit v5 as it sends them: {@code publicTrade} with one trade whose id is a UUID (linear; spot's
     * are digits), and an {@code orderbook.50} delta with 10 levels a side and contiguous {@code u}.
     */
    private static Frame[] bybitFrames(final boolean depth)
    {
        final SplittableRandom random = new SplittableRandom(7);
        final Frame[] frames = new Frame[POOL];
        final String id = "9".repeat(ID_DIGITS);
        for (int i = 0; i < POOL; i++)
        {
            if (!depth)
            {
                // A UUID's 36 characters, its tail rewritten per frame.
                frames[i] = new Frame("{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"ts\":1767225600123,\"data\":[{" +
                    "\"T\":1767225600122,\"s\":\"BTCUSDT\",\"S\":\"" + (random.nextBoolean() ? "Buy" : "Sell") + "\",\"v\":\"" +
                    size(random) + "\",\"p\":\"" + price(random) + "\",\"L\":\"PlusTick\",\"i\":\"20f43950-d8dd-5b31-911-" + id +
                    "\",\"BT\":false,\"RPI\":false,\"seq\":66544703342}]}");
            }
            else
            {
                frames[i] = new Frame("{\"topic\":\"orderbook.50.BTCUSDT\",\"type\":\"delta\",\"ts\":1767225600123,\"data\":{" +
                    "\"s\":\"BTCUSDT\",\"b\":" + levels(random, "") + ",\"a\":" + levels(random, "") + ",\"u\":" + id +
                    ",\"seq\":" + id + "},\"cts\":1767225600120}");
            }
        }
        return frames;
    }

    /**
     * OKX v5 as it sends them: {@code trades} with one trade ({@code count}, {@code source},
     * {@code seqId}), and a {@code books} update with 10 four-element levels a side chained by
     * {@code prevSeqId}; its checksum is 0, as OKX sends it since deprecating the field.
     */
    private static Frame[] okxFrames(final boolean depth)
    {
        final SplittableRandom random = new SplittableRandom(7);
        final Frame[] frames = new Frame[POOL];
        final String id = "9".repeat(ID_DIGITS);
        for (int i = 0; i < POOL; i++)
        {
            if (!depth)
            {
                frames[i] = new Frame("{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instId\":\"BTC-USDT\"," +
                    "\"tradeId\":\"" + id + "\",\"px\":\"" + price(random) + "\",\"sz\":\"" + size(random) + "\",\"side\":\"" +
                    (random.nextBoolean() ? "buy" : "sell") + "\",\"ts\":\"1767225600122\",\"count\":\"1\",\"source\":\"0\"," +
                    "\"seqId\":1234}]}");
            }
            else
            {
                frames[i] = new Frame("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"update\",\"data\":[{" +
                    "\"asks\":" + levels(random, ",\"0\",\"3\"") + ",\"bids\":" + levels(random, ",\"0\",\"3\"") +
                    ",\"ts\":\"1767225600122\",\"checksum\":0,\"prevSeqId\":" + id + ",\"seqId\":" + id + "}]}", true);
            }
        }
        return frames;
    }

    /**
     * Coinbase Advanced Trade as it sends them: {@code market_trades} with one trade (digit-string
     * {@code trade_id}), and an {@code l2_data} update with 10 levels a side, each an object with its
     * side, {@code event_time}, {@code price_level} and {@code new_quantity}; {@code sequence_num}
     * rises by one a message, as on one connection.
     */
    private static Frame[] coinbaseFrames(final boolean depth)
    {
        final SplittableRandom random = new SplittableRandom(7);
        final Frame[] frames = new Frame[POOL];
        final String id = "9".repeat(ID_DIGITS);
        for (int i = 0; i < POOL; i++)
        {
            if (!depth)
            {
                frames[i] = new Frame("{\"channel\":\"market_trades\",\"client_id\":\"\",\"timestamp\":\"2026-01-01T00:00:00.39625135Z\"," +
                    "\"sequence_num\":" + id + ",\"events\":[{\"type\":\"update\",\"trades\":[{\"trade_id\":\"" + id +
                    "\",\"product_id\":\"BTC-USD\",\"price\":\"" + price(random) + "\",\"size\":\"" + size(random) + "\",\"side\":\"" +
                    (random.nextBoolean() ? "BUY" : "SELL") + "\",\"time\":\"2026-01-01T00:00:00.265123Z\"}]}]}");
            }
            else
            {
                final StringBuilder json = new StringBuilder(2560).append("{\"channel\":\"l2_data\",\"client_id\":\"\",")
                    .append("\"timestamp\":\"2026-01-01T00:00:00.714964855Z\",\"sequence_num\":").append(id)
                    .append(",\"events\":[{\"type\":\"update\",\"product_id\":\"BTC-USD\",\"updates\":[");
                for (int l = 0; l < 20; l++)
                {
                    json.append(l == 0 ? "" : ",").append("{\"side\":\"").append(l < 10 ? "bid" : "offer")
                        .append("\",\"event_time\":\"2026-01-01T00:00:00.712345Z\",\"price_level\":\"").append(price(random))
                        .append("\",\"new_quantity\":\"").append(size(random)).append("\"}");
                }
                frames[i] = new Frame(json.append("]}]}").toString());
            }
        }
        return frames;
    }

    private boolean krwSimple()
    {
        return switch (krwFormat)
        {
            case "SIMPLE" -> true;
            case "DEFAULT" -> false;
            default -> throw new IllegalArgumentException("--krw-format must be SIMPLE or DEFAULT, got '" + krwFormat + "'");
        };
    }

    /** A KRW price or size as Upbit's JSON doubles spell them: exponent form when that is shorter. */
    private static String krwPrice(final SplittableRandom random)
    {
        return "1.16" + (100 + random.nextInt(899)) + "E8";
    }

    /**
     * Upbit and Bithumb v2 as they send them (JSON numbers, some in exponent form): a {@code trade}
     * with every documented field and an 18-digit {@code sequential_id} (a string on Bithumb), and an
     * {@code orderbook} that is a whole book of {@code units} units (one ask and one bid each; 30 is the
     * documented default).
     */
    private static Frame[] upbitFamilyFrames(final boolean bithumb, final boolean depth, final int units, final boolean simple)
    {
        final java.util.function.UnaryOperator<String> k = name -> io.tickjournal.ingest.sim.UpbitSimProtocol.key(simple, name);
        final SplittableRandom random = new SplittableRandom(7);
        final Frame[] frames = new Frame[POOL];
        final String id = "9".repeat(ID_DIGITS);
        final String code = "KRW-BTC";
        for (int i = 0; i < POOL; i++)
        {
            if (!depth)
            {
                final String sequentialId = bithumb ? "\"86268" + id + "\"" : "17303" + id;
                frames[i] = new Frame("{\"" + k.apply("type") + "\":\"trade\",\"" + k.apply("code") + "\":\"" + code + "\",\"" +
                    k.apply("timestamp") + "\":1767225600123,\"" + k.apply("trade_date") + "\":\"2026-01-01\",\"" +
                    k.apply("trade_time") + "\":\"00:00:00\",\"" + k.apply("trade_timestamp") + "\":1767225600122,\"" +
                    k.apply("trade_price") + "\":" + krwPrice(random) + ",\"" + k.apply("trade_volume") + "\":" + size(random) + ",\"" +
                    k.apply("ask_bid") + "\":\"" + (random.nextBoolean() ? "ASK" : "BID") + "\",\"" + k.apply("prev_closing_price") +
                    "\":1.00571E8,\"" + k.apply("change") + "\":\"RISE\",\"" + k.apply("change_price") + "\":98000.0,\"" +
                    k.apply("sequential_id") + "\":" + sequentialId + ",\"" + k.apply("best_ask_price") + "\":" + krwPrice(random) +
                    ",\"" + k.apply("best_ask_size") + "\":0.43139478,\"" + k.apply("best_bid_price") + "\":" + krwPrice(random) + ",\"" +
                    k.apply("best_bid_size") + "\":0.01990656,\"" + k.apply("stream_type") + "\":\"REALTIME\"}");
            }
            else
            {
                final StringBuilder json = new StringBuilder(4096).append("{\"").append(k.apply("type")).append("\":\"orderbook\",\"")
                    .append(k.apply("code")).append("\":\"").append(code).append("\",\"").append(k.apply("timestamp")).append("\":")
                    .append(bithumb ? "\"1767225600123456\"" : "1767225600123").append(",\"").append(k.apply("total_ask_size"))
                    .append("\":2.51469375,\"").append(k.apply("total_bid_size")).append("\":1.63815297,\"")
                    .append(k.apply("orderbook_units")).append("\":[");
                for (int u = 0; u < units; u++)
                {
                    json.append(u == 0 ? "{\"" : ",{\"").append(k.apply("ask_price")).append("\":").append(116_539_000 + u * 1000)
                        .append(".0,\"").append(k.apply("bid_price")).append("\":1.16").append(538 - u).append("E8,\"")
                        .append(k.apply("ask_size")).append("\":").append(size(random)).append(",\"").append(k.apply("bid_size"))
                        .append("\":").append(u % 3 == 0 ? "7.9276E-4" : size(random)).append('}');
                }
                frames[i] = new Frame(json.append("],\"").append(k.apply("stream_type")).append("\":\"REALTIME\",\"")
                    .append(k.apply("level")).append("\":0}").toString());
            }
        }
        return frames;
    }

    /** The book snapshot a pass joins on, at id {@code id}, as the venue sends it. */
    private static void join(final String venue, final FeedSession session, final EpochNanoClock clock, final Frame first, final long id)
    {
        if (venue.equals("coinbase"))
        {
            final byte[] snapshot = ("{\"channel\":\"l2_data\",\"client_id\":\"\",\"timestamp\":\"2026-01-01T00:00:00.714964855Z\"," +
                "\"sequence_num\":" + id + ",\"events\":[{\"type\":\"snapshot\",\"product_id\":\"BTC-USD\",\"updates\":[" +
                "{\"side\":\"bid\",\"event_time\":\"1970-01-01T00:00:00Z\",\"price_level\":\"65000.00\",\"new_quantity\":\"1.0\"}," +
                "{\"side\":\"offer\",\"event_time\":\"1970-01-01T00:00:00Z\",\"price_level\":\"65001.00\",\"new_quantity\":\"1.0\"}]}]}")
                .getBytes(StandardCharsets.US_ASCII);
            session.onFrame(1, snapshot, snapshot.length, clock.nanoTime());
            return;
        }
        if (venue.equals("upbit") || venue.equals("bithumb"))
        {
            // Every orderbook frame is a whole book: the first one makes the book live.
            session.onFrame(1, first.bytes, first.bytes.length, clock.nanoTime());
            return;
        }
        if (venue.startsWith("bybit") || venue.startsWith("okx"))
        {
            final String text = venue.startsWith("bybit") ?
                "{\"topic\":\"orderbook.50.BTCUSDT\",\"type\":\"snapshot\",\"ts\":1767225600123,\"data\":{\"s\":\"BTCUSDT\"," +
                "\"b\":[[\"65000.00000000\",\"1.00000000\"]],\"a\":[[\"65001.00000000\",\"1.00000000\"]],\"u\":" + id +
                ",\"seq\":" + id + "},\"cts\":1767225600120}" :
                "{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"snapshot\",\"data\":[{" +
                "\"asks\":[[\"65001.00000000\",\"1.00000000\",\"0\",\"1\"]],\"bids\":[[\"65000.00000000\",\"1.00000000\",\"0\",\"1\"]]," +
                "\"ts\":\"1767225600122\",\"checksum\":0,\"prevSeqId\":-1,\"seqId\":" + id + "}]}";
            final byte[] snapshot = text.getBytes(StandardCharsets.US_ASCII);
            session.onFrame(1, snapshot, snapshot.length, clock.nanoTime());
            return;
        }
        // Binance: one buffered event, then a REST snapshot just below it, so the event straddles it and
        // the book joins at once (a snapshot at the event's own id would leave the book joining until the next).
        first.ids(id, id);
        session.onFrame(1, first.bytes, first.bytes.length, clock.nanoTime());
        final byte[] snapshot = ("{\"lastUpdateId\":" + (id - 1) + ",\"bids\":[[\"65000.00000000\",\"1.00000000\"]]," +
            "\"asks\":[[\"65001.00000000\",\"1.00000000\"]]}").getBytes(StandardCharsets.US_ASCII);
        session.onRestResponse(0, 200, snapshot, snapshot.length, clock.nanoTime());
    }

    /**
     * Each pass on a fresh thread, as each feed has its own event-loop thread: Chronicle keeps a
     * thread-local per queue, and the queues of earlier passes would otherwise crowd this thread's
     * thread-local table and slow every append's lookup.
     */
    private Result onOwnThread(
        final String venue, final Path partition, final boolean depth, final int binanceLevels, final int count, final boolean withPretouch)
        throws InterruptedException
    {
        final RuntimeException[] failure = new RuntimeException[1];
        final Result[] result = new Result[1];
        final Thread thread = new Thread(() ->
        {
            try
            {
                result[0] = run(venue, partition, depth, binanceLevels, count, withPretouch);
            }
            catch (final RuntimeException ex)
            {
                failure[0] = ex;
            }
        }, "ingest-bench");
        thread.start();
        thread.join();
        if (failure[0] != null)
        {
            throw failure[0];
        }
        return result[0];
    }

    private Result run(
        final String venue, final Path partition, final boolean depth, final int binanceLevels, final int count, final boolean withPretouch)
    {
        final FeedConfig config = VenueRegistry.byName(venue).defaults(partition, URI.create("ws://127.0.0.1:1"),
            URI.create("http://127.0.0.1:1"),
            List.of(instrument(venue)),
            EnumSet.of(depth ? Channel.DEPTH : Channel.TRADE));
        final EpochNanoClock clock = new OffsetEpochNanoClock();
        final FeedJournal journal = new FeedJournal(partition, config.venueId());
        final io.tickjournal.journal.Pretoucher pretoucher = withPretouch ? new io.tickjournal.journal.Pretoucher(16 << 20) : null;
        if (pretoucher != null)
        {
            journal.pretouchWith(pretoucher);
        }
        final FeedSession session = new FeedSession(config, journal, IngestFeed.handlerFor(config, journal), new NoTransport(), clock, 1);
        final Frame[] frames = frames(venue, depth, binanceLevels);
        final String book = venue.equals("upbit") || venue.equals("bithumb") ? "book (" + krwUnits + " units, " + krwFormat + ")" :
            "depth (" + (venue.equals(BINANCE) ? binanceLevels : BINANCE_LEVELS) + " a side)";
        final String trade = venue.equals("upbit") || venue.equals("bithumb") ? "trade (" + krwFormat + ")" : "trade";
        final String label = venue + " " + (depth ? book : trade) + (withPretouch ? " +pretouch" : "");
        try
        {
            session.start(clock.nanoTime());
            session.onOpen(1, clock.nanoTime());
            long id = 1_000_000_000_000L; // 13 digits: JSON numbers have no leading zeros
            if (depth)
            {
                join(venue, session, clock, frames[0], id);
                if (session.counters().resyncs != 1)
                {
                    throw new IllegalStateException("book did not join: " + session.counters());
                }
                id++;
            }
            // Warm-up (JIT, first pages of the files): steady state is what the targets are about.
            id = pass(session, clock, frames, id, Math.min(count, 1_000_000), null);
            final long recordsBefore = session.counters().records;
            final long allocatedBefore = BenchSupport.allocatedBytes();
            final long start = System.nanoTime();
            id = pass(session, clock, frames, id, count, null);
            final long elapsed = System.nanoTime() - start;
            final long allocated = BenchSupport.allocatedBytes() - allocatedBefore;
            final long appended = session.counters().records - recordsBefore;
            if (appended != count)
            {
                throw new IllegalStateException("expected " + count + " records appended, got " + appended + " (" + session.counters() + ")");
            }
            final io.tickjournal.ingest.venue.VenueParser parser = VenueRegistry.byName(venue).protocol().newParser();
            final io.tickjournal.ingest.venue.MarketFrame parsed = new io.tickjournal.ingest.venue.MarketFrame();
            final long parseStart = System.nanoTime();
            for (int i = 0; i < count; i++)
            {
                final Frame frame = frames[i & (POOL - 1)];
                if (parser.parse(frame.bytes, 0, frame.bytes.length, parsed) != 0)
                {
                    throw new IllegalStateException("bad frame");
                }
            }
            final long parseElapsed = System.nanoTime() - parseStart;
            final Histogram histogram = new Histogram(10_000_000_000L, 3);
            pass(session, clock, frames, id, count, histogram);
            System.out.printf("%-42s %,d frames %5d B: %,.0f frames/s (%.0f ns/frame), %.3f B allocated/frame%n", label, count,
                frames[0].bytes.length, count * 1e9 / elapsed, (double)elapsed / count, (double)allocated / count);
            System.out.printf("%-42s per frame %s  mean %s%n", "", BenchSupport.percentiles(histogram),
                BenchSupport.micros((long)histogram.getMean()));
            System.out.printf("%-42s Jackson parse alone (same frames, no journal): %,.0f frames/s%n", "",
                count * 1e9 / parseElapsed);
            int levels = 0;
            for (int i = 0; i < parsed.eventCount(); i++)
            {
                levels += parsed.event(i).bids().count() + parsed.event(i).asks().count();
            }
            final long p50 = histogram.getValueAtPercentile(50);
            System.out.printf("%-42s p50 per byte %.2f ns%s%n", "", (double)p50 / frames[0].bytes.length,
                levels > 0 ? String.format(", per level %.0f ns (%d levels)", (double)p50 / levels, levels) : "");
            System.out.printf("%-42s malformed %d, duplicates %d, gaps %d, rejected %d%n", "",
                session.counters().malformed, session.counters().duplicates, session.counters().bookGaps, journal.rejected());
            return new Result(label, venue, depth, withPretouch, levels, p50);
        }
        finally
        {
            session.close();
            if (pretoucher != null)
            {
                pretoucher.close();
            }
        }
    }

    /** One pass's p50 per frame, with what it is compared by. */
    record Result(String label, String venue, boolean depth, boolean pretouch, int levels, long p50Ns)
    {
    }

    /**
     * Each pass's p50 per frame against Binance's of the same pretouch mode: a trade against Binance's
     * trade, a book frame against Binance's 10-a-side depth frame (the per-frame target) and against
     * Binance's depth frame of the same number of levels where one was measured.
     */
    static void printRatios(final List<Result> results)
    {
        boolean header = false;
        for (final Result r : results)
        {
            Result perFrame = null;
            Result equalLevels = null;
            for (final Result b : results)
            {
                if (!b.venue().equals(BINANCE) || b.depth() != r.depth() || b.pretouch() != r.pretouch())
                {
                    continue;
                }
                if (!r.depth() || b.levels() == 2 * BINANCE_LEVELS)
                {
                    perFrame = b;
                }
                if (r.depth() && b.levels() == r.levels())
                {
                    equalLevels = b;
                }
            }
            if (perFrame == null)
            {
                continue;
            }
            if (!header)
            {
                System.out.printf("%np50 per frame against Binance's (trade: its trade; book: its %d-a-side depth frame, and its depth " +
                    "frame of equal levels)%n", BINANCE_LEVELS);
                header = true;
            }
            System.out.printf("%-42s p50 %-9s %5.2fx Binance's %s%s%n", r.label(), BenchSupport.micros(r.p50Ns()),
                (double)r.p50Ns() / perFrame.p50Ns(), r.depth() ? BINANCE_LEVELS + "-a-side depth" : "trade",
                equalLevels == null ? "" : String.format("   %5.2fx Binance's depth of equal levels (%d)",
                (double)r.p50Ns() / equalLevels.p50Ns(), r.levels()));
        }
    }

    /**
     * Each frame's ratio to Binance's per-frame reference in every round, as {@link #printRatios}
     * computes it, and their median, least and greatest.
     */
    static void printMedians(final List<List<Result>> allRounds)
    {
        System.out.printf("%nmedian over %d rounds of each frame's p50 against Binance's of the same round (least-greatest)%n",
            allRounds.size());
        for (final Result first : allRounds.get(0))
        {
            final double[] ratios = new double[allRounds.size()];
            final long[] p50s = new long[allRounds.size()];
            int count = 0;
            for (final List<Result> round : allRounds)
            {
                for (final Result r : round)
                {
                    final Result reference = r.label().equals(first.label()) ? perFrameReference(round, r) : null;
                    if (reference != null)
                    {
                        ratios[count] = (double)r.p50Ns() / reference.p50Ns();
                        p50s[count] = r.p50Ns();
                        count++;
                    }
                }
            }
            if (count == 0)
            {
                continue;
            }
            Arrays.sort(ratios, 0, count);
            Arrays.sort(p50s, 0, count);
            final double median = count % 2 == 1 ? ratios[count / 2] : (ratios[count / 2 - 1] + ratios[count / 2]) / 2;
            final long p50 = count % 2 == 1 ? p50s[count / 2] : (p50s[count / 2 - 1] + p50s[count / 2]) / 2;
            System.out.printf("%-42s p50 %-9s median %5.2fx Binance's %s (%.2f-%.2f)%n", first.label(), BenchSupport.micros(p50),
                median, first.depth() ? BINANCE_LEVELS + "-a-side depth" : "trade", ratios[0], ratios[count - 1]);
        }
    }

    /** Binance's pass a frame's p50 is compared with: its trade, or its 10-a-side depth frame; null when not measured. */
    private static Result perFrameReference(final List<Result> results, final Result r)
    {
        for (final Result b : results)
        {
            if (b.venue().equals(BINANCE) && b.depth() == r.depth() && b.pretouch() == r.pretouch() &&
                (!r.depth() || b.levels() == 2 * BINANCE_LEVELS))
            {
                return b;
            }
        }
        return null;
    }

    private static InstrumentSpec instrument(final String venue)
    {
        return switch (venue)
        {
            case "coinbase" -> new InstrumentSpec(1, "BTC-USD", "BTC-USD", MarketKind.SPOT, -8, -8);
            // KRW prices are whole won: their own exponent.
            case "upbit", "bithumb" -> new InstrumentSpec(1, "KRW-BTC", "BTC-KRW", MarketKind.SPOT, 0, -8);
            default -> new InstrumentSpec(1, venue.startsWith("okx") ? "BTC-USDT" : "BTCUSDT", "BTC-USDT", MarketKind.SPOT, -8, -8);
        };
    }

    private static long pass(
        final FeedSession session, final EpochNanoClock clock, final Frame[] frames, final long firstId, final int count,
        final Histogram histogram)
    {
        long id = firstId;
        for (int i = 0; i < count; i++)
        {
            final Frame frame = frames[i & (POOL - 1)];
            frame.ids(id, id);
            final long t0 = histogram != null ? System.nanoTime() : 0;
            session.onFrame(1, frame.bytes, frame.bytes.length, clock.nanoTime());
            if (histogram != null)
            {
                histogram.recordValue(System.nanoTime() - t0);
            }
            id++;
        }
        return id;
    }

    /** The benchmark has no sockets. */
    private static final class NoTransport implements FeedTransport
    {
        @Override
        public void bind(final FeedSession session)
        {
        }

        @Override
        public void connect(final int connectionId, final URI uri)
        {
        }

        @Override
        public void ping(final int connectionId)
        {
        }

        @Override
        public void send(final int connectionId, final String text)
        {
        }

        @Override
        public void close(final int connectionId)
        {
        }

        @Override
        public void get(final long tag, final URI uri)
        {
        }

        @Override
        public void shutdown()
        {
        }
    }
}
