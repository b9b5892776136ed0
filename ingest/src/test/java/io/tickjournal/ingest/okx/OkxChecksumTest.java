package io.tickjournal.ingest.okx;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickjournal.ingest.venue.MarketFrame;
import io.tickjournal.ingest.venue.ParseError;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.CRC32;

import static io.tickjournal.ingest.venue.FixtureJson.fixture;
import static io.tickjournal.ingest.venue.FixtureJson.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OkxChecksum} against the fixture's vectors (one verified on a real capture) and against
 * an independent model: a map of the venue's exact strings, its check string and {@link CRC32}.
 */
class OkxChecksumTest
{
    private final OkxParser parser = new OkxParser();
    private final MarketFrame frame = new MarketFrame();
    private final OkxChecksum checksum = new OkxChecksum();

    private boolean apply(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(ParseError.OK, parser.parse(bytes, 0, bytes.length, frame), parser.errorDetail());
        return checksum.applyAndCheck(frame.event(0));
    }

    private static String levels(final JsonNode side)
    {
        final List<String> out = new ArrayList<>();
        for (final JsonNode level : side)
        {
            out.add("[\"" + level.get(0).asText() + "\",\"" + level.get(1).asText() + "\",\"0\",\"1\"]");
        }
        return "[" + String.join(",", out) + "]";
    }

    private static String books(final String action, final String bids, final String asks, final long checksum, final long prev,
        final long seq)
    {
        return "{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"" + action + "\",\"data\":[{\"asks\":" + asks +
            ",\"bids\":" + bids + ",\"ts\":\"1646315100798\",\"checksum\":" + checksum + ",\"prevSeqId\":" + prev +
            ",\"seqId\":" + seq + "}]}";
    }

    @Test
    void theRealCaptureVerifies()
    {
        assertTrue(apply(text("okx/real_books-l2-tbt_snapshot_option_checksum.json")));
        assertEquals(971343753, checksum.lastComputed());
        assertEquals("0.0005:305:0.001:550", checksum.checkStringText());
    }

    @Test
    void everyVectorGivesItsCheckStringAndChecksum()
    {
        for (final JsonNode vector : fixture("okx/checksum_test_vectors.json").get("vectors"))
        {
            final long expected = vector.get("checksum").asLong();
            checksum.clear();
            assertTrue(apply(books("snapshot", levels(vector.get("bids")), levels(vector.get("asks")), expected, -1, 1)),
                vector.get("id").asText());
            assertEquals(vector.get("checkString").asText(), checksum.checkStringText(), vector.get("id").asText());
            assertEquals(expected, checksum.lastComputed());
            checksum.clear();
            assertFalse(apply(books("snapshot", levels(vector.get("bids")), levels(vector.get("asks")), expected + 1, -1, 1)),
                "a wrong checksum is a mismatch");
        }
    }

    @Test
    void theDocExampleChecksumDoesNotMatchItsLevelsAsTheSourcesWarn()
    {
        assertFalse(apply(text("okx/books_snapshot.json")));
        assertEquals(-2102840145, checksum.lastComputed(), "SOURCES.md: CRC over the printed levels");
    }

    @Test
    void aZeroChecksumIsNotCheckedButTheBookIsKept()
    {
        assertTrue(apply(books("snapshot", "[[\"1.0\",\"2\",\"0\",\"1\"]]", "[[\"3\",\"4\",\"0\",\"1\"]]", 0, -1, 1)));
        assertEquals(1, checksum.bidCount());
        assertEquals(1, checksum.askCount());
        assertEquals("1.0:2:3:4", checksum.checkStringText(), "the written scale is kept: 1.0, not 1");
    }

    @Test
    void aBookOfManyUpdatesMatchesAnIndependentModelOfTheVenuesStrings()
    {
        // The venue: price -> [priceText, sizeText] per side, best first; its check string; CRC32.
        final TreeMap<BigDecimal, String[]> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<BigDecimal, String[]> asks = new TreeMap<>();
        final SplittableRandom random = new SplittableRandom(11);
        long seq = 1;
        for (int step = 0; step < 400; step++)
        {
            final boolean snapshot = step == 0;
            final StringBuilder bidText = new StringBuilder("[");
            final StringBuilder askText = new StringBuilder("[");
            for (int k = 0; k < (snapshot ? 60 : 1 + random.nextInt(6)); k++)
            {
                final boolean bid = random.nextBoolean();
                // Prices below and above 30000 on a 0.1 grid, written with 0, 1 or 2 decimals as OKX may.
                final long tenths = bid ? 299_000 - random.nextInt(120) : 300_010 + random.nextInt(120);
                final BigDecimal price = BigDecimal.valueOf(tenths, 1);
                final String priceText = tenths % 10 == 0 && random.nextBoolean() ? price.setScale(0).toPlainString() :
                    random.nextInt(4) == 0 ? price.setScale(2).toPlainString() : price.toPlainString();
                final boolean remove = !snapshot && random.nextInt(3) == 0;
                final String sizeText = remove ? "0" : BigDecimal.valueOf(1 + random.nextInt(5000), random.nextInt(4)).toPlainString();
                final Map<BigDecimal, String[]> side = bid ? bids : asks;
                if (remove)
                {
                    side.remove(price);
                }
                else
                {
                    side.put(price, new String[] {priceText, sizeText});
                }
                final StringBuilder text = bid ? bidText : askText;
                text.append(text.length() > 1 ? "," : "").append("[\"").append(priceText).append("\",\"").append(sizeText)
                    .append("\",\"0\",\"1\"]");
            }
            final List<String[]> b = new ArrayList<>(bids.values());
            final List<String[]> a = new ArrayList<>(asks.values());
            final StringBuilder check = new StringBuilder();
            for (int i = 0; i < 25; i++)
            {
                if (i < b.size())
                {
                    check.append(check.length() > 0 ? ":" : "").append(b.get(i)[0]).append(':').append(b.get(i)[1]);
                }
                if (i < a.size())
                {
                    check.append(check.length() > 0 ? ":" : "").append(a.get(i)[0]).append(':').append(a.get(i)[1]);
                }
            }
            final CRC32 crc = new CRC32();
            crc.update(check.toString().getBytes(StandardCharsets.US_ASCII));
            final int expected = (int)crc.getValue();
            final String message = books(snapshot ? "snapshot" : "update", bidText.append(']').toString(),
                askText.append(']').toString(), expected == 0 ? 1 : expected, snapshot ? -1 : seq, seq + 1);
            seq++;
            assertTrue(apply(message), "step " + step + ": " + check + " vs " + checksum.checkStringText());
            assertEquals(check.toString(), checksum.checkStringText(), "step " + step);
            assertEquals(bids.size(), checksum.bidCount());
            assertEquals(asks.size(), checksum.askCount());
        }
    }
}
