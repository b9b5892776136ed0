package io.tickjournal.ops.sql;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unscaled DECIMAL(38, 18) of a journal decimal, against {@link BigDecimal}: exact for every exponent
 * ingest accepts (-18..0) and every int64 mantissa, exact below -18 only when the digits dropped are zeros,
 * and refused (never rounded) otherwise.
 */
class ParquetDecimalTest
{
    private static final long[][] EXACT = {
        {6_500_012_345_678L, -8},
        {-6_500_012_345_678L, -8},
        {0, -8},
        {0, 5},
        {1, -18},
        {-1, -18},
        {Long.MAX_VALUE, -18},
        {Long.MIN_VALUE, -18},
        {Long.MAX_VALUE, 0},
        {Long.MIN_VALUE, 0},
        {123, -2},
        {-309_000_01L, -8},
        {42, 3},
        {Long.MAX_VALUE, 1},
        {-5, 19},
        {1_200, -20},
        {-7_000_000_000_000_000_000L / 1_000, -21},
    };

    @Test
    void shouldGiveTheExactUnscaledValueForEveryExponentIngestAccepts()
    {
        final byte[] out = new byte[ParquetDecimal.BYTES];
        for (final long[] c : EXACT)
        {
            ParquetDecimal.unscaled(c[0], (int)c[1], out);
            final BigInteger expected = BigDecimal.valueOf(c[0], (int)-c[1]).setScale(ParquetDecimal.SCALE).unscaledValue();
            assertEquals(expected, new BigInteger(out), c[0] + "E" + c[1]);
        }
        for (int exponent = -18; exponent <= 0; exponent++)
        {
            for (final long mantissa : new long[]{Long.MAX_VALUE, Long.MIN_VALUE, 999_999_999_999L, -1})
            {
                ParquetDecimal.unscaled(mantissa, exponent, out);
                assertEquals(BigDecimal.valueOf(mantissa, -exponent).setScale(ParquetDecimal.SCALE).unscaledValue(),
                    new BigInteger(out), mantissa + "E" + exponent);
            }
        }
    }

    @Test
    void shouldRefuseAValueThatWouldNeedRoundingOrMoreThan38Digits()
    {
        final byte[] out = new byte[ParquetDecimal.BYTES];
        final IllegalArgumentException rounding = assertThrows(IllegalArgumentException.class,
            () -> ParquetDecimal.unscaled(1_234_567, -20, out));
        assertTrue(rounding.getMessage().contains("0.00000000000001234567"), rounding.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ParquetDecimal.unscaled(1, -40, out));
        final IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
            () -> ParquetDecimal.unscaled(Long.MAX_VALUE, 2, out));
        assertTrue(wide.getMessage().contains("38 digits"), wide.getMessage());
    }
}
