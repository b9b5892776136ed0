package io.tickjournal.ingest;

import io.tickjournal.ingest.venue.VenueRegistry;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.MarketKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Venue limits and answers the one session honours for every venue, shown with OKX's (manual clock, no sockets). */
class SessionLimitsTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final long START = 1_767_225_600_000_000_000L;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(START);
    private final RecordingTransport transport = new RecordingTransport();
    private FeedSession session;

    @AfterEach
    void close()
    {
        if (session != null)
        {
            session.close();
        }
    }

    private void start(final int instruments, final EnumSet<Channel> channels)
    {
        final List<InstrumentSpec> specs = new ArrayList<>();
        for (int i = 1; i <= instruments; i++)
        {
            specs.add(new InstrumentSpec(i, "C" + i + "-USDT", "C" + i + "-USDT", MarketKind.SPOT, -2, -8));
        }
        final FeedConfig config = VenueRegistry.byId(Venues.OKX_SPOT).defaults(dir.resolve("okx-spot"), URI.create("ws://127.0.0.1:1"),
            URI.create("http://127.0.0.1:1"), specs, channels);
        final FeedJournal journal = new FeedJournal(config.partitionDir(), config.venueId());
        session = new FeedSession(config, journal, IngestFeed.handlerFor(config, journal), transport, clock, 3);
        session.start(clock.nanoTime());
    }

    private void frame(final int connectionId, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        session.onFrame(connectionId, bytes, bytes.length, clock.nanoTime());
    }

    @Test
    void connectionsOpenNoFasterThanTheVenuesConnectionRate()
    {
        // 40 instruments x 3 channels = 120 streams: four connections of 30; OKX accepts 3 new connections a second.
        start(40, EnumSet.of(Channel.TRADE, Channel.DEPTH, Channel.BOOK_TICKER));
        assertEquals(4, session.slotCount());
        assertEquals(3, transport.connects.size(), "three in the first second");
        clock.advance(SECOND / 2);
        session.onTick(clock.nanoTime());
        assertEquals(3, transport.connects.size());
        clock.advance(SECOND / 2);
        session.onTick(clock.nanoTime());
        assertEquals(4, transport.connects.size(), "the fourth in the next second");
    }

    @Test
    void aRefusedArgumentDoesNotHoldTheOthersHostageUntilAReconnect()
    {
        start(3, EnumSet.of(Channel.TRADE));
        final int c = transport.connects.get(0);
        session.onOpen(c, clock.nanoTime());
        assertEquals(1, transport.sent.size(), "three arguments in one request");
        frame(c, "{\"event\":\"subscribe\",\"arg\":{\"channel\":\"trades\",\"instId\":\"C1-USDT\"},\"connId\":\"a4d3ae55\"}");
        frame(c, "{\"event\":\"error\",\"code\":\"60018\",\"msg\":\"Wrong URL or channel:trades,instId:C2-USDT doesn't exist.\"," +
            "\"connId\":\"a4d3ae55\"}");
        // One argument acknowledged, one refused, the third never answered.
        assertEquals(VenueConnection.State.SUBSCRIBING, session.active(0).state());
        clock.advance(31 * SECOND);
        session.onTick(clock.nanoTime());
        assertTrue(transport.closes.isEmpty(), "the accepted argument goes on; no reconnect into the same refusal");
        assertEquals(VenueConnection.State.LIVE, session.active(0).state());
        frame(c, "{\"arg\":{\"channel\":\"trades\",\"instId\":\"C1-USDT\"},\"data\":[{\"instId\":\"C1-USDT\",\"tradeId\":\"7\"," +
            "\"px\":\"42.10\",\"sz\":\"0.5\",\"side\":\"buy\",\"ts\":\"1767225600000\",\"count\":\"1\"}]}");
        assertEquals(1, session.counters().trades);
    }

    @Test
    void aTopOfBookAfterTheVenueResetItsSequenceIsJournaled()
    {
        start(1, EnumSet.of(Channel.BOOK_TICKER));
        final int c = transport.connects.get(0);
        session.onOpen(c, clock.nanoTime());
        for (final long seqId : new long[] {1000, 1001, 5, 6})
        {
            frame(c, "{\"arg\":{\"channel\":\"bbo-tbt\",\"instId\":\"C1-USDT\"},\"data\":[{\"asks\":[[\"42.11\",\"3\",\"0\",\"1\"]]," +
                "\"bids\":[[\"42.10\",\"2\",\"0\",\"1\"]],\"ts\":\"1767225600000\",\"seqId\":" + seqId + "}]}");
        }
        assertEquals(4, session.counters().tops, "after maintenance OKX's ids start again lower: the updates are new");
        assertEquals(0, session.counters().duplicates);
    }
}
