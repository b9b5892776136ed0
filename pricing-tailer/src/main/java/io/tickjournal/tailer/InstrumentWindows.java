package io.tickjournal.tailer;

/**
 * One instrument's windowed features: a single {@link EventRing} of its trades, order-flow
 * increments and mid returns, and a {@link Window} (a cursor and exact sums) per configured
 * length, all reading the same events. The ring keeps what the longest window still needs and no
 * more; no window ever holds a fixed number of events, so no rate changes a feature.
 * <p>
 * At the ring's memory ceiling the oldest event is dropped from every window that holds it: those
 * windows are flagged incomplete until it would have left them, and {@link #droppedAtCeiling()}
 * counts it. A mid return too large to square exactly (|r| over {@link #MAX_RETURN}) is left out
 * the same way and counted by {@link #returnsOutOfRange()}. One thread.
 */
final class InstrumentWindows
{
    /** Largest |return| (at 1e-9) summed: its square fits 96 bits, so 2^31 of them fit the 128-bit sum. */
    static final long MAX_RETURN = 1L << 48;

    private final EventRing ring;
    private final Window[] windows;
    private long droppedAtCeiling;
    private long returnsOutOfRange;

    /**
     * @param windowsNs      window lengths.
     * @param ringCapacity   initial ring capacity in events (a power of two).
     * @param ringCeiling    most events kept (a power of two).
     */
    InstrumentWindows(final long[] windowsNs, final int ringCapacity, final int ringCeiling)
    {
        this.ring = new EventRing(ringCapacity, ringCeiling);
        this.windows = new Window[windowsNs.length];
        for (int i = 0; i < windows.length; i++)
        {
            windows[i] = new Window(windowsNs[i], 0);
        }
    }

    /** Move every window to {@code nowNs} and release what none needs. */
    void expire(final long nowNs)
    {
        long oldest = ring.tail();
        for (final Window w : windows)
        {
            w.expire(ring, nowNs);
            oldest = Math.min(oldest, w.cursor());
        }
        ring.releaseBefore(oldest);
    }

    /**
     * A trade print that feeds the features.
     *
     * @param side +1 buy, -1 sell, 0 unknown aggressor.
     */
    void addTrade(final long timeNs, final long price, final long size, final int side)
    {
        append(timeNs, side > 0 ? EventRing.TRADE_BUY : side < 0 ? EventRing.TRADE_SELL : EventRing.TRADE_UNKNOWN, price, size);
    }

    /** An order-flow imbalance increment. */
    void addOfi(final long timeNs, final long increment)
    {
        append(timeNs, EventRing.OFI, increment, 0);
    }

    /** A mid return at 1e-9, or {@link Long#MIN_VALUE} for one that does not fit 64 bits. */
    void addReturn(final long timeNs, final long midReturn)
    {
        if (midReturn == Long.MIN_VALUE || Math.abs(midReturn) > MAX_RETURN)
        {
            returnsOutOfRange++;
            for (final Window w : windows)
            {
                w.missed(timeNs);
            }
            return;
        }
        append(timeNs, EventRing.RETURN, midReturn, 0);
    }

    private void append(final long timeNs, final byte kind, final long a, final long b)
    {
        if (ring.atCeiling())
        {
            for (final Window w : windows)
            {
                w.onDropOldest(ring);
            }
            ring.dropOldest();
            droppedAtCeiling++;
        }
        ring.append(timeNs, kind, a, b);
        for (final Window w : windows)
        {
            w.include(kind, a, b);
        }
    }

    /** Slots of one window's features in a {@link FeatureSet}. */
    static final int SLOTS_PER_WINDOW = FeatureIds.LAST_WINDOW_OFFSET + 1;

    /**
     * Set the ids and exponents of every window's slots: per window {@code FeatureIds.WINDOW_BASE +
     * FeatureIds.WINDOW_STRIDE * index + offset}, at slot {@code slot + SLOTS_PER_WINDOW * index + offset}.
     *
     * @param f             the set.
     * @param slot          the first slot.
     * @param windows       how many windows.
     * @param priceExponent the instrument's price exponent (VWAP).
     * @param sizeExponent  its size exponent (OFI, volumes).
     */
    static void keys(final FeatureSet f, final int slot, final int windows, final int priceExponent, final int sizeExponent)
    {
        for (int w = 0; w < windows; w++)
        {
            final int id = FeatureIds.WINDOW_BASE + FeatureIds.WINDOW_STRIDE * w;
            final int s = slot + SLOTS_PER_WINDOW * w;
            f.key(s + FeatureIds.OFI, id + FeatureIds.OFI, sizeExponent);
            f.key(s + FeatureIds.TFI, id + FeatureIds.TFI, -6);
            f.key(s + FeatureIds.VWAP, id + FeatureIds.VWAP, priceExponent);
            f.key(s + FeatureIds.REALIZED_VOL, id + FeatureIds.REALIZED_VOL, -9);
            f.key(s + FeatureIds.TRADE_COUNT, id + FeatureIds.TRADE_COUNT, 0);
            f.key(s + FeatureIds.VOLUME, id + FeatureIds.VOLUME, sizeExponent);
            f.key(s + FeatureIds.BUY_VOLUME, id + FeatureIds.BUY_VOLUME, sizeExponent);
            f.key(s + FeatureIds.SELL_VOLUME, id + FeatureIds.SELL_VOLUME, sizeExponent);
        }
    }

    /**
     * Set the values of every window's slots (keys set by {@link #keys}).
     *
     * @param f    the set.
     * @param slot the first slot.
     */
    void values(final FeatureSet f, final int slot)
    {
        final Window[] windows = this.windows;
        for (int w = 0; w < windows.length; w++)
        {
            final Window window = windows[w];
            final int s = slot + SLOTS_PER_WINDOW * w;
            f.value(s + FeatureIds.OFI, window.ofiSum());
            f.value(s + FeatureIds.TFI, window.tradeFlowImbalance());
            f.value(s + FeatureIds.VWAP, window.vwap());
            f.value(s + FeatureIds.REALIZED_VOL, window.realizedVolatility());
            f.value(s + FeatureIds.TRADE_COUNT, window.tradeCount());
            f.value(s + FeatureIds.VOLUME, window.volume());
            f.value(s + FeatureIds.BUY_VOLUME, window.buyVolume());
            f.value(s + FeatureIds.SELL_VOLUME, window.sellVolume());
        }
    }

    /** @return true while any window misses an event it should hold. */
    boolean incomplete()
    {
        for (final Window w : windows)
        {
            if (w.incomplete())
            {
                return true;
            }
        }
        return false;
    }

    /** @return events dropped at the memory ceiling. */
    long droppedAtCeiling()
    {
        return droppedAtCeiling;
    }

    /** @return returns too large to sum exactly, left out. */
    long returnsOutOfRange()
    {
        return returnsOutOfRange;
    }

    /** @return events the ring holds now. */
    int eventsKept()
    {
        return ring.size();
    }

    /** @return the ring's capacity now. */
    int capacity()
    {
        return ring.capacity();
    }
}
