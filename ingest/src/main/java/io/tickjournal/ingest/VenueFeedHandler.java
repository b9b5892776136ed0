package io.tickjournal.ingest;

import io.tickjournal.ingest.venue.BookChecksum;
import io.tickjournal.ingest.venue.BookSync;
import io.tickjournal.ingest.venue.MarketEvent;
import io.tickjournal.ingest.venue.MarketFrame;
import io.tickjournal.ingest.venue.ParseError;
import io.tickjournal.ingest.venue.RecordEncoder;
import io.tickjournal.ingest.venue.SnapshotSource;
import io.tickjournal.ingest.venue.TradeDedup;
import io.tickjournal.ingest.venue.VenueParser;
import io.tickjournal.ingest.venue.VenueProtocol;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.StreamKind;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The one feed handler for every venue: parses frames with the venue's parser, looks up the
 * instrument, drops what overlapping connections both delivered, runs each instrument's
 * {@link BookSync} with the venue's rule, and journals records through the {@link RecordEncoder}.
 * Everything a venue does differently is in its {@link VenueProtocol}.
 * <p>
 * Bad input never stops the feed and never touches another: a frame that does not parse is
 * journaled as MALFORMED_FRAME (its raw copy is already kept); an event for an unknown symbol, or a
 * value the instrument cannot hold exactly, as RECORD_REFUSED naming the field; an error answer as
 * SUBSCRIPTION_REFUSED. Each status names the reason, and is counted.
 * The feed's thread only.
 */
public final class VenueFeedHandler implements FeedHandler
{
    private static final int CHANNELS = Channel.values().length;

    private final FeedConfig config;
    private final FeedJournal journal;
    private final VenueProtocol protocol;
    private final InstrumentTable instruments;
    private final VenueParser parser;
    private final MarketFrame frame = new MarketFrame();
    private final RecordEncoder encoder;
    private final FeedCounters counters = new FeedCounters();
    private final TradeDedup[] tradeDedup;
    private final long[] lastIds;
    private final Book[] books;
    private final long[] snapshotTimes;
    private int snapshotTimesHead;
    private FeedSession session;
    /** The stream key of the event being handled. */
    private int streamKey;
    /** Why the last frame, record or snapshot was refused (diagnostics; built on the error path only). */
    private String lastError;
    private long journalResumes;
    private int currentConnection;
    private boolean currentOverlapping;
    private long currentReceiveNs;
    private long currentRawIndex;

    /**
     * @param config   the feed.
     * @param journal  where records go.
     * @param protocol the venue's protocol (configured for the feed's instruments, see {@link VenueProtocol#configuredFor}).
     */
    public VenueFeedHandler(final FeedConfig config, final FeedJournal journal, final VenueProtocol protocol)
    {
        if (protocol.venueId() != config.venueId())
        {
            throw new IllegalArgumentException("protocol of venue " + protocol.venueId() + " for a feed of venue " + config.venueId());
        }
        this.config = config;
        this.journal = journal;
        this.protocol = protocol.configuredFor(config.instruments());
        this.instruments = new InstrumentTable(config.instruments(), protocol.caseInsensitiveSymbols());
        this.parser = protocol.newParser();
        this.encoder = new RecordEncoder(config.venueId());
        this.tradeDedup = new TradeDedup[instruments.size() * CHANNELS];
        this.lastIds = new long[instruments.size() * CHANNELS];
        java.util.Arrays.fill(lastIds, Records.NULL_LONG);
        for (int i = 0; i < instruments.size(); i++)
        {
            tradeDedup[key(i, Channel.TRADE)] = protocol.newTradeDedup(Channel.TRADE);
            tradeDedup[key(i, Channel.AGG_TRADE)] = protocol.newTradeDedup(Channel.AGG_TRADE);
        }
        this.books = new Book[instruments.size()];
        for (int i = 0; i < books.length; i++)
        {
            books[i] = new Book(i);
        }
        this.snapshotTimes = new long[config.snapshotsPerMinute()];
        java.util.Arrays.fill(snapshotTimes, Long.MIN_VALUE);
    }

    private static int key(final int instrument, final Channel channel)
    {
        return instrument * CHANNELS + channel.ordinal();
    }

    @Override
    public void attach(final FeedSession session)
    {
        this.session = session;
    }

    @Override
    public void resumeFrom(final JournalHistory history)
    {
        for (int i = 0; i < instruments.size(); i++)
        {
            for (final Channel channel : new Channel[] {Channel.TRADE, Channel.AGG_TRADE})
            {
                final long last = history.lastTradeId(instruments.get(i).instrumentId(), channel);
                if (last != Records.NULL_LONG)
                {
                    tradeDedup[key(i, channel)].offer(last, false, (from, to) -> { });
                }
            }
        }
    }

    @Override
    public VenueProtocol protocol()
    {
        return protocol;
    }

    @Override
    public FeedCounters counters()
    {
        return counters;
    }

    @Override
    public List<ConnectionPlan> plan()
    {
        final List<String> paths = new ArrayList<>();
        for (final Channel channel : config.channels())
        {
            if (protocol.supports(channel) && !paths.contains(protocol.path(channel)))
            {
                paths.add(protocol.path(channel));
            }
        }
        final List<ConnectionPlan> plans = new ArrayList<>();
        for (final String path : paths)
        {
            final List<String> streams = new ArrayList<>();
            final List<Integer> keys = new ArrayList<>();
            // Instrument by instrument; channel by channel where a request may name only one channel.
            final Channel[] channels = config.channels().toArray(new Channel[0]);
            final boolean byChannel = protocol.oneChannelPerRequest();
            for (int k = 0, n = instruments.size() * channels.length; k < n; k++)
            {
                final int i = byChannel ? k % instruments.size() : k / channels.length;
                final Channel channel = channels[byChannel ? k / instruments.size() : k % channels.length];
                if (!protocol.supports(channel) || !protocol.path(channel).equals(path))
                {
                    continue;
                }
                streams.add(protocol.streamName(instruments.get(i), channel));
                keys.add(key(i, channel));
                if (streams.size() == config.streamsPerConnection())
                {
                    plans.add(new ConnectionPlan(path, streams, keys.stream().mapToInt(Integer::intValue).toArray()));
                    streams.clear();
                    keys.clear();
                }
            }
            if (!streams.isEmpty())
            {
                plans.add(new ConnectionPlan(path, streams, keys.stream().mapToInt(Integer::intValue).toArray()));
            }
        }
        return plans;
    }

    /** @return why the last frame, record or snapshot was refused, or null (diagnostics and tests). */
    public String lastError()
    {
        return lastError;
    }

    @Override
    public int onFrame(
        final int connectionId, final byte[] bytes, final int length, final long receiveTimeNs, final long rawIndex)
    {
        return onFrame(connectionId, bytes, length, receiveTimeNs, rawIndex, session != null && session.overlapping(connectionId));
    }

    /**
     * Handle one frame, saying whether another connection delivers the same streams now (live the
     * session knows; an import infers it from the frames).
     *
     * @param connectionId  the connection.
     * @param bytes         bytes.
     * @param length        byte count.
     * @param receiveTimeNs when it was read.
     * @param rawIndex      index of its raw copy.
     * @param overlapping   whether a rotation's two connections both deliver now.
     * @return one of the constants of {@link FeedHandler}.
     */
    public int onFrame(
        final int connectionId, final byte[] bytes, final int length, final long receiveTimeNs, final long rawIndex,
        final boolean overlapping)
    {
        currentOverlapping = overlapping;
        counters.frames++;
        final int result = parser.parse(bytes, 0, length, frame);
        if (result != ParseError.OK)
        {
            counters.malformed++;
            lastError = ParseError.describe(result) + detail(parser.errorDetail());
            journal.status(VenueStatusKind.MALFORMED_FRAME, StreamKind.NONE, 0, connectionId, Records.NULL_LONG,
                Records.NULL_LONG, rawIndex, receiveTimeNs, lastError);
            return MALFORMED;
        }
        if (protocol.connectionSequenced() && frame.connectionSequence() != Records.NULL_LONG)
        {
            checkConnectionSequence(connectionId, frame.connectionSequence(), receiveTimeNs, rawIndex);
        }
        switch (frame.kind())
        {
            case MarketFrame.ACK:
                if (session != null)
                {
                    session.onAnswer(connectionId, frame.acknowledged(), false, receiveTimeNs);
                }
                return RESPONSE;
            case MarketFrame.ERROR:
                lastError = "venue error " + frame.errorText();
                counters.errorResponses++;
                journal.status(VenueStatusKind.SUBSCRIPTION_REFUSED, StreamKind.NONE, 0, connectionId, Records.NULL_LONG,
                    Records.NULL_LONG, rawIndex, receiveTimeNs, lastError);
                if (session != null)
                {
                    session.onAnswer(connectionId, frame.acknowledged(), true, receiveTimeNs);
                }
                return ERROR_RESPONSE;
            case MarketFrame.PONG:
                return PONG;
            case MarketFrame.PING:
                if (session != null)
                {
                    session.onVenuePing(connectionId, frame.replyText());
                }
                return PING;
            case MarketFrame.SHUTDOWN_NOTICE:
                counters.shutdownNotices++;
                if (session != null)
                {
                    session.onShutdownNotice(connectionId, rawIndex, receiveTimeNs);
                }
                return SHUTDOWN_NOTICE;
            case MarketFrame.DATA:
                break;
            default:
                return IGNORED;
        }
        currentConnection = connectionId;
        currentReceiveNs = receiveTimeNs;
        currentRawIndex = rawIndex;
        for (int i = 0, n = frame.eventCount(); i < n; i++)
        {
            onEvent(frame.event(i));
        }
        return DATA;
    }

    /**
     * A venue that numbers every message of a connection: any step other than +1 lost a message, of
     * unknown content, so every book this connection feeds rejoins (its stream is resubscribed for a
     * new snapshot) and the loss is journaled for the feed; books fed by other connections go on.
     */
    private void checkConnectionSequence(final int connectionId, final long sequence, final long receiveTimeNs, final long rawIndex)
    {
        final long last = connectionSequences.put(connectionId, sequence);
        if (last == Records.NULL_LONG || sequence == last + 1)
        {
            return;
        }
        currentConnection = connectionId;
        currentReceiveNs = receiveTimeNs;
        currentRawIndex = rawIndex;
        final String why = "message sequence broken on connection " + connectionId + ": expected " + (last + 1) +
            ", received " + sequence;
        journal.status(VenueStatusKind.GAP_DETECTED, StreamKind.NONE, 0, connectionId, last + 1, sequence, rawIndex,
            receiveTimeNs, why);
        if (session == null)
        {
            return;
        }
        for (final int key : session.streamKeysOf(connectionId))
        {
            final Book book = books[key / CHANNELS];
            if (key % CHANNELS == Channel.DEPTH.ordinal() && book.connection == connectionId)
            {
                book.sync.invalidate(why);
            }
        }
    }

    /** Last message number per connection id (an entry per connection the feed ever opened: a few a day). */
    private final org.agrona.collections.Long2LongHashMap connectionSequences =
        new org.agrona.collections.Long2LongHashMap(Records.NULL_LONG);

    private static String detail(final String detail)
    {
        return detail == null || detail.isEmpty() ? "" : " (" + detail + ")";
    }

    private void onEvent(final MarketEvent e)
    {
        final int instrument = instruments.indexOf(e.symbol(), 0, e.symbolLength());
        if (instrument < 0)
        {
            refused(null, StreamKind.NONE, "unknown symbol '" + e.symbolText() + "'");
            return;
        }
        final InstrumentSpec spec = instruments.get(instrument);
        streamKey = key(instrument, e.channel());
        if (session != null)
        {
            session.onStreamData(currentConnection, streamKey);
        }
        switch (e.type())
        {
            case MarketEvent.TRADE:
                onTrade(spec, instrument, e);
                break;
            case MarketEvent.TOP_OF_BOOK:
                if (repeat(streamKey, e.lastId()))
                {
                    return;
                }
                encodeAndAppend(spec, e, encoder.topOfBook(spec, e, currentReceiveNs, currentRawIndex, journal.recordBuffer()),
                    StreamKind.TICKER);
                counters.tops++;
                break;
            case MarketEvent.MARK_PRICE:
                if (repeat(streamKey, e.eventTimeNs()))
                {
                    return;
                }
                encodeAndAppend(spec, e, encoder.markPrice(spec, e, currentReceiveNs, currentRawIndex, journal.recordBuffer()),
                    StreamKind.MARK);
                counters.marks++;
                break;
            case MarketEvent.BOOK_DELTA:
                onBookDelta(spec, instrument, e);
                break;
            case MarketEvent.BOOK_SNAPSHOT:
                onStreamSnapshot(spec, instrument, e);
                break;
            default:
                break;
        }
    }

    /**
     * A top of book or mark price already journaled: only while a rotation's two connections both
     * deliver it (on one connection ids only go back when the venue resets its sequence, as OKX does
     * after maintenance, and then the update is new).
     */
    private boolean repeat(final int key, final long id)
    {
        final long last = lastIds[key];
        if (currentOverlapping && id != Records.NULL_LONG && last != Records.NULL_LONG && id <= last)
        {
            counters.duplicates++;
            return true;
        }
        lastIds[key] = id == Records.NULL_LONG ? last : id;
        return false;
    }

    private void onTrade(final InstrumentSpec spec, final int instrument, final MarketEvent e)
    {
        final TradeDedup dedup = tradeDedup[streamKey];
        final boolean overlapping = currentOverlapping;
        gapStream = e.channel() == Channel.AGG_TRADE ? StreamKind.AGG_TRADE : StreamKind.TRADE;
        gapInstrument = spec.instrumentId();
        if (dedup.offerRange(e.tradeIdHashed() ? Records.NULL_LONG : e.firstId(), e.tradeId(), overlapping, tradeGaps) ==
            TradeDedup.DUPLICATE)
        {
            counters.duplicates++;
            return;
        }
        if (encodeAndAppend(spec, e, encoder.trade(spec, e, currentReceiveNs, currentRawIndex, journal.recordBuffer()), gapStream))
        {
            counters.trades++;
        }
    }

    private StreamKind gapStream = StreamKind.TRADE;
    private int gapInstrument;
    private final TradeDedup.GapListener tradeGaps = this::onTradeGap;

    private void onTradeGap(final long from, final long to)
    {
        counters.tradeGaps++;
        journal.status(VenueStatusKind.GAP_DETECTED, gapStream, gapInstrument, currentConnection, from, to + 1,
            currentRawIndex, currentReceiveNs, (gapStream == StreamKind.AGG_TRADE ? "aggregate trade" : "trade") +
            " ids " + from + ".." + to + " never received");
    }

    private boolean encodeAndAppend(final InstrumentSpec spec, final MarketEvent e, final int length, final StreamKind stream)
    {
        if (length == RecordEncoder.REFUSED)
        {
            refused(spec, stream, e.symbolText() + " " + encoder.refusal());
            return false;
        }
        append(journal.recordBuffer(), 0, length);
        return true;
    }

    private void refused(final InstrumentSpec spec, final StreamKind stream, final String why)
    {
        counters.badValues++;
        lastError = why;
        journal.status(VenueStatusKind.RECORD_REFUSED, stream, spec == null ? 0 : spec.instrumentId(), currentConnection,
            Records.NULL_LONG, Records.NULL_LONG, currentRawIndex, currentReceiveNs, why);
    }

    private void onBookDelta(final InstrumentSpec spec, final int instrument, final MarketEvent e)
    {
        final Book book = books[instrument];
        if (protocol.connectionSequenced() && book.connection != currentConnection)
        {
            // No venue-wide id: a book follows only the connection of its snapshot.
            counters.duplicates++;
            return;
        }
        final MutableDirectBuffer buffer = journal.recordBuffer();
        final int length = encoder.bookDelta(spec, e, currentReceiveNs, currentRawIndex, buffer, 0);
        if (length == RecordEncoder.REFUSED)
        {
            refused(spec, StreamKind.BOOK, e.symbolText() + " " + encoder.refusal());
            return;
        }
        final long appliedBefore = book.applied;
        book.sync.onDelta(buffer, 0, length, e.firstId(), e.lastId(), e.prevId());
        if (book.checksum != null && book.applied != appliedBefore && !book.checksum.applyAndCheck(e))
        {
            book.sync.invalidate("checksum " + e.checksumValue() + " != local " + book.checksum.lastComputed());
        }
    }

    private void onStreamSnapshot(final InstrumentSpec spec, final int instrument, final MarketEvent e)
    {
        final Book book = books[instrument];
        final MutableDirectBuffer buffer = journal.recordBuffer();
        final int length = encoder.bookSnapshot(spec, e, currentReceiveNs, currentRawIndex, 0, buffer);
        if (length == RecordEncoder.REFUSED)
        {
            refused(spec, StreamKind.BOOK, e.symbolText() + " " + encoder.refusal());
            return;
        }
        book.sync.onStreamSnapshot(buffer, 0, length, e.lastId());
        book.connection = currentConnection;
        counters.snapshots++;
        if (book.checksum != null)
        {
            book.checksum.clear();
            if (!book.checksum.applyAndCheck(e))
            {
                book.sync.invalidate("snapshot checksum " + e.checksumValue() + " != local " + book.checksum.lastComputed());
            }
        }
    }

    @Override
    public void onRestResponse(
        final long tag, final int status, final byte[] body, final int length, final long receiveTimeNs, final long rawIndex)
    {
        final int instrument = (int)tag;
        if (instrument < 0 || instrument >= books.length || !books[instrument].snapshotPending)
        {
            return;
        }
        final Book book = books[instrument];
        final InstrumentSpec spec = instruments.get(instrument);
        book.snapshotPending = false;
        currentConnection = FeedJournal.REST_CONNECTION_ID;
        currentReceiveNs = receiveTimeNs;
        currentRawIndex = rawIndex;
        if (status != 200)
        {
            counters.snapshotsRefused++;
            refused(spec, StreamKind.BOOK, "snapshot of " + spec.venueSymbol() + " refused: HTTP " + status);
            book.sync.onSnapshotFailed();
            return;
        }
        final int result = parser.parseSnapshot(body, 0, length, frame);
        if (result != ParseError.OK || frame.eventCount() != 1 || frame.event(0).type() != MarketEvent.BOOK_SNAPSHOT)
        {
            counters.malformed++;
            lastError = "snapshot of " + spec.venueSymbol() + ": " +
                (result != ParseError.OK ? ParseError.describe(result) + detail(parser.errorDetail()) : "not a book snapshot");
            journal.status(VenueStatusKind.MALFORMED_FRAME, StreamKind.BOOK, spec.instrumentId(), FeedJournal.REST_CONNECTION_ID,
                Records.NULL_LONG, Records.NULL_LONG, rawIndex, receiveTimeNs, lastError);
            book.sync.onSnapshotFailed();
            return;
        }
        final MarketEvent e = frame.event(0);
        if (!book.sync.snapshotUsable(e.lastId()))
        {
            // Older than the first buffered event: fetch again (the venue's documented rule).
            requestSnapshot(instrument, receiveTimeNs);
            return;
        }
        final int recordLength = encoder.bookSnapshot(spec, e, receiveTimeNs, rawIndex, Records.FLAG_FROM_SNAPSHOT,
            journal.recordBuffer());
        if (recordLength == RecordEncoder.REFUSED)
        {
            refused(spec, StreamKind.BOOK, "snapshot of " + spec.venueSymbol() + " " + encoder.refusal());
            book.sync.onSnapshotFailed();
            return;
        }
        append(journal.recordBuffer(), 0, recordLength);
        counters.snapshots++;
        book.sync.onRestSnapshot(e.lastId());
    }

    @Override
    public void onRestFailed(final long tag, final String reason, final long nowNs)
    {
        final int instrument = (int)tag;
        if (instrument >= 0 && instrument < books.length && books[instrument].snapshotPending)
        {
            final InstrumentSpec spec = instruments.get(instrument);
            books[instrument].snapshotPending = false;
            lastError = "snapshot of " + spec.venueSymbol() + " failed: " + reason;
            journal.status(VenueStatusKind.RECORD_REFUSED, StreamKind.BOOK, spec.instrumentId(), FeedJournal.REST_CONNECTION_ID,
                Records.NULL_LONG, Records.NULL_LONG, Records.NULL_LONG, nowNs, lastError);
            books[instrument].sync.onSnapshotFailed();
        }
    }

    @Override
    public void onStreamsLost(final int[] streamKeys, final long nowNs)
    {
        for (final int key : streamKeys)
        {
            if (key % CHANNELS == Channel.DEPTH.ordinal())
            {
                books[key / CHANNELS].sync.onStreamLost();
            }
        }
    }

    @Override
    public void onOverlapEnded(final long nowNs)
    {
        currentReceiveNs = nowNs;
        currentRawIndex = Records.NULL_LONG;
        for (int i = 0; i < tradeDedup.length; i++)
        {
            if (tradeDedup[i] != null)
            {
                gapStream = i % CHANNELS == Channel.AGG_TRADE.ordinal() ? StreamKind.AGG_TRADE : StreamKind.TRADE;
                gapInstrument = instruments.get(i / CHANNELS).instrumentId();
                tradeDedup[i].overlapEnded(tradeGaps);
            }
        }
    }

    private void requestSnapshot(final int instrument, final long nowNs)
    {
        final Book book = books[instrument];
        if (protocol.snapshotSource() != SnapshotSource.REST)
        {
            if (session != null)
            {
                session.resubscribe(key(instrument, Channel.DEPTH), nowNs);
            }
            return;
        }
        if (book.snapshotPending)
        {
            return;
        }
        final long oldest = snapshotTimes[snapshotTimesHead];
        if (oldest != Long.MIN_VALUE && nowNs - oldest < 60_000_000_000L)
        {
            // Over the REST budget: onTick asks again when the budget allows.
            book.budgetDeferred = true;
            counters.snapshotsRefused++;
            return;
        }
        book.budgetDeferred = false;
        snapshotTimes[snapshotTimesHead] = nowNs;
        snapshotTimesHead = (snapshotTimesHead + 1) % snapshotTimes.length;
        book.snapshotPending = true;
        book.snapshotRequestedNs = nowNs;
        if (session != null)
        {
            session.fetch(instrument, protocol.snapshotUri(config, instruments.get(instrument)));
        }
    }

    @Override
    public void onTick(final long nowNs)
    {
        if (journal.resumes() != journalResumes)
        {
            // The journal dropped records while paused for disk space: its books are incomplete until a snapshot.
            journalResumes = journal.resumes();
            currentReceiveNs = nowNs;
            currentRawIndex = Records.NULL_LONG;
            for (final Book book : books)
            {
                if (book.checksum != null)
                {
                    book.checksum.clear();
                }
                book.sync.rejoin();
            }
        }
        if (protocol.snapshotSource() != SnapshotSource.REST)
        {
            return;
        }
        for (int i = 0; i < books.length; i++)
        {
            final Book book = books[i];
            if (book.snapshotPending && nowNs - book.snapshotRequestedNs > config.snapshotTimeoutNs())
            {
                book.snapshotPending = false;
                requestSnapshot(i, nowNs);
            }
            else if (!book.snapshotPending && book.sync.state() == BookSync.State.AWAITING_SNAPSHOT)
            {
                requestSnapshot(i, nowNs);
            }
        }
    }

    /**
     * Whether an instrument's book is joined and being checked.
     *
     * @param instrumentIndex index in the config's instrument list.
     * @return true when live.
     */
    public boolean bookLive(final int instrumentIndex)
    {
        return books[instrumentIndex].sync.state() == BookSync.State.LIVE;
    }

    /**
     * The last update id applied to an instrument's book.
     *
     * @param instrumentIndex index in the config's instrument list.
     * @return the id.
     */
    public long bookLastId(final int instrumentIndex)
    {
        return books[instrumentIndex].sync.lastId();
    }

    private void append(final DirectBuffer buffer, final int offset, final int length)
    {
        if (journal.append(buffer, offset, length) != PartitionWriter.REJECTED)
        {
            counters.records++;
        }
    }

    /** One instrument's book: its sync machine, snapshot requests and the venue's checksum, if any. */
    private final class Book implements BookSync.Output
    {
        final int instrument;
        final BookSync sync;
        final BookChecksum checksum;
        boolean snapshotPending;
        boolean budgetDeferred;
        int connection;
        long snapshotRequestedNs;
        long applied;

        Book(final int instrument)
        {
            this.instrument = instrument;
            this.sync = new BookSync(protocol.bookRule(), protocol.snapshotSource(), this);
            this.checksum = protocol.newBookChecksum();
        }

        @Override
        public void append(final DirectBuffer buffer, final int offset, final int length)
        {
            VenueFeedHandler.this.append(buffer, offset, length);
            if (Records.templateId(buffer, offset) == io.tickjournal.journal.sbe.BookDeltaEncoder.TEMPLATE_ID)
            {
                counters.deltas++;
            }
            applied++;
        }

        @Override
        public void gap(final long expected, final long received, final String why)
        {
            counters.bookGaps++;
            final int id = instruments.get(instrument).instrumentId();
            journal.status(VenueStatusKind.GAP_DETECTED, StreamKind.BOOK, id, currentConnection, expected, received,
                currentRawIndex, currentReceiveNs, why);
            journal.status(VenueStatusKind.BOOK_RESET, StreamKind.BOOK, id, currentConnection, Records.NULL_LONG,
                Records.NULL_LONG, currentRawIndex, currentReceiveNs, "rejoining: " + protocol.snapshotSource());
            if (checksum != null)
            {
                checksum.clear();
            }
        }

        @Override
        public void reset(final String why)
        {
            journal.status(VenueStatusKind.BOOK_RESET, StreamKind.BOOK, instruments.get(instrument).instrumentId(),
                currentConnection, Records.NULL_LONG, Records.NULL_LONG, currentRawIndex, currentReceiveNs, why);
            if (checksum != null)
            {
                checksum.clear();
            }
        }

        @Override
        public void resynced(final long lastId)
        {
            counters.resyncs++;
            journal.status(VenueStatusKind.RESYNCED, StreamKind.BOOK, instruments.get(instrument).instrumentId(), 0,
                Records.NULL_LONG, lastId, currentRawIndex, currentReceiveNs, "book whole from update id " + lastId);
        }

        @Override
        public void duplicate()
        {
            counters.duplicates++;
        }

        @Override
        public void requestSnapshot()
        {
            VenueFeedHandler.this.requestSnapshot(instrument, currentReceiveNs);
        }
    }
}
