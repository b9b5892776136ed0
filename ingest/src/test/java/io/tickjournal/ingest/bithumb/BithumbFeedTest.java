package io.tickjournal.ingest.bithumb;

import io.tickjournal.ingest.upbit.UpbitFamilyFeedTest;
import io.tickjournal.ingest.venue.Venue;

/** Bithumb v2 through the real session: the family's behaviour with Bithumb's own frames. */
class BithumbFeedTest extends UpbitFamilyFeedTest
{
    @Override
    protected Venue venue()
    {
        return BithumbProtocol.venue();
    }

    @Override
    protected String tradeFixture()
    {
        return "bithumb/v2_real_trade.json";
    }

    @Override
    protected String bookFixture()
    {
        return "bithumb/v2_real_orderbook_trimmed.json";
    }
}
