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
