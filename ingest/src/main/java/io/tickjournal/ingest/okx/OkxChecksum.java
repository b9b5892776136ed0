package io.tickjournal.ingest.okx;

import io.tickjournal.ingest.venue.BookChecksum;
import io.tickjournal.ingest.venue.MarketEvent;

import java.util.zip.CRC32;

/**
 * OKX's book checksum: a local copy of one instrument's whole book, each level kept with the
 * scale OKX wrote it in, so the venue's exact strings are rebuilt ({@code "8477"} and
 * {@code "8477.0"} are the same price and different checksums); then CRC32 over the first 25 bids
 * and 25 asks interleaved {@code bid0Px:bid0Sz:ask0Px:ask0Sz:bid1Px:...}, skipping the missing
 * entries of the shorter side, compared as a signed 32-bit integer.
 * <p>
 * Checked whenever an event carries a non-zero checksum: OKX announced (2026) that the field
 * stays but is always 0 on {@code books}, so zero or absent means there is nothing to check, and
 * the book is still kept so a non-zero value is checked again if it comes back.
 * <p>
 * Levels live in sorted parallel arrays (bids descending, asks ascending), inserted and removed by
 * binary search and {@link System#arraycopy}; they grow past the initial 512 per side only for a
 * deeper book than OKX sends. Allocation-free after that. One per instrument; the feed's thread only.
 */
public final class OkxChecksum implements BookChecksum
{
    /** Levels per side the checksum covers. */
    public static final int DEPTH = 25;

    private final Side bids = new Side(true);
    private final Side asks = new Side(false);
    private final CRC32 crc = new CRC32();
    private final byte[] text = new byte[DEPTH * 2 * 2 * 48];
    private long lastComputed;

    @Override
    public void clear()
    {
        bids.count = 0;
        asks.count = 0;
    }

    @Override
    public boolean applyAndCheck(final MarketEvent event)
    {
        if (event.type() == MarketEvent.BOOK_SNAPSHOT)
        {
            clear();
        }
        apply(bids, event.bids());
        apply(asks, event.asks());
        if (!event.hasChecksum() || event.checksumValue() == 0)
        {
            return true;
        }
        lastComputed = compute();
        return lastComputed == (int)event.checksumValue();
    }

    @Override
    public long lastComputed()
    {
        return lastComputed;
    }

    /**
     * The checksum of the book held now.
     *
     * @return CRC32 of the check string, as a signed 32-bit value.
     */
    public int compute()
    {
        final int length = checkString();
        crc.reset();
        crc.update(text, 0, length);
        return (int)crc.getValue();
    }

    /**
     * The check string of the book held now (tests; allocates).
     *
     * @return e.g. {@code 3366.1:7:3366.8:9}.
     */
    public String checkStringText()
    {
        return new String(text, 0, checkString(), java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** @return bid levels held. */
    public int bidCount()
    {
        return bids.count;
    }

    /** @return ask levels held. */
    public int askCount()
    {
        return asks.count;
    }

    private int checkString()
    {
        int at = 0;
        for (int i = 0; i < DEPTH; i++)
        {
            if (i < bids.count)
            {
                at = level(bids, i, at);
            }
            if (i < asks.count)
            {
                at = level(asks, i, at);
            }
        }
        return at == 0 ? 0 : at - 1;
    }

    private int level(final Side side, final int i, final int start)
    {
        int at = write(side.priceMantissa[i], side.priceExponent[i], side.priceScale[i], start);
        text[at++] = ':';
        at = write(side.sizeMantissa[i], side.sizeExponent[i], side.sizeScale[i], at);
        text[at++] = ':';
        return at;
    }

    /**
     * Write {@code mantissa * 10^exponent} with {@code scale} digits after the point, as the venue wrote it.
     */
    private int write(final long mantissa, final int exponent, final int scale, final int start)
    {
        int at = start;
        long m = mantissa;
        if (m < 0)
        {
            text[at++] = '-';
            m = -m;
        }
        // The value's digits at the written scale: m's digits, then exponent + scale zeros.
        final int zeros = Math.max(0, exponent + scale);
        final int mDigits = digitCount(m);
        final int total = mDigits + zeros;
        if (total <= scale)
        {
            text[at++] = '0';
            text[at++] = '.';
            for (int z = total; z < scale; z++)
            {
                text[at++] = '0';
            }
        }
        for (int p = 0; p < total; p++)
        {
            if (scale > 0 && total > scale && p == total - scale)
            {
                text[at++] = '.';
            }
            text[at++] = (byte)('0' + (p < mDigits ? digitAt(m, mDigits, p) : 0));
        }
        return at;
    }

    private static int digitCount(final long value)
    {
        int n = 1;
        long v = value;
        while (v >= 10)
        {
            v /= 10;
            n++;
        }
        return n;
    }

    private static int digitAt(final long value, final int digits, final int index)
    {
        long v = value;
        for (int i = digits - 1; i > index; i--)
        {
            v /= 10;
        }
        return (int)(v % 10);
    }

    private static void apply(final Side side, final MarketEvent.Levels levels)
    {
        for (int i = 0; i < levels.count(); i++)
        {
            side.apply(levels.price(i), levels.priceExponent(i), levels.priceScale(i),
                levels.size(i), levels.sizeExponent(i), levels.sizeScale(i));
        }
    }

    /** One side of the book, best first. */
    private static final class Side
    {
        private final boolean descending;
        long[] priceMantissa = new long[512];
        int[] priceExponent = new int[512];
        byte[] priceScale = new byte[512];
        long[] sizeMantissa = new long[512];
        int[] sizeExponent = new int[512];
        byte[] sizeScale = new byte[512];
        int count;

        Side(final boolean descending)
        {
            this.descending = descending;
        }

        void apply(final long price, final int priceExp, final int pScale, final long size, final int sizeExp, final int sScale)
        {
            // Binary search for the price, best first.
            int low = 0;
            int high = count - 1;
            while (low <= high)
            {
                final int mid = (low + high) >>> 1;
                final int cmp = compare(priceMantissa[mid], priceExponent[mid], price, priceExp);
                final int order = descending ? -cmp : cmp;
                if (order < 0)
                {
                    low = mid + 1;
                }
                else if (order > 0)
                {
                    high = mid - 1;
                }
                else
                {
                    if (size == 0)
                    {
                        remove(mid);
                    }
                    else
                    {
                        set(mid, price, priceExp, pScale, size, sizeExp, sScale);
                    }
                    return;
                }
            }
            if (size == 0)
            {
                return;
            }
            if (count == priceMantissa.length)
            {
                grow();
            }
            final int n = count - low;
            System.arraycopy(priceMantissa, low, priceMantissa, low + 1, n);
            System.arraycopy(priceExponent, low, priceExponent, low + 1, n);
            System.arraycopy(priceScale, low, priceScale, low + 1, n);
            System.arraycopy(sizeMantissa, low, sizeMantissa, low + 1, n);
            System.arraycopy(sizeExponent, low, sizeExponent, low + 1, n);
            System.arraycopy(sizeScale, low, sizeScale, low + 1, n);
            count++;
            set(low, price, priceExp, pScale, size, sizeExp, sScale);
        }

        private void set(final int i, final long price, final int priceExp, final int pScale, final long size, final int sizeExp,
            final int sScale)
        {
            priceMantissa[i] = price;
            priceExponent[i] = priceExp;
            priceScale[i] = (byte)pScale;
            sizeMantissa[i] = size;
            sizeExponent[i] = sizeExp;
            sizeScale[i] = (byte)sScale;
        }

        private void remove(final int i)
        {
            final int n = count - i - 1;
            System.arraycopy(priceMantissa, i + 1, priceMantissa, i, n);
            System.arraycopy(priceExponent, i + 1, priceExponent, i, n);
            System.arraycopy(priceScale, i + 1, priceScale, i, n);
            System.arraycopy(sizeMantissa, i + 1, sizeMantissa, i, n);
            System.arraycopy(sizeExponent, i + 1, sizeExponent, i, n);
            System.arraycopy(sizeScale, i + 1, sizeScale, i, n);
            count--;
        }

        private void grow()
        {
            final int n = priceMantissa.length * 2;
            priceMantissa = java.util.Arrays.copyOf(priceMantissa, n);
            priceExponent = java.util.Arrays.copyOf(priceExponent, n);
            priceScale = java.util.Arrays.copyOf(priceScale, n);
            sizeMantissa = java.util.Arrays.copyOf(sizeMantissa, n);
            sizeExponent = java.util.Arrays.copyOf(sizeExponent, n);
            sizeScale = java.util.Arrays.copyOf(sizeScale, n);
        }
    }

    /**
     * Compare two non-negative decimals exactly, without overflow.
     *
     * @return negative, zero or positive as {@code a} is below, equal to or above {@code b}.
     */
    static int compare(final long aMantissa, final int aExponent, final long bMantissa, final int bExponent)
    {
        if (aExponent == bExponent || aMantissa == 0 || bMantissa == 0)
        {
            return Long.compare(aExponent == bExponent ? aMantissa : Long.signum(aMantissa),
                aExponent == bExponent ? bMantissa : Long.signum(bMantissa));
        }
        if (aExponent > bExponent)
        {
            return -compare(bMantissa, bExponent, aMantissa, aExponent);
        }
        // a has the smaller exponent: bring b down to it.
        final int shift = bExponent - aExponent;
        if (shift > 18)
        {
            return -1;
        }
        final long pow = io.tickjournal.journal.decimal.Decimals.pow10(shift);
        if (Math.multiplyHigh(bMantissa, pow) != 0 || bMantissa * pow < 0)
        {
            return -1;
        }
        return Long.compare(aMantissa, bMantissa * pow);
    }
}
