package io.tickjournal.tailer;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderBookTest
{
    @Test
    void levelsStaySortedAndEqualAReferenceMap()
    {
        final OrderBook book = new OrderBook(1, 1, 1000);
        final TreeMap<Long, Long> bids = new TreeMap<>();
        final TreeMap<Long, Long> asks = new TreeMap<>();
        book.beginSnapshot();
        book.endSnapshot(1);
        final SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 100_000; i++)
        {
            final boolean bid = random.nextBoolean();
            final long price = bid ? random.nextLong(900, 1000) : random.nextLong(1001, 1100);
            final long size = random.nextInt(4) == 0 ? 0 : random.nextLong(1, 1000);
            book.set(bid, price, size);
            final Map<Long, Long> side = bid ? bids : asks;
            if (size == 0)
            {
                side.remove(price);
            }
            else
            {
                side.put(price, size);
            }
        }
        assertEquals(bids.size(), book.bidCount());
        assertEquals(asks.size(), book.askCount());
        int i = 0;
        for (final Map.Entry<Long, Long> e : bids.descendingMap().entrySet())
        {
            assertEquals(e.getKey(), book.bidPrice(i));
            assertEquals(e.getValue(), book.bidSize(i++));
        }
        i = 0;
        for (final Map.Entry<Long, Long> e : asks.entrySet())
        {
            assertEquals(e.getKey(), book.askPrice(i));
            assertEquals(e.getValue(), book.askSize(i++));
        }
        assertTrue(book.usable());
    }

    /**
     * Runs of updates anywhere in a side, first-level hints, full sides dropping their worst
     * level, snapshots and resets, checked after every step against a sorted map that applies the
     * same rules (the gap buffer's moves must never lose, duplicate or misorder a level).
     */
    @Test
    void runsOfUpdatesAnywhereInFullAndPartSidesEqualAReferenceMapAfterEveryStep()
    {
        final int capacity = 40;
        final OrderBook book = new OrderBook(1, 1, capacity);
        final TreeMap<Long, Long> bids = new TreeMap<>();
        final TreeMap<Long, Long> asks = new TreeMap<>();
        final long[] dropped = {0};
        book.beginSnapshot();
        book.endSnapshot(1);
        final SplittableRandom random = new SplittableRandom(17);
        long mid = 1_000;
        for (int step = 0; step < 60_000; step++)
        {
            final int what = random.nextInt(1000);
            if (what == 0)
            {
                book.reset();
                bids.clear();
                asks.clear();
            }
            else if (what == 1)
            {
                // a snapshot: levels best first, as venues send them
                book.beginSnapshot();
                bids.clear();
                asks.clear();
                final int levels = random.nextInt(60);
                for (int i = 0; i < levels; i++)
                {
                    final long size = 1 + random.nextInt(100);
                    book.set(true, mid - 1 - i, size);
                    apply(bids, capacity, true, mid - 1 - i, size, dropped);
                    book.set(false, mid + 1 + i, size);
                    apply(asks, capacity, false, mid + 1 + i, size, dropped);
                }
                book.endSnapshot(step);
            }
            else
            {
                // a delta: a run of adjacent levels per side, best first, the first through its hint
                mid += random.nextInt(7) - 3;
                final int levels = 1 + random.nextInt(12);
                final long bidStart = mid - 1 - random.nextInt(30);
                final long askStart = mid + 1 + random.nextInt(30);
                for (int i = 0; i < levels; i++)
                {
                    final long bidSize = random.nextInt(6) == 0 ? 0 : 1 + random.nextInt(1000);
                    final long askSize = random.nextInt(6) == 0 ? 0 : 1 + random.nextInt(1000);
                    if (i == 0)
                    {
                        book.setFirstBid(bidStart, bidSize);
                        book.setFirstAsk(askStart, askSize);
                    }
                    else
                    {
                        book.setBid(bidStart - i, bidSize);
                        book.setAsk(askStart + i, askSize);
                    }
                    apply(bids, capacity, true, bidStart - i, bidSize, dropped);
                    apply(asks, capacity, false, askStart + i, askSize, dropped);
                }
            }
            assertSame(book, bids, asks, dropped[0], step);
        }
    }

    /** The reference rule: size 0 removes; a new level on a full side drops the worst one, or itself when it is the worst. */
    private static void apply(
        final TreeMap<Long, Long> side, final int capacity, final boolean bid, final long price, final long size, final long[] dropped)
    {
        if (size == 0)
        {
            side.remove(price);
            return;
        }
        if (side.containsKey(price) || side.size() < capacity)
        {
            side.put(price, size);
            return;
        }
        dropped[0]++;
        final long worst = bid ? side.firstKey() : side.lastKey();
        if (bid ? price < worst : price > worst)
        {
            return;
        }
        side.remove(worst);
        side.put(price, size);
    }

    private static void assertSame(
        final OrderBook book, final TreeMap<Long, Long> bids, final TreeMap<Long, Long> asks, final long dropped, final int step)
    {
        assertEquals(bids.size(), book.bidCount(), "bid levels at step " + step);
        assertEquals(asks.size(), book.askCount(), "ask levels at step " + step);
        int i = 0;
        for (final Map.Entry<Long, Long> e : bids.descendingMap().entrySet())
        {
            assertEquals(e.getKey(), book.bidPrice(i), "bid price " + i + " at step " + step);
            assertEquals(e.getValue(), book.bidSize(i++), "bid size at step " + step);
        }
        i = 0;
        for (final Map.Entry<Long, Long> e : asks.entrySet())
        {
            assertEquals(e.getKey(), book.askPrice(i), "ask price " + i + " at step " + step);
            assertEquals(e.getValue(), book.askSize(i++), "ask size at step " + step);
        }
        assertEquals(dropped, book.droppedLevels(), "dropped at step " + step);
        final boolean crossed = !bids.isEmpty() && !asks.isEmpty() && bids.lastKey() >= asks.firstKey();
        assertEquals(crossed, book.crossed(), "crossed at step " + step);
    }

    @Test
    void aCrossedBookIsFlaggedAndAResetBookIsNotUsable()
    {
        final OrderBook book = new OrderBook(1, 1, 10);
        book.set(true, 100, 1);
        book.set(false, 101, 1);
        assertFalse(book.usable(), "no snapshot yet");
        book.endSnapshot(1);
        assertTrue(book.usable());
        book.set(true, 102, 5);
        assertTrue(book.crossed());
        assertFalse(book.usable(), "a crossed book is not used");
        book.set(true, 102, 0);
        assertTrue(book.usable());
        book.reset();
        assertFalse(book.usable());
        assertEquals(0, book.bidCount());
    }

    @Test
    void levelsBeyondTheCapacityAreDroppedAndCounted()
    {
        final OrderBook book = new OrderBook(1, 1, 3);
        for (int p = 1; p <= 5; p++)
        {
            book.set(true, p, 1);
        }
        assertEquals(3, book.bidCount());
        assertEquals(5, book.bidPrice(0));
        assertEquals(3, book.bidPrice(2));
        assertEquals(2, book.droppedLevels());
    }
}
