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
 * Reads fixtures independently of the code under test: Jackson's tree model with every number as
 * {@link BigDecimal}, so expected values come from the fixture's own text.
 */
public final class FixtureJson
{
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private FixtureJson()
    {
    }

    /**
     * @param relative e.g. {@code bybit/publicTrade.json}.
     * @return its text.
     */
    public static String text(final String relative)
    {
        return new String(Fixtures.bytes(relative), StandardCharsets.UTF_8);
    }

    /**
     * @param text JSON text.
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
     * @param relative a fixture.
     * @return its tree.
     */
    public static JsonNode fixture(final String relative)
    {
        return tree(text(relative));
    }

    /**
     * @param node a string or number node.
     * @return its exact value.
     */
    public static BigDecimal decimal(final JsonNode node)
    {
        return node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText());
    }

    /**
     * A mantissa at an exponent, exactly (fails if the value does not fit it).
     *
     * @param value    the value.
     * @param exponent the exponent.
     * @return the mantissa.
     */
    public static long mantissa(final BigDecimal value, final int exponent)
    {
        return value.movePointLeft(exponent).longValueExact();
    }

    /**
     * @param node a node.
     * @return the text written back (tests that change a fixture's field).
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
     * @param mantissa a mantissa.
     * @param exponent its exponent.
     * @return the value.
     */
    public static BigDecimal value(final long mantissa, final int exponent)
    {
        return BigDecimal.valueOf(mantissa, -exponent);
    }
}
