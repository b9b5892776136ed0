package io.tickjournal.ingest.venue;

import io.tickjournal.ingest.bithumb.BithumbProtocol;
import io.tickjournal.ingest.coinbase.CoinbaseProtocol;
import io.tickjournal.ingest.upbit.SimpleFormat;
import io.tickjournal.ingest.upbit.UpbitProtocol;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coinbase, Upbit and Bithumb parsers allocate nothing per frame in steady state (batched trades,
 * whole books, exponent-form numbers, string ids and times, control messages), measured with the
 * JVM's per-thread allocation counter after warm-up.
 */
class KrwAndCoinbaseParsersAllocationTest
{
    private static final int WARM_UP = 40_000;
    private static final int MEASURED = 20_000;

    private static long allocatedBytes()
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static long allocated(final VenueParser parser, final String... texts)
    {
        final byte[][] frames = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++)
        {
            frames[i] = texts[i].getBytes(StandardCharsets.UTF_8);
        }
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
            }
        }
        return allocatedBytes() - before;
    }

    @Test
    void coinbaseFramesAllocateNothing()
    {
        final String trades = "{\"channel\":\"market_trades\",\"client_id\":\"\",\"timestamp\":\"2026-01-01T00:00:00.39625135Z\"," +
            "\"sequence_num\":5,\"events\":[{\"type\":\"update\",\"trades\":[" +
            "{\"trade_id\":\"12\",\"product_id\":\"BTC-USD\",\"price\":\"21921.1\",\"size\":\"0.1\",\"side\":\"BUY\",\"time\":\"2026-01-01T00:00:00.2Z\"}," +
            "{\"trade_id\":\"11\",\"product_id\":\"BTC-USD\",\"price\":\"21921.2\",\"size\":\"0.2\",\"side\":\"SELL\",\"time\":\"2026-01-01T00:00:00.1Z\"}," +
            "{\"trade_id\":\"10\",\"product_id\":\"BTC-USD\",\"price\":\"21921.3\",\"size\":\"0.3\",\"side\":\"BUY\",\"time\":\"2026-01-01T00:00:00Z\"}]}]}";
        final String update = FixtureTree.text("coinbase/l2_data_snapshot.json").replace("snapshot", "update")
            .replace("\"bid\"", "\"offer\"").replace("1970-01-01T00:00:00Z", "2026-01-01T00:00:00.123456789Z");
        final String ticker = "{\"channel\":\"ticker\",\"client_id\":\"\",\"timestamp\":\"2023-02-09T20:30:37.167359596Z\"," +
            "\"sequence_num\":3,\"events\":[{\"type\":\"update\",\"tickers\":[{\"type\":\"ticker\",\"product_id\":\"BTC-USD\"," +
            "\"price\":\"21932.98\",\"best_bid\":\"21932.97\",\"best_bid_quantity\":\"0.01\",\"best_ask\":\"21932.98\"," +
            "\"best_ask_quantity\":\"0.2152\"}]}]}";
        final long allocated = allocated(CoinbaseProtocol.venue().protocol().newParser(),
            FixtureTree.text("coinbase/l2_data_snapshot.json"), update, FixtureTree.text("coinbase/market_trades_snapshot.json"),
            trades, ticker, FixtureTree.text("coinbase/heartbeats.json"),
            "{\"channel\":\"subscriptions\",\"client_id\":\"\",\"timestamp\":\"2023-02-09T20:32:50.714964855Z\",\"sequence_num\":1," +
                "\"events\":[{\"subscriptions\":{\"level2\":[\"BTC-USD\"]}}]}");
        assertTrue(allocated < 4096, allocated + " bytes over " + MEASURED * 7 + " frames");
    }

    @Test
    void upbitAndBithumbFramesAllocateNothing()
    {
        final long upbit = allocated(UpbitProtocol.venue().protocol().newParser(),
            FixtureTree.text("upbit/trade_snapshot.json"), FixtureTree.text("upbit/real_orderbook_snapshot_trimmed.json"),
            FixtureTree.text("upbit/real_orderbook_realtime_trimmed.json"), FixtureTree.text("upbit/status_up.json"), "PONG",
            SimpleFormat.of(FixtureTree.text("upbit/trade_snapshot.json")),
            SimpleFormat.of(FixtureTree.text("upbit/real_orderbook_realtime_trimmed.json")));
        assertTrue(upbit < 4096, upbit + " bytes over " + MEASURED * 7 + " frames");
        final long bithumb = allocated(BithumbProtocol.venue().protocol().newParser(),
            FixtureTree.text("bithumb/v2_real_trade.json"), FixtureTree.text("bithumb/v2_real_orderbook_trimmed.json"),
            SimpleFormat.of(FixtureTree.text("bithumb/v2_real_trade.json")),
            SimpleFormat.of(FixtureTree.text("bithumb/v2_real_orderbook_trimmed.json")));
        assertTrue(bithumb < 4096, bithumb + " bytes over " + MEASURED * 4 + " frames");
    }
}
