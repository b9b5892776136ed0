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
        final long productHi = Math.multiplyHigh(a, b);
        final long product = a * b;
        if (c > 0 && productHi == (product >> 63) && product != Long.MIN_VALUE)
        {
            // the product fits 63 bits and a sign: one hardware division, which truncates toward zero too
            // (a feature's ratio, e.g. a flow imbalance at 1e-6, almost always takes this path)
            return product / c;
        }
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
            final long q = divideUnsigned(lo, divisor);
            return q < 0 ? Long.MIN_VALUE : q;
        }
        if (Long.compareUnsigned(hi, divisor) >= 0)
        {
            return Long.MIN_VALUE;
        }
        final long quotient = divideUnsigned128(hi, lo, divisor);
        return quotient < 0 ? Long.MIN_VALUE : quotient;
    }

    /**
     * An unsigned 64-bit dividend divided by a positive (signed) divisor. Java 17's
     * {@link Long#divideUnsigned} takes a BigInteger detour (and allocates) for a dividend with its
     * top bit set; halving it first keeps this to one hardware division (Hacker's Delight 9-3).
     */
    static long divideUnsigned(final long dividend, final long divisor)
    {
        if (dividend >= 0)
        {
            return dividend / divisor;
        }
        final long quotient = ((dividend >>> 1) / divisor) << 1;
        final long remainder = dividend - quotient * divisor;
        return quotient + (Long.compareUnsigned(remainder, divisor) >= 0 ? 1 : 0);
    }

    /**
     * The unsigned 128-bit {@code (hi, lo)} divided by an unsigned 64-bit divisor larger than
     * {@code hi}, so the quotient fits in 64 unsigned bits: Knuth's algorithm D on 32-bit digits
     * (Hacker's Delight, {@code divlu}), two hardware divisions instead of 64 shift-subtract steps.
     */
    static long divideUnsigned128(final long hi, final long lo, final long divisor)
    {
        final long base = 1L << 32;
        final int shift = Long.numberOfLeadingZeros(divisor);
        final long v = divisor << shift;
        final long vn1 = v >>> 32;
        final long vn0 = v & 0xFFFF_FFFFL;
        final long un32 = (hi << shift) | (shift == 0 ? 0 : lo >>> (64 - shift));
        final long un10 = lo << shift;
        final long un1 = un10 >>> 32;
        final long un0 = un10 & 0xFFFF_FFFFL;

        long q1 = divideUnsigned(un32, vn1);
        long rhat = un32 - q1 * vn1;
        while (Long.compareUnsigned(q1, base) >= 0 || Long.compareUnsigned(q1 * vn0, (rhat << 32) + un1) > 0)
        {
            q1--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, base) >= 0)
            {
                break;
            }
        }
        final long un21 = (un32 << 32) + un1 - q1 * v;
        long q0 = divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (Long.compareUnsigned(q0, base) >= 0 || Long.compareUnsigned(q0 * vn0, (rhat << 32) + un0) > 0)
        {
            q0--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, base) >= 0)
            {
                break;
            }
        }
        return (q1 << 32) + q0;
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

    /**
     * Floor of the square root of a non-negative 128-bit value {@code (hi, lo)}, exact: bit by bit
     * (the root has at most 64 bits), with the 64-bit {@link #isqrt(long)} when the value fits.
     *
     * @param hi high 64 bits (non-negative).
     * @param lo low 64 bits (unsigned).
     * @return the root, or {@link Long#MIN_VALUE} when it does not fit in 63 bits (or the value is negative).
     */
    public static long isqrt(final long hi, final long lo)
    {
        if (hi < 0)
        {
            return Long.MIN_VALUE;
        }
        if (hi == 0 && lo >= 0)
        {
            return isqrt(lo);
        }
        // Digit-by-digit over the 128-bit value: remainder (rHi, rLo), root grows one bit a step.
        long remHi = 0;
        long remLo = 0;
        long root = 0;
        long vHi = hi;
        long vLo = lo;
        for (int i = 0; i < 64; i++)
        {
            // remainder = remainder * 4 + next two bits of the value
            remHi = (remHi << 2) | (remLo >>> 62);
            remLo = (remLo << 2) | (vHi >>> 62);
            vHi = (vHi << 2) | (vLo >>> 62);
            vLo <<= 2;
            // trial = root * 4 + 1 (as 128 bits: root < 2^64, so root * 4 + 1 < 2^66)
            final long trialHi = root >>> 62;
            final long trialLo = (root << 2) | 1;
            root <<= 1;
            if (remHi > trialHi || (remHi == trialHi && Long.compareUnsigned(remLo, trialLo) >= 0))
            {
                final long newLo = remLo - trialLo;
                remHi = remHi - trialHi - (Long.compareUnsigned(remLo, trialLo) < 0 ? 1 : 0);
                remLo = newLo;
                root |= 1;
            }
        }
        return root < 0 ? Long.MIN_VALUE : root;
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

        /**
         * The same quotient as {@link #divide(long)}, usually with one 64-bit division: for a
         * non-negative value N and an integer {@code near} close to the quotient,
         * {@code floor(N / d) = near + floor((N - near * d) / d)}, and the remainder term fits 64
         * bits whenever {@code near} is close (a VWAP near the last trade price). Otherwise it falls
         * back to the full 128-bit division.
         *
         * @param divisor positive divisor.
         * @param near    any integer; the closer to the quotient, the likelier the fast path.
         * @return the quotient truncated toward zero, or MIN_VALUE when it does not fit.
         */
        public long divide(final long divisor, final long near)
        {
            if (hi >= 0 && divisor > 0)
            {
                final long pHi = Math.multiplyHigh(near, divisor);
                final long pLo = near * divisor;
                final long dLo = lo - pLo;
                final long dHi = hi - pHi - (Long.compareUnsigned(lo, pLo) < 0 ? 1 : 0);
                if (dHi == (dLo >> 63))
                {
                    if (dLo >= 0 && dLo < divisor)
                    {
                        return near; // the quotient is the hint itself: no division at all
                    }
                    final long f = Math.floorDiv(dLo, divisor);
                    final long q = near + f;
                    if (((near ^ q) & (f ^ q)) >= 0)
                    {
                        return q;
                    }
                }
            }
            return divide(divisor);
        }

        /** Add another accumulator's value. */
        public void add(final Acc128 other)
        {
            add(other.hi, other.lo);
        }

        /** Subtract another accumulator's value. */
        public void subtract(final Acc128 other)
        {
            add(~other.hi + (other.lo == 0 ? 1 : 0), -other.lo);
        }

        /** @return the high 64 bits (two's complement). */
        public long high()
        {
            return hi;
        }

        /** @return the low 64 bits (unsigned). */
        public long low()
        {
            return lo;
        }

        /** @return the floor of the square root of a non-negative value, or MIN_VALUE when negative or too large. */
        public long sqrt()
        {
            return WideMath.isqrt(hi, lo);
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
