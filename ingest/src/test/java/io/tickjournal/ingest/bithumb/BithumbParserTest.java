package io.tickjournal.ingest.bithumb;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickjournal.ingest.venue.MarketEvent;
import io.tickjournal.ingest.venue.MarketFrame;
import io.tickjournal.ingest.venue.ParseError;
import io.tickjournal.ingest.venue.VenueParser;
import io.tickjournal.journal.sbe.Side;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import static io.tickjournal.ingest.venue.FixtureTree.decimal;
import static io.tickjournal.ingest.venue.FixtureTree.fixture;
import static io.tickjournal.ingest.venue.FixtureTree.text;
import static io.tickjournal.ingest.venue.FixtureTree.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bithumb v2's real captures through the venue's parser: its spellings (ids and microsecond times as
 * strings) give the same events as Upbit's, numbers checked against the fixture text as BigDecimal.
 */
class BithumbParserTest
{
    private final VenueParser parser = BithumbProtocol.venue().protocol().newParser();
    private final MarketFrame frame = new MarketFrame();

    private int parse(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return parser.parse(bytes, 0, bytes.length, frame);
    }

    private static BigDecimal of(final MarketEvent e, final int slot)
    {
        return value(e.mantissa(slot), e.exponent(slot));
    }

    @Test
    void theRealTradeKeepsItsStringSequentialIdExactly()
    {
        final JsonNode json = fixture("bithumb/v2_real_trade.json");
        assertTrue(json.get("sequential_id").isTextual());
        assertEquals(ParseError.OK, parse(text("bithumb/v2_real_trade.json")));
        final MarketEvent e = frame.event(0);
        assertEquals(MarketEvent.TRADE, e.type());
        assertEquals("KRW-BTC", e.symbolText());
        assertEquals(new BigInteger(json.get("sequential_id").asText()), BigInteger.valueOf(e.tradeId()));
        assertEquals(0, decimal(json.get("trade_price")).compareTo(of(e, MarketEvent.PRICE)));
        assertEquals(0, decimal(json.get("trade_volume")).compareTo(of(e, MarketEvent.SIZE)));
        assertEquals(json.get("trade_timestamp").longValue() * 1_000_000L, e.tradeTimeNs());
        assertEquals(json.get("timestamp").longValue() * 1_000_000L, e.eventTimeNs());
        assertEquals(Side.SELL, e.side());
    }

    @Test
    void theRealOrderbookTakesItsMicrosecondStringTimestamp()
    {
        final JsonNode json = fixture("bithumb/v2_real_orderbook_trimmed.json");
        assertTrue(json.get("timestamp").isTextual());
        assertEquals(ParseError.OK, parse(text("bithumb/v2_real_orderbook_trimmed.json")));
        final MarketEvent e = frame.event(0);
        assertEquals(MarketEvent.BOOK_SNAPSHOT, e.type());
        assertEquals(Long.parseLong(json.get("timestamp").asText()) * 1_000L, e.eventTimeNs(), "microseconds, by magnitude");
        final JsonNode unit = json.get("orderbook_units").get(0);
        assertEquals(1, e.asks().count());
        assertEquals(1, e.bids().count());
        assertEquals(0, decimal(unit.get("ask_price")).compareTo(value(e.asks().price(0), e.asks().priceExponent(0))));
        assertEquals(0, decimal(unit.get("ask_size")).compareTo(value(e.asks().size(0), e.asks().sizeExponent(0))));
        assertEquals(0, decimal(unit.get("bid_price")).compareTo(value(e.bids().price(0), e.bids().priceExponent(0))));
        assertEquals(0, decimal(unit.get("bid_size")).compareTo(value(e.bids().size(0), e.bids().sizeExponent(0))));
    }

    @Test
    void v1FramesAreNotMistakenForV2Data()
    {
        for (final String v1 : new String[] {"bithumb/v1_transaction.json", "bithumb/v1_orderbookdepth.json",
            "bithumb/v1_connect_response.json"})
        {
            assertEquals(ParseError.OK, parse(text(v1)), v1);
            assertEquals(0, frame.eventCount(), v1 + " is the v1 API's, which this feed does not subscribe");
        }
    }
}
