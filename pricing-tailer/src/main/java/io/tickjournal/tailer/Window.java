package io.tickjournal.tailer;

/**
 * The exact sums of one time window over an instrument's {@link EventRing}: the events from its
 * cursor to the ring's tail are inside, and {@link #expire} moves the cursor past every event whose
 * receive time is at or before {@code now - length}. Events are added and removed exactly
 * (integers, 128 bits where products are summed), so a sum never drifts.
 * <p>
 * A window that lost an event it should hold (dropped at the ring's ceiling, or a return too large
 * to square exactly) stays {@link #incomplete} until that event would have left it. One thread.
 */
final class Window
{
    final long lengthNs;
    private long cursor;
    private long cutoffNs = Long.MIN_VALUE;
    private long missingUntilNs = Long.MIN_VALUE;
    private int tradeCount;
    private long volume;
    private long buyVolume;
    private long sellVolume;
    private final WideMath.Acc128 priceVolume = new WideMath.Acc128();
    private long ofiSum;
    private final WideMath.Acc128 returnSquares = new WideMath.Acc128();
    private boolean rootStale = true;
    private long root;
    private boolean tradesStale = true;
    private long vwap;
    private long tfi;
    private long lastPrice;

    Window(final long lengthNs, final long cursor)
    {
        this.lengthNs = lengthNs;
        this.cursor = cursor;
    }

    /** @return the number of the oldest event inside. */
    long cursor()
    {
        return cursor;
    }

    /** Take in the event just appended to the ring (its values as appended: not read back from the ring). */
    void include(final byte kind, final long x, final long y)
    {
        switch (kind)
        {
            case EventRing.TRADE_BUY:
                buyVolume += y;
                addTrade(x, y);
                break;
            case EventRing.TRADE_SELL:
                sellVolume += y;
                addTrade(x, y);
                break;
            case EventRing.TRADE_UNKNOWN:
                addTrade(x, y);
                break;
            case EventRing.OFI:
                ofiSum += x;
                break;
            case EventRing.RETURN:
                returnSquares.addProduct(x, x);
                rootStale = true;
                break;
            default:
                break;
        }
    }

    private void addTrade(final long price, final long size)
    {
        lastPrice = price;
        tradeCount++;
        tradesStale = true;
        volume += size;
        priceVolume.addProduct(price, size);
    }

    private void removeOldest(final EventRing ring)
    {
        final long n = cursor++;
        final long[] events = ring.events();
        final int at = ring.slot(n);
        final long x = events[at + 2];
        final long y = events[at + 3];
        switch ((byte)events[at + 1])
        {
            case EventRing.TRADE_BUY:
                buyVolume -= y;
                removeTrade(x, y);
                break;
            case EventRing.TRADE_SELL:
                sellVolume -= y;
                removeTrade(x, y);
                break;
            case EventRing.TRADE_UNKNOWN:
                removeTrade(x, y);
                break;
            case EventRing.OFI:
                ofiSum -= x;
                break;
            case EventRing.RETURN:
                returnSquares.subtractProduct(x, x);
                rootStale = true;
                break;
            default:
                break;
        }
    }

    private void removeTrade(final long price, final long size)
    {
        tradeCount--;
        tradesStale = true;
        volume -= size;
        priceVolume.subtractProduct(price, size);
    }

    /** Move the cursor past every event at or before {@code nowNs - length}. */
    void expire(final EventRing ring, final long nowNs)
    {
        final long cutoff = nowNs - lengthNs;
        cutoffNs = cutoff;
        final long tail = ring.tail();
        while (cursor < tail && ring.time(cursor) <= cutoff)
        {
            removeOldest(ring);
        }
    }

    /** The ring drops its oldest event at its ceiling: leave it out, and remember the window misses it. */
    void onDropOldest(final EventRing ring)
    {
        if (cursor == ring.head())
        {
            missed(ring.time(cursor));
            removeOldest(ring);
        }
    }

    /** An event of this time should be inside but is not. */
    void missed(final long timeNs)
    {
        missingUntilNs = Math.max(missingUntilNs, timeNs);
    }

    /** @return true while an event the window should hold is missing from it. */
    boolean incomplete()
    {
        return missingUntilNs != Long.MIN_VALUE && missingUntilNs > cutoffNs;
    }

    int tradeCount()
    {
        return tradeCount;
    }

    long volume()
    {
        return volume;
    }

    long buyVolume()
    {
        return buyVolume;
    }

    long sellVolume()
    {
        return sellVolume;
    }

    long ofiSum()
    {
        return ofiSum;
    }

    /** @return sum(price * size) / sum(size), truncated, or MIN_VALUE without volume. */
    long vwap()
    {
        refreshTrades();
        return vwap;
    }

    /** @return (buy - sell) / (buy + sell) at 1e-6, truncated, or MIN_VALUE without aggressor volume. */
    long tradeFlowImbalance()
    {
        refreshTrades();
        return tfi;
    }

    /** The quotients change only with the trades inside: computed again only then (two divisions saved per book record). */
    private void refreshTrades()
    {
        if (tradesStale)
        {
            // the previous VWAP is the best guess of the new one (a window's VWAP moves slowly)
            vwap = volume > 0 ? priceVolume.divide(volume, vwap != Long.MIN_VALUE && vwap != 0 ? vwap : lastPrice) : Long.MIN_VALUE;
            final long flow = buyVolume + sellVolume;
            tfi = flow > 0 ? WideMath.mulDiv(buyVolume - sellVolume, 1_000_000L, flow) : Long.MIN_VALUE;
            tradesStale = false;
        }
    }

    /** @return floor(sqrt(sum of squared returns)), computed again only when the sum changed. */
    long realizedVolatility()
    {
        if (rootStale)
        {
            root = returnSquares.sqrt();
            rootStale = false;
        }
        return root;
    }
}
