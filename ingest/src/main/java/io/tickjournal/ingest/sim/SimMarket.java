package io.tickjournal.ingest.sim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A generated market for one symbol, for any venue: a random walk in integer ticks with a book of
 * levels around the mid, trades at the touch, and update ids that each book event spans (a venue's
 * protocol renders them in its own id scheme). Deterministic for a seed. Prices are in cents,
 * sizes in units of 10^-3 ({@code futures}) or 10^-8. Runs on the simulator's thread only. Not the
 * tick path: it may allocate.
 */
public final class SimMarket
{
    final String symbol;
    final boolean futures;
    final int priceDecimals;
    final int sizeDecimals;
    final long tickUnits;
    /** Changes land 1 to this many ticks from the mid. */
    private final int changeRange;
    private final long startUnits;
    /** The asset's fair price the mid follows, or null for a free random walk. */
    private ReferenceWalk reference;
    private long lastNowMs;
    final SplittableRandom random;
    final NavigableMap<Long, Long> bids = new TreeMap<>();
    final NavigableMap<Long, Long> asks = new TreeMap<>();
    long midUnits;
    long updateId;
    long tradeId;
    long aggId;

    /** A depth event: ids and the levels it changed (absolute sizes, 0 = removed). */
    static final class Depth
    {
        long first;
        long last;
        long prev;
        long eventTimeMs;
        final List<long[]> bids = new ArrayList<>();
        final List<long[]> asks = new ArrayList<>();
    }

    /** A trade. */
    static final class Trade
    {
        long id;
        long aggId;
        long priceUnits;
        long sizeUnits;
        boolean buyerMaker;
        long timeMs;
    }

    SimMarket(final String symbol, final boolean futures, final long startPriceUnits, final long seed)
    {
        this(symbol, futures, startPriceUnits, seed, 20);
    }

    /**
     * @param levels levels a side at the start, each a tick apart from the mid; later changes land up
     *               to {@code levels + 5} ticks away, so the book stays about that deep.
     */
    SimMarket(final String symbol, final boolean futures, final long startPriceUnits, final long seed, final int levels)
    {
        this.symbol = symbol;
        this.changeRange = levels + 5;
        this.futures = futures;
        this.priceDecimals = futures ? 2 : 8;
        this.sizeDecimals = futures ? 3 : 8;
        this.tickUnits = 1;
        this.random = new SplittableRandom(seed);
        this.midUnits = startPriceUnits;
        this.startUnits = startPriceUnits;
        this.updateId = futures ? 475_776_377_463L : 11_294_093_710L;
        this.tradeId = futures ? 621_622_993L : 716_849_523L;
        this.aggId = futures ? 389_551_486L : 640_283_266L;
        for (int i = 1; i <= levels; i++)
        {
            bids.put(midUnits - i, randomSize());
            asks.put(midUnits + i, randomSize());
        }
    }

    private long randomSize()
    {
        // sizes in units of 10^-3 (futures) or 10^-8 (spot), a few lots
        final long lots = 1 + random.nextInt(5_000);
        return futures ? lots : lots * 100_000L;
    }

    /** Changes made since the last published event, net per price (absolute sizes, 0 = removed). */
    private final NavigableMap<Long, Long> pendingBids = new TreeMap<>();
    private final NavigableMap<Long, Long> pendingAsks = new TreeMap<>();
    private long publishedId;
    private boolean publishedAny;

    /**
     * Follow the asset's fair price: the mid's moves then go back toward the walk when it is away from
     * it, and step off it by a tick now and then when it is on it.
     *
     * @param originMs the walk's origin, shared by every simulator of one run (their markets of one
     *                 asset start at the same price, which keys the walk).
     */
    void followReference(final long originMs)
    {
        reference = new ReferenceWalk(startUnits, originMs);
    }

    /** @return whether the mid follows a fair-price walk ({@link #followReference}). */
    boolean followsReference()
    {
        return reference != null;
    }

    /**
     * Move the book as at this time (see {@link #mutate()}).
     *
     * @param nowMs the simulator's clock.
     */
    void mutate(final long nowMs)
    {
        lastNowMs = Math.max(lastNowMs, nowMs);
        mutate();
    }

    /**
     * Move the book by one venue-internal update: maybe move the mid, change a level. Each change
     * takes one or more update ids, as a matching engine's updates do; the depth stream publishes
     * them later aggregated per level. The book (and a REST snapshot of it) is therefore usually
     * ahead of the last published event: a snapshot's id falls inside a later event's
     * {@code [U, u]} range, as on the real venue.
     */
    void mutate()
    {
        if (!publishedAny)
        {
            publishedId = updateId;
            publishedAny = true;
        }
        final int r = random.nextInt(40);
        if (reference == null)
        {
            midUnits += r == 0 ? tickUnits : r == 1 ? -tickUnits : 0;
        }
        else if (r == 0 || r == 1)
        {
            final long toward = startUnits + reference.offsetAt(lastNowMs) * tickUnits - midUnits;
            if (toward != 0)
            {
                midUnits += Long.signum(toward) * tickUnits; // back toward the fair price
            }
            else if (r == 0 && random.nextInt(4) == 0)
            {
                midUnits += random.nextBoolean() ? tickUnits : -tickUnits; // off it now and then: the venue's own flow
            }
        }
        // Remove levels the mid crossed.
        for (final Iterator<Map.Entry<Long, Long>> it = bids.tailMap(midUnits, true).entrySet().iterator(); it.hasNext(); )
        {
            pendingBids.put(it.next().getKey(), 0L);
            it.remove();
        }
        for (final Iterator<Map.Entry<Long, Long>> it = asks.headMap(midUnits, true).entrySet().iterator(); it.hasNext(); )
        {
            pendingAsks.put(it.next().getKey(), 0L);
            it.remove();
        }
        final boolean bid = random.nextBoolean();
        final long distance = 1 + random.nextInt(changeRange);
        final long price = bid ? midUnits - distance : midUnits + distance;
        final long size = random.nextInt(6) == 0 && distance > 1 ? 0 : randomSize();
        final NavigableMap<Long, Long> side = bid ? bids : asks;
        if (size == 0)
        {
            side.remove(price);
        }
        else
        {
            side.put(price, size);
        }
        (bid ? pendingBids : pendingAsks).put(price, size);
        // Keep at least one level a side so the touch exists.
        if (bids.isEmpty())
        {
            bids.put(midUnits - 1, randomSize());
            pendingBids.put(midUnits - 1, bids.get(midUnits - 1));
        }
        if (asks.isEmpty())
        {
            asks.put(midUnits + 1, randomSize());
            pendingAsks.put(midUnits + 1, asks.get(midUnits + 1));
        }
        updateId += 1 + random.nextInt(futures ? 4 : 2);
    }

    /** @return whether changes wait to be published. */
    boolean hasPending()
    {
        return !pendingBids.isEmpty() || !pendingAsks.isEmpty();
    }

    /**
     * Publish what changed since the last event as one depth event ({@code U} = the first id
     * after the last event, {@code u} = the latest id, {@code pu} = the last event's {@code u}).
     *
     * @param nowMs event time.
     * @return the depth event.
     */
    Depth step(final long nowMs)
    {
        if (!hasPending())
        {
            mutate();
        }
        final Depth depth = new Depth();
        depth.prev = publishedId;
        depth.first = publishedId + 1;
        depth.last = updateId;
        depth.eventTimeMs = nowMs;
        for (final Map.Entry<Long, Long> level : pendingBids.descendingMap().entrySet())
        {
            depth.bids.add(new long[]{level.getKey(), level.getValue()});
        }
        for (final Map.Entry<Long, Long> level : pendingAsks.entrySet())
        {
            depth.asks.add(new long[]{level.getKey(), level.getValue()});
        }
        pendingBids.clear();
        pendingAsks.clear();
        publishedId = updateId;
        return depth;
    }

    /**
     * The index price as the venue prints it: eight decimals, a little off the mid
     * (Binance's {@code "i":"11784.62659091"}).
     *
     * @return the text.
     */
    String indexPrice()
    {
        final long units = midUnits * 1_000_000L - random.nextInt(1_000_000);
        return decimal(units, 8, 8);
    }

    Trade trade(final long nowMs)
    {
        final Trade trade = new Trade();
        trade.buyerMaker = random.nextBoolean();
        trade.priceUnits = trade.buyerMaker ? bids.lastKey() : asks.firstKey();
        trade.sizeUnits = randomSize() / 10 + 1;
        trade.id = ++tradeId;
        trade.aggId = ++aggId;
        trade.timeMs = nowMs;
        return trade;
    }

    String price(final long units)
    {
        return decimal(units, 2, priceDecimals);
    }

    String size(final long units)
    {
        return decimal(units, futures ? 3 : 8, sizeDecimals);
    }

    static String decimal(final long units, final int unitDecimals, final int printDecimals)
    {
        final StringBuilder text = new StringBuilder(24);
        final long whole = units;
        final long scale = pow10(unitDecimals);
        text.append(whole / scale);
        if (printDecimals > 0)
        {
            text.append('.');
            String fraction = Long.toString(whole % scale);
            while (fraction.length() < unitDecimals)
            {
                fraction = "0" + fraction;
            }
            text.append(fraction);
            for (int i = unitDecimals; i < printDecimals; i++)
            {
                text.append('0');
            }
        }
        return text.toString();
    }

    private static long pow10(final int n)
    {
        long v = 1;
        for (int i = 0; i < n; i++)
        {
            v *= 10;
        }
        return v;
    }
}
