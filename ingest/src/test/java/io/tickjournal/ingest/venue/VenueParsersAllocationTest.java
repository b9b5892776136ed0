package io.tickjournal.ingest.venue;

import io.tickjournal.ingest.bybit.BybitParser;
import io.tickjournal.ingest.okx.OkxChecksum;
import io.tickjournal.ingest.okx.OkxParser;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bybit and OKX parsers (and OKX's checksum book) allocate nothing per frame in steady state,
 * measured with the JVM's per-thread allocation counter after warm-up.
 */
class VenueParsersAllocationTest
{
    private static final int WARM_UP = 60_000;
    private static final int MEASURED = 20_000;

    private static long allocatedBytes()
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static byte[][] frames(final String... texts)
    {
        final byte[][] out = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++)
        {
            out[i] = texts[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private static long allocatedPerRound(final VenueParser parser, final byte[][] frames, final OkxChecksum checksum)
    {
        final MarketFrame frame = new MarketFrame();
        long before = 0;
        for (int round = 0; round < WARM_UP + MEASURED; round++)
        {
            if (round == WARM_UP)
            {
                before = allocatedBytes();
            }
            for (final byte[] bytes : frames)
            {
                assertEquals(ParseError.OK, parser.parse(bytes, 0, bytes.length, frame));
                if (checksum != null && frame.eventCount() > 0 && frame.event(0).type() == MarketEvent.BOOK_DELTA)
                {
                    checksum.applyAndCheck(frame.event(0));
                }
            }
        }
        return allocatedBytes() - before;
    }

    @Test
    void bybitFramesAllocateNothing()
    {
        final byte[][] frames = frames(
            FixtureJson.text("bybit/publicTrade.json"),
            "{\"topic\":\"publicTrade.BTCUSDT\",\"ts\":1,\"type\":\"snapshot\",\"data\":[{\"i\":\"2290000000068009612\",\"T\":1672304486865," +
                "\"p\":\"16578.50\",\"v\":\"0.001\",\"S\":\"Sell\",\"s\":\"BTCUSDT\",\"BT\":false}]}",
            FixtureJson.text("bybit/orderbook_snapshot.json"),
            FixtureJson.text("bybit/orderbook_delta.json"),
            "{\"topic\":\"tickers.BTCUSDT\",\"type\":\"snapshot\",\"data\":{\"symbol\":\"BTCUSDT\",\"markPrice\":\"17217.33\"," +
                "\"indexPrice\":\"17227.36\",\"nextFundingTime\":\"1673280000000\",\"fundingRate\":\"-0.000212\"},\"ts\":1673272861686}",
            "{\"topic\":\"tickers.BTCUSDT\",\"type\":\"delta\",\"data\":{\"symbol\":\"BTCUSDT\",\"markPrice\":\"17218.1\"},\"ts\":1673272861687}",
            FixtureJson.text("bybit/subscribe_response_spot.json"),
            FixtureJson.text("bybit/pong_linear.json"));
        final long allocated = allocatedPerRound(new BybitParser(), frames, null);
        assertTrue(allocated < 4096, allocated + " bytes over " + MEASURED * frames.length + " frames");
    }

    @Test
    void okxFramesAndTheChecksumBookAllocateNothing()
    {
        final String update = "{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"update\",\"data\":[{\"asks\":" +
            "[[\"8476.98\",\"415\",\"0\",\"13\"],[\"8477\",\"0\",\"0\",\"0\"]],\"bids\":[[\"8476.97\",\"256\",\"0\",\"12\"]]," +
            "\"ts\":\"1597026383085\",\"checksum\":-855196043,\"prevSeqId\":123456,\"seqId\":123457}]}";
        final byte[][] frames = frames(
            FixtureJson.text("okx/trades.json"),
            FixtureJson.text("okx/books_snapshot.json"),
            update,
            FixtureJson.text("okx/bbo-tbt.json"),
            FixtureJson.text("okx/subscribe_response_books.json"),
            "pong");
        final long allocated = allocatedPerRound(new OkxParser(), frames, new OkxChecksum());
        assertTrue(allocated < 4096, allocated + " bytes over " + MEASURED * frames.length + " frames");
    }
}
