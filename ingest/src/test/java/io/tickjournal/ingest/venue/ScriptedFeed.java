package io.tickjournal.ingest.venue;

import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.FeedJournal;
import io.tickjournal.ingest.FeedSession;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.JournalContents;
import io.tickjournal.ingest.ManualClock;
import io.tickjournal.ingest.RecordingTransport;
import io.tickjournal.ingest.VenueFeedHandler;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.RawFrameDecoder;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.concurrent.UnsafeBuffer;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A venue's real {@link FeedSession} and {@link VenueFeedHandler} on a {@link RecordingTransport}
 * and a manual clock, writing a real journal; the test plays the venue frame by frame. Reads the
 * journal back: records, statuses, raw frames, and the books a reader rebuilds from records alone.
 */
public final class ScriptedFeed implements AutoCloseable
{
    public static final long START = 1_767_225_600_000_000_000L; // 2026-01-01T00:00Z
    public static final long SECOND = 1_000_000_000L;

    public final Venue venue;
    public final FeedConfig config;
    public final RecordingTransport transport = new RecordingTransport();
    public final ManualClock clock = new ManualClock(START);
    public final VenueFeedHandler handler;
    public final FeedSession session;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private boolean closed;

    /**
     * @param dir         a temporary directory.
     * @param venue       the venue.
     * @param instruments its instruments.
     * @param channels    channels.
     * @param tweak       changes to the venue's default config.
     */
    public ScriptedFeed(
        final Path dir, final Venue venue, final List<InstrumentSpec> instruments, final Set<Channel> channels,
        final UnaryOperator<FeedConfig> tweak)
    {
        this.venue = venue;
        this.config = tweak.apply(venue.defaults(dir.resolve(venue.name()), URI.create("ws://127.0.0.1:1"),
            URI.create("http://127.0.0.1:1"), instruments, channels));
        final FeedJournal journal = new FeedJournal(config.partitionDir(), config.venueId());
        handler = new VenueFeedHandler(config, journal, venue.protocol());
        session = new FeedSession(config, journal, handler, transport, clock, 1);
        session.start(clock.nanoTime());
    }

    /**
     * @param dir         a temporary directory.
     * @param venue       the venue.
     * @param instruments its instruments.
     * @param channels    channels.
     */
    public ScriptedFeed(final Path dir, final Venue venue, final List<InstrumentSpec> instruments, final Set<Channel> channels)
    {
        this(dir, venue, instruments, channels, c -> c);
    }

    /**
     * A copy of a config with other stream limits (tests that need several connections or small requests).
     *
     * @param c                    a config.
     * @param streamsPerConnection streams a connection.
     * @param argsPerRequest       streams a request.
     * @return the copy.
     */
    public static FeedConfig withLimits(final FeedConfig c, final int streamsPerConnection, final int argsPerRequest)
    {
        return new FeedConfig(c.venueId(), c.partitionDir(), c.webSocketUri(), c.restUri(), c.instruments(), c.channels(),
            streamsPerConnection, argsPerRequest, c.controlMessagesPerSecond(), c.requestsPerHour(), c.stallTimeoutNs(),
            c.maxConnectionAgeNs(), c.rotateMarginNs(), c.overlapTimeoutNs(), c.reconnectMinNs(), c.reconnectMaxNs(),
            c.snapshotLimit(), c.snapshotsPerMinute(), c.snapshotTimeoutNs(), c.subscribeTimeoutNs(), c.keepaliveIntervalNs(),
            c.trustStore(), c.trustStorePassword());
    }

    /** Complete every pending handshake and step the session once. */
    public void openAll()
    {
        for (final int id : List.copyOf(transport.connects))
        {
            session.onOpen(id, clock.nanoTime());
        }
        session.onTick(clock.nanoTime());
    }

    /**
     * @param connectionId the connection.
     * @param text         a frame the venue sends (sent as UTF-8 bytes).
     */
    public void frame(final int connectionId, final String text)
    {
        bytes(connectionId, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param connectionId the connection.
     * @param bytes        a frame's bytes (a binary WebSocket frame reaches the session the same way).
     */
    public void bytes(final int connectionId, final byte[] bytes)
    {
        session.onFrame(connectionId, bytes, bytes.length, clock.nanoTime());
    }

    /**
     * @param ns how long to wait.
     */
    public void advance(final long ns)
    {
        clock.advance(ns);
        session.onTick(clock.nanoTime());
    }

    /**
     * @param connectionId a connection.
     * @return the messages sent on it, in order.
     */
    public List<String> sentOn(final int connectionId)
    {
        final List<String> out = new ArrayList<>();
        for (final String s : transport.sent)
        {
            if (s.startsWith(connectionId + " "))
            {
                out.add(s.substring(s.indexOf(' ') + 1));
            }
        }
        return out;
    }

    /** @return the normalized records written so far (the journal is closed first). */
    public List<UnsafeBuffer> records()
    {
        close();
        return JournalContents.read(config.partitionDir());
    }

    /**
     * @param templateId a template.
     * @return records of it.
     */
    public List<UnsafeBuffer> records(final int templateId)
    {
        return JournalContents.ofTemplate(records(), templateId);
    }

    /** @return the raw frames' payloads, in order. */
    public List<String> rawFrames()
    {
        close();
        final List<String> out = new ArrayList<>();
        final RawFrameDecoder raw = new RawFrameDecoder();
        for (final UnsafeBuffer r : JournalContents.ofTemplate(JournalContents.read(Partition.rawDir(config.partitionDir())),
            RawFrameDecoder.TEMPLATE_ID))
        {
            raw.wrapAndApplyHeader(r, 0, header);
            final byte[] payload = new byte[raw.payloadLength()];
            raw.getPayload(payload, 0, payload.length);
            out.add(new String(payload, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** A status record, read back. */
    public record Status(VenueStatusKind kind, int instrumentId, int connectionId, long expected, long received, String detail)
    {
    }

    /** @return every VenueStatus in the journal. */
    public List<Status> statuses()
    {
        final List<Status> out = new ArrayList<>();
        final VenueStatusDecoder status = new VenueStatusDecoder();
        for (final UnsafeBuffer r : records(VenueStatusDecoder.TEMPLATE_ID))
        {
            status.wrapAndApplyHeader(r, 0, header);
            out.add(new Status(status.status(), status.instrumentId(), status.connectionId(), status.expectedSeq(),
                status.receivedSeq(), status.detail()));
        }
        return out;
    }

    /**
     * @param kind a status kind.
     * @return statuses of it.
     */
    public List<Status> statuses(final VenueStatusKind kind)
    {
        final List<Status> out = new ArrayList<>();
        for (final Status s : statuses())
        {
            if (s.kind() == kind)
            {
                out.add(s);
            }
        }
        return out;
    }

    /** One side of a rebuilt book: price to size, exact. */
    public static TreeMap<BigDecimal, BigDecimal> side(final boolean bids)
    {
        return new TreeMap<>(bids ? Collections.reverseOrder() : null);
    }

    /** A book as a reader rebuilds it. */
    public record Book(TreeMap<BigDecimal, BigDecimal> bids, TreeMap<BigDecimal, BigDecimal> asks, boolean valid)
    {
    }

    /**
     * The books a reader rebuilds from the journal alone: a snapshot replaces, a delta sets levels (size 0
     * removes), BOOK_RESET and GAP_DETECTED of an instrument invalidate its book until the next snapshot.
     *
     * @return per instrument id.
     */
    public Map<Integer, Book> rebuiltBooks()
    {
        final Map<Integer, Book> books = new HashMap<>();
        final BookSnapshotDecoder snap = new BookSnapshotDecoder();
        final BookDeltaDecoder delta = new BookDeltaDecoder();
        final VenueStatusDecoder status = new VenueStatusDecoder();
        for (final UnsafeBuffer r : records())
        {
            final int template = Records.templateId(r, 0);
            final int id = Records.instrumentId(r, 0);
            if (template == BookSnapshotDecoder.TEMPLATE_ID)
            {
                snap.wrapAndApplyHeader(r, 0, header);
                final Book book = new Book(side(true), side(false), true);
                for (final BookSnapshotDecoder.BidsDecoder b : snap.bids())
                {
                    book.bids().put(value(b.price(), snap.priceExponent()), value(b.size(), snap.sizeExponent()));
                }
                for (final BookSnapshotDecoder.AsksDecoder a : snap.asks())
                {
                    book.asks().put(value(a.price(), snap.priceExponent()), value(a.size(), snap.sizeExponent()));
                }
                books.put(id, book);
            }
            else if (template == BookDeltaDecoder.TEMPLATE_ID)
            {
                delta.wrapAndApplyHeader(r, 0, header);
                final Book book = books.get(id);
                if (book == null || !book.valid())
                {
                    throw new AssertionError("a delta for instrument " + id + " with no valid book before it");
                }
                for (final BookDeltaDecoder.BidsDecoder b : delta.bids())
                {
                    set(book.bids(), value(b.price(), delta.priceExponent()), value(b.size(), delta.sizeExponent()));
                }
                for (final BookDeltaDecoder.AsksDecoder a : delta.asks())
                {
                    set(book.asks(), value(a.price(), delta.priceExponent()), value(a.size(), delta.sizeExponent()));
                }
            }
            else if (template == VenueStatusDecoder.TEMPLATE_ID && id != 0)
            {
                status.wrapAndApplyHeader(r, 0, header);
                if (status.status() == VenueStatusKind.BOOK_RESET || status.status() == VenueStatusKind.GAP_DETECTED)
                {
                    books.put(id, new Book(side(true), side(false), false));
                }
            }
        }
        return books;
    }

    /**
     * Set a level as a venue's absolute update does: size 0 removes it.
     *
     * @param side  the side.
     * @param price its price.
     * @param size  its new size.
     */
    public static void set(final TreeMap<BigDecimal, BigDecimal> side, final BigDecimal price, final BigDecimal size)
    {
        if (size.signum() == 0)
        {
            side.remove(price.stripTrailingZeros());
        }
        else
        {
            side.put(price.stripTrailingZeros(), size.stripTrailingZeros());
        }
    }

    private static BigDecimal value(final long mantissa, final byte exponent)
    {
        return BigDecimal.valueOf(mantissa, -exponent).stripTrailingZeros();
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            session.close();
        }
    }
}
