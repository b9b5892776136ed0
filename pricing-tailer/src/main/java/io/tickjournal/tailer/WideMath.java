package io.tickjournal.tailer;

/**
 * Exact integer arithmetic for fixed-point features: 128-bit products and sums held as two
 * longs, divided back to 64 bits with truncation toward zero. No {@code double}, no allocation,
 * the same bits on every JVM.
 */
public final class WideMath
{
    private WideMath()
    {
    }

    /**
     * {@code a * b / c} with a 128-bit intermediate, truncated toward zero.
     *
     * @param a any value.
     * @param b any value.
     * @param c a non-zero divisor.
     * @return the quotient, or {@link Long#MIN_VALUE} when it does not fit in 64 bits.
     */
    public static long mulDiv(final long a, final long b, final long c)
    {
        final boolean negative = (a < 0) ^ (b < 0) ^ (c < 0);
        final long ua = Math.abs(a);
        final long ub = Math.abs(b);
        final long uc = Math.abs(c);
        final long hi = Math.multiplyHigh(ua, ub);
        final long lo = ua * ub;
        final long q = divide(hi, lo, uc);
        if (q == Long.MIN_VALUE)
        {
            return Long.MIN_VALUE;
        }
        return negative ? -q : q;
    }

    /**
     * The unsigned 128-bit value {@code (hi, lo)} divided by a positive 64-bit divisor.
     *
     * @param hi      high 64 bits (non-negative).
     * @param lo      low 64 bits (unsigned).
     * @param divisor positive divisor.
     * @return the quotient, or {@link Long#MIN_VALUE} when it does not fit in 63 bits.
     */
    public static long divide(final long hi, final long lo, final long divisor)
    {
        if (divisor <= 0 || hi < 0)
        {
            return Long.MIN_VALUE;
        }
        if (hi == 0)
        {
            if (lo >= 0)
            {
                return lo / divisor;
            }
            final long q = Long.divideUnsigned(lo, divisor);
            return q < 0 ? Long.MIN_VALUE : q;
        }
        if (Long.compareUnsigned(hi, divisor) >= 0)
        {
            return Long.MIN_VALUE;
        }
        // Shift-subtract: 64 steps, remainder always < divisor.
        long remainder = hi;
        long quotient = 0;
        for (int i = 63; i >= 0; i--)
        {
            final boolean carry = remainder < 0;
            remainder = (remainder << 1) | ((lo >>> i) & 1);
            quotient <<= 1;
            if (carry || Long.compareUnsigned(remainder, divisor) >= 0)
            {
                remainder -= divisor;
                quotient |= 1;
            }
        }
        return quotient < 0 ? Long.MIN_VALUE : quotient;
    }

    /**
     * Floor of the square root.
     *
     * @param value non-negative.
     * @return its integer square root.
     */
    public static long isqrt(final long value)
    {
        if (value < 2)
        {
            return Math.max(0, value);
        }
        long x = 1L << ((64 - Long.numberOfLeadingZeros(value) + 1) / 2);
        while (true)
        {
            final long y = (x + value / x) >>> 1;
            if (y >= x)
            {
                break;
            }
            x = y;
        }
        while (x * x > value)
        {
            x--;
        }
        while ((x + 1) * (x + 1) <= value && (x + 1) * (x + 1) > 0)
        {
            x++;
        }
        return x;
    }

    /** A signed 128-bit accumulator (two's complement over {@code hi:lo}). */
    public static final class Acc128
    {
        long hi;
        long lo;

        /** Add {@code a * b}. */
        public void addProduct(final long a, final long b)
        {
            add(Math.multiplyHigh(a, b), a * b);
        }

        /** Subtract {@code a * b}. */
        public void subtractProduct(final long a, final long b)
        {
            final long pHi = Math.multiplyHigh(a, b);
            final long pLo = a * b;
            // negate (pHi, pLo)
            final long nLo = -pLo;
            final long nHi = ~pHi + (pLo == 0 ? 1 : 0);
            add(nHi, nLo);
        }

        void add(final long addHi, final long addLo)
        {
            final long sum = lo + addLo;
            final long carry = Long.compareUnsigned(sum, lo) < 0 ? 1 : 0;
            lo = sum;
            hi = hi + addHi + carry;
        }

        /** @return the value divided by a positive divisor, truncated toward zero, or MIN_VALUE when it does not fit. */
        public long divide(final long divisor)
        {
            if (hi < 0)
            {
                final long nLo = -lo;
                final long nHi = ~hi + (lo == 0 ? 1 : 0);
                final long q = WideMath.divide(nHi, nLo, divisor);
                return q == Long.MIN_VALUE ? q : -q;
            }
            return WideMath.divide(hi, lo, divisor);
        }

        /** @return true when zero. */
        public boolean isZero()
        {
            return hi == 0 && lo == 0;
        }

        /** Reset to zero. */
        public void clear()
        {
            hi = 0;
            lo = 0;
        }
    }
}
