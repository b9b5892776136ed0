package io.tickjournal.ingest.venue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonToken;
import io.tickjournal.journal.Records;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Ids written as strings of digits (Bithumb's {@code sequential_id}, OKX's and Coinbase's trade ids)
 * are read exactly, every length up to the largest long, and anything else is not an id: expected
 * values from BigInteger.
 */
class JsonFrameParserIdsTest
{
    /** Reads {@code {"id": ...}} with {@link #longValue} and {@link #digits}. */
    private static final class IdParser extends JsonFrameParser
    {
        long longValue;
        boolean bad;
        long digitsValue;

        IdParser()
        {
            super(new JsonFactory());
        }

        @Override
        protected int parseRoot(final JsonToken first, final MarketFrame into) throws IOException
        {
            next();
            final JsonToken value = next();
            longValue = longValue(value, "id");
            bad = badLong();
            digitsValue = digits(value);
            next();
            return ParseError.OK;
        }
    }

    private final IdParser parser = new IdParser();
    private final MarketFrame frame = new MarketFrame();

    private void parse(final String id)
    {
        final byte[] bytes = ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.US_ASCII);
        assertEquals(ParseError.OK, parser.parse(bytes, 0, bytes.length, frame), id);
    }

    @Test
    void digitStringsOfEveryLengthAreReadExactlyAndOthersAreNotIds()
    {
        final BigInteger max = BigInteger.valueOf(Long.MAX_VALUE);
        final String[] ids = {
            "0", "7", "17303368620470000", "862681234567890123", "999999999999999999", "1000000000000000000",
            "9223372036854775807", "9223372036854775808", "99999999999999999999", "", "12a4", "1.5", "+5", " 5",
            "000000000000000000042", "-17303368620470000", "-9223372036854775807",
        };
        for (final String id : ids)
        {
            parse(id);
            final boolean negative = id.startsWith("-");
            final String digits = negative ? id.substring(1) : id;
            final boolean isId = !digits.isEmpty() && digits.length() <= 19 && digits.chars().allMatch(c -> c >= '0' && c <= '9') &&
                new BigInteger(digits).compareTo(max) <= 0;
            assertEquals(!isId, parser.bad, id);
            assertEquals(isId ? new BigInteger(id).longValueExact() : Records.NULL_LONG, parser.longValue, id);
            assertEquals(isId && !negative ? new BigInteger(id).longValueExact() : Records.NULL_LONG, parser.digitsValue, id);
        }
    }
}
