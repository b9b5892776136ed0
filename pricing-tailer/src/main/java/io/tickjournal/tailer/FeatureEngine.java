package io.tickjournal.tailer;

import io.tickjournal.journal.RecordHandler;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.decimal.Decimals;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.InstrumentDefinitionDecoder;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.Side;
import io.tickjournal.journal.sbe.TopOfBookDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Books and features as a pure function of the ordered records: no clock is read, windows are
 * measured on the records' own receive times, and all arithmetic is exact integer arithmetic, so
 * live, replay and backfill compute the same bits for the same records.
 * <p>
 * Per (venue, instrument) it keeps an {@link OrderBook} (reset on BOOK_RESET and GAP_DETECTED,
 * replaced by snapshots, usable only when whole and not crossed) and, per configured window,
 * trade flow, VWAP, order-flow imbalance and realized volatility. After each record that changes
 * an instrument it emits that instrument's {@link FeatureSet} to its listeners. The cross-venue
 * best bid and offer of a canonical instrument is computed from each venue's latest usable top.
 * One thread.
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

    private static final int RING = 1 << 14;

    private final long[] windowsMs;
    private final int imbalanceLevels;
    private final int maxLevels;
    private final List<Listener> listeners = new ArrayList<>();
    private final Long2ObjectHashMap<Instrument> instruments = new Long2ObjectHashMap<>();
    private final Map<String, List<Instrument>> byCanonical = new HashMap<>();
    private final FeatureSet features = new FeatureSet();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final TradeDecoder trade = new TradeDecoder();
    private final BookSnapshotDecoder snapshot = new BookSnapshotDecoder();
    private final BookDeltaDecoder delta = new BookDeltaDecoder();
    private final TopOfBookDecoder top = new TopOfBookDecoder();
    private final VenueStatusDecoder status = new VenueStatusDecoder();
    private final InstrumentDefinitionDecoder definition = new InstrumentDefinitionDecoder();
    private long records;
    private long emitted;

    /**
     * @param windowsMs       window lengths in ms (e.g. 1000, 10000, 60000).
     * @param imbalanceLevels N of the top-N book imbalance.
     * @param maxLevels       book levels kept per side.
     */
    public FeatureEngine(final long[] windowsMs, final int imbalanceLevels, final int maxLevels)
    {
        this.windowsMs = windowsMs.clone();
        this.imbalanceLevels = imbalanceLevels;
        this.maxLevels = maxLevels;
    }

    /** @return an engine with 1 s, 10 s and 60 s windows, top-5 imbalance, 5000 levels a side. */
    public static FeatureEngine withDefaults()
    {
        return new FeatureEngine(new long[]{1_000, 10_000, 60_000}, 5, 5_000);
    }

    /** @param listener receives every emitted feature set. @return this. */
    public FeatureEngine addListener(final Listener listener)
    {
        listeners.add(listener);
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

    /** @return every instrument seen (views; call on the engine's thread or after it stopped). */
    public List<Instrument> instruments()
    {
        return List.copyOf(instruments.values());
    }

    @Override
    public void onRecord(final int day, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        records++;
        final int template = Records.templateId(buffer, offset);
        final int venueId = Records.venueId(buffer, offset);
        final int instrumentId = Records.instrumentId(buffer, offset);
        final long receiveTimeNs = Records.receiveTimeNs(buffer, offset);
        switch (template)
        {
            case InstrumentDefinitionDecoder.TEMPLATE_ID:
            {
                definition.wrapAndApplyHeader(buffer, offset, header);
                final Instrument instrument = instrument(venueId, instrumentId, definition.priceExponent(), definition.sizeExponent());
                definition.skipVenueSymbol();
                final String canonical = definition.canonicalSymbol();
                if (!canonical.equals(instrument.canonical))
                {
                    regroup(instrument, canonical);
                }
                return;
            }
            case TradeDecoder.TEMPLATE_ID:
            {
                trade.wrapAndApplyHeader(buffer, offset, header);
                final Instrument instrument = instrument(venueId, instrumentId, trade.priceExponent(), trade.sizeExponent());
                instrument.expire(receiveTimeNs);
                final Side side = trade.aggressor();
                for (final Window w : instrument.windows)
                {
                    w.addTrade(receiveTimeNs, trade.priceMantissa(), trade.sizeMantissa(), side == Side.BUY ? 1 : side == Side.SELL ? -1 : 0);
                }
                emit(instrument, day, sequence, receiveTimeNs);
                return;
            }
            case BookSnapshotDecoder.TEMPLATE_ID:
            {
                snapshot.wrapAndApplyHeader(buffer, offset, header);
                final Instrument instrument = instrument(venueId, instrumentId, snapshot.priceExponent(), snapshot.sizeExponent());
                final OrderBook book = instrument.book;
                book.beginSnapshot();
                for (final BookSnapshotDecoder.BidsDecoder level : snapshot.bids())
                {
                    book.set(true, level.price(), level.size());
                }
                for (final BookSnapshotDecoder.AsksDecoder level : snapshot.asks())
                {
                    book.set(false, level.price(), level.size());
                }
                book.endSnapshot(snapshot.venueSeq());
                instrument.depth = true;
                topChanged(instrument, receiveTimeNs);
                emit(instrument, day, sequence, receiveTimeNs);
                return;
            }
            case BookDeltaDecoder.TEMPLATE_ID:
            {
                delta.wrapAndApplyHeader(buffer, offset, header);
                final Instrument instrument = instrument(venueId, instrumentId, delta.priceExponent(), delta.sizeExponent());
                final OrderBook book = instrument.book;
                if (!book.valid())
                {
                    return;
                }
                for (final BookDeltaDecoder.BidsDecoder level : delta.bids())
                {
                    book.set(true, level.price(), level.size());
                }
                for (final BookDeltaDecoder.AsksDecoder level : delta.asks())
                {
                    book.set(false, level.price(), level.size());
                }
                book.applied(delta.venueSeq());
                topChanged(instrument, receiveTimeNs);
                emit(instrument, day, sequence, receiveTimeNs);
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
                if (!instrument.book.valid())
                {
                    topChanged(instrument, receiveTimeNs);
                    emit(instrument, day, sequence, receiveTimeNs);
                }
                return;
            }
            case VenueStatusDecoder.TEMPLATE_ID:
            {
                if (instrumentId == 0)
                {
                    return;
                }
                status.wrapAndApplyHeader(buffer, offset, header);
                final VenueStatusKind kind = status.status();
                if (kind == VenueStatusKind.BOOK_RESET || kind == VenueStatusKind.GAP_DETECTED)
                {
                    final Instrument instrument = instruments.get(key(venueId, instrumentId));
                    if (instrument != null)
                    {
                        instrument.book.reset();
                        instrument.prevValid = false;
                        instrument.resets++;
                    }
                }
                return;
            }
            default:
                break;
        }
    }

    private static long key(final int venueId, final int instrumentId)
    {
        return ((long)venueId << 32) | (instrumentId & 0xFFFF_FFFFL);
    }

    private Instrument instrument(final int venueId, final int instrumentId, final int priceExponent, final int sizeExponent)
    {
        final long key = key(venueId, instrumentId);
        Instrument instrument = instruments.get(key);
        if (instrument == null)
        {
            instrument = new Instrument(venueId, instrumentId, priceExponent, sizeExponent);
            instruments.put(key, instrument);
            regroup(instrument, venueId + ":" + instrumentId);
        }
        return instrument;
    }

    private void regroup(final Instrument instrument, final String canonical)
    {
        if (instrument.canonical != null)
        {
            final List<Instrument> old = byCanonical.get(instrument.canonical);
            if (old != null)
            {
                old.remove(instrument);
            }
        }
        instrument.canonical = canonical;
        instrument.group = byCanonical.computeIfAbsent(canonical, k -> new ArrayList<>());
        instrument.group.add(instrument);
    }

    private void topChanged(final Instrument instrument, final long timeNs)
    {
        instrument.expire(timeNs);
        if (!instrument.topValid())
        {
            return;
        }
        final long bid = instrument.bid();
        final long bidSize = instrument.bidSize();
        final long ask = instrument.ask();
        final long askSize = instrument.askSize();
        if (instrument.prevValid)
        {
            final long e = (bid >= instrument.prevBid ? bidSize : 0) - (bid <= instrument.prevBid ? instrument.prevBidSize : 0) -
                (ask <= instrument.prevAsk ? askSize : 0) + (ask >= instrument.prevAsk ? instrument.prevAskSize : 0);
            if (e != 0)
            {
                for (final Window w : instrument.windows)
                {
                    w.addOfi(timeNs, e);
                }
            }
        }
        final long mid2 = bid + ask;
        final long prevMid2 = instrument.prevBid + instrument.prevAsk;
        if (instrument.prevValid && mid2 != prevMid2)
        {
            final long r = WideMath.mulDiv(mid2 - prevMid2, 1_000_000_000L, prevMid2);
            if (r != Long.MIN_VALUE)
            {
                final long r2 = Math.abs(r) > 3_000_000_000L ? Long.MAX_VALUE / 4 : r * r;
                for (final Window w : instrument.windows)
                {
                    w.addReturn(timeNs, r2);
                }
            }
        }
        instrument.prevBid = bid;
        instrument.prevBidSize = bidSize;
        instrument.prevAsk = ask;
        instrument.prevAskSize = askSize;
        instrument.prevValid = true;
    }

    private void emit(final Instrument instrument, final int day, final long sequence, final long receiveTimeNs)
    {
        final FeatureSet f = features;
        f.clear();
        final int pe = instrument.priceExponent;
        final int se = instrument.sizeExponent;
        if (instrument.topValid())
        {
            final long bid = instrument.bid();
            final long ask = instrument.ask();
            final long bidSize = instrument.bidSize();
            final long askSize = instrument.askSize();
            f.add(FeatureIds.BEST_BID, bid, pe);
            f.add(FeatureIds.BEST_ASK, ask, pe);
            f.add(FeatureIds.MID, (bid + ask) * 5, pe - 1);
            f.add(FeatureIds.SPREAD, ask - bid, pe);
            if (bidSize + askSize > 0)
            {
                instrument.scratch.clear();
                instrument.scratch.addProduct(bid, askSize);
                instrument.scratch.addProduct(ask, bidSize);
                f.add(FeatureIds.MICROPRICE, instrument.scratch.divide(bidSize + askSize), pe);
            }
            long sumBid = 0;
            long sumAsk = 0;
            if (instrument.book.usable())
            {
                final OrderBook book = instrument.book;
                for (int i = 0; i < imbalanceLevels && i < book.bidCount(); i++)
                {
                    sumBid += book.bidSize(i);
                }
                for (int i = 0; i < imbalanceLevels && i < book.askCount(); i++)
                {
                    sumAsk += book.askSize(i);
                }
            }
            else
            {
                sumBid = bidSize;
                sumAsk = askSize;
            }
            if (sumBid + sumAsk > 0)
            {
                f.add(FeatureIds.IMBALANCE, WideMath.mulDiv(sumBid - sumAsk, 1_000_000L, sumBid + sumAsk), -6);
            }
        }
        for (int w = 0; w < instrument.windows.length; w++)
        {
            final Window window = instrument.windows[w];
            final int base = FeatureIds.WINDOW_BASE + FeatureIds.WINDOW_STRIDE * w;
            f.add(base + FeatureIds.OFI, window.ofiSum, se);
            final long flow = window.buyVolume + window.sellVolume;
            if (flow > 0)
            {
                f.add(base + FeatureIds.TFI, WideMath.mulDiv(window.buyVolume - window.sellVolume, 1_000_000L, flow), -6);
            }
            if (window.volume > 0)
            {
                f.add(base + FeatureIds.VWAP, window.priceVolume.divide(window.volume), pe);
            }
            f.add(base + FeatureIds.REALIZED_VOL, WideMath.isqrt(window.returnSquares), -9);
            f.add(base + FeatureIds.TRADE_COUNT, window.tradeCount(), 0);
            f.add(base + FeatureIds.VOLUME, window.volume, se);
        }
        crossVenue(instrument, f);
        emitted++;
        for (int i = 0; i < listeners.size(); i++)
        {
            listeners.get(i).onFeatures(instrument, f, day, sequence, receiveTimeNs);
        }
    }

    private static void crossVenue(final Instrument instrument, final FeatureSet f)
    {
        final List<Instrument> group = instrument.group;
        int exponent = Integer.MAX_VALUE;
        for (int i = 0; i < group.size(); i++)
        {
            final Instrument other = group.get(i);
            if (other.topValid())
            {
                exponent = Math.min(exponent, other.priceExponent);
            }
        }
        if (exponent == Integer.MAX_VALUE)
        {
            return;
        }
        long bestBid = Long.MIN_VALUE;
        long bestAsk = Long.MAX_VALUE;
        int bidVenue = 0;
        int askVenue = 0;
        for (int i = 0; i < group.size(); i++)
        {
            final Instrument other = group.get(i);
            if (!other.topValid())
            {
                continue;
            }
            final long bid = Decimals.rescale(other.bid(), other.priceExponent, exponent);
            final long ask = Decimals.rescale(other.ask(), other.priceExponent, exponent);
            if (bid != Decimals.NOT_REPRESENTABLE && bid > bestBid)
            {
                bestBid = bid;
                bidVenue = other.venueId;
            }
            if (ask != Decimals.NOT_REPRESENTABLE && ask < bestAsk)
            {
                bestAsk = ask;
                askVenue = other.venueId;
            }
        }
        if (bidVenue != 0)
        {
            f.add(FeatureIds.CROSS_BID, bestBid, exponent);
            f.add(FeatureIds.CROSS_BID_VENUE, bidVenue, 0);
        }
        if (askVenue != 0)
        {
            f.add(FeatureIds.CROSS_ASK, bestAsk, exponent);
            f.add(FeatureIds.CROSS_ASK_VENUE, askVenue, 0);
        }
    }

    /** State of one (venue, instrument). */
    public final class Instrument
    {
        final int venueId;
        final int instrumentId;
        final int priceExponent;
        final int sizeExponent;
        final OrderBook book;
        final Window[] windows;
        final WideMath.Acc128 scratch = new WideMath.Acc128();
        String canonical;
        List<Instrument> group;
        boolean depth;
        boolean ticker;
        long tickerBid;
        long tickerBidSize;
        long tickerAsk;
        long tickerAskSize;
        boolean prevValid;
        long prevBid;
        long prevBidSize;
        long prevAsk;
        long prevAskSize;
        long resets;

        Instrument(final int venueId, final int instrumentId, final int priceExponent, final int sizeExponent)
        {
            this.venueId = venueId;
            this.instrumentId = instrumentId;
            this.priceExponent = priceExponent;
            this.sizeExponent = sizeExponent;
            this.book = new OrderBook(venueId, instrumentId, maxLevels);
            this.windows = new Window[windowsMs.length];
            for (int i = 0; i < windows.length; i++)
            {
                windows[i] = new Window(windowsMs[i] * 1_000_000L);
            }
        }

        void expire(final long nowNs)
        {
            for (final Window w : windows)
            {
                w.expire(nowNs);
            }
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
    }

    /** Sums over a time window of record receive times, kept exactly by adding and removing events. */
    static final class Window
    {
        final long lengthNs;
        final long[] tradeTime = new long[RING];
        final long[] tradePrice = new long[RING];
        final long[] tradeSize = new long[RING];
        final int[] tradeSide = new int[RING];
        int tradeHead;
        int tradeCount;
        final long[] ofiTime = new long[RING];
        final long[] ofiValue = new long[RING];
        int ofiHead;
        int ofiCount;
        final long[] retTime = new long[RING];
        final long[] retValue = new long[RING];
        int retHead;
        int retCount;
        long buyVolume;
        long sellVolume;
        long volume;
        final WideMath.Acc128 priceVolume = new WideMath.Acc128();
        long ofiSum;
        long returnSquares;

        Window(final long lengthNs)
        {
            this.lengthNs = lengthNs;
        }

        void addTrade(final long timeNs, final long price, final long size, final int side)
        {
            if (tradeCount == RING)
            {
                removeTrade();
            }
            final int slot = (tradeHead + tradeCount) & (RING - 1);
            tradeTime[slot] = timeNs;
            tradePrice[slot] = price;
            tradeSize[slot] = size;
            tradeSide[slot] = side;
            tradeCount++;
            volume += size;
            priceVolume.addProduct(price, size);
            if (side > 0)
            {
                buyVolume += size;
            }
            else if (side < 0)
            {
                sellVolume += size;
            }
        }

        private void removeTrade()
        {
            final int slot = tradeHead;
            final long size = tradeSize[slot];
            volume -= size;
            priceVolume.subtractProduct(tradePrice[slot], size);
            if (tradeSide[slot] > 0)
            {
                buyVolume -= size;
            }
            else if (tradeSide[slot] < 0)
            {
                sellVolume -= size;
            }
            tradeHead = (tradeHead + 1) & (RING - 1);
            tradeCount--;
        }

        void addOfi(final long timeNs, final long value)
        {
            if (ofiCount == RING)
            {
                removeOfi();
            }
            final int slot = (ofiHead + ofiCount) & (RING - 1);
            ofiTime[slot] = timeNs;
            ofiValue[slot] = value;
            ofiCount++;
            ofiSum += value;
        }

        private void removeOfi()
        {
            ofiSum -= ofiValue[ofiHead];
            ofiHead = (ofiHead + 1) & (RING - 1);
            ofiCount--;
        }

        void addReturn(final long timeNs, final long squared)
        {
            if (retCount == RING)
            {
                removeReturn();
            }
            final int slot = (retHead + retCount) & (RING - 1);
            retTime[slot] = timeNs;
            retValue[slot] = squared;
            retCount++;
            returnSquares = saturatedAdd(returnSquares, squared);
        }

        private void removeReturn()
        {
            returnSquares -= retValue[retHead];
            retHead = (retHead + 1) & (RING - 1);
            retCount--;
            if (retCount == 0)
            {
                returnSquares = 0;
            }
        }

        private static long saturatedAdd(final long a, final long b)
        {
            final long r = a + b;
            return r < 0 ? Long.MAX_VALUE : r;
        }

        void expire(final long nowNs)
        {
            final long cutoff = nowNs - lengthNs;
            while (tradeCount > 0 && tradeTime[tradeHead] <= cutoff)
            {
                removeTrade();
            }
            while (ofiCount > 0 && ofiTime[ofiHead] <= cutoff)
            {
                removeOfi();
            }
            while (retCount > 0 && retTime[retHead] <= cutoff)
            {
                removeReturn();
            }
        }

        int tradeCount()
        {
            return tradeCount;
        }
    }
}
