package io.tickjournal.journal.decimal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tickjournal.journal.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecimalParserTest
{
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final DecimalParser parser = new DecimalParser();

    @ParameterizedTest
    @CsvSource({
        "0.00001234, 1234, -8",
        "100473000.00000000, 100473, 3",
        "1.16539E8, 116539, 3",
        "7.9276E-4, 79276, -8",
        "-0, 0, 0",
        "+1.5, 15, -1",
        ".5, 5, -1",
        "5., 5, 0",
        "0, 0, 0",
        "0.00000000, 0, 0",
        "35743.98000000, 3574398, -2",
        "-12.340, -1234, -2",
        "9223372036854775807, 9223372036854775807, 0",
        "92233720368547758070000, 9223372036854775807, 4",
        "1e-5, 1, -5",
        "2E+3, 2, 3",
    })
    void shouldParseVenueSpellingsExactly(final String text, final long mantissa, final int exponent)
    {
        assertEquals(DecimalError.OK, parser.parse(text), text);
        assertEquals(mantissa, parser.mantissa(), text);
        assertEquals(exponent, parser.exponent(), text);
    }

    @ParameterizedTest
    @CsvSource({
        "'', " + DecimalError.EMPTY,
        "-, " + DecimalError.NO_DIGITS,
        "., " + DecimalError.NO_DIGITS,
        "1.2.3, " + DecimalError.SECOND_POINT,
        "1-2, " + DecimalError.MISPLACED_SIGN,
        "abc, " + DecimalError.INVALID_CHARACTER,
        "NaN, " + DecimalError.INVALID_CHARACTER,
        "1e, " + DecimalError.MISSING_EXPONENT_DIGITS,
        "e5, " + DecimalError.MISPLACED_EXPONENT,
        "1e5.0, " + DecimalError.POINT_IN_EXPONENT,
        "1e99999, " + DecimalError.EXPONENT_OUT_OF_RANGE,
        "9223372036854775808, " + DecimalError.TOO_MANY_DIGITS,
        "1.0000000000000000001, " + DecimalError.TOO_MANY_DIGITS,
        "' 1', " + DecimalError.INVALID_CHARACTER,
    })
    void shouldRejectMalformedTextWithSpecificReason(final String text, final int error)
    {
        assertEquals(error, parser.parse(text), () -> "'" + text + "': " + DecimalError.describe(parser.parse(text)));
    }

    @Test
    void shouldRescaleExactlyOrRefuse()
    {
        assertEquals(DecimalError.OK, parser.parse("35743.98"));
        assertEquals(DecimalError.OK, parser.rescale(-8));
        assertEquals(3574398000000L, parser.mantissa());

        assertEquals(DecimalError.OK, parser.parse("0.000000001"));
        assertEquals(DecimalError.NOT_EXACT_AT_SCALE, parser.rescale(-8));

        assertEquals(DecimalError.OK, parser.parse("100000000000"));
        assertEquals(DecimalError.OVERFLOW_AT_SCALE, parser.rescale(-8));

        assertEquals(DecimalError.OK, parser.parse("100473000.00000000"));
        assertEquals(DecimalError.OK, parser.rescale(-8));
        assertEquals(10047300000000000L, parser.mantissa());
    }

    /** Rescaling equals BigDecimal's exact rescale, and refuses exactly when that is inexact or leaves a long. */
    @Test
    void shouldRescaleAsBigDecimalDoesOrRefuse()
    {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        final java.math.BigInteger max = java.math.BigInteger.valueOf(Long.MAX_VALUE);
        for (int n = 0; n < 200_000; n++)
        {
            final int digits = 1 + random.nextInt(19);
            long mantissa = random.nextLong(1, Long.MAX_VALUE) % Decimals.pow10(Math.min(digits, 18));
            mantissa = random.nextBoolean() ? -mantissa : mantissa;
            if (n % 1000 == 0)
            {
                mantissa = n % 2000 == 0 ? Long.MAX_VALUE : -Long.MAX_VALUE;
            }
            final int from = random.nextInt(41) - 20;
            final int to = random.nextInt(41) - 20;
            final long got = Decimals.rescale(mantissa, from, to);
            final BigDecimal value = BigDecimal.valueOf(mantissa, -from);
            BigDecimal scaled;
            try
            {
                scaled = value.setScale(-to);
            }
            catch (final ArithmeticException ex)
            {
                scaled = null;
            }
            final String what = mantissa + "e" + from + " to e" + to;
            if (scaled == null || scaled.unscaledValue().abs().compareTo(max) > 0)
            {
                assertEquals(Decimals.NOT_REPRESENTABLE, got, what);
            }
            else
            {
                assertEquals(scaled.unscaledValue().longValueExact(), got, what);
            }
        }
    }

    @Test
    void shouldFormatBackToThePlainValue()
    {
        assertEquals("35743.98000000", Decimals.toString(3574398000000L, -8));
        assertEquals("0.00001234", Decimals.toString(1234, -8));
        assertEquals("-0.5", Decimals.toString(-5, -1));
        assertEquals("116539000", Decimals.toString(116539, 3));
    }

    @Test
    void shouldParseBytesAndCharsTheSameAsText()
    {
        final String text = "-123.4500E-2";
        final byte[] bytes = ("xx" + text).getBytes(StandardCharsets.US_ASCII);
        final char[] chars = ("yyy" + text).toCharArray();
        parser.parse(text);
        final long m = parser.mantissa();
        final int e = parser.exponent();
        assertEquals(DecimalError.OK, parser.parse(bytes, 2, text.length()));
        assertEquals(m, parser.mantissa());
        assertEquals(e, parser.exponent());
        assertEquals(DecimalError.OK, parser.parse(chars, 3, text.length()));
        assertEquals(m, parser.mantissa());
        assertEquals(e, parser.exponent());
        assertEquals(0, new BigDecimal(text).compareTo(BigDecimal.valueOf(m, -e)));
    }

    /**
     * The character-array path (Jackson's buffer, with its one-pass fast path) agrees with the general
     * scan of the same text on every result code and written scale, and every accepted value equals
     * BigDecimal's reading: random text from the decimal alphabet (mostly malformed) and random
     * well-formed decimals around the 18- and 19-digit edges, with trailing zeros and exponents.
     */
    @Test
    void shouldParseCharsExactlyAsTheGeneralScanAndBigDecimalDo()
    {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(14);
        final String alphabet = "0000123456789..--++eE";
        final DecimalParser reference = new DecimalParser();
        int accepted = 0;
        for (int n = 0; n < 400_000; n++)
        {
            final StringBuilder text = new StringBuilder();
            if ((n & 1) == 0)
            {
                for (int i = 0, len = random.nextInt(12); i < len; i++)
                {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            else
            {
                text.append(random.nextInt(4) == 0 ? "-" : random.nextInt(8) == 0 ? "+" : "");
                final int digits = 1 + random.nextInt(24);
                final int point = random.nextInt(digits + 2) - 1;
                for (int i = 0; i < digits; i++)
                {
                    if (i == point)
                    {
                        text.append('.');
                    }
                    text.append(random.nextInt(3) == 0 ? '0' : (char)('0' + random.nextInt(10)));
                }
                if (random.nextInt(3) == 0)
                {
                    text.append(random.nextBoolean() ? 'E' : 'e').append(random.nextInt(3) == 0 ? "-" : "")
                        .append(random.nextInt(random.nextInt(8) == 0 ? 1_200 : 20));
                }
            }
            final String s = text.toString();
            final char[] chars = ("#" + s + "#").toCharArray();
            final int expected = reference.parse(s);
            final int rc = parser.parse(chars, 1, s.length());
            assertEquals(expected, rc, s);
            if (rc != DecimalError.OK)
            {
                continue;
            }
            accepted++;
            assertEquals(reference.mantissa(), parser.mantissa(), s);
            assertEquals(reference.exponent(), parser.exponent(), s);
            assertEquals(reference.writtenScale(), parser.writtenScale(), s);
            assertEquals(0, new BigDecimal(s).compareTo(BigDecimal.valueOf(parser.mantissa(), -parser.exponent())), s);
            assertTrue(parser.mantissa() == 0 ? parser.exponent() == 0 : parser.mantissa() % 10 != 0, s);
        }
        assertTrue(accepted > 150_000, "most generated decimals should be accepted, got " + accepted);
    }

    /** Every decimal string and number in every venue fixture parses to exactly what BigDecimal reads. */
    @Test
    void shouldParseEveryNumberInEveryFixtureExactly() throws IOException
    {
        final JsonFactory factory = new JsonFactory();
        final List<String> seen = new ArrayList<>();
        for (final Path file : Fixtures.all(".json"))
        {
            try (JsonParser json = factory.createParser(file.toFile()))
            {
                JsonToken token;
                while ((token = json.nextToken()) != null)
                {
                    if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT ||
                        token == JsonToken.VALUE_NUMBER_FLOAT)
                    {
                        final String text = json.getText();
                        if (!DECIMAL.matcher(text).matches())
                        {
                            continue;
                        }
                        final BigDecimal expected = new BigDecimal(text);
                        final int rc = parser.parse(json.getTextCharacters(), json.getTextOffset(), json.getTextLength());
                        if (expected.stripTrailingZeros().unscaledValue().bitLength() > 63)
                        {
                            assertEquals(DecimalError.TOO_MANY_DIGITS, rc, file + ": " + text);
                            continue;
                        }
                        assertEquals(DecimalError.OK, rc, () -> file + ": " + text + " " + DecimalError.describe(rc));
                        assertEquals(0, expected.compareTo(BigDecimal.valueOf(parser.mantissa(), -parser.exponent())),
                            file + ": " + text);
                        seen.add(text);
                    }
                }
            }
        }
        assertTrue(seen.size() > 500, "fixtures should hold hundreds of numbers, saw " + seen.size());
        assertTrue(seen.contains("1.16539E8"), "Upbit's exponent spelling must be among them");
        assertTrue(seen.contains("100473000.00000000"), "Binance's zero-padded spelling must be among them");
        assertTrue(seen.stream().anyMatch(s -> s.startsWith("0.0000")), "small decimals must be among them");
    }
}
