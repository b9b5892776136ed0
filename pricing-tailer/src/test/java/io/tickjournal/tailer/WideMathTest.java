package io.tickjournal.tailer;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WideMathTest
{
    @Test
    void mulDivEqualsBigIntegerTruncation()
    {
        final SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++)
        {
            final long a = random.nextLong() >> random.nextInt(64);
            final long b = random.nextLong() >> random.nextInt(64);
            long c = random.nextLong() >> random.nextInt(64);
            if (c == 0)
            {
                c = 7;
            }
            final BigInteger exact = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divide(BigInteger.valueOf(c));
            final long expected = exact.bitLength() < 64 && exact.longValue() != Long.MIN_VALUE ? exact.longValue() : Long.MIN_VALUE;
            assertEquals(expected, WideMath.mulDiv(a, b, c), a + " * " + b + " / " + c);
        }
    }

    @Test
    void mulDivAroundTheEdgeOfA64BitProductEqualsBigIntegerTruncation()
    {
        // products just inside and just outside 64 bits, both signs, any divisor sign: the one-division path and the wide one
        final SplittableRandom random = new SplittableRandom(5);
        final long[] edges = {Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 1L << 62, 3_037_000_499L, 3_037_000_500L, -3_037_000_500L, 1, -1, 0};
        for (int i = 0; i < 200_000; i++)
        {
            final long a = i < 100 ? edges[i % edges.length] : (random.nextBoolean() ? 3_037_000_499L : -3_037_000_499L) +
                random.nextInt(5) - 2;
            final long b = i < 100 ? edges[(i / edges.length) % edges.length] : a + random.nextInt(3) - 1;
            final long c = i % 7 == 0 ? -(1 + random.nextInt(1000)) : 1 + random.nextInt(1_000_000);
            final BigInteger exact = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divide(BigInteger.valueOf(c));
            if (exact.bitLength() < 64 && exact.longValue() != Long.MIN_VALUE && a != Long.MIN_VALUE && b != Long.MIN_VALUE)
            {
                assertEquals(exact.longValue(), WideMath.mulDiv(a, b, c), a + " * " + b + " / " + c);
            }
        }
    }

    @Test
    void accumulatorAddsAndRemovesProductsExactly()
    {
        final SplittableRandom random = new SplittableRandom(4);
        final WideMath.Acc128 acc = new WideMath.Acc128();
        BigInteger exact = BigInteger.ZERO;
        final long[] a = new long[1000];
        final long[] b = new long[1000];
        for (int i = 0; i < a.length; i++)
        {
            a[i] = random.nextLong(1, 10_000_000_000_000L);
            b[i] = random.nextLong(1, 100_000_000_000L);
            acc.addProduct(a[i], b[i]);
            exact = exact.add(BigInteger.valueOf(a[i]).multiply(BigInteger.valueOf(b[i])));
        }
        for (int i = 0; i < 500; i++)
        {
            acc.subtractProduct(a[i], b[i]);
            exact = exact.subtract(BigInteger.valueOf(a[i]).multiply(BigInteger.valueOf(b[i])));
        }
        final long divisor = 987_654_321L;
        assertEquals(exact.divide(BigInteger.valueOf(divisor)).longValueExact(), acc.divide(divisor));
    }

    @Test
    void isqrtIsTheFloorOfTheRoot()
    {
        final SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++)
        {
            final long v = random.nextLong(Long.MAX_VALUE);
            final long r = WideMath.isqrt(v);
            assertEquals(BigInteger.valueOf(v).sqrt().longValueExact(), r, "sqrt " + v);
        }
        assertEquals(0, WideMath.isqrt(0));
        assertEquals(1, WideMath.isqrt(3));
        assertEquals(2, WideMath.isqrt(4));
    }

    @Test
    void aWideQuotientEqualsBigIntegerDivision()
    {
        final SplittableRandom random = new SplittableRandom(6);
        final BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        for (int i = 0; i < 300_000; i++)
        {
            long divisor = random.nextLong() >>> random.nextInt(64);
            if (divisor == 0)
            {
                divisor = 3;
            }
            final long hi = Long.remainderUnsigned(random.nextLong() >>> random.nextInt(64), divisor);
            final long lo = random.nextLong();
            final BigInteger value = new BigInteger(Long.toUnsignedString(hi)).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo)));
            final BigInteger exact = value.divide(new BigInteger(Long.toUnsignedString(divisor)));
            assertEquals(exact.mod(two64).longValue(), WideMath.divideUnsigned128(hi, lo, divisor), hi + ":" + lo + " / " + divisor);
            final long signed = WideMath.divide(hi, lo, divisor);
            assertEquals(divisor > 0 && exact.bitLength() < 64 ? exact.longValue() : Long.MIN_VALUE, signed, hi + ":" + lo + " / " + divisor);
        }
    }

    @Test
    void theWideSquareRootIsTheFloorOfTheRoot()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++)
        {
            final long hi = random.nextLong() >>> (1 + random.nextInt(63));
            final long lo = random.nextLong();
            final BigInteger value = BigInteger.valueOf(hi).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo)));
            final BigInteger exact = value.sqrt();
            assertEquals(exact.bitLength() < 64 ? exact.longValue() : Long.MIN_VALUE, WideMath.isqrt(hi, lo), value.toString());
            final BigInteger square = exact.multiply(exact);
            final long root = WideMath.isqrt(square.shiftRight(64).longValue(), square.longValue());
            assertEquals(exact.bitLength() < 64 ? exact.longValue() : Long.MIN_VALUE, root, "perfect square " + square);
        }
        assertEquals(Long.MIN_VALUE, WideMath.isqrt(-1, 0));
        assertEquals(3_037_000_499L, WideMath.isqrt(0, Long.MAX_VALUE));
    }

    @Test
    void aQuotientNearAHintEqualsTheFullDivision()
    {
        final SplittableRandom random = new SplittableRandom(8);
        for (int i = 0; i < 100_000; i++)
        {
            final WideMath.Acc128 acc = new WideMath.Acc128();
            long volume = 0;
            long price = 0;
            final int trades = 1 + random.nextInt(50);
            for (int t = 0; t < trades; t++)
            {
                price = random.nextInt(4) == 0 ? random.nextLong() >>> random.nextInt(64) : 6_500_000_000_000L + random.nextLong(-1_000_000, 1_000_000);
                final long size = 1 + (random.nextLong() >>> (2 + random.nextInt(62)));
                acc.addProduct(price, size);
                volume += size;
            }
            if (volume <= 0)
            {
                continue;
            }
            final long near = random.nextInt(3) == 0 ? random.nextLong() : price;
            assertEquals(acc.divide(volume), acc.divide(volume, near), "near " + near);
        }
    }
}
