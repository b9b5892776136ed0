package io.tickjournal.ingest.sim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A generated market for one symbol: a random walk in integer ticks with a book of levels around
 * the mid, trades at the touch, and Binance-style update ids. Deterministic for a seed.
 * Runs on the simulator's thread only. Not the tick path: it may allocate.
 */
final class SimMarket
{
    final String symbol;
    final boolean futures;
    final int priceDecimals;
    final int sizeDecimals;
    final long tickUnits;
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
        long priceUnits;
        long sizeUnits;
        boolean buyerMaker;
        long timeMs;
    }

    SimMarket(final String symbol, final boolean futures, final long startPriceUnits, final long seed)
    {
        this.symbol = symbol;
        this.futures = futures;
        this.priceDecimals = futures ? 2 : 8;
        this.sizeDecimals = futures ? 3 : 8;
        this.tickUnits = 1;
        this.random = new SplittableRandom(seed);
        this.midUnits = startPriceUnits;
        this.updateId = futures ? 475_776_377_463L : 11_294_093_710L;
        this.tradeId = futures ? 621_622_993L : 716_849_523L;
        this.aggId = futures ? 389_551_486L : 640_283_266L;
        for (int i = 1; i <= 20; i++)
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

    /**
     * Step the book: maybe move the mid, change a few levels, advance the update ids.
     *
     * @param nowMs event time.
     * @return the depth event.
     */
    Depth step(final long nowMs)
    {
        final Depth depth = new Depth();
        depth.prev = updateId;
        depth.first = updateId + 1;
        depth.eventTimeMs = nowMs;
        final int r = random.nextInt(10);
        if (r == 0)
        {
            midUnits += tickUnits;
        }
        else if (r == 1)
        {
            midUnits -= tickUnits;
        }
        // Remove levels the mid crossed.
        for (final Iterator<Map.Entry<Long, Long>> it = bids.tailMap(midUnits, true).entrySet().iterator(); it.hasNext(); )
        {
            depth.bids.add(new long[]{it.next().getKey(), 0});
            it.remove();
        }
        for (final Iterator<Map.Entry<Long, Long>> it = asks.headMap(midUnits, true).entrySet().iterator(); it.hasNext(); )
        {
            depth.asks.add(new long[]{it.next().getKey(), 0});
            it.remove();
        }
        final int changes = 1 + random.nextInt(4);
        for (int i = 0; i < changes; i++)
        {
            final boolean bid = random.nextBoolean();
            final long distance = 1 + random.nextInt(25);
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
            (bid ? depth.bids : depth.asks).add(new long[]{price, size});
        }
        // Keep at least one level a side so the touch exists.
        if (bids.isEmpty())
        {
            bids.put(midUnits - 1, randomSize());
            depth.bids.add(new long[]{midUnits - 1, bids.get(midUnits - 1)});
        }
        if (asks.isEmpty())
        {
            asks.put(midUnits + 1, randomSize());
            depth.asks.add(new long[]{midUnits + 1, asks.get(midUnits + 1)});
        }
        updateId += 1 + random.nextInt(futures ? 40 : 20);
        depth.last = updateId;
        return depth;
    }

    Trade trade(final long nowMs)
    {
        final Trade trade = new Trade();
        trade.buyerMaker = random.nextBoolean();
        trade.priceUnits = trade.buyerMaker ? bids.lastKey() : asks.firstKey();
        trade.sizeUnits = randomSize() / 10 + 1;
        trade.id = ++tradeId;
        aggId++;
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

    private static String decimal(final long units, final int unitDecimals, final int printDecimals)
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
