package io.tickjournal.ingest;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.tickjournal.ingest.sim.BinanceSimulator;
import io.tickjournal.ingest.venue.VenueRegistry;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.InstrumentDefinitionDecoder;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Importing a capture goes through the live parser, protocol and book sync: the raw partition a
 * live feed wrote against the simulator (with a book gap and its resync in it), imported into
 * another journal, gives the live journal's records, record for record; importing it twice gives
 * the same records twice.
 */
class ImportTest
{
    private static final long MS = 1_000_000L;
    /** What only a live session journals, from its own timers and sockets, never from frames. */
    private static final Set<VenueStatusKind> SESSION_ONLY = Set.of(VenueStatusKind.CONNECTED, VenueStatusKind.DISCONNECTED,
        VenueStatusKind.STALE, VenueStatusKind.SESSION_ROTATED, VenueStatusKind.SHUTDOWN_NOTICE, VenueStatusKind.RESTARTED);

    @TempDir
    Path dir;

    @Test
    void anImportedCaptureEqualsTheLiveJournalOfTheSameFrames() throws Exception
    {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final List<InstrumentSpec> specs = List.of(
            new InstrumentSpec(1, "BTCUSDT", "BTC-USDT", MarketKind.SPOT, -8, -8),
            new InstrumentSpec(2, "ETHUSDT", "ETH-USDT", MarketKind.SPOT, -8, -8));
        final FeedConfig live;
        try (BinanceSimulator simulator = new BinanceSimulator(BinanceSimulator.Options.defaults(false).withTradesPerSecond(300), 0))
        {
            live = VenueRegistry.byId(Venues.BINANCE_SPOT).defaults(dir.resolve("live").resolve("binance-spot"),
                URI.create(simulator.webSocketUri()), URI.create(simulator.restUri()), specs,
                EnumSet.of(Channel.TRADE, Channel.AGG_TRADE, Channel.DEPTH, Channel.BOOK_TICKER))
                .withTimers(5_000 * MS, 3_600_000 * MS, 60_000 * MS, 50 * MS, 1000 * MS);
            try (IngestFeed feed = IngestFeed.start(live, group, new SystemEpochNanoClock()))
            {
                await(() -> feed.session().counters().resyncs >= 2 && feed.session().counters().trades > 200);
                simulator.gapNextDepth("BTCUSDT");
                await(() -> feed.session().counters().resyncs >= 3);
                final long trades = feed.session().counters().trades;
                await(() -> feed.session().counters().trades > trades + 100);
                simulator.pause(true);
                Thread.sleep(300);
            }
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }

        final Path raw = Partition.rawDir(live.partitionDir());
        for (final String copy : List.of("first", "second"))
        {
            try (FrameImporter importer = new FrameImporter(live.withPartitionDir(dir.resolve(copy).resolve("binance-spot"))))
            {
                importer.importRawPartition(raw);
            }
        }
        final List<String> liveRecords = comparable(JournalContents.read(live.partitionDir()));
        final List<String> first = comparable(JournalContents.read(dir.resolve("first").resolve("binance-spot")));
        final List<String> second = comparable(JournalContents.read(dir.resolve("second").resolve("binance-spot")));
        assertTrue(liveRecords.size() > 500, "a real capture: " + liveRecords.size());
        assertTrue(liveRecords.stream().anyMatch(r -> r.startsWith("GAP_DETECTED")), "the capture holds a book gap");
        assertEquals(liveRecords, first, "the import equals the live journal, record for record");
        assertEquals(hex(JournalContents.read(dir.resolve("first").resolve("binance-spot"))),
            hex(JournalContents.read(dir.resolve("second").resolve("binance-spot"))), "imported twice: the same bytes");
        assertEquals(first, second);
        assertEquals(hex(JournalContents.read(Partition.rawDir(dir.resolve("first").resolve("binance-spot")))),
            hex(JournalContents.read(raw)), "the raw frames are carried over as they were");
    }

    /** Every record as hex, with session-only statuses left out and definitions without their receive time. */
    private static List<String> comparable(final List<UnsafeBuffer> records)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final VenueStatusDecoder status = new VenueStatusDecoder();
        final List<String> out = new ArrayList<>();
        for (final UnsafeBuffer r : records)
        {
            header.wrap(r, 0);
            if (header.templateId() == VenueStatusDecoder.TEMPLATE_ID)
            {
                status.wrapAndApplyHeader(r, 0, header);
                if (SESSION_ONLY.contains(status.status()))
                {
                    continue;
                }
                out.add(status.status() + " " + HexFormat.of().formatHex(r.byteArray()));
                continue;
            }
            if (header.templateId() == InstrumentDefinitionDecoder.TEMPLATE_ID)
            {
                final UnsafeBuffer copy = new UnsafeBuffer(r.byteArray().clone());
                copy.putLong(Records.RECEIVE_TIME_OFFSET, 0, Records.ORDER);
                out.add("DEFINITION " + HexFormat.of().formatHex(copy.byteArray()));
                continue;
            }
            out.add(HexFormat.of().formatHex(r.byteArray()));
        }
        return out;
    }

    private static List<String> hex(final List<UnsafeBuffer> records)
    {
        final List<String> out = new ArrayList<>();
        for (final UnsafeBuffer r : records)
        {
            out.add(HexFormat.of().formatHex(r.byteArray()));
        }
        return out;
    }

    private static void await(final java.util.function.BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out");
            }
            Thread.sleep(10);
        }
    }
}
