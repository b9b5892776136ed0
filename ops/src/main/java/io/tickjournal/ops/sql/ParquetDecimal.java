package io.tickjournal.ops.sql;

import io.tickjournal.journal.decimal.Decimals;

import java.math.BigInteger;

/**
 * Turns a journal decimal (int64 mantissa at a base-10 exponent) into the unscaled value of a Parquet
 * {@code DECIMAL(38, 18)}: a 16-byte big-endian two's-complement integer, the value times 10^18.
 * <p>
 * Why one scale for every column and instrument: ingest accepts instrument exponents from -18 to 0, so at
 * scale 18 every price and size the journal can hold is exact (|mantissa| &lt; 2^63 makes at most 37 digits),
 * and every file of every partition and day shares one schema, which is what lets an engine read
 * {@code trades/**}{@code /*.parquet} as one table. A value that needs more than 18 decimals, or more than
 * 38 digits, is refused with the reason, never rounded.
 * <p>
 * Stateless; {@link #unscaled} writes into the caller's array, so a writer reuses one per column.
 */
public final class ParquetDecimal
{
    /** Digits after the point in every exported decimal. */
    public static final int SCALE = 18;
    /** Digits in all (the widest DECIMAL the engines read: DuckDB, Spark, Trino). */
    public static final int PRECISION = 38;
    /** Bytes of the fixed-length unscaled value (enough for 38 digits). */
    public static final int BYTES = 16;

    private static final BigInteger LIMIT = BigInteger.TEN.pow(PRECISION);

    private ParquetDecimal()
    {
    }

    /**
     * Write mantissa * 10^exponent as the unscaled value of a {@code DECIMAL(38, 18)}.
     *
     * @param mantissa the journal's mantissa.
     * @param exponent its base-10 exponent.
     * @param out      16 bytes, big-endian two's complement, overwritten.
     * @throws IllegalArgumentException when the value would need rounding or more than 38 digits.
     */
    public static void unscaled(final long mantissa, final int exponent, final byte[] out)
    {
        final int shift = SCALE + exponent;
        if (shift >= 0 && shift <= Decimals.MAX_POW10)
        {
            // |mantissa| < 2^63 and 10^shift <= 10^18: the product has at most 37 digits, so it always fits
            final long factor = Decimals.pow10(shift);
            writeLong(Math.multiplyHigh(mantissa, factor), out, 0);
            writeLong(mantissa * factor, out, 8);
            return;
        }
        if (shift < 0)
        {
            final int drop = -shift;
            if (mantissa != 0 && (drop > Decimals.MAX_POW10 || mantissa % Decimals.pow10(drop) != 0))
            {
                throw new IllegalArgumentException(Decimals.toString(mantissa, exponent) + " has more than " + SCALE +
                    " decimals: Parquet DECIMAL(" + PRECISION + "," + SCALE + ") cannot hold it exactly");
            }
            final long value = mantissa == 0 ? 0 : mantissa / Decimals.pow10(drop);
            writeLong(value < 0 ? -1L : 0L, out, 0);
            writeLong(value, out, 8);
            return;
        }
        final BigInteger value = BigInteger.valueOf(mantissa).multiply(BigInteger.TEN.pow(shift));
        if (value.abs().compareTo(LIMIT) >= 0)
        {
            throw new IllegalArgumentException(mantissa + "E" + exponent + " has more than " + PRECISION +
                " digits at scale " + SCALE + ": Parquet DECIMAL(" + PRECISION + "," + SCALE + ") cannot hold it");
        }
        final byte[] bytes = value.toByteArray();
        final byte sign = value.signum() < 0 ? (byte)-1 : 0;
        final int pad = BYTES - bytes.length;
        for (int i = 0; i < BYTES; i++)
        {
            out[i] = i < pad ? sign : bytes[i - pad];
        }
    }

    private static void writeLong(final long value, final byte[] out, final int at)
    {
        for (int i = 0; i < 8; i++)
        {
            out[at + i] = (byte)(value >>> (56 - 8 * i));
        }
    }
}
