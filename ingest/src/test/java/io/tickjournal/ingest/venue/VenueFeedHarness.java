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
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.StreamKind;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.concurrent.UnsafeBuffer;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A venue's real {@link VenueFeedHandler} and {@link FeedSession} on a {@link RecordingTransport}
 * and a manual clock, writing a real journal: the test plays the venue. Also reads the journal
 * back (statuses, and the book a reader rebuilds from the records alone).
 */
public final class VenueFeedHarness implements AutoCloseable
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
     */
    public VenueFeedHarness(final Path dir, final Venue venue, final List<InstrumentSpec> instruments, final Set<Channel> channels)
    {
        this(dir, venue, instruments, channels, UnaryOperator.identity());
    }

    /**
     * @param dir         a temporary directory.
     * @param venue       the venue.
     * @param instruments its instruments.
     * @param channels    channels.
     * @param configure   changes to the venue's defaults (shorter timers).
     */
    public VenueFeedHarness(
        final Path dir, final Venue venue, final List<InstrumentSpec> instruments, final Set<Channel> channels,
        final UnaryOperator<FeedConfig> configure)
    {
        this.venue = venue;
        this.config = configure.apply(venue.defaults(dir.resolve(venue.name()), URI.create("ws://127.0.0.1:1"),
            URI.create("http://127.0.0.1:1"), instruments, channels));
        final FeedJournal journal = new FeedJournal(config.partitionDir(), config.venueId());
        handler = new VenueFeedHandler(config, journal, venue.protocol());
        session = new FeedSession(config, journal, handler, transport, clock, 1);
        session.start(clock.nanoTime());
    }

    /** Complete every pending WebSocket handshake. */
    public void openAll()
    {
        for (final int id : List.copyOf(transport.connects))
        {
            session.onOpen(id, clock.nanoTime());
        }
    }

    /**
     * @param connectionId the connection.
     * @param text         a frame the venue sends.
     */
    public void frame(final int connectionId, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        session.onFrame(connectionId, bytes, bytes.length, clock.nanoTime());
    }

    /**
     * Move the clock and step the session.
     *
     * @param ns how far.
     */
    public void advance(final long ns)
    {
        clock.advance(ns);
        session.onTick(clock.nanoTime());
    }

    /**
     * @param connectionId a connection.
     * @return what the session sent on it, in order.
     */
    public List<String> sent(final int connectionId)
    {
        final List<String> out = new ArrayList<>();
        for (final String s : transport.sent)
        {
            final int space = s.indexOf(' ');
            if (Integer.parseInt(s.substring(0, space)) == connectionId)
            {
                out.add(s.substring(space + 1));
            }
        }
        return out;
    }

    /** @return every normalized record so far. */
    public List<UnsafeBuffer> records()
    {
        return JournalContents.read(config.partitionDir());
    }

    /**
     * @param templateId a template.
     * @return the records of it.
     */
    public List<UnsafeBuffer> records(final int templateId)
    {
        return JournalContents.ofTemplate(records(), templateId);
    }

    /** One status record, decoded. */
    public record Status(VenueStatusKind kind, StreamKind stream, int instrumentId, long expected, long received, String detail)
    {
    }

    /** @return the status records, in order. */
    public List<Status> statuses()
    {
        final List<Status> out = new ArrayList<>();
        final VenueStatusDecoder d = new VenueStatusDecoder();
        for (final UnsafeBuffer r : records(VenueStatusDecoder.TEMPLATE_ID))
        {
            d.wrapAndApplyHeader(r, 0, header);
            final VenueStatusKind kind = d.status();
            final StreamKind stream = d.stream();
            final int instrument = d.instrumentId();
            final long expected = d.expectedSeq();
            final long received = d.receivedSeq();
            out.add(new Status(kind, stream, instrument, expected, received, d.detail()));
        }
        return out;
    }

    /**
     * @param kind a status kind.
     * @return statuses of that kind.
     */
    public List<Status> statuses(final VenueStatusKind kind)
    {
        return statuses().stream().filter(s -> s.kind() == kind).toList();
    }

    /**
     * The book a journal reader rebuilds from the records alone: a snapshot replaces it, a delta
     * applies (size 0 removes), a BOOK_RESET status empties it until the next snapshot.
     *
     * @param instrumentId the instrument.
     * @return bids (best first) and asks (best first), price to size, as exact decimals.
     */
    public Book journalBook(final int instrumentId)
    {
        final Book book = new Book();
        final BookSnapshotDecoder snapshot = new BookSnapshotDecoder();
        final BookDeltaDecoder delta = new BookDeltaDecoder();
        final VenueStatusDecoder status = new VenueStatusDecoder();
        for (final UnsafeBuffer r : records())
        {
            if (Records.instrumentId(r, 0) != instrumentId)
            {
                continue;
            }
            final int template = Records.templateId(r, 0);
            if (template == BookSnapshotDecoder.TEMPLATE_ID)
            {
                snapshot.wrapAndApplyHeader(r, 0, header);
                book.clear();
                book.valid = true;
                final int pe = snapshot.priceExponent();
                final int se = snapshot.sizeExponent();
                for (final BookSnapshotDecoder.BidsDecoder b : snapshot.bids())
                {
                    book.apply(book.bids, BigDecimal.valueOf(b.price(), -pe), BigDecimal.valueOf(b.size(), -se));
                }
                for (final BookSnapshotDecoder.AsksDecoder a : snapshot.asks())
                {
                    book.apply(book.asks, BigDecimal.valueOf(a.price(), -pe), BigDecimal.valueOf(a.size(), -se));
                }
                book.lastId = snapshot.venueSeq();
            }
            else if (template == BookDeltaDecoder.TEMPLATE_ID)
            {
                delta.wrapAndApplyHeader(r, 0, header);
                final int pe = delta.priceExponent();
                final int se = delta.sizeExponent();
                for (final BookDeltaDecoder.BidsDecoder b : delta.bids())
                {
                    book.apply(book.bids, BigDecimal.valueOf(b.price(), -pe), BigDecimal.valueOf(b.size(), -se));
                }
                for (final BookDeltaDecoder.AsksDecoder a : delta.asks())
                {
                    book.apply(book.asks, BigDecimal.valueOf(a.price(), -pe), BigDecimal.valueOf(a.size(), -se));
                }
                book.lastId = delta.venueSeq();
            }
            else if (template == VenueStatusDecoder.TEMPLATE_ID)
            {
                status.wrapAndApplyHeader(r, 0, header);
                if (status.status() == VenueStatusKind.BOOK_RESET && status.stream() == StreamKind.BOOK)
                {
                    book.clear();
                    book.valid = false;
                }
            }
        }
        return book;
    }

    /** A price-level book of exact decimals (a reader's, or the venue model's). */
    public static final class Book
    {
        public final TreeMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Comparator.reverseOrder());
        public final TreeMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
        public boolean valid;
        public long lastId = Records.NULL_LONG;

        public void clear()
        {
            bids.clear();
            asks.clear();
        }

        /**
         * @param side  bids or asks.
         * @param price the price.
         * @param size  the size (0 removes).
         */
        public void apply(final Map<BigDecimal, BigDecimal> side, final BigDecimal price, final BigDecimal size)
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

        @Override
        public String toString()
        {
            return "bids " + bids + " asks " + asks;
        }
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
