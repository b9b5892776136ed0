package io.tickjournal.ingest.venue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickjournal.journal.Fixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Fixtures read independently of the parsers under test: Jackson's tree model with every number
 * kept as {@link BigDecimal} (and integers as BigInteger), so expected values come from the venue's
 * own text, never through a double.
 */
public final class FixtureTree
{
    public static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private FixtureTree()
    {
    }

    /**
     * @param relative a fixture, e.g. {@code upbit/trade_snapshot.json}.
     * @return its text.
     */
    public static String text(final String relative)
    {
        return new String(Fixtures.bytes(relative), StandardCharsets.UTF_8);
    }

    /**
     * @param relative a fixture.
     * @return its tree.
     */
    public static JsonNode fixture(final String relative)
    {
        return tree(text(relative));
    }

    /**
     * @param text JSON.
     * @return its tree.
     */
    public static JsonNode tree(final String text)
    {
        try
        {
            return MAPPER.readTree(text);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @param node a tree.
     * @return its JSON text (numbers as they were read: exponent forms stay exponent forms).
     */
    public static String write(final JsonNode node)
    {
        try
        {
            return MAPPER.writeValueAsString(node);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @param node a JSON number or a string holding one.
     * @return its exact value.
     */
    public static BigDecimal decimal(final JsonNode node)
    {
        return node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText());
    }

    /**
     * @param mantissa a mantissa.
     * @param exponent its exponent.
     * @return the value.
     */
    public static BigDecimal value(final long mantissa, final int exponent)
    {
        return BigDecimal.valueOf(mantissa, -exponent);
    }

    /**
     * @param value    a value.
     * @param exponent an exponent.
     * @return its mantissa at that exponent, exactly (fails when it does not fit).
     */
    public static long mantissa(final BigDecimal value, final int exponent)
    {
        return value.movePointLeft(exponent).longValueExact();
    }
}
