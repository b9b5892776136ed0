package io.tickjournal.ingest.binance;

import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.ConnectionPlan;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.FeedCounters;
import io.tickjournal.ingest.FeedHandler;
import io.tickjournal.ingest.FeedJournal;
import io.tickjournal.ingest.FeedSession;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.InstrumentTable;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.decimal.DecimalError;
import io.tickjournal.journal.decimal.Decimals;
import io.tickjournal.journal.sbe.BookDeltaEncoder;
import io.tickjournal.journal.sbe.BookSnapshotEncoder;
import io.tickjournal.journal.sbe.MarkPriceEncoder;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import io.tickjournal.journal.sbe.Side;
import io.tickjournal.journal.sbe.TopOfBookEncoder;
import io.tickjournal.journal.sbe.TradeEncoder;
import io.tickjournal.journal.sbe.TradeKind;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Binance spot and USD-M futures: streams and routing, subscribe requests, parsing, the local
 * book join and its check on every depth event, deduplication across overlapping connections,
 * and encoding into the journal.
 * <p>
 * Book rules, as Binance documents them:
 * <ul>
 * <li>Join: buffer diffs, fetch the REST snapshot, drop buffered events with {@code u <= lastUpdateId}
 * (futures: {@code u < lastUpdateId}); the first applied event must straddle the snapshot (spot
 * {@code U <= lastUpdateId + 1 <= u}, futures {@code U <= lastUpdateId <= u}), else fetch again.</li>
 * <li>Live, on every event: an event with {@code u} at or below the last applied id is a duplicate
 * and dropped; spot needs {@code U <= last + 1}, futures needs {@code pu == last}; anything else
 * is a gap: GAP_DETECTED and BOOK_RESET are journaled and only that instrument rejoins.</li>
 * </ul>
 * The journal holds exactly the book the handler keeps: after a gap GAP_DETECTED and BOOK_RESET, then the
 * snapshot (flagged as from a snapshot), the buffered events that apply, RESYNCED, then live events. A reader rebuilds the
 * book from the journal alone.
 */
public final class BinanceFeedHandler implements FeedHandler
{
    private static final int CHANNELS = Channel.values().length;
    private static final int MAX_BUFFERED = 4096;

    private static final int BOOK_WAITING_FOR_EVENT = 0;
    private static final int BOOK_SNAPSHOT_PENDING = 1;
    private static final int BOOK_LIVE = 2;

    private final FeedConfig config;
    private final FeedJournal journal;
    private final boolean futures;
    private final InstrumentTable instruments;
    private final BinanceParser parser = new BinanceParser();
    private final FeedCounters counters = new FeedCounters();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final TradeEncoder trade = new TradeEncoder();
    private final BookDeltaEncoder delta = new BookDeltaEncoder();
    private final BookSnapshotEncoder snapshot = new BookSnapshotEncoder();
    private final TopOfBookEncoder top = new TopOfBookEncoder();
    private final MarkPriceEncoder mark = new MarkPriceEncoder();
    private final long[] lastIds;
    private final Book[] books;
    private final long[] snapshotTimes;
    private int snapshotTimesHead;
    private FeedSession session;
    private long lastRequestId;
    private int lastStreamKey;
    private String lastError;

    /**
     * @param config  the feed's config ({@link Venues#BINANCE_SPOT} or {@link Venues#BINANCE_USDM}).
     * @param journal where records go.
     */
    public BinanceFeedHandler(final FeedConfig config, final FeedJournal journal)
    {
        if (config.venueId() != Venues.BINANCE_SPOT && config.venueId() != Venues.BINANCE_USDM)
        {
            throw new IllegalArgumentException("not a Binance venue: " + Venues.name(config.venueId()));
        }
        this.config = config;
        this.journal = journal;
        this.futures = config.venueId() == Venues.BINANCE_USDM;
        this.instruments = new InstrumentTable(config.instruments());
        this.lastIds = new long[instruments.size() * CHANNELS];
        java.util.Arrays.fill(lastIds, Records.NULL_LONG);
        this.books = new Book[instruments.size()];
        for (int i = 0; i < books.length; i++)
        {
            books[i] = new Book();
        }
        this.snapshotTimes = new long[config.snapshotsPerMinute()];
        java.util.Arrays.fill(snapshotTimes, Long.MIN_VALUE);
    }

    @Override
    public void attach(final FeedSession session)
    {
        this.session = session;
    }

    @Override
    public FeedCounters counters()
    {
        return counters;
    }

    /**
     * Stream name of a channel for a symbol, as Binance spells it.
     *
     * @param symbol  venue symbol.
     * @param channel channel.
     * @return e.g. {@code btcusdt@depth@100ms}.
     */
    public static String streamName(final String symbol, final Channel channel)
    {
        final String s = symbol.toLowerCase(Locale.ROOT);
        return switch (channel)
        {
            case TRADE -> s + "@trade";
            case AGG_TRADE -> s + "@aggTrade";
            case DEPTH -> s + "@depth@100ms";
            case BOOK_TICKER -> s + "@bookTicker";
            case MARK_PRICE -> s + "@markPrice@1s";
        };
    }

    /**
     * The WebSocket path a channel is served on: spot serves everything on {@code /stream};
     * USD-M routes high-frequency data to {@code /public} and regular data to {@code /market}.
     *
     * @param futures USD-M.
     * @param channel the channel.
     * @return the path.
     */
    public static String pathOf(final boolean futures, final Channel channel)
    {
        if (!futures)
        {
            return "/stream";
        }
        return channel == Channel.DEPTH || channel == Channel.BOOK_TICKER ? "/public/stream" : "/market/stream";
    }

    @Override
    public List<ConnectionPlan> plan()
    {
        final List<ConnectionPlan> plans = new ArrayList<>();
        for (final String path : futures ? List.of("/public/stream", "/market/stream") : List.of("/stream"))
        {
            final List<String> streams = new ArrayList<>();
            final List<Integer> keys = new ArrayList<>();
            for (int i = 0; i < instruments.size(); i++)
            {
                for (final Channel channel : config.channels())
                {
                    if (channel == Channel.MARK_PRICE && !futures)
                    {
                        continue;
                    }
                    if (!pathOf(futures, channel).equals(path))
                    {
                        continue;
                    }
                    streams.add(streamName(instruments.get(i).venueSymbol(), channel));
                    keys.add(i * CHANNELS + channel.ordinal());
                    if (streams.size() == config.streamsPerConnection())
                    {
                        plans.add(new ConnectionPlan(path, streams, keys.stream().mapToInt(Integer::intValue).toArray()));
                        streams.clear();
                        keys.clear();
                    }
                }
            }
            if (!streams.isEmpty())
            {
                plans.add(new ConnectionPlan(path, streams, keys.stream().mapToInt(Integer::intValue).toArray()));
            }
        }
        return plans;
    }

    @Override
    public String subscribeRequest(final List<String> streams, final long requestId)
    {
        final StringBuilder text = new StringBuilder(32 + streams.size() * 24).append("{\"method\":\"SUBSCRIBE\",\"params\":[");
        for (int i = 0; i < streams.size(); i++)
        {
            text.append(i == 0 ? "\"" : ",\"").append(streams.get(i)).append('"');
        }
        return text.append("],\"id\":").append(requestId).append('}').toString();
    }

    /**
     * The REST depth snapshot URI of a symbol.
     *
     * @param symbol venue symbol.
     * @return the URI.
     */
    public URI snapshotUri(final String symbol)
    {
        final String path = futures ? "/fapi/v1/depth" : "/api/v3/depth";
        return config.restUri().resolve(path + "?symbol=" + symbol.toUpperCase(Locale.ROOT) + "&limit=" + config.snapshotLimit());
    }

    @Override
    public long lastRequestId()
    {
        return lastRequestId;
    }

    @Override
    public int lastStreamKey()
    {
        return lastStreamKey;
    }

    @Override
    public String lastError()
    {
        return lastError;
    }

    @Override
    public int onFrame(
        final int connectionId, final byte[] frame, final int length, final long receiveTimeNs, final long rawIndex)
    {
        counters.frames++;
        lastStreamKey = -1;
        final int result = parser.parse(frame, 0, length);
        if (result != BinanceParser.OK)
        {
            return malformed(connectionId, result, receiveTimeNs, rawIndex);
        }
        final BinanceMessage m = parser.message();
        switch (m.type)
        {
            case BinanceMessage.RESPONSE:
                lastRequestId = m.requestId;
                return RESPONSE;
            case BinanceMessage.ERROR_RESPONSE:
                lastRequestId = m.requestId;
                lastError = "error response code " + m.errorCode + ": " + new String(frame, 0, Math.min(length, 200),
                    java.nio.charset.StandardCharsets.US_ASCII);
                counters.errorResponses++;
                return ERROR_RESPONSE;
            case BinanceMessage.SERVER_SHUTDOWN:
                counters.shutdownNotices++;
                return SHUTDOWN_NOTICE;
            default:
                break;
        }

        final int instrument = symbolIndex(m);
        if (instrument < 0)
        {
            return IGNORED;
        }
        final InstrumentSpec spec = instruments.get(instrument);
        return switch (m.type)
        {
            case BinanceMessage.TRADE -> onTrade(spec, instrument, Channel.TRADE, m, receiveTimeNs, rawIndex, connectionId);
            case BinanceMessage.AGG_TRADE -> onTrade(spec, instrument, Channel.AGG_TRADE, m, receiveTimeNs, rawIndex, connectionId);
            case BinanceMessage.DEPTH_UPDATE -> onDepth(spec, instrument, m, receiveTimeNs, rawIndex, connectionId);
            case BinanceMessage.BOOK_TICKER -> onBookTicker(spec, instrument, m, receiveTimeNs, rawIndex, connectionId);
            case BinanceMessage.MARK_PRICE -> onMarkPrice(spec, instrument, m, receiveTimeNs, rawIndex, connectionId);
            default -> IGNORED;
        };
    }

    private int symbolIndex(final BinanceMessage m)
    {
        if (m.symbolLength > 0)
        {
            return instruments.indexOf(m.symbol, 0, m.symbolLength);
        }
        if (m.streamLength > 0)
        {
            int at = 0;
            while (at < m.streamLength && m.stream[at] != '@')
            {
                at++;
            }
            return instruments.indexOf(m.stream, 0, at);
        }
        return -1;
    }

    private int malformed(final int connectionId, final int code, final long receiveTimeNs, final long rawIndex)
    {
        counters.malformed++;
        lastError = BinanceParser.describe(code) + (code == BinanceParser.BAD_DECIMAL ?
            " in field " + parser.badField() + ": " + DecimalError.describe(parser.decimalError()) : "");
        journal.status(VenueStatusKind.MALFORMED_FRAME, 0, connectionId, Records.NULL_LONG, Records.NULL_LONG,
            rawIndex, receiveTimeNs, lastError);
        return MALFORMED;
    }

    private int badValue(
        final InstrumentSpec spec, final String field, final int error, final int connectionId, final long receiveTimeNs,
        final long rawIndex)
    {
        counters.badValues++;
        lastError = spec.venueSymbol() + " " + field + ": " + DecimalError.describe(error);
        journal.status(VenueStatusKind.MALFORMED_FRAME, spec.instrumentId(), connectionId, Records.NULL_LONG,
            Records.NULL_LONG, rawIndex, receiveTimeNs, lastError);
        return MALFORMED;
    }

    private static long ms(final long millis)
    {
        return millis == Records.NULL_LONG ? Records.NULL_LONG : millis * 1_000_000L;
    }

    /**
     * Note the stream a message belongs to and whether its id was already seen on it (what both
     * connections deliver while one replaces the other, or a venue repeat).
     */
    private boolean repeat(final int key, final long id)
    {
        lastStreamKey = key;
        final long last = lastIds[key];
        if (last != Records.NULL_LONG && id <= last)
        {
            counters.duplicates++;
            return true;
        }
        return false;
    }

    private int onTrade(
        final InstrumentSpec spec, final int instrument, final Channel channel, final BinanceMessage m,
        final long receiveTimeNs, final long rawIndex, final int connectionId)
    {
        final int key = instrument * CHANNELS + channel.ordinal();
        final long last = lastIds[key];
        if (repeat(key, m.tradeId))
        {
            return DATA;
        }
        final long price = scaled(m.mantissa[BinanceMessage.PRICE], m.exponent[BinanceMessage.PRICE], spec.priceExponent());
        final long size = scaled(m.mantissa[BinanceMessage.QTY], m.exponent[BinanceMessage.QTY], spec.sizeExponent());
        if (!m.has(BinanceMessage.PRICE) || price == Decimals.NOT_REPRESENTABLE)
        {
            return badValue(spec, "p", rescaleError(m, BinanceMessage.PRICE, spec.priceExponent()), connectionId,
                receiveTimeNs, rawIndex);
        }
        if (!m.has(BinanceMessage.QTY) || size == Decimals.NOT_REPRESENTABLE)
        {
            return badValue(spec, "q", rescaleError(m, BinanceMessage.QTY, spec.sizeExponent()), connectionId,
                receiveTimeNs, rawIndex);
        }
        if (last != Records.NULL_LONG && m.tradeId > last + 1)
        {
            counters.tradeGaps++;
            journal.status(VenueStatusKind.GAP_DETECTED, spec.instrumentId(), connectionId, last + 1, m.tradeId, rawIndex,
                receiveTimeNs, channel == Channel.TRADE ? "trade ids" : "aggTrade ids");
        }
        lastIds[key] = m.tradeId;
        final MutableDirectBuffer buffer = journal.recordBuffer();
        trade.wrapAndApplyHeader(buffer, 0, header);
        Records.putCommon(buffer, 0, receiveTimeNs, ms(m.eventTimeMs), m.tradeId, rawIndex,
            journal.venueId(), 0, spec.instrumentId());
        trade
            .priceMantissa(price)
            .sizeMantissa(size)
            .tradeTimeNs(ms(m.tradeTimeMs))
            .priceExponent((byte)spec.priceExponent())
            .sizeExponent((byte)spec.sizeExponent())
            .aggressor(m.buyerMaker ? Side.SELL : Side.BUY)
            .kind(channel == Channel.TRADE ? TradeKind.TRADE : TradeKind.AGG_TRADE);
        append(buffer, MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength());
        counters.trades++;
        return DATA;
    }

    private int onBookTicker(
        final InstrumentSpec spec, final int instrument, final BinanceMessage m, final long receiveTimeNs,
        final long rawIndex, final int connectionId)
    {
        final int key = instrument * CHANNELS + Channel.BOOK_TICKER.ordinal();
        if (repeat(key, m.finalUpdateId))
        {
            return DATA;
        }
        final long bidPrice = scaled(m, BinanceMessage.BID_PRICE, spec.priceExponent());
        final long bidSize = scaled(m, BinanceMessage.BID_QTY, spec.sizeExponent());
        final long askPrice = scaled(m, BinanceMessage.ASK_PRICE, spec.priceExponent());
        final long askSize = scaled(m, BinanceMessage.ASK_QTY, spec.sizeExponent());
        if (bidPrice == Decimals.NOT_REPRESENTABLE || askPrice == Decimals.NOT_REPRESENTABLE ||
            bidSize == Decimals.NOT_REPRESENTABLE || askSize == Decimals.NOT_REPRESENTABLE)
        {
            return badValue(spec, "b/B/a/A", DecimalError.NOT_EXACT_AT_SCALE, connectionId, receiveTimeNs, rawIndex);
        }
        lastIds[key] = m.finalUpdateId;
        final MutableDirectBuffer buffer = journal.recordBuffer();
        top.wrapAndApplyHeader(buffer, 0, header);
        Records.putCommon(buffer, 0, receiveTimeNs, ms(m.eventTimeMs), m.finalUpdateId, rawIndex,
            journal.venueId(), 0, spec.instrumentId());
        top
            .bidPrice(bidPrice)
            .bidSize(bidSize)
            .askPrice(askPrice)
            .askSize(askSize)
            .priceExponent((byte)spec.priceExponent())
            .sizeExponent((byte)spec.sizeExponent());
        append(buffer, MessageHeaderEncoder.ENCODED_LENGTH + top.encodedLength());
        counters.tops++;
        return DATA;
    }

    private int onMarkPrice(
        final InstrumentSpec spec, final int instrument, final BinanceMessage m, final long receiveTimeNs,
        final long rawIndex, final int connectionId)
    {
        final int key = instrument * CHANNELS + Channel.MARK_PRICE.ordinal();
        if (repeat(key, m.eventTimeMs))
        {
            return DATA;
        }
        final long markPrice = scaled(m, BinanceMessage.PRICE, spec.priceExponent());
        final long indexPrice = m.has(BinanceMessage.INDEX_PRICE) ?
            scaled(m, BinanceMessage.INDEX_PRICE, spec.priceExponent()) : Records.NULL_LONG;
        if (markPrice == Decimals.NOT_REPRESENTABLE ||
            (m.has(BinanceMessage.INDEX_PRICE) && indexPrice == Decimals.NOT_REPRESENTABLE))
        {
            return badValue(spec, "p/i", DecimalError.NOT_EXACT_AT_SCALE, connectionId, receiveTimeNs, rawIndex);
        }
        final boolean hasFunding = m.has(BinanceMessage.FUNDING_RATE);
        final int fundingExponent = hasFunding ? m.exponent[BinanceMessage.FUNDING_RATE] : 0;
        if (fundingExponent < Byte.MIN_VALUE || fundingExponent > Byte.MAX_VALUE)
        {
            return badValue(spec, "r", DecimalError.EXPONENT_OUT_OF_RANGE, connectionId, receiveTimeNs, rawIndex);
        }
        lastIds[key] = m.eventTimeMs;
        final MutableDirectBuffer buffer = journal.recordBuffer();
        mark.wrapAndApplyHeader(buffer, 0, header);
        Records.putCommon(buffer, 0, receiveTimeNs, ms(m.eventTimeMs), Records.NULL_LONG, rawIndex,
            journal.venueId(), 0, spec.instrumentId());
        mark
            .markPrice(markPrice)
            .indexPrice(indexPrice)
            .fundingRateMantissa(hasFunding ? m.mantissa[BinanceMessage.FUNDING_RATE] : Records.NULL_LONG)
            .nextFundingTimeNs(ms(m.tradeTimeMs))
            .priceExponent((byte)spec.priceExponent())
            .fundingRateExponent((byte)fundingExponent);
        append(buffer, MessageHeaderEncoder.ENCODED_LENGTH + mark.encodedLength());
        counters.marks++;
        return DATA;
    }

    private int onDepth(
        final InstrumentSpec spec, final int instrument, final BinanceMessage m, final long receiveTimeNs,
        final long rawIndex, final int connectionId)
    {
        lastStreamKey = instrument * CHANNELS + Channel.DEPTH.ordinal();
        final Book book = books[instrument];
        final MutableDirectBuffer buffer = journal.recordBuffer();
        final int length = encodeDelta(spec, m, buffer, 0, receiveTimeNs, rawIndex);
        if (length < 0)
        {
            return badValue(spec, "b/a level", DecimalError.NOT_EXACT_AT_SCALE, connectionId, receiveTimeNs, rawIndex);
        }
        final long first = m.firstUpdateId;
        final long last = m.finalUpdateId;
        final long prev = futures ? m.prevUpdateId : Records.NULL_LONG;

        if (book.state != BOOK_LIVE)
        {
            if (book.count > 0 && last <= book.lastIds[book.count - 1])
            {
                // Delivered again (the other connection of a rotation, or a venue repeat): buffer it once.
                counters.duplicates++;
                return DATA;
            }
            book.buffer(buffer, length, first, last, prev);
            if (book.state == BOOK_WAITING_FOR_EVENT)
            {
                requestSnapshot(instrument, receiveTimeNs);
            }
            return DATA;
        }

        if (last <= book.lastId)
        {
            counters.duplicates++;
            return DATA;
        }
        final boolean continuous = futures ? prev == book.lastId : first <= book.lastId + 1;
        if (!continuous)
        {
            counters.bookGaps++;
            final long expected = futures ? book.lastId : book.lastId + 1;
            final long received = futures ? prev : first;
            journal.status(VenueStatusKind.GAP_DETECTED, spec.instrumentId(), connectionId, expected, received, rawIndex,
                receiveTimeNs, futures ? "depth pu chain broken" : "depth U beyond last u + 1");
            journal.status(VenueStatusKind.BOOK_RESET, spec.instrumentId(), connectionId, Records.NULL_LONG,
                Records.NULL_LONG, rawIndex, receiveTimeNs, "rejoining from a REST snapshot");
            book.state = BOOK_WAITING_FOR_EVENT;
            book.clear();
            // The event that showed the gap is the first of the new join.
            book.buffer(buffer, length, first, last, prev);
            requestSnapshot(instrument, receiveTimeNs);
            return DATA;
        }
        book.lastId = last;
        append(buffer, length);
        counters.deltas++;
        return DATA;
    }

    private int encodeDelta(
        final InstrumentSpec spec, final BinanceMessage m, final MutableDirectBuffer buffer, final int offset,
        final long receiveTimeNs, final long rawIndex)
    {
        delta.wrapAndApplyHeader(buffer, offset, header);
        Records.putCommon(buffer, offset, receiveTimeNs, ms(m.eventTimeMs), m.finalUpdateId, rawIndex,
            journal.venueId(), 0, spec.instrumentId());
        delta
            .firstVenueSeq(m.firstUpdateId)
            .prevVenueSeq(m.prevUpdateId)
            .priceExponent((byte)spec.priceExponent())
            .sizeExponent((byte)spec.sizeExponent());
        final BookDeltaEncoder.BidsEncoder bids = delta.bidsCount(m.bidCount);
        for (int i = 0; i < m.bidCount; i++)
        {
            final long price = scaled(m.bidPrice[i], m.bidPriceExp[i], spec.priceExponent());
            final long size = scaled(m.bidSize[i], m.bidSizeExp[i], spec.sizeExponent());
            if (price == Decimals.NOT_REPRESENTABLE || size == Decimals.NOT_REPRESENTABLE)
            {
                return -1;
            }
            bids.next().price(price).size(size);
        }
        final BookDeltaEncoder.AsksEncoder asks = delta.asksCount(m.askCount);
        for (int i = 0; i < m.askCount; i++)
        {
            final long price = scaled(m.askPrice[i], m.askPriceExp[i], spec.priceExponent());
            final long size = scaled(m.askSize[i], m.askSizeExp[i], spec.sizeExponent());
            if (price == Decimals.NOT_REPRESENTABLE || size == Decimals.NOT_REPRESENTABLE)
            {
                return -1;
            }
            asks.next().price(price).size(size);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + delta.encodedLength();
    }

    private void requestSnapshot(final int instrument, final long nowNs)
    {
        final Book book = books[instrument];
        if (book.state == BOOK_SNAPSHOT_PENDING)
        {
            return;
        }
        final long oldest = snapshotTimes[snapshotTimesHead];
        if (oldest != Long.MIN_VALUE && nowNs - oldest < 60_000_000_000L)
        {
            // Over the REST budget: stay buffering, onTick asks again when the budget allows.
            book.budgetDeferred = true;
            counters.snapshotsRefused++;
            return;
        }
        book.budgetDeferred = false;
        snapshotTimes[snapshotTimesHead] = nowNs;
        snapshotTimesHead = (snapshotTimesHead + 1) % snapshotTimes.length;
        book.state = BOOK_SNAPSHOT_PENDING;
        book.snapshotRequestedNs = nowNs;
        session.fetch(instrument, snapshotUri(instruments.get(instrument).venueSymbol()));
    }

    @Override
    public void onTick(final long nowNs)
    {
        for (int i = 0; i < books.length; i++)
        {
            final Book book = books[i];
            if (book.state == BOOK_SNAPSHOT_PENDING && nowNs - book.snapshotRequestedNs > config.snapshotTimeoutNs())
            {
                book.state = BOOK_WAITING_FOR_EVENT;
                requestSnapshot(i, nowNs);
            }
            else if (book.state == BOOK_WAITING_FOR_EVENT && (book.budgetDeferred || book.count > 0))
            {
                requestSnapshot(i, nowNs);
            }
        }
    }

    @Override
    public void onRestFailed(final long tag, final String reason, final long nowNs)
    {
        final int instrument = (int)tag;
        if (instrument >= 0 && instrument < books.length && books[instrument].state == BOOK_SNAPSHOT_PENDING)
        {
            lastError = "snapshot of " + instruments.get(instrument).venueSymbol() + " failed: " + reason;
            books[instrument].state = BOOK_WAITING_FOR_EVENT;
        }
    }

    @Override
    public void onRestResponse(
        final long tag, final int status, final byte[] body, final int length, final long receiveTimeNs, final long rawIndex)
    {
        final int instrument = (int)tag;
        if (instrument < 0 || instrument >= books.length || books[instrument].state != BOOK_SNAPSHOT_PENDING)
        {
            return;
        }
        final Book book = books[instrument];
        final InstrumentSpec spec = instruments.get(instrument);
        book.state = BOOK_WAITING_FOR_EVENT;
        if (status != 200)
        {
            lastError = "snapshot of " + spec.venueSymbol() + ": HTTP " + status;
            return;
        }
        final int result = parser.parse(body, 0, length);
        final BinanceMessage m = parser.message();
        if (result != BinanceParser.OK || m.type != BinanceMessage.DEPTH_SNAPSHOT)
        {
            malformed(FeedJournal.REST_CONNECTION_ID, result == BinanceParser.OK ? BinanceParser.NOT_AN_OBJECT : result,
                receiveTimeNs, rawIndex);
            return;
        }
        join(instrument, spec, book, m, receiveTimeNs, rawIndex);
    }

    private void join(
        final int instrument, final InstrumentSpec spec, final Book book, final BinanceMessage m, final long receiveTimeNs,
        final long rawIndex)
    {
        final long lastUpdateId = m.lastUpdateId;
        if (book.count > 0 && lastUpdateId < book.firstIds[0])
        {
            // Older than the first buffered event: fetch again (Binance's documented rule).
            requestSnapshot(instrument, receiveTimeNs);
            return;
        }
        // Find the first buffered event that applies.
        int start = 0;
        while (start < book.count && (futures ? book.lastIds[start] < lastUpdateId : book.lastIds[start] <= lastUpdateId))
        {
            start++;
        }
        if (start < book.count)
        {
            final long u0 = book.firstIds[start];
            final long u1 = book.lastIds[start];
            final boolean straddles = futures ? u0 <= lastUpdateId && u1 >= lastUpdateId :
                u0 <= lastUpdateId + 1 && u1 >= lastUpdateId + 1;
            if (!straddles)
            {
                book.clear();
                requestSnapshot(instrument, receiveTimeNs);
                return;
            }
        }
        if (hasUnrepresentable(m, spec))
        {
            book.clear();
            badValue(spec, "snapshot level", DecimalError.NOT_EXACT_AT_SCALE, FeedJournal.REST_CONNECTION_ID,
                receiveTimeNs, rawIndex);
            return;
        }
        final MutableDirectBuffer buffer = journal.recordBuffer();
        snapshot.wrapAndApplyHeader(buffer, 0, header);
        Records.putCommon(buffer, 0, receiveTimeNs, ms(m.eventTimeMs), lastUpdateId, rawIndex,
            journal.venueId(), Records.FLAG_FROM_SNAPSHOT, spec.instrumentId());
        snapshot
            .priceExponent((byte)spec.priceExponent())
            .sizeExponent((byte)spec.sizeExponent());
        final BookSnapshotEncoder.BidsEncoder bids = snapshot.bidsCount(m.bidCount);
        for (int i = 0; i < m.bidCount; i++)
        {
            bids.next().price(scaled(m.bidPrice[i], m.bidPriceExp[i], spec.priceExponent()))
                .size(scaled(m.bidSize[i], m.bidSizeExp[i], spec.sizeExponent()));
        }
        final BookSnapshotEncoder.AsksEncoder asks = snapshot.asksCount(m.askCount);
        for (int i = 0; i < m.askCount; i++)
        {
            asks.next().price(scaled(m.askPrice[i], m.askPriceExp[i], spec.priceExponent()))
                .size(scaled(m.askSize[i], m.askSizeExp[i], spec.sizeExponent()));
        }
        append(buffer, MessageHeaderEncoder.ENCODED_LENGTH + snapshot.encodedLength());
        counters.snapshots++;
        book.lastId = lastUpdateId;
        int applied = 0;
        for (int i = start; i < book.count; i++)
        {
            if (applied > 0 && book.lastIds[i] <= book.lastId)
            {
                continue;
            }
            final boolean continuous = futures ? (applied == 0 || book.prevIds[i] == book.lastId) :
                book.firstIds[i] <= book.lastId + 1;
            if (!continuous)
            {
                // The buffer itself has a hole: start over.
                counters.bookGaps++;
                journal.status(VenueStatusKind.GAP_DETECTED, spec.instrumentId(), 0,
                    futures ? book.lastId : book.lastId + 1, futures ? book.prevIds[i] : book.firstIds[i],
                    Records.NULL_LONG, receiveTimeNs, "gap inside the buffered events");
                journal.status(VenueStatusKind.BOOK_RESET, spec.instrumentId(), 0, Records.NULL_LONG,
                    Records.NULL_LONG, Records.NULL_LONG, receiveTimeNs, "rejoining from a REST snapshot");
                book.clear();
                book.state = BOOK_WAITING_FOR_EVENT;
                requestSnapshot(instrument, receiveTimeNs);
                return;
            }
            final int at = book.offsets[i];
            book.records.putShort(at + Records.FLAGS_OFFSET,
                (short)(book.records.getShort(at + Records.FLAGS_OFFSET, Records.ORDER) | Records.FLAG_DEFERRED), Records.ORDER);
            append(book.records, at, book.lengths[i]);
            book.lastId = book.lastIds[i];
            applied++;
            counters.deltas++;
        }
        book.clear();
        book.state = BOOK_LIVE;
        counters.resyncs++;
        journal.status(VenueStatusKind.RESYNCED, spec.instrumentId(), 0, Records.NULL_LONG, book.lastId, rawIndex,
            receiveTimeNs, "book whole from update id " + book.lastId);
    }

    private static boolean hasUnrepresentable(final BinanceMessage m, final InstrumentSpec spec)
    {
        return unrepresentable(m.bidPrice, m.bidPriceExp, m.bidSize, m.bidSizeExp, m.bidCount, spec) ||
            unrepresentable(m.askPrice, m.askPriceExp, m.askSize, m.askSizeExp, m.askCount, spec);
    }

    private static boolean unrepresentable(
        final long[] prices, final int[] priceExps, final long[] sizes, final int[] sizeExps, final int count,
        final InstrumentSpec spec)
    {
        for (int i = 0; i < count; i++)
        {
            if (scaled(prices[i], priceExps[i], spec.priceExponent()) == Decimals.NOT_REPRESENTABLE ||
                scaled(sizes[i], sizeExps[i], spec.sizeExponent()) == Decimals.NOT_REPRESENTABLE)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an instrument's book is joined and being checked.
     *
     * @param instrumentIndex index in the config's instrument list.
     * @return true when live.
     */
    public boolean bookLive(final int instrumentIndex)
    {
        return books[instrumentIndex].state == BOOK_LIVE;
    }

    /**
     * The last update id applied to an instrument's book.
     *
     * @param instrumentIndex index in the config's instrument list.
     * @return the id.
     */
    public long bookLastId(final int instrumentIndex)
    {
        return books[instrumentIndex].lastId;
    }

    private void append(final MutableDirectBuffer buffer, final int length)
    {
        append(buffer, 0, length);
    }

    private void append(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        if (journal.append(buffer, offset, length) != PartitionWriter.REJECTED)
        {
            counters.records++;
        }
    }

    private static long scaled(final BinanceMessage m, final int slot, final int exponent)
    {
        if (!m.has(slot))
        {
            return Decimals.NOT_REPRESENTABLE;
        }
        return scaled(m.mantissa[slot], m.exponent[slot], exponent);
    }

    private static long scaled(final long mantissa, final int fromExponent, final int toExponent)
    {
        return Decimals.rescale(mantissa, fromExponent, toExponent);
    }

    private static int rescaleError(final BinanceMessage m, final int slot, final int exponent)
    {
        if (!m.has(slot))
        {
            return DecimalError.EMPTY;
        }
        return Decimals.rescaleError(m.mantissa[slot], m.exponent[slot], exponent);
    }

    /** Join state and buffered events of one instrument's book. */
    private static final class Book
    {
        int state = BOOK_WAITING_FOR_EVENT;
        long lastId = Records.NULL_LONG;
        long snapshotRequestedNs;
        boolean budgetDeferred;
        final ExpandableArrayBuffer records = new ExpandableArrayBuffer(64 * 1024);
        final int[] offsets = new int[MAX_BUFFERED];
        final int[] lengths = new int[MAX_BUFFERED];
        final long[] firstIds = new long[MAX_BUFFERED];
        final long[] lastIds = new long[MAX_BUFFERED];
        final long[] prevIds = new long[MAX_BUFFERED];
        int count;
        int used;

        void buffer(final MutableDirectBuffer record, final int length, final long first, final long last, final long prev)
        {
            if (count == MAX_BUFFERED)
            {
                // A snapshot this slow: keep the newest events only; the join refetches if they no longer reach it.
                clear();
            }
            records.putBytes(used, record, 0, length);
            offsets[count] = used;
            lengths[count] = length;
            firstIds[count] = first;
            lastIds[count] = last;
            prevIds[count] = prev;
            used += length;
            count++;
        }

        void clear()
        {
            count = 0;
            used = 0;
        }
    }
}
