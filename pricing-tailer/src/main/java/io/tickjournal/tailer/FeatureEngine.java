package io.tickjournal.tailer;

import io.tickjournal.journal.RecordHandler;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.InstrumentDefinitionDecoder;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.Side;
import io.tickjournal.journal.sbe.TopOfBookDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.TradeKind;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;
import java.util.List;

/**
 * Books and features as a pure function of the ordered records: no clock is read, windows are
 * measured on the records' own receive times, and all arithmetic is exact integer arithmetic, so
 * live, replay and backfill compute the same bits for the same records.
 * <p>
 * This class routes records and emits; the work is in small pieces:
 * <ul>
 * <li>{@link BookRecords} turns snapshots, deltas and book gaps into {@link OrderBook} changes (the
 *     same rule {@code verify} uses); only a gap of the BOOK stream (or the whole feed) invalidates a book;</li>
 * <li>{@link FillSource} decides which trade prints carry a venue's fills, so each fill counts once;</li>
 * <li>{@link TopFeatures} computes the top's features (mid, spread, microprice, imbalance);</li>
 * <li>{@link TopFlow} turns top-of-book changes into order-flow increments and mid returns;</li>
 * <li>{@link InstrumentWindows} keeps one time-bounded {@link EventRing} per instrument and a
 *     {@link Window} (cursor and exact sums) per configured length;</li>
 * <li>{@link CrossVenueBbo} groups instruments by canonical id (symbol and market kind).</li>
 * </ul>
 * After each record that changes an instrument it emits that instrument's {@link FeatureSet} to
 * its listeners. Nothing is allocated per record in steady state (rings grow and shrink with the
 * rate, not per record). One thread.
 */
public final class FeatureEngine implements RecordHandler
{
    /** Receives features. */
    @FunctionalInterface
    public interface Listener
    {
        /**
         * @param instrument    the instrument the record changed.
         * @param features      its features now (valid during the call).
         * @param day           the input record's day.
         * @param sequence      the input record's sequence.
         * @param receiveTimeNs the input record's receive time.
         */
        void onFeatures(Instrument instrument, FeatureSet features, int day, long sequence, long receiveTimeNs);
    }

    /** Events an instrument's ring starts with (and never shrinks below). */
    public static final int RING_INITIAL_EVENTS = 1 << 10;
    /**
     * Default memory ceiling of one instrument's event ring: 2^21 events (64 MiB), 35,000
     * events a second held for 60 s; beyond it features are flagged, not silently short.
     */
    public static final int RING_CEILING_EVENTS = 1 << 21;

    private final long[] windowsMs;
    private final long[] windowsNs;
    private final int imbalanceLevels;
    private final int maxLevels;
    private final int ringCeiling;
    private final FillSource fillSource;
    private Listener[] listeners = new Listener[0];
    private final Long2ObjectHashMap<Instrument> instruments = new Long2ObjectHashMap<>();
    private final CrossVenueBbo crossVenue = new CrossVenueBbo();
    private final FeatureSet features = new FeatureSet();
    private final BookRecords bookRecords = new BookRecords();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final TradeDecoder trade = new TradeDecoder();
    private final BookSnapshotDecoder snapshot = new BookSnapshotDecoder();
    private final BookDeltaDecoder delta = new BookDeltaDecoder();
    private final TopOfBookDecoder top = new TopOfBookDecoder();
    private final InstrumentDefinitionDecoder definition = new InstrumentDefinitionDecoder();
    private long lastKey = Long.MIN_VALUE;
    private Instrument lastInstrument;
    private long records;
    private long emitted;
    private long printsNotFills;

    /**
     * @param windowsMs       window lengths in ms (e.g. 1000, 10000, 60000).
     * @param imbalanceLevels N of the top-N book imbalance.
     * @param maxLevels       book levels kept per side.
     */
    public FeatureEngine(final long[] windowsMs, final int imbalanceLevels, final int maxLevels)
    {
        this(windowsMs, imbalanceLevels, maxLevels, RING_CEILING_EVENTS, FillSource.defaults());
    }

    /**
     * @param windowsMs       window lengths in ms.
     * @param imbalanceLevels N of the top-N book imbalance.
     * @param maxLevels       book levels kept per side.
     * @param ringCeiling     most events one instrument's windows keep (a power of two): the memory ceiling.
     * @param fillSource      which trade prints carry each venue's fills.
     */
    public FeatureEngine(
        final long[] windowsMs, final int imbalanceLevels, final int maxLevels, final int ringCeiling, final FillSource fillSource)
    {
        if (TopFeatures.SLOTS + InstrumentWindows.SLOTS_PER_WINDOW * windowsMs.length + CrossVenueBbo.SLOTS > FeatureSet.CAPACITY)
        {
            throw new IllegalArgumentException(windowsMs.length + " windows: more features than a feature set holds (" +
                FeatureSet.CAPACITY + ")");
        }
        this.windowsMs = windowsMs.clone();
        this.windowsNs = new long[windowsMs.length];
        for (int i = 0; i < windowsMs.length; i++)
        {
            windowsNs[i] = windowsMs[i] * 1_000_000L;
        }
        this.imbalanceLevels = imbalanceLevels;
        this.maxLevels = maxLevels;
        this.ringCeiling = ringCeiling;
        this.fillSource = fillSource;
    }

    /** @return an engine with 1 s, 10 s and 60 s windows, top-5 imbalance, 5000 levels a side. */
    public static FeatureEngine withDefaults()
    {
        return new FeatureEngine(new long[]{1_000, 10_000, 60_000}, 5, 5_000);
    }

    /** @param listener receives every emitted feature set. @return this. */
    public FeatureEngine addListener(final Listener listener)
    {
        listeners = Arrays.copyOf(listeners, listeners.length + 1);
        listeners[listeners.length - 1] = listener;
        return this;
    }

    /** @return the window lengths in ms. */
    public long[] windowsMs()
    {
        return windowsMs.clone();
    }

    /** @return records seen. */
    public long records()
    {
        return records;
    }

    /** @return feature sets emitted. */
    public long emitted()
    {
        return emitted;
    }

    /** @return trade prints journaled but not a fill source (see {@link FillSource}), skipped by the features. */
    public long printsNotFills()
    {
        return printsNotFills;
    }

    /** @return events dropped at the ring ceiling, over all instruments (each flagged in its features). */
    public long droppedAtCeiling()
    {
        long n = 0;
        for (final Instrument instrument : instruments.values())
        {
            n += instrument.windows.droppedAtCeiling();
        }
        return n;
    }

    /** @return every instrument seen (views; call on the engine's thread or after it stopped). */
    public List<Instrument> instruments()
    {
        return List.copyOf(instruments.values());
    }

    @Override
    public void onRecord(final int day, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        records++;
        if (NATIVE_ORDER && template(buffer, offset) == TradeDecoder.TEMPLATE_ID && offset >= 0 &&
            offset <= buffer.capacity() - TRADE_LENGTH)
        {
            onTrade(day, sequence, buffer.byteArray(), buffer.addressOffset() + offset);
            return;
        }
        final int template = Records.templateId(buffer, offset);
        final int venueId = Records.venueId(buffer, offset);
        final int instrumentId = Records.instrumentId(buffer, offset);
        final long receiveTimeNs = Records.receiveTimeNs(buffer, offset);
        switch (template)
        {
            case TradeDecoder.TEMPLATE_ID:
            {
                trade.wrapAndApplyHeader(buffer, offset, header);
                final Instrument instrument = instrument(venueId, instrumentId, trade.priceExponent(), trade.sizeExponent());
                if (trade.kind() != instrument.fillKind)
                {
                    printsNotFills++;
                    return;
                }
                instrument.windows.expire(receiveTimeNs);
                final Side side = trade.aggressor();
                instrument.windows.addTrade(receiveTimeNs, trade.priceMantissa(), trade.sizeMantissa(),
                    side == Side.BUY ? 1 : side == Side.SELL ? -1 : 0);
                emit(instrument, day, sequence, receiveTimeNs);
                return;
            }
            case BookDeltaDecoder.TEMPLATE_ID:
            case BookSnapshotDecoder.TEMPLATE_ID:
            {
                Instrument instrument = existing(venueId, instrumentId);
                if (instrument == null)
                {
                    instrument = bookInstrument(template, venueId, instrumentId, buffer, offset);
                }
                final int outcome = bookRecords.apply(instrument.book, template, buffer, offset);
                if (outcome == BookRecords.SNAPSHOT_APPLIED || outcome == BookRecords.DELTA_APPLIED)
                {
                    instrument.top.changed();
                    instrument.depth = true;
                    topChanged(instrument, receiveTimeNs);
                    emit(instrument, day, sequence, receiveTimeNs);
                }
                return;
            }
            case TopOfBookDecoder.TEMPLATE_ID:
            {
                top.wrapAndApplyHeader(buffer, offset, header);
                final Instrument instrument = instrument(venueId, instrumentId, top.priceExponent(), top.sizeExponent());
                instrument.tickerBid = top.bidPrice();
                instrument.tickerBidSize = top.bidSize();
                instrument.tickerAsk = top.askPrice();
                instrument.tickerAskSize = top.askSize();
                instrument.ticker = true;
                instrument.top.changed();
                if (!instrument.book.valid())
                {
                    topChanged(instrument, receiveTimeNs);
                    emit(instrument, day, sequence, receiveTimeNs);
                }
                return;
            }
            case VenueStatusDecoder.TEMPLATE_ID:
            {
                final Instrument instrument = instrumentId == 0 ? null : existing(venueId, instrumentId);
                if (instrument != null && bookRecords.apply(instrument.book, template, buffer, offset) == BookRecords.INVALIDATED)
                {
                    instrument.flow.reset();
                    instrument.top.changed();
                    instrument.resets++;
                }
                return;
            }
            case InstrumentDefinitionDecoder.TEMPLATE_ID:
            {
                definition.wrapAndApplyHeader(buffer, offset, header);
                final Instrument instrument = instrument(venueId, instrumentId, definition.priceExponent(), definition.sizeExponent());
                final MarketKind kind = definition.marketKind();
                definition.skipVenueSymbol();
                define(instrument, definition.canonicalSymbol(), kind);
                return;
            }
            default:
                break;
        }
    }

    private static final boolean NATIVE_ORDER = java.nio.ByteOrder.nativeOrder() == TradeDecoder.BYTE_ORDER;
    /** The header and a Trade's block: every field the trade path reads lies inside. */
    private static final int TRADE_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH + TradeDecoder.BLOCK_LENGTH;
    private static final int TRADE_BLOCK = MessageHeaderDecoder.ENCODED_LENGTH;

    private static int template(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + 2, Records.ORDER) & 0xFFFF;
    }

    /**
     * A trade, its fields read straight from the record at their generated offsets after one range
     * check of header and block (as {@link TradeDecoder} reads them, without a bounds check per field:
     * those checks were a twentieth of the tailer's time).
     */
    private void onTrade(final int day, final long sequence, final byte[] array, final long address)
    {
        final long receiveTimeNs = UnsafeApi.getLong(array, address + Records.RECEIVE_TIME_OFFSET);
        final int venueId = UnsafeApi.getShort(array, address + Records.VENUE_ID_OFFSET) & 0xFFFF;
        final int instrumentId = UnsafeApi.getInt(array, address + Records.INSTRUMENT_ID_OFFSET);
        final long block = address + TRADE_BLOCK;
        Instrument instrument = existing(venueId, instrumentId);
        if (instrument == null)
        {
            instrument = create(venueId, instrumentId, UnsafeApi.getByte(array, block + TradeDecoder.priceExponentEncodingOffset()),
                UnsafeApi.getByte(array, block + TradeDecoder.sizeExponentEncodingOffset()));
        }
        if (TradeKind.get((short)(UnsafeApi.getByte(array, block + TradeDecoder.kindEncodingOffset()) & 0xFF)) != instrument.fillKind)
        {
            printsNotFills++;
            return;
        }
        instrument.windows.expire(receiveTimeNs);
        final Side side = Side.get((short)(UnsafeApi.getByte(array, block + TradeDecoder.aggressorEncodingOffset()) & 0xFF));
        instrument.windows.addTrade(receiveTimeNs, UnsafeApi.getLong(array, block + TradeDecoder.priceMantissaEncodingOffset()),
            UnsafeApi.getLong(array, block + TradeDecoder.sizeMantissaEncodingOffset()),
            side == Side.BUY ? 1 : side == Side.SELL ? -1 : 0);
        emit(instrument, day, sequence, receiveTimeNs);
    }

    private static long key(final int venueId, final int instrumentId)
    {
        return ((long)venueId << 32) | (instrumentId & 0xFFFF_FFFFL);
    }

    private Instrument existing(final int venueId, final int instrumentId)
    {
        final long key = key(venueId, instrumentId);
        if (key == lastKey)
        {
            return lastInstrument;
        }
        final Instrument instrument = instruments.get(key);
        if (instrument != null)
        {
            lastKey = key;
            lastInstrument = instrument;
        }
        return instrument;
    }

    private Instrument instrument(final int venueId, final int instrumentId, final int priceExponent, final int sizeExponent)
    {
        final Instrument instrument = existing(venueId, instrumentId);
        return instrument != null ? instrument : create(venueId, instrumentId, priceExponent, sizeExponent);
    }

    private Instrument bookInstrument(final int template, final int venueId, final int instrumentId, final DirectBuffer buffer, final int offset)
    {
        if (template == BookSnapshotDecoder.TEMPLATE_ID)
        {
            snapshot.wrapAndApplyHeader(buffer, offset, header);
            return create(venueId, instrumentId, snapshot.priceExponent(), snapshot.sizeExponent());
        }
        delta.wrapAndApplyHeader(buffer, offset, header);
        return create(venueId, instrumentId, delta.priceExponent(), delta.sizeExponent());
    }

    private Instrument create(final int venueId, final int instrumentId, final int priceExponent, final int sizeExponent)
    {
        final Instrument instrument = new Instrument(venueId, instrumentId, priceExponent, sizeExponent);
        final long key = key(venueId, instrumentId);
        instruments.put(key, instrument);
        lastKey = key;
        lastInstrument = instrument;
        return instrument;
    }

    private void define(final Instrument instrument, final String canonical, final MarketKind kind)
    {
        final int id = crossVenue.canonicalId(canonical, kind);
        if (id == instrument.canonicalId)
        {
            return;
        }
        instrument.group.remove(instrument);
        instrument.group = crossVenue.group(id);
        instrument.group.add(instrument);
        instrument.canonicalId = id;
        instrument.canonical = canonical;
        instrument.marketKind = kind;
    }

    private void topChanged(final Instrument instrument, final long timeNs)
    {
        final InstrumentWindows windows = instrument.windows;
        windows.expire(timeNs);
        if (!instrument.topValid())
        {
            return;
        }
        final TopFlow flow = instrument.flow;
        if (flow.onTop(instrument.bid(), instrument.bidSize(), instrument.ask(), instrument.askSize()))
        {
            if (flow.ofi() != 0)
            {
                windows.addOfi(timeNs, flow.ofi());
            }
            if (flow.hasReturn())
            {
                windows.addReturn(timeNs, flow.midReturn());
            }
        }
    }

    private void emit(final Instrument instrument, final int day, final long sequence, final long receiveTimeNs)
    {
        final FeatureSet f = features;
        final InstrumentWindows windows = instrument.windows;
        final int windowsAt = TopFeatures.SLOTS;
        final int crossAt = windowsAt + InstrumentWindows.SLOTS_PER_WINDOW * windowsNs.length;
        if (f.layout() != instrument)
        {
            // the slots' ids and exponents: the same for every record of one instrument
            TopFeatures.keys(f, 0, instrument.priceExponent);
            InstrumentWindows.keys(f, windowsAt, windowsNs.length, instrument.priceExponent, instrument.sizeExponent);
            CrossVenueBbo.keys(f, crossAt);
        }
        f.layout(instrument, crossAt + CrossVenueBbo.SLOTS);
        final boolean usable = instrument.topValid();
        instrument.top.values(instrument, usable, imbalanceLevels, f, 0);
        windows.values(f, windowsAt);
        CrossVenueBbo.values(instrument.group, instrument, usable, f, crossAt);
        if (windows.incomplete())
        {
            f.flags(FeatureSet.FLAG_INCOMPLETE_WINDOW);
        }
        emitted++;
        for (final Listener listener : listeners)
        {
            listener.onFeatures(instrument, f, day, sequence, receiveTimeNs);
        }
    }

    /** State of one (venue, instrument). */
    public final class Instrument
    {
        final int venueId;
        final int instrumentId;
        final int priceExponent;
        final int sizeExponent;
        final TradeKind fillKind;
        final OrderBook book;
        final InstrumentWindows windows;
        final TopFlow flow = new TopFlow();
        final TopFeatures top = new TopFeatures();
        String canonical;
        MarketKind marketKind;
        int canonicalId = -1;
        CrossVenueBbo.Group group;
        boolean depth;
        boolean ticker;
        long tickerBid;
        long tickerBidSize;
        long tickerAsk;
        long tickerAskSize;
        long resets;

        Instrument(final int venueId, final int instrumentId, final int priceExponent, final int sizeExponent)
        {
            this.venueId = venueId;
            this.instrumentId = instrumentId;
            this.priceExponent = priceExponent;
            this.sizeExponent = sizeExponent;
            this.fillKind = fillSource.kindFor(venueId);
            this.book = new OrderBook(venueId, instrumentId, maxLevels);
            this.windows = new InstrumentWindows(windowsNs, Math.min(RING_INITIAL_EVENTS, ringCeiling), ringCeiling);
            this.canonical = venueId + ":" + instrumentId;
            this.group = CrossVenueBbo.singleton(this);
        }

        boolean topValid()
        {
            return book.valid() ? book.usable() : ticker && tickerBid < tickerAsk && tickerBidSize > 0 && tickerAskSize > 0;
        }

        long bid()
        {
            return book.valid() ? book.bidPrice(0) : tickerBid;
        }

        long ask()
        {
            return book.valid() ? book.askPrice(0) : tickerAsk;
        }

        long bidSize()
        {
            return book.valid() ? book.bidSize(0) : tickerBidSize;
        }

        long askSize()
        {
            return book.valid() ? book.askSize(0) : tickerAskSize;
        }

        /** @return venue id. */
        public int venueId()
        {
            return venueId;
        }

        /** @return instrument id. */
        public int instrumentId()
        {
            return instrumentId;
        }

        /** @return canonical symbol (or venue:instrument before its definition). */
        public String canonical()
        {
            return canonical;
        }

        /** @return its market kind, or null before its definition. */
        public MarketKind marketKind()
        {
            return marketKind;
        }

        /** @return the id of its (canonical symbol, market kind), or -1 before its definition. */
        public int canonicalId()
        {
            return canonicalId;
        }

        /** @return price exponent. */
        public int priceExponent()
        {
            return priceExponent;
        }

        /** @return size exponent. */
        public int sizeExponent()
        {
            return sizeExponent;
        }

        /** @return its book. */
        public OrderBook book()
        {
            return book;
        }

        /** @return book resets seen. */
        public long resets()
        {
            return resets;
        }

        /** @return events its windows hold now (memory follows this). */
        public int eventsKept()
        {
            return windows.eventsKept();
        }

        /** @return the capacity of its event ring now. */
        public int eventCapacity()
        {
            return windows.capacity();
        }

        /** @return mid returns too large to square exactly, left out of its windows (each flagged in the features). */
        public long returnsOutOfRange()
        {
            return windows.returnsOutOfRange();
        }

        /** @return events dropped at the ring's ceiling (each flagged in the features). */
        public long droppedAtCeiling()
        {
            return windows.droppedAtCeiling();
        }
    }
}
