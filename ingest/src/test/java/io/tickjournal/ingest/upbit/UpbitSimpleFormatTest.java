package io.tickjournal.ingest.upbit;

import com.fasterxml.jackson.core.JsonFactory;
import io.tickjournal.ingest.venue.MarketEvent;
import io.tickjournal.ingest.venue.MarketFrame;
import io.tickjournal.ingest.venue.ParseError;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.tickjournal.ingest.venue.FixtureTree.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code SIMPLE} object format the feed subscribes with: each of both venues' fixtures, its keys
 * renamed to the abbreviations the venues document (the "축약형" columns of Upbit's trade and orderbook
 * pages and of Bithumb's v2.1.4/v2.1.5 orderbook page), its values left exactly as they are, parses to
 * the same events, field for field, as the fixture itself.
 */
class UpbitSimpleFormatTest
{
    private static final List<String> FIXTURES = List.of("upbit/trade_snapshot.json", "upbit/real_orderbook_snapshot_trimmed.json",
        "upbit/real_orderbook_realtime_trimmed.json", "bithumb/v2_real_trade.json", "bithumb/v2_real_orderbook_trimmed.json");

    private static MarketFrame parsed(final String text)
    {
        final MarketFrame frame = new MarketFrame();
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(ParseError.OK, new UpbitParser(new JsonFactory()).parse(bytes, 0, bytes.length, frame), text);
        return frame;
    }

    @Test
    void everyFixtureInTheSimpleFormatIsTheSameEventsAsInTheDefaultOne()
    {
        for (final String name : FIXTURES)
        {
            final String defaultText = text(name);
            final String simpleText = SimpleFormat.of(defaultText);
            assertFalse(simpleText.contains("\"code\""), simpleText);
            final MarketFrame expected = parsed(defaultText);
            final MarketFrame actual = parsed(simpleText);
            assertEquals(1, expected.eventCount(), name);
            assertEquals(expected.eventCount(), actual.eventCount(), name);
            assertSameEvent(expected.event(0), actual.event(0), name);
        }
    }

    @Test
    void aSimpleTradeWithoutItsIdIsRefusedNamingTheField()
    {
        final String noId = SimpleFormat.of(text("upbit/trade_snapshot.json")).replaceAll("\"sid\"\\s*:\\s*\\d+,", "");
        assertFalse(noId.contains("sid"), noId);
        final UpbitParser parser = new UpbitParser(new JsonFactory());
        final byte[] bytes = noId.getBytes(StandardCharsets.UTF_8);
        assertEquals(ParseError.MISSING_FIELD, parser.parse(bytes, 0, bytes.length, new MarketFrame()));
        assertEquals("field sequential_id", parser.errorDetail());
    }

    @Test
    void aFrameMixingBothFormatsReadsEachField()
    {
        // A venue that answered in the other format for some fields would still be read whole.
        final String mixed = SimpleFormat.of(text("bithumb/v2_real_trade.json")).replace("\"tp\"", "\"trade_price\"");
        assertSameEvent(parsed(text("bithumb/v2_real_trade.json")).event(0), parsed(mixed).event(0), mixed);
    }

    private static void assertSameEvent(final MarketEvent expected, final MarketEvent actual, final String name)
    {
        assertEquals(expected.type(), actual.type(), name);
        assertEquals(expected.channel(), actual.channel(), name);
        assertEquals(expected.symbolText(), actual.symbolText(), name);
        assertEquals(expected.eventTimeNs(), actual.eventTimeNs(), name);
        assertEquals(expected.type() == MarketEvent.TRADE, expected.has(MarketEvent.PRICE), name);
        if (expected.type() == MarketEvent.TRADE)
        {
            assertEquals(expected.tradeTimeNs(), actual.tradeTimeNs(), name);
            assertEquals(expected.tradeId(), actual.tradeId(), name);
            assertEquals(expected.side(), actual.side(), name);
            for (final int slot : new int[]{MarketEvent.PRICE, MarketEvent.SIZE})
            {
                assertTrue(actual.has(slot), name);
                assertEquals(expected.mantissa(slot), actual.mantissa(slot), name);
                assertEquals(expected.exponent(slot), actual.exponent(slot), name);
            }
        }
        assertSameLevels(expected.asks(), actual.asks(), name);
        assertSameLevels(expected.bids(), actual.bids(), name);
    }

    private static void assertSameLevels(final MarketEvent.Levels expected, final MarketEvent.Levels actual, final String name)
    {
        assertEquals(expected.count(), actual.count(), name);
        for (int i = 0; i < expected.count(); i++)
        {
            assertEquals(expected.price(i), actual.price(i), name);
            assertEquals(expected.priceExponent(i), actual.priceExponent(i), name);
            assertEquals(expected.size(i), actual.size(i), name);
            assertEquals(expected.sizeExponent(i), actual.sizeExponent(i), name);
        }
    }
}
