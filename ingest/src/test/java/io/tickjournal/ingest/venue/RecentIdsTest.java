package io.tickjournal.ingest.venue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The recent-id window answers as a plain model of it does (a {@link HashSet} of the ids in a
 * first-in first-out window of the last {@code capacity} new ids): ids that collide in the table,
 * zero and the extremes of a long, windows of one id, and a clear in the middle.
 */
class RecentIdsTest
{
    private static final TradeDedup.GapListener NO_GAPS = (from, to) ->
    {
        throw new AssertionError("no gaps in unordered ids");
    };

    /** What a recent-id window is, with the JDK's collections. */
    private static final class Model
    {
        private final int capacity;
        private final Set<Long> set = new HashSet<>();
        private final ArrayDeque<Long> order = new ArrayDeque<>();

        Model(final int capacity)
        {
            this.capacity = capacity;
        }

        int offer(final long id)
        {
            if (set.contains(id))
            {
                return TradeDedup.DUPLICATE;
            }
            if (order.size() == capacity)
            {
                set.remove(order.removeFirst());
            }
            order.addLast(id);
            set.add(id);
            return TradeDedup.NEW;
        }

        void clear()
        {
            set.clear();
            order.clear();
        }
    }

    @Test
    @Timeout(60)
    void shouldAnswerAsTheModelForIdsThatRepeatWithinAndBeyondTheWindow()
    {
        for (final int capacity : new int[]{1, 2, 3, 7, 64, 1000, 8192})
        {
            final SplittableRandom random = new SplittableRandom(capacity);
            final RecentIds ids = new RecentIds(capacity);
            final Model model = new Model(capacity);
            final long[] seen = new long[4 * capacity + 16];
            int seenCount = 0;
            int duplicates = 0;
            long next = 17303368620470000L;
            for (int i = 0; i < 200_000; i++)
            {
                final long id;
                final int pick = random.nextInt(10);
                if (pick < 5 || seenCount == 0)
                {
                    next += 1 + random.nextInt(3);
                    id = next;
                }
                else if (pick < 8)
                {
                    // An id seen lately: inside the window, at its edge or just out of it.
                    id = seen[random.nextInt(Math.min(seenCount, seen.length))];
                }
                else
                {
                    id = edgeId(random);
                }
                final int expected = model.offer(id);
                assertEquals(expected, ids.offer(id, false, NO_GAPS), "offer " + i + " of id " + id + ", capacity " + capacity);
                duplicates += expected == TradeDedup.DUPLICATE ? 1 : 0;
                seen[seenCount++ % seen.length] = id;
                if (i == 100_000)
                {
                    ids.clear();
                    model.clear();
                }
            }
            if (duplicates < 1_000)
            {
                throw new AssertionError("the walk should repeat ids often, repeated " + duplicates);
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldForgetTheOldestIdFirstWhenIdsShareHomeSlots()
    {
        // Multiples of 2^40 share a few home slots of the table: long runs of linear probing, whose
        // removals must shift later ids back without losing any.
        final RecentIds ids = new RecentIds(16);
        final Model model = new Model(16);
        final SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++)
        {
            final long id = ((long)random.nextInt(40) << 40) + (random.nextBoolean() ? 0 : random.nextInt(3));
            assertEquals(model.offer(id), ids.offer(id, false, NO_GAPS), "offer " + i + " of id " + id);
        }
    }

    private static long edgeId(final SplittableRandom random)
    {
        switch (random.nextInt(5))
        {
            case 0:
                return 0;
            case 1:
                return Long.MIN_VALUE;
            case 2:
                return Long.MAX_VALUE;
            case 3:
                return -1 - random.nextInt(4);
            default:
                return random.nextLong();
        }
    }
}
