package io.tickjournal.ingest;

import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.concurrent.UnsafeBuffer;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session state machine stepped with a manual clock: no sleeping, no sockets. */
class FeedSessionTest
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

    private FeedSession start(final int instruments, final EnumSet<Channel> channels)
    {
        final List<InstrumentSpec> specs = new ArrayList<>();
        for (int i = 1; i <= instruments; i++)
        {
            specs.add(new InstrumentSpec(i, "SYM" + i + "USDT", "SYM" + i + "-USDT", MarketKind.SPOT, -8, -8));
        }
        final FeedConfig config = io.tickjournal.ingest.venue.VenueRegistry.byId(Venues.BINANCE_SPOT).defaults( dir.resolve("binance-spot"),
            URI.create("ws://127.0.0.1:1"), URI.create("http://127.0.0.1:1"), specs, channels)
            .withTimers(5 * SECOND, 3600 * SECOND, 60 * SECOND, SECOND / 4, 8 * SECOND);
        final FeedJournal journal = new FeedJournal(config.partitionDir(), config.venueId());
        session = new FeedSession(config, journal, new VenueFeedHandler(config, journal, io.tickjournal.ingest.venue.VenueRegistry.byId(config.venueId()).protocol()), transport, clock, 7);
        session.start(clock.nanoTime());
        return session;
    }

    private void frame(final int connectionId, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        session.onFrame(connectionId, bytes, bytes.length, clock.nanoTime());
    }

    private void ackAll(final int connectionId)
    {
        for (final String sent : List.copyOf(transport.sent))
        {
            if (sent.startsWith(connectionId + " ") && !sent.contains("acked"))
            {
                final String id = sent.replaceAll(".*\"id\":(\\d+).*", "$1");
                frame(connectionId, "{\"result\":null,\"id\":" + id + "}");
                transport.sent.set(transport.sent.indexOf(sent), sent + " acked");
            }
        }
    }

    private VenueConnection live(final int slot)
    {
        final VenueConnection c = session.active(slot);
        session.onOpen(c.id(), clock.nanoTime());
        ackAll(c.id());
        session.onTick(clock.nanoTime());
        return c;
    }

    @Test
    void streamsAreSpreadOverConnectionsAndSubscribedWithinTheMessageRate()
    {
        // 750 instruments x 4 spot channels = 3000 streams: three connections of at most 1024.
        start(750, EnumSet.of(Channel.TRADE, Channel.AGG_TRADE, Channel.DEPTH, Channel.BOOK_TICKER));
        assertEquals(3, session.slotCount());
        assertEquals(3, transport.connects.size());
        int streams = 0;
        for (int i = 0; i < 3; i++)
        {
            assertTrue(session.active(i).plan().streams().size() <= 1024);
            streams += session.active(i).plan().streams().size();
        }
        assertEquals(3000, streams);

        final VenueConnection c = session.active(0);
        session.onOpen(c.id(), clock.nanoTime());
        // 1024 streams = 11 requests of at most 100; 4 a second (5 allowed, one kept for pongs).
        assertEquals(4, transport.sent.size());
        for (int s = 1; s <= 3; s++)
        {
            clock.advance(SECOND / 2);
            session.onTick(clock.nanoTime());
            assertEquals(Math.min(4 * s, 11), transport.sent.size(), "no more than 4 per second");
            clock.advance(SECOND / 2);
            session.onTick(clock.nanoTime());
        }
        assertEquals(11, transport.sent.size());
        assertEquals(VenueConnection.State.SUBSCRIBING, c.state());
        ackAll(c.id());
        assertEquals(VenueConnection.State.LIVE, c.state());
        assertTrue(transport.sent.get(0).contains("\"method\":\"SUBSCRIBE\""));
    }

    @Test
    void aStalledConnectionIsClosedAndReopenedWithBackOffAndJitter()
    {
        start(1, EnumSet.of(Channel.TRADE));
        final VenueConnection first = live(0);
        assertEquals(VenueConnection.State.LIVE, first.state());
        clock.advance(4 * SECOND);
        session.onTick(clock.nanoTime());
        assertTrue(transport.closes.isEmpty(), "4 s of silence is within the 5 s stall timeout");
        clock.advance(2 * SECOND);
        session.onTick(clock.nanoTime());
        assertEquals(List.of(first.id()), transport.closes);
        assertEquals(1, session.counters().stalls);
        session.onClosed(first.id(), clock.nanoTime(), "closed by us");
        assertNull(session.active(0));

        // Each failed attempt doubles the delay (jittered to between half and all of it), capped at 8 s.
        final long[] caps = {SECOND / 4, SECOND / 2, SECOND, 2 * SECOND, 4 * SECOND, 8 * SECOND, 8 * SECOND};
        for (final long cap : caps)
        {
            final long delay = session.reconnectDelayNs(0, clock.nanoTime());
            assertTrue(delay >= cap / 2 && delay <= cap, "delay " + delay + " within [" + cap / 2 + ", " + cap + "]");
            final int connects = transport.connects.size();
            clock.advance(delay - 1);
            session.onTick(clock.nanoTime());
            assertEquals(connects, transport.connects.size(), "not before the delay");
            clock.advance(1);
            session.onTick(clock.nanoTime());
            assertEquals(connects + 1, transport.connects.size());
            session.onClosed(session.active(0).id(), clock.nanoTime(), "refused");
        }
        // A connection that goes live resets the back-off.
        clock.advance(session.reconnectDelayNs(0, clock.nanoTime()));
        session.onTick(clock.nanoTime());
        live(0);
        session.onClosed(session.active(0).id(), clock.nanoTime(), "dropped");
        assertTrue(session.reconnectDelayNs(0, clock.nanoTime()) <= SECOND / 4);
    }

    @Test
    void theAgeLimitOpensTheReplacementFirstAndSwitchesWhenItHasEveryStream()
    {
        start(1, EnumSet.of(Channel.TRADE, Channel.AGG_TRADE));
        final VenueConnection old = live(0);
        long t = 1;
        for (int minute = 0; minute < 58; minute++)
        {
            clock.advance(60 * SECOND);
            frame(old.id(), trade("trade", "t", t++));
            session.onTick(clock.nanoTime());
        }
        assertEquals(1, transport.connects.size(), "no replacement before age - margin (59 min)");
        clock.advance(60 * SECOND);
        frame(old.id(), trade("trade", "t", t++));
        session.onTick(clock.nanoTime());
        assertEquals(2, transport.connects.size(), "replacement opened one margin before the age limit");
        final int replacement = transport.connects.get(1);
        session.onOpen(replacement, clock.nanoTime());
        ackAll(replacement);
        session.onTick(clock.nanoTime());
        // Both deliver; the replacement has one stream so far: no switch yet.
        frame(replacement, trade("trade", "t", t - 1));
        frame(old.id(), trade("trade", "t", t));
        frame(replacement, trade("trade", "t", t));
        session.onTick(clock.nanoTime());
        assertFalse(transport.closes.contains(old.id()));
        frame(replacement, trade("aggTrade", "a", 1));
        session.onTick(clock.nanoTime());
        assertEquals(List.of(old.id()), transport.closes, "switched once every stream arrived on the replacement");
        assertEquals(replacement, session.active(0).id());
        assertEquals(1, session.counters().rotations);
        assertEquals(2, session.counters().duplicates, "the overlap's repeats were dropped");
        assertEquals(t + 1, session.counters().trades, "trade ids 1..t once each, plus the one aggTrade");
        session.onClosed(old.id(), clock.nanoTime(), "closed");
        assertEquals(replacement, session.active(0).id(), "closing the old one changes nothing");
        session.close();
        session = null;

        final List<VenueStatusKind> kinds = new ArrayList<>();
        final VenueStatusDecoder status = new VenueStatusDecoder();
        for (final UnsafeBuffer r : JournalContents.ofTemplate(JournalContents.read(dir.resolve("binance-spot")),
            VenueStatusDecoder.TEMPLATE_ID))
        {
            status.wrapAndApplyHeader(r, 0, new MessageHeaderDecoder());
            kinds.add(status.status());
        }
        assertTrue(kinds.contains(VenueStatusKind.SESSION_ROTATED), kinds.toString());
        assertFalse(kinds.contains(VenueStatusKind.GAP_DETECTED), kinds.toString());
    }

    @Test
    void aServerShutdownNoticeStartsTheSameSwitch()
    {
        start(1, EnumSet.of(Channel.TRADE));
        final VenueConnection old = live(0);
        frame(old.id(), "{\"e\":\"serverShutdown\",\"E\":1770123456789}");
        assertEquals(2, transport.connects.size(), "replacement opened at once");
        final int replacement = transport.connects.get(1);
        session.onOpen(replacement, clock.nanoTime());
        ackAll(replacement);
        frame(replacement, trade("trade", "t", 5));
        session.onTick(clock.nanoTime());
        assertEquals(List.of(old.id()), transport.closes);
        assertEquals(1, session.counters().shutdownNotices);
    }

    @Test
    void aRefusedSubscriptionIsJournaledAndTheConnectionGoesOnWithTheOtherStreams()
    {
        start(2, EnumSet.of(Channel.TRADE));
        final VenueConnection c = session.active(0);
        session.onOpen(c.id(), clock.nanoTime());
        frame(c.id(), "{\"error\":{\"code\":2,\"msg\":\"Invalid request\"},\"id\":1}");
        assertTrue(transport.closes.isEmpty(), "an error answer does not take the other streams down");
        assertEquals(1, session.counters().errorResponses);
        assertEquals(VenueConnection.State.LIVE, c.state(), "the request was answered");
        frame(c.id(), trade("trade", "t", 1));
        assertEquals(1, session.counters().trades);
        session.close();
        session = null;
        final VenueStatusDecoder status = new VenueStatusDecoder();
        boolean refused = false;
        for (final UnsafeBuffer r : JournalContents.ofTemplate(JournalContents.read(dir.resolve("binance-spot")),
            VenueStatusDecoder.TEMPLATE_ID))
        {
            status.wrapAndApplyHeader(r, 0, new MessageHeaderDecoder());
            if (status.status() == VenueStatusKind.SUBSCRIPTION_REFUSED)
            {
                refused = true;
                final String detail = status.detail();
                assertTrue(detail.contains("Invalid request"), detail);
            }
        }
        assertTrue(refused, "journaled as SUBSCRIPTION_REFUSED with the venue's words");
    }

    private static String trade(final String kind, final String idField, final long id)
    {
        return "{\"e\":\"" + kind + "\",\"E\":1,\"s\":\"SYM1USDT\",\"" + idField + "\":" + id +
            ",\"p\":\"1.5\",\"q\":\"2\",\"T\":1,\"m\":false}";
    }
}
