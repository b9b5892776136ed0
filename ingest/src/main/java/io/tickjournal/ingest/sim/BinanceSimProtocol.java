package io.tickjournal.ingest.sim;

import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binance spot or USD-M futures as the simulator speaks them: WebSocket raw ({@code /ws/<stream>})
 * and combined ({@code /stream?streams=}) endpoints, USD-M's routed {@code /public} and
 * {@code /market} paths, live SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS with their responses,
 * {@code serverShutdown}, and the REST depth endpoints ({@code /api/v3/depth}, {@code /fapi/v1/depth}).
 * Keep-alive is the server's WebSocket ping, answered by the client's pong: Binance closes a
 * connection whose pong does not come within a minute (spot) or ten (USD-M) of a ping.
 * <p>
 * Messages keep the venue's field order: depth events {@code U}/{@code u} (and {@code pu} on USD-M)
 * whose snapshot ids fall inside later events' ranges, 8-decimal index prices, and one spot trade
 * in four in the pre-2024 shape with the order ids {@code b}/{@code a}.
 */
public final class BinanceSimProtocol implements SimProtocol
{
    private static final Pattern STREAM = Pattern.compile("([a-z0-9]+)@(trade|aggTrade|depth@100ms|depth|bookTicker|markPrice@1s|markPrice)");
    private static final Pattern RAW = Pattern.compile("^(/public|/market)?/ws/(.+)$");
    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(-?\\d+|\"[^\"]*\"|null)");
    private static final Pattern PARAMS = Pattern.compile("\"params\"\\s*:\\s*\\[([^\\]]*)\\]");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

    private final boolean futures;
    private final long keepaliveTimeoutMs;

    /**
     * @param futures        USD-M futures (else spot).
     * @param pingIntervalMs the server's ping interval: the pong is due within a minute (spot) or ten (USD-M) after it.
     */
    public BinanceSimProtocol(final boolean futures, final long pingIntervalMs)
    {
        this.futures = futures;
        this.keepaliveTimeoutMs = pingIntervalMs + (futures ? 600_000L : 60_000L);
    }

    @Override
    public String name()
    {
        return futures ? "binance-usdm" : "binance-spot";
    }

    @Override
    public SimMarket newMarket(final String symbol, final long startPriceCents, final long seed)
    {
        return new SimMarket(symbol.toUpperCase(Locale.ROOT), futures, startPriceCents, seed);
    }

    @Override
    public long keepaliveTimeoutMs()
    {
        return keepaliveTimeoutMs;
    }

    @Override
    public String shutdownNotice(final SimConnection c, final long nowMs)
    {
        return c.combined ? "{\"stream\":\"!serverShutdown\",\"data\":{\"e\":\"serverShutdown\",\"E\":" + nowMs + "}}" :
            "{\"e\":\"serverShutdown\",\"E\":" + nowMs + "}";
    }

    // ---------------------------------------------------------------- routes

    private boolean servedOn(final String path, final String stream)
    {
        if (!futures)
        {
            return !stream.contains("markPrice");
        }
        final boolean highFrequency = stream.contains("@depth") || stream.contains("@bookTicker");
        if (path.startsWith("/public"))
        {
            return highFrequency;
        }
        if (path.startsWith("/market"))
        {
            return !highFrequency;
        }
        // A bare path only gets the public group on USD-M.
        return highFrequency;
    }

    @Override
    public boolean accept(final VenueSimulator server, final SimConnection connection, final QueryStringDecoder query)
    {
        final String path = query.path();
        final List<String> initial = new ArrayList<>();
        final Matcher raw = RAW.matcher(path);
        if (raw.matches())
        {
            connection.combined = false;
            initial.add(raw.group(2));
        }
        else if (path.matches("^(/public|/market)?/stream$"))
        {
            connection.combined = true;
            final List<String> streams = query.parameters().get("streams");
            if (streams != null)
            {
                for (final String s : streams.get(0).split("/"))
                {
                    if (!s.isEmpty())
                    {
                        initial.add(s);
                    }
                }
            }
        }
        else if (path.matches("^(/public|/market)?/ws/?$"))
        {
            connection.combined = false;
        }
        else
        {
            return false;
        }
        for (final String s : initial)
        {
            if (servedOn(path, s))
            {
                connection.streams.add(s);
            }
        }
        return true;
    }

    @Override
    public RestAnswer rest(final VenueSimulator server, final String path, final Map<String, List<String>> params)
    {
        if (path.equals("/api/v3/depth") && !futures || path.equals("/fapi/v1/depth") && futures)
        {
            final String symbol = params.getOrDefault("symbol", List.of("")).get(0).toUpperCase(Locale.ROOT);
            final int limit = Integer.parseInt(params.getOrDefault("limit", List.of("100")).get(0));
            final SimMarket market = server.market(symbol);
            if (market == null)
            {
                return new RestAnswer(400, "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}", false);
            }
            if (!server.paused() && !market.hasPending())
            {
                // The matching engine never waits for the stream: a snapshot asked for right after an
                // event still lands inside the next event's range (the test relied on timing before).
                market.mutate();
            }
            final String body = snapshotJson(market, limit);
            server.recorder().snapshot(market.updateId);
            return new RestAnswer(200, body, true);
        }
        return null;
    }

    // ---------------------------------------------------------------- control

    @Override
    public void onText(final VenueSimulator server, final SimConnection connection, final String text)
    {
        final Matcher method = METHOD.matcher(text);
        final Matcher id = ID.matcher(text);
        final String requestId = id.find() ? id.group(1) : "null";
        if (!method.find())
        {
            server.send(connection, "{\"error\":{\"code\":2,\"msg\":\"Invalid request: method missing\"},\"id\":" + requestId + "}");
            return;
        }
        final List<String> params = new ArrayList<>();
        final Matcher list = PARAMS.matcher(text);
        if (list.find())
        {
            final Matcher s = QUOTED.matcher(list.group(1));
            while (s.find())
            {
                params.add(s.group(1));
            }
        }
        switch (method.group(1))
        {
            case "SUBSCRIBE":
                server.recorder().subscribeRequest();
                for (final String p : params)
                {
                    if (!STREAM.matcher(p).matches() && !p.startsWith("!"))
                    {
                        server.send(connection, "{\"error\":{\"code\":2,\"msg\":\"Invalid request: unknown stream " + p +
                            "\"},\"id\":" + requestId + "}");
                        return;
                    }
                    if (!servedOn(connection.path, p))
                    {
                        server.send(connection, "{\"error\":{\"code\":2,\"msg\":\"stream " + p + " is not served on " +
                            connection.path + "\"},\"id\":" + requestId + "}");
                        return;
                    }
                }
                connection.streams.addAll(params);
                server.send(connection, "{\"result\":null,\"id\":" + requestId + "}");
                break;
            case "UNSUBSCRIBE":
                params.forEach(connection.streams::remove);
                server.send(connection, "{\"result\":null,\"id\":" + requestId + "}");
                break;
            case "LIST_SUBSCRIPTIONS":
                final StringBuilder result = new StringBuilder("{\"result\":[");
                int n = 0;
                for (final String s : connection.streams)
                {
                    result.append(n++ == 0 ? "\"" : ",\"").append(s).append('"');
                }
                server.send(connection, result.append("],\"id\":").append(requestId).append('}').toString());
                break;
            default:
                server.send(connection, "{\"error\":{\"code\":2,\"msg\":\"Invalid request: unknown method " + method.group(1) +
                    "\"},\"id\":" + requestId + "}");
        }
    }

    // ---------------------------------------------------------------- market data

    @Override
    public void publishTrades(final VenueSimulator server, final SimMarket market, final List<SimMarket.Trade> trades, final long nowMs)
    {
        for (final SimMarket.Trade trade : trades)
        {
            publishTrade(server, market, trade);
        }
    }

    private void publishTrade(final VenueSimulator server, final SimMarket market, final SimMarket.Trade trade)
    {
        server.recordTrade(market.symbol, Long.toString(trade.id));
        final String lower = market.symbol.toLowerCase(Locale.ROOT);
        final String price = market.price(trade.priceUnits);
        final String size = market.size(trade.sizeUnits);
        if (!futures)
        {
            server.publish(lower + "@trade", tradeJson(market, trade, price, size));
        }
        server.publish(lower + "@aggTrade", aggTradeJson(market, trade, price, size));
    }

    @Override
    public void publishDepth(final VenueSimulator server, final SimMarket market, final SimMarket.Depth depth, final long now)
    {
        final String lower = market.symbol.toLowerCase(Locale.ROOT);
        final String text = depthJson(market, depth, now);
        final int outcome = server.publishBookEvent(market.symbol, depth.last,
            List.of(new String[]{lower + "@depth@100ms", text}, new String[]{lower + "@depth", text}));
        if (outcome != VenueSimulator.HELD)
        {
            publishTicker(server, market, depth.last, now);
        }
    }

    private void publishTicker(final VenueSimulator server, final SimMarket market, final long updateId, final long now)
    {
        server.publish(market.symbol.toLowerCase(Locale.ROOT) + "@bookTicker", tickerJson(market, updateId, now));
    }

    @Override
    public void everySecond(final VenueSimulator server, final long now)
    {
        if (!futures)
        {
            return;
        }
        for (final SimMarket market : server.markets().values())
        {
            final String json = markJson(market, market.indexPrice(), now);
            final String lower = market.symbol.toLowerCase(Locale.ROOT);
            server.publish(lower + "@markPrice@1s", json);
            server.publish(lower + "@markPrice", json);
        }
    }

    // ---------------------------------------------------------------- rendering (Jackson)

    private String tradeJson(final SimMarket market, final SimMarket.Trade trade, final String price, final String size)
    {
        return SimJson.write(json ->
        {
            json.writeStartObject();
            json.writeStringField("e", "trade");
            json.writeNumberField("E", trade.timeMs);
            json.writeStringField("s", market.symbol);
            json.writeNumberField("t", trade.id);
            json.writeStringField("p", price);
            json.writeStringField("q", size);
            if (trade.id % 4 == 0)
            {
                // The older API version's shape, with the buyer's and seller's order ids b and a
                // (removed in 2024, present in every older capture): a must never be read as the trade id.
                json.writeNumberField("b", trade.id * 2 + 88);
                json.writeNumberField("a", trade.id * 2 + 89);
            }
            json.writeNumberField("T", trade.timeMs);
            json.writeBooleanField("m", trade.buyerMaker);
            json.writeBooleanField("M", true);
            json.writeEndObject();
        });
    }

    private String aggTradeJson(final SimMarket market, final SimMarket.Trade trade, final String price, final String size)
    {
        return SimJson.write(json ->
        {
            json.writeStartObject();
            json.writeStringField("e", "aggTrade");
            json.writeNumberField("E", trade.timeMs);
            json.writeStringField("s", market.symbol);
            json.writeNumberField("a", trade.aggId);
            json.writeStringField("p", price);
            json.writeStringField("q", size);
            json.writeNumberField("f", trade.id);
            json.writeNumberField("l", trade.id);
            json.writeNumberField("T", trade.timeMs);
            json.writeBooleanField("m", trade.buyerMaker);
            if (!futures)
            {
                json.writeBooleanField("M", true);
            }
            json.writeEndObject();
        });
    }

    private String depthJson(final SimMarket market, final SimMarket.Depth depth, final long now)
    {
        return SimJson.write(json ->
        {
            json.writeStartObject();
            json.writeStringField("e", "depthUpdate");
            json.writeNumberField("E", now);
            if (futures)
            {
                json.writeNumberField("T", now);
            }
            json.writeStringField("s", market.symbol);
            json.writeNumberField("U", depth.first);
            json.writeNumberField("u", depth.last);
            if (futures)
            {
                json.writeNumberField("pu", depth.prev);
            }
            SimJson.levels(json, "b", strings(market, depth.bids));
            SimJson.levels(json, "a", strings(market, depth.asks));
            json.writeEndObject();
        });
    }

    private static List<String[]> strings(final SimMarket market, final List<long[]> levels)
    {
        final List<String[]> out = new ArrayList<>(levels.size());
        for (final long[] level : levels)
        {
            out.add(new String[]{market.price(level[0]), market.size(level[1])});
        }
        return out;
    }

    private String tickerJson(final SimMarket market, final long updateId, final long now)
    {
        final long bid = market.bids.lastKey();
        final long ask = market.asks.firstKey();
        return SimJson.write(json ->
        {
            json.writeStartObject();
            if (futures)
            {
                json.writeStringField("e", "bookTicker");
                json.writeNumberField("u", updateId);
                json.writeNumberField("E", now);
                json.writeNumberField("T", now);
            }
            else
            {
                json.writeNumberField("u", updateId);
            }
            json.writeStringField("s", market.symbol);
            json.writeStringField("b", market.price(bid));
            json.writeStringField("B", market.size(market.bids.get(bid)));
            json.writeStringField("a", market.price(ask));
            json.writeStringField("A", market.size(market.asks.get(ask)));
            json.writeEndObject();
        });
    }

    private String markJson(final SimMarket market, final String index, final long now)
    {
        // As the venue prints them: mark and settlement price with 8 decimals, the index price with 8 significant decimals.
        final String mark = market.price(market.midUnits) + "000000";
        return SimJson.write(json ->
        {
            json.writeStartObject();
            json.writeStringField("e", "markPriceUpdate");
            json.writeNumberField("E", now);
            json.writeStringField("s", market.symbol);
            json.writeStringField("p", mark);
            json.writeStringField("i", index);
            json.writeStringField("P", mark);
            json.writeStringField("r", "0.00010000");
            json.writeNumberField("T", ((now / 28_800_000L) + 1) * 28_800_000L);
            json.writeEndObject();
        });
    }

    private String snapshotJson(final SimMarket market, final int limit)
    {
        return SimJson.write(json ->
        {
            json.writeStartObject();
            json.writeNumberField("lastUpdateId", market.updateId);
            if (futures)
            {
                final long now = System.currentTimeMillis();
                json.writeNumberField("E", now);
                json.writeNumberField("T", now);
            }
            SimJson.levels(json, "bids", top(market, market.bids.descendingMap(), limit));
            SimJson.levels(json, "asks", top(market, market.asks, limit));
            json.writeEndObject();
        });
    }

    private static List<String[]> top(final SimMarket market, final Map<Long, Long> side, final int limit)
    {
        final List<String[]> out = new ArrayList<>();
        for (final Map.Entry<Long, Long> level : side.entrySet())
        {
            if (out.size() == limit)
            {
                break;
            }
            out.add(new String[]{market.price(level.getKey()), market.size(level.getValue())});
        }
        return out;
    }
}
