package io.tickjournal.ingest.bithumb;

import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.upbit.UpbitProtocol;
import io.tickjournal.ingest.venue.Venue;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.MarketKind;

import java.net.URI;
import java.util.EnumSet;

/**
 * Bithumb through its v2 API, which speaks Upbit's protocol ({@link UpbitProtocol}, parsed by
 * {@link io.tickjournal.ingest.upbit.UpbitParser}): the same request, replacing subscriptions,
 * {@code trade} with {@code sequential_id}, and whole-book {@code orderbook} frames. Bithumb's
 * frames differ only in spelling, which the parser takes either way: {@code sequential_id} and
 * {@code timestamp} as strings, and book times in microseconds ({@code "1783657882348968"}).
 * The v1 API ({@code wss://pubwss.bithumb.com/pub/ws}) is not used.
 */
public final class BithumbProtocol
{
    private BithumbProtocol()
    {
    }

    /**
     * Bithumb (KRW markets, {@code wss://ws-api.bithumb.com/websocket/v1}). Bithumb documents no
     * keep-alive, connection or subscription limits (SOURCES.md lists them as a gap), so the feed
     * runs within Upbit's, the stricter reading: a PING every 30 s, 5 messages a second.
     *
     * @return the venue.
     */
    public static Venue venue()
    {
        return new Venue(Venues.BITHUMB, "bithumb", new UpbitProtocol(Venues.BITHUMB, 0),
            URI.create("wss://ws-api.bithumb.com"), URI.create("https://api.bithumb.com"),
            EnumSet.of(Channel.TRADE, Channel.DEPTH), MarketKind.SPOT, UpbitProtocol.limits());
    }
}
