package io.tickjournal.ops.sql;

import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.FeatureSnapshotDecoder;
import io.tickjournal.journal.sbe.InstrumentDefinitionDecoder;
import io.tickjournal.journal.sbe.MarkPriceDecoder;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.StreamKind;
import io.tickjournal.journal.sbe.TopOfBookDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import org.agrona.DirectBuffer;

import java.util.HashMap;
import java.util.Map;

/**
 * One journal record decoded into typed fields, the shared source of the typed audit output, the
 * QuestDB loader and the Parquet export, so the three agree on what a column means.
 * <p>
 * Decimals stay exact: a mantissa and an exponent per value (value = mantissa * 10^exponent); callers
 * render them as text or store them as integers, never as floats. Book levels and feature values are
 * held in reused arrays of {@link #levelCount()} entries.
 * <p>
 * One thread per instance: {@link #decode} overwrites every field. Instrument definitions seen
 * through {@link #decode} are remembered, so later records carry their symbol, canonical name and kind.
 */
public final class TypedRecord
{
    /** Side of a book level. */
    public static final byte BID = 0;
    /** Side of a book level. */
    public static final byte ASK = 1;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final TradeDecoder trade = new TradeDecoder();
    private final BookSnapshotDecoder snapshot = new BookSnapshotDecoder();
    private final BookDeltaDecoder delta = new BookDeltaDecoder();
    private final TopOfBookDecoder topOfBook = new TopOfBookDecoder();
    private final InstrumentDefinitionDecoder definition = new InstrumentDefinitionDecoder();
    private final VenueStatusDecoder statusDecoder = new VenueStatusDecoder();
    private final MarkPriceDecoder markPrice = new MarkPriceDecoder();
    private final FeatureSnapshotDecoder feature = new FeatureSnapshotDecoder();
    private final Map<Long, String[]> instruments = new HashMap<>();

    /** Template id of the record. */
    public int templateId;
    /** Record type key, e.g. {@code trade}, {@code book-delta}. */
    public String type;
    /** Common block. */
    public long receiveTimeNs;
    /** Venue event time or {@link Records#NULL_LONG}. */
    public long eventTimeNs;
    /** Venue sequence / trade id / last update id or {@link Records#NULL_LONG}. */
    public long venueSeq;
    /** Record flags. */
    public int flags;
    /** Venue id. */
    public int venueId;
    /** Instrument id (0 for venue-wide records). */
    public int instrumentId;
    /** Venue symbol, or the id as text when no definition was seen. */
    public String symbol;
    /** Canonical symbol, empty when no definition was seen. */
    public String canonical;
    /** Market kind (SPOT, PERPETUAL...), empty when no definition was seen. */
    public String kind;

    /** Price mantissa (trade, mark price: mark). */
    public long price;
    /** Size mantissa (trade). */
    public long size;
    /** Price exponent of every price in the record. */
    public int priceExponent;
    /** Size exponent of every size in the record. */
    public int sizeExponent;
    /** Aggressor side of a trade. */
    public String side;
    /** TRADE or AGG_TRADE. */
    public String tradeKind;
    /** Trade time (trade). */
    public long tradeTimeNs;

    /** First update id of a delta, or {@link Records#NULL_LONG}. */
    public long firstUpdateId;
    /** Previous delta's last update id, or {@link Records#NULL_LONG}. */
    public long prevUpdateId;

    /** Top of book. */
    public long bidPrice;
    /** Top of book. */
    public long bidSize;
    /** Top of book. */
    public long askPrice;
    /** Top of book. */
    public long askSize;

    /** Venue status kind. */
    public String status;
    /** Stream a status concerns. */
    public String stream;
    /** Connection of a status. */
    public int connectionId;
    /** Expected sequence of a status. */
    public long expectedSeq;
    /** Received sequence of a status. */
    public long receivedSeq;
    /** Detail of a status. */
    public String detail;

    /** Mark price: index price mantissa (at {@link #priceExponent}). */
    public long indexPrice;
    /** Mark price: funding rate mantissa. */
    public long fundingRate;
    /** Mark price: funding rate exponent. */
    public int fundingRateExponent;
    /** Mark price: next funding time. */
    public long nextFundingTimeNs;

    private int levelCount;
    private byte[] levelSide = new byte[64];
    private int[] levelIndex = new int[64];
    private long[] levelPrice = new long[64];
    private long[] levelSize = new long[64];
    private int[] levelExponent = new int[64];

    /**
     * Decode one record, replacing every field.
     *
     * @param buffer the record.
     * @param offset where it starts.
     * @return this.
     */
    public TypedRecord decode(final DirectBuffer buffer, final int offset)
    {
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int block = header.blockLength();
        final int version = header.version();
        templateId = header.templateId();
        type = typeKey(templateId);
        receiveTimeNs = Records.receiveTimeNs(buffer, offset);
        eventTimeNs = Records.eventTimeNs(buffer, offset);
        venueSeq = Records.venueSeq(buffer, offset);
        flags = Records.flags(buffer, offset);
        venueId = Records.venueId(buffer, offset);
        instrumentId = Records.instrumentId(buffer, offset);
        clear();
        switch (templateId)
        {
            case TradeDecoder.TEMPLATE_ID ->
            {
                trade.wrap(buffer, body, block, version);
                price = trade.priceMantissa();
                size = trade.sizeMantissa();
                priceExponent = trade.priceExponent();
                sizeExponent = trade.sizeExponent();
                side = trade.aggressor().name();
                tradeKind = trade.kind().name();
                tradeTimeNs = trade.tradeTimeNs();
            }
            case BookSnapshotDecoder.TEMPLATE_ID ->
            {
                snapshot.wrap(buffer, body, block, version);
                priceExponent = snapshot.priceExponent();
                sizeExponent = snapshot.sizeExponent();
                int i = 0;
                for (final BookSnapshotDecoder.BidsDecoder level : snapshot.bids())
                {
                    addLevel(BID, i++, level.price(), level.size(), sizeExponent);
                }
                i = 0;
                for (final BookSnapshotDecoder.AsksDecoder level : snapshot.asks())
                {
                    addLevel(ASK, i++, level.price(), level.size(), sizeExponent);
                }
            }
            case BookDeltaDecoder.TEMPLATE_ID ->
            {
                delta.wrap(buffer, body, block, version);
                firstUpdateId = delta.firstVenueSeq();
                prevUpdateId = delta.prevVenueSeq();
                priceExponent = delta.priceExponent();
                sizeExponent = delta.sizeExponent();
                int i = 0;
                for (final BookDeltaDecoder.BidsDecoder level : delta.bids())
                {
                    addLevel(BID, i++, level.price(), level.size(), sizeExponent);
                }
                i = 0;
                for (final BookDeltaDecoder.AsksDecoder level : delta.asks())
                {
                    addLevel(ASK, i++, level.price(), level.size(), sizeExponent);
                }
            }
            case TopOfBookDecoder.TEMPLATE_ID ->
            {
                topOfBook.wrap(buffer, body, block, version);
                bidPrice = topOfBook.bidPrice();
                bidSize = topOfBook.bidSize();
                askPrice = topOfBook.askPrice();
                askSize = topOfBook.askSize();
                priceExponent = topOfBook.priceExponent();
                sizeExponent = topOfBook.sizeExponent();
            }
            case InstrumentDefinitionDecoder.TEMPLATE_ID ->
            {
                definition.wrap(buffer, body, block, version);
                priceExponent = definition.priceExponent();
                sizeExponent = definition.sizeExponent();
                final String marketKind = definition.marketKind().name();
                final String venueSymbol = definition.venueSymbol();
                final String canonicalSymbol = definition.canonicalSymbol();
                instruments.put(key(venueId, instrumentId), new String[]{venueSymbol, canonicalSymbol, marketKind});
            }
            case VenueStatusDecoder.TEMPLATE_ID ->
            {
                statusDecoder.wrap(buffer, body, block, version);
                status = statusDecoder.status().name();
                connectionId = statusDecoder.connectionId();
                expectedSeq = statusDecoder.expectedSeq();
                receivedSeq = statusDecoder.receivedSeq();
                final StreamKind streamKind = statusDecoder.stream();
                stream = streamKind == StreamKind.NULL_VAL ? "" : streamKind.name();
                detail = statusDecoder.detail();
            }
            case MarkPriceDecoder.TEMPLATE_ID ->
            {
                markPrice.wrap(buffer, body, block, version);
                price = markPrice.markPrice();
                indexPrice = markPrice.indexPrice();
                priceExponent = markPrice.priceExponent();
                fundingRate = markPrice.fundingRateMantissa();
                fundingRateExponent = markPrice.fundingRateExponent();
                nextFundingTimeNs = markPrice.nextFundingTimeNs();
            }
            case FeatureSnapshotDecoder.TEMPLATE_ID ->
            {
                feature.wrap(buffer, body, block, version);
                for (final FeatureSnapshotDecoder.ValuesDecoder value : feature.values())
                {
                    addLevel(BID, value.featureId(), 0, value.mantissa(), value.exponent());
                }
            }
            default ->
            {
            }
        }
        final String[] known = instruments.get(key(venueId, instrumentId));
        symbol = known != null ? known[0] : instrumentId == 0 ? "" : String.valueOf(instrumentId);
        canonical = known != null ? known[1] : "";
        kind = known != null ? known[2] : "";
        return this;
    }

    /**
     * Book levels of a snapshot or delta, or feature values of a feature snapshot.
     *
     * @return how many.
     */
    public int levelCount()
    {
        return levelCount;
    }

    /**
     * @param i level.
     * @return {@link #BID} or {@link #ASK}.
     */
    public byte levelSide(final int i)
    {
        return levelSide[i];
    }

    /**
     * @param i level.
     * @return index of the level within its side (book), or the feature id (feature snapshot).
     */
    public int levelIndex(final int i)
    {
        return levelIndex[i];
    }

    /**
     * @param i level.
     * @return price mantissa at {@link #priceExponent} (book).
     */
    public long levelPrice(final int i)
    {
        return levelPrice[i];
    }

    /**
     * @param i level.
     * @return size mantissa (book) or feature value mantissa, at {@link #levelExponent(int)}.
     */
    public long levelSize(final int i)
    {
        return levelSize[i];
    }

    /**
     * @param i level.
     * @return exponent of {@link #levelSize(int)}.
     */
    public int levelExponent(final int i)
    {
        return levelExponent[i];
    }

    /**
     * Type key of a template, as audit's {@code --type} takes it.
     *
     * @param templateId SBE template id.
     * @return e.g. {@code book-delta}.
     */
    public static String typeKey(final int templateId)
    {
        return switch (templateId)
        {
            case TradeDecoder.TEMPLATE_ID -> "trade";
            case BookSnapshotDecoder.TEMPLATE_ID -> "book-snapshot";
            case BookDeltaDecoder.TEMPLATE_ID -> "book-delta";
            case TopOfBookDecoder.TEMPLATE_ID -> "top-of-book";
            case InstrumentDefinitionDecoder.TEMPLATE_ID -> "instrument-definition";
            case VenueStatusDecoder.TEMPLATE_ID -> "venue-status";
            case MarkPriceDecoder.TEMPLATE_ID -> "mark-price";
            case FeatureSnapshotDecoder.TEMPLATE_ID -> "feature-snapshot";
            default -> "unknown-" + templateId;
        };
    }

    private void clear()
    {
        price = Records.NULL_LONG;
        size = Records.NULL_LONG;
        priceExponent = 0;
        sizeExponent = 0;
        side = "";
        tradeKind = "";
        tradeTimeNs = Records.NULL_LONG;
        firstUpdateId = Records.NULL_LONG;
        prevUpdateId = Records.NULL_LONG;
        bidPrice = Records.NULL_LONG;
        bidSize = Records.NULL_LONG;
        askPrice = Records.NULL_LONG;
        askSize = Records.NULL_LONG;
        status = "";
        stream = "";
        connectionId = 0;
        expectedSeq = Records.NULL_LONG;
        receivedSeq = Records.NULL_LONG;
        detail = "";
        indexPrice = Records.NULL_LONG;
        fundingRate = Records.NULL_LONG;
        fundingRateExponent = 0;
        nextFundingTimeNs = Records.NULL_LONG;
        levelCount = 0;
    }

    private void addLevel(final byte side, final int index, final long price, final long size, final int exponent)
    {
        if (levelCount == levelSide.length)
        {
            final int n = levelCount * 2;
            levelSide = java.util.Arrays.copyOf(levelSide, n);
            levelIndex = java.util.Arrays.copyOf(levelIndex, n);
            levelPrice = java.util.Arrays.copyOf(levelPrice, n);
            levelSize = java.util.Arrays.copyOf(levelSize, n);
            levelExponent = java.util.Arrays.copyOf(levelExponent, n);
        }
        levelSide[levelCount] = side;
        levelIndex[levelCount] = index;
        levelPrice[levelCount] = price;
        levelSize[levelCount] = size;
        levelExponent[levelCount] = exponent;
        levelCount++;
    }

    private static long key(final int venueId, final int instrumentId)
    {
        return ((long)venueId << 32) | (instrumentId & 0xFFFF_FFFFL);
    }
}
