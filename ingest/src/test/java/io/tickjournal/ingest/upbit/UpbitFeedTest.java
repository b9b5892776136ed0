package io.tickjournal.ingest.upbit;

import io.tickjournal.ingest.venue.Venue;

/** Upbit through the real session: the family's behaviour with Upbit's own frames. */
class UpbitFeedTest extends UpbitFamilyFeedTest
{
    @Override
    protected Venue venue()
    {
        return UpbitProtocol.venue();
    }

    @Override
    protected String tradeFixture()
    {
        return "upbit/trade_snapshot.json";
    }

    @Override
    protected String bookFixture()
    {
        return "upbit/real_orderbook_snapshot_trimmed.json";
    }
}
