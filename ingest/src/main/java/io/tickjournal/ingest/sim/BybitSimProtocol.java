package io.tickjournal.ingest.sim;

import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bybit v5 public spot ({@code /v5/public/spot}) or linear ({@code /v5/public/linear}) as the
 * simulator speaks it (fixtures/venues/SOURCES.md section 3 and the {@code bybit/} fixtures):
 * <ul>
 * <li>{@code publicTrade.{symbol}}: the trades of a tick batched in one message (at most 1024),
 * ids numeric strings on spot and UUIDs on linear, the tick direction {@code L} on linear only.</li>
 * <li>{@code orderbook.{50|200|500|1000}.{symbol}}: a snapshot right after subscribing, then deltas
 * of absolute sizes whose {@code u} rises by one, with the cross sequence {@code seq} and the
 * engine time {@code cts}; on demand a reset snapshot with {@code u == 1} (a service restart), after
 * which {@code u} counts on from 1. Spot writes {@code ts} before {@code type}, as the venue does.</li>
 * <li>{@code tickers.{symbol}} on linear: a snapshot after subscribing, then each second a delta
 * with only what changed (mark and index price; the funding rate every tenth).</li>
 * <li>{@code op: subscribe / unsubscribe} answered once per request in the market's shape (spot
 * echoes {@code req_id} and says {@code ret_msg: "subscribe"}; linear has an empty
 * {@code ret_msg}); spot refuses more than 10 args in one request; an unknown topic or symbol
 * refuses the request.</li>
 * <li>{@code {"op":"ping"}} answered as each market does ({@code pong_spot.json},
 * {@code pong_linear.json}); a connection that sends none for ten minutes is closed.</li>
 * <li>REST {@code GET /v5/market/orderbook} with {@code u}, {@code seq} and {@code cts}.</li>
 * </ul>
 * Bybit sends no shutdown notice: a shutdown closes the connections.
 */
public final class BybitSimProtocol implements SimProtocol
{
    /** Bybit cuts a connection that sent no ping for about ten minutes. */
    public static final long KEEPALIVE_TIMEOUT_MS = 600_000L;
    /** Spot: at most 10 args in one subscribe request. */
    public static final int SPOT_MAX_ARGS = 10;
    private static final int MAX_TRADES_PER_MESSAGE = 1024;
    private static final Pattern TOPIC = Pattern.compile("(publicTrade|orderbook\\.(50|200|500|1000)|tickers)\\.([A-Z0-9]+)");

    private final boolean linear;
    private final Map<String, Long> bookU = new HashMap<>();
    private final Set<String> resetNext = new HashSet<>();
    private final Map<String, Integer> tickerCount = new HashMap<>();

    /**
     * @param linear linear perpetuals (else spot).
     */
    public BybitSimProtocol(final boolean linear)
    {
        this.linear = linear;
    }

    @Override
    public String name()
    {
        return linear ? "bybit-linear" : "bybit-spot";
    }

    @Override
    public SimMarket newMarket(final String symbol, final long startPriceCents, final long seed)
    {
        final SimMarket market = new SimMarket(symbol.toUpperCase(Locale.ROOT), linear, startPriceCents, seed);
        bookU.put(market.symbol, 18_521_288L + (seed % 1000) * 1000);
        return market;
    }

    @Override
    public long keepaliveTimeoutMs()
    {
        return KEEPALIVE_TIMEOUT_MS;
    }

    @Override
    public String shutdownNotice(final SimConnection connection, final long nowMs)
    {
        return null;
    }

    /**
     * Make the next book event of a symbol a reset snapshot with {@code u == 1}, as after a restart.
     *
     * @param server the simulator speaking this protocol.
     * @param symbol the symbol.
     */
    public void resetNextBookEvent(final VenueSimulator server, final String symbol)
    {
        server.onLoop(() -> resetNext.add(symbol.toUpperCase(Locale.ROOT)));
    }

    // ---------------------------------------------------------------- numbers and ids

    private static String price(final long cents)
    {
        return SimMarket.decimal(cents, 2, 2);
    }

    private String size(final long units)
    {
        return linear ? SimMarket.decimal(units, 3, 3) : SimMarket.decimal(units, 8, 8);
    }

    /**
     * @param symbol the symbol.
     * @param id     the market's trade number.
     * @return the id as Bybit prints it: a UUID on linear, digits on spot.
     */
    String tradeId(final String symbol, final long id)
    {
        return linear ? UUID.nameUUIDFromBytes((symbol + ":" + id).getBytes(StandardCharsets.US_ASCII)).toString() :
            Long.toString(2_290_000_000_000_000_000L + id);
    }

    // ---------------------------------------------------------------- routes

    @Override
    public boolean accept(final VenueSimulator server, final SimConnection connection, final QueryStringDecoder query)
    {
        return query.path().equals(linear ? "/v5/public/linear" : "/v5/public/spot");
    }

    @Override
    public RestAnswer rest(final VenueSimulator server, final String path, final Map<String, List<String>> params)
    {
        if (!path.equals("/v5/market/orderbook"))
        {
            return null;
        }
        final String category = params.getOrDefault("category", List.of("")).get(0);
        final SimMarket market = server.market(params.getOrDefault("symbol", List.of("")).get(0));
        if (!category.equals(linear ? "linear" : "spot") || market == null)
        {
            return new RestAnswer(200, "{\"retCode\":10001,\"retMsg\":\"The requested symbol is invalid.\",\"result\":{}," +
                "\"retExtInfo\":{},\"time\":" + System.currentTimeMillis() + "}", false);
        }
        final int limit = Integer.parseInt(params.getOrDefault("limit", List.of("1")).get(0));
        final long now = System.currentTimeMillis();
        final long u = bookU.get(market.symbol);
        server.recorder().snapshot(u);
        return new RestAnswer(200, SimJson.write(json ->
        {
            json.writeStartObject();
            json.writeNumberField("retCode", 0);
            json.writeStringField("retMsg", "OK");
            json.writeObjectFieldStart("result");
            json.writeStringField("s", market.symbol);
            SimJson.levels(json, "a", levels(market, false, limit));
            SimJson.levels(json, "b", levels(market, true, limit));
            json.writeNumberField("ts", now);
            json.writeNumberField("u", u);
            json.writeNumberField("seq", market.updateId);
            json.writeNumberField("cts", now);
            json.writeEndObject();
            json.writeObjectFieldStart("retExtInfo");
            json.writeEndObject();
            json.writeNumberField("time", now);
            json.writeEndObject();
        }), true);
    }

    private List<String[]> levels(final SimMarket market, final boolean bids, final int limit)
    {
        final List<String[]> levels = new ArrayList<>();
        for (final Map.Entry<Long, Long> level : (bids ? market.bids.descendingMap() : market.asks).entrySet())
        {
            if (levels.size() == limit)
            {
                break;
            }
            levels.add(new String[]{price(level.getKey()), size(level.getValue())});
        }
        return levels;
    }

    private List<String[]> levels(final List<long[]> changed)
    {
        final List<String[]> levels = new ArrayList<>(changed.size());
        for (final long[] level : changed)
        {
            levels.add(new String[]{price(level[0]), size(level[1])});
        }
        return levels;
    }

    // ---------------------------------------------------------------- control

    @Override
    public void onText(final VenueSimulator server, final SimConnection connection, final String text)
    {
        final SimJson.Control control = SimJson.readControl(text);
        final String op = control == null ? null : control.op();
        if ("ping".equals(op))
        {
            server.keepalive(connection, text);
            server.send(connection, answer(connection, control, true, "pong", "ping"));
            return;
        }
        if (!"subscribe".equals(op) && !"unsubscribe".equals(op))
        {
            server.send(connection, answer(connection, control, false,
                "Invalid request, please check your request op: " + (op == null ? "null" : op), op == null ? "" : op));
            return;
        }
        final boolean subscribe = "subscribe".equals(op);
        if (subscribe)
        {
            server.recorder().subscribeRequest();
        }
        if (!linear && control.args().size() > SPOT_MAX_ARGS)
        {
            server.send(connection, answer(connection, control, false, "args size >" + SPOT_MAX_ARGS, op));
            return;
        }
        for (final String topic : control.args())
        {
            final Matcher m = TOPIC.matcher(topic);
            if (!m.matches() || server.market(m.group(3)) == null || topic.startsWith("tickers") && !linear)
            {
                server.send(connection, answer(connection, control, false, "Invalid symbol :[" + topic + "]", op));
                return;
            }
        }
        if (!subscribe)
        {
            control.args().forEach(connection.streams::remove);
            server.send(connection, answer(connection, control, true, linear ? "" : "unsubscribe", op));
            return;
        }
        for (final String topic : control.args())
        {
            if (connection.streams.contains(topic))
            {
                server.send(connection, answer(connection, control, false, "error:already subscribed,topic:" + topic, op));
                return;
            }
        }
        connection.streams.addAll(control.args());
        server.send(connection, answer(connection, control, true, linear ? "" : "subscribe", op));
        final long now = System.currentTimeMillis();
        for (final String topic : control.args())
        {
            final Matcher m = TOPIC.matcher(topic);
            m.matches();
            final SimMarket market = server.market(m.group(3));
            if (topic.startsWith("orderbook"))
            {
                final long u = bookU.get(market.symbol);
                server.recorder().snapshot(u);
                server.send(connection, book(topic, market, "snapshot", u, market.updateId, now,
                    levels(market, true, Integer.MAX_VALUE), levels(market, false, Integer.MAX_VALUE)));
            }
            else if (topic.startsWith("tickers"))
            {
                server.send(connection, ticker(topic, market, true, true, now));
            }
        }
    }

    private String answer(
        final SimConnection connection, final SimJson.Control control, final boolean success, final String message, final String op)
    {
        final String requestId = control == null ? null : control.id();
        return SimJson.write(json ->
        {
            json.writeStartObject();
            json.writeBooleanField("success", success);
            json.writeStringField("ret_msg", message);
            json.writeStringField("conn_id", UUID.nameUUIDFromBytes(connection.connId(16).getBytes(StandardCharsets.US_ASCII)).toString());
            if (linear || requestId != null)
            {
                // Linear always echoes req_id (empty when none was sent); spot only when one was sent.
                json.writeStringField("req_id", requestId == null ? "" : requestId);
            }
            json.writeStringField("op", op);
            json.writeEndObject();
        });
    }

    // ---------------------------------------------------------------- market data

    @Override
    public void publishTrades(final VenueSimulator server, final SimMarket market, final List<SimMarket.Trade> trades, final long nowMs)
    {
        final String topic = "publicTrade." + market.symbol;
        for (int from = 0; from < trades.size(); from += MAX_TRADES_PER_MESSAGE)
        {
            final List<SimMarket.Trade> batch = trades.subList(from, Math.min(trades.size(), from + MAX_TRADES_PER_MESSAGE));
            final List<String> ids = new ArrayList<>(batch.size());
            for (final SimMarket.Trade trade : batch)
            {
                ids.add(tradeId(market.symbol, trade.id));
                server.recordTrade(market.symbol, ids.get(ids.size() - 1));
            }
            server.publish(topic, SimJson.write(json ->
            {
                json.writeStartObject();
                json.writeStringField("topic", topic);
                json.writeStringField("type", "snapshot");
                json.writeNumberField("ts", nowMs);
                json.writeArrayFieldStart("data");
                for (int i = 0; i < batch.size(); i++)
                {
                    final SimMarket.Trade trade = batch.get(i);
                    json.writeStartObject();
                    json.writeNumberField("T", trade.timeMs);
                    json.writeStringField("s", market.symbol);
                    // The taker's side: a buyer-maker trade was a taker's sell.
                    json.writeStringField("S", trade.buyerMaker ? "Sell" : "Buy");
                    json.writeStringField("v", size(trade.sizeUnits));
                    json.writeStringField("p", price(trade.priceUnits));
                    if (linear)
                    {
                        json.writeStringField("L", trade.buyerMaker ? "MinusTick" : "PlusTick");
                    }
                    json.writeStringField("i", ids.get(i));
                    json.writeBooleanField("BT", false);
                    json.writeNumberField("seq", market.updateId);
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }));
        }
    }

    @Override
    public void publishDepth(final VenueSimulator server, final SimMarket market, final SimMarket.Depth depth, final long nowMs)
    {
        final boolean reset = resetNext.remove(market.symbol);
        final long u = reset ? 1 : bookU.get(market.symbol) + 1;
        bookU.put(market.symbol, u);
        final List<String[]> frames = new ArrayList<>(4);
        for (final String depthText : new String[]{"50", "200", "500", "1000"})
        {
            final String topic = "orderbook." + depthText + "." + market.symbol;
            frames.add(new String[]{topic, reset ?
                book(topic, market, "snapshot", u, depth.last, nowMs, levels(market, true, Integer.MAX_VALUE),
                    levels(market, false, Integer.MAX_VALUE)) :
                book(topic, market, "delta", u, depth.last, nowMs, levels(depth.bids), levels(depth.asks))});
        }
        server.publishBookEvent(market.symbol, u, frames);
    }

    private String book(
        final String topic, final SimMarket market, final String type, final long u, final long seq, final long nowMs,
        final List<String[]> bids, final List<String[]> asks)
    {
        return SimJson.write(json ->
        {
            json.writeStartObject();
            json.writeStringField("topic", topic);
            if (linear)
            {
                json.writeStringField("type", type);
                json.writeNumberField("ts", nowMs);
            }
            else
            {
                // Spot puts ts before type.
                json.writeNumberField("ts", nowMs);
                json.writeStringField("type", type);
            }
            json.writeObjectFieldStart("data");
            json.writeStringField("s", market.symbol);
            SimJson.levels(json, "b", bids);
            SimJson.levels(json, "a", asks);
            json.writeNumberField("u", u);
            json.writeNumberField("seq", seq);
            json.writeEndObject();
            json.writeNumberField("cts", nowMs - 2);
            json.writeEndObject();
        });
    }

    @Override
    public void everySecond(final VenueSimulator server, final long nowMs)
    {
        if (!linear)
        {
            return;
        }
        for (final SimMarket market : server.markets().values())
        {
            final int n = tickerCount.merge(market.symbol, 1, Integer::sum);
            final String topic = "tickers." + market.symbol;
            server.publish(topic, ticker(topic, market, false, n % 10 == 0, nowMs));
        }
    }

    private String ticker(final String topic, final SimMarket market, final boolean snapshot, final boolean funding, final long nowMs)
    {
        final String mark = SimMarket.decimal(market.midUnits, 2, 2);
        // Bybit prints the index at the price tick, a little off the mark.
        final String index = SimMarket.decimal(market.midUnits - 3, 2, 2);
        return SimJson.write(json ->
        {
            json.writeStartObject();
            json.writeStringField("topic", topic);
            json.writeStringField("type", snapshot ? "snapshot" : "delta");
            json.writeObjectFieldStart("data");
            json.writeStringField("symbol", market.symbol);
            if (snapshot)
            {
                json.writeStringField("tickDirection", "PlusTick");
                json.writeStringField("lastPrice", mark);
            }
            json.writeStringField("markPrice", mark);
            json.writeStringField("indexPrice", index);
            if (snapshot || funding)
            {
                json.writeStringField("fundingRate", funding && !snapshot ? "0.000125" : "0.0001");
                json.writeStringField("nextFundingTime", Long.toString(((nowMs / 28_800_000L) + 1) * 28_800_000L));
            }
            json.writeEndObject();
            json.writeNumberField("cs", market.updateId);
            json.writeNumberField("ts", nowMs);
            json.writeEndObject();
        });
    }
}
