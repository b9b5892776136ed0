package io.tickjournal.ingest.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Coinbase Advanced Trade market data ({@code wss://advanced-trade-ws.coinbase.com}) as the simulator
 * speaks it (fixtures/venues/SOURCES.md section 5 and the {@code coinbase/} fixtures):
 * <ul>
 * <li>One channel per request: {@code {"type":"subscribe","product_ids":[..],"channel":".."}},
 * {@code unsubscribe} alike, each answered by a {@code subscriptions} message listing what the
 * connection now holds; an unknown product or channel gets {@code {"type":"error","message":..}}.</li>
 * <li>{@code level2}: a whole-book {@code snapshot} event on subscribing, then {@code update} events
 * of absolute {@code new_quantity} levels ("0" removes), asks as {@code offer}; the channel of the
 * messages is {@code l2_data}.</li>
 * <li>{@code market_trades}: one {@code update} batch per tick, newest first, trade ids rising per product.
 * {@code side} names the maker's side.</li>
 * <li>{@code heartbeats}: one message a second with a rising {@code heartbeat_counter}.</li>
 * <li>{@code sequence_num}: every message of a connection numbered from 0, each connection its own
 * count. The venue-neutral gap fault ({@link VenueSimulator#gapNextBookEvent}) loses a level2 message
 * after it was numbered: the connections that would have had it see the number skipped.</li>
 * </ul>
 * No REST, no client keep-alive (the server's WebSocket pings), no shutdown notice.
 */
public final class CoinbaseSimProtocol implements SimProtocol
{
    /** Placeholder the messages are rendered with; {@link #outgoing} puts the connection's number there. */
    static final String SEQUENCE_PLACEHOLDER = "\"sequence_num\":-1,";

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final Map<SimConnection, long[]> nextSequence = new WeakHashMap<>();
    private final Map<String, Long> lastTradeId = new HashMap<>();
    private long heartbeatCounter;

    @Override
    public String name()
    {
        return "coinbase";
    }

    @Override
    public SimMarket newMarket(final String productId, final long startPriceCents, final long seed)
    {
        lastTradeId.put(productId, 612_345_678L + (seed % 100) * 1_000_000);
        return new SimMarket(productId, false, startPriceCents, seed);
    }

    @Override
    public long keepaliveTimeoutMs()
    {
        return 0;
    }

    @Override
    public String shutdownNotice(final SimConnection connection, final long nowMs)
    {
        return null;
    }

    @Override
    public String outgoing(final SimConnection connection, final String text)
    {
        final int at = text.indexOf(SEQUENCE_PLACEHOLDER);
        if (at < 0)
        {
            return text;
        }
        final long sequence = nextSequence.computeIfAbsent(connection, c -> new long[1])[0]++;
        return text.substring(0, at) + "\"sequence_num\":" + sequence + "," + text.substring(at + SEQUENCE_PLACEHOLDER.length());
    }

    // ---------------------------------------------------------------- numbers

    private static String price(final long cents)
    {
        return SimJson.stripped(cents, 2);
    }

    private static String size(final long units)
    {
        return SimJson.stripped(units, 8);
    }

    private static String time(final long ms)
    {
        return TIME.format(Instant.ofEpochMilli(ms));
    }

    // ---------------------------------------------------------------- routes

    @Override
    public boolean accept(final VenueSimulator server, final SimConnection connection, final QueryStringDecoder query)
    {
        return query.path().equals("/") || query.path().isEmpty();
    }

    @Override
    public RestAnswer rest(final VenueSimulator server, final String path, final Map<String, List<String>> params)
    {
        return null;
    }

    // ---------------------------------------------------------------- control

    private record Request(String type, String channel, List<String> productIds)
    {
    }

    private static Request read(final String text)
    {
        try (JsonParser json = JSON.createParser(text))
        {
            if (json.nextToken() != JsonToken.START_OBJECT)
            {
                return null;
            }
            String type = null;
            String channel = null;
            final List<String> products = new ArrayList<>();
            while (json.nextToken() == JsonToken.FIELD_NAME)
            {
                final String name = json.currentName();
                final JsonToken value = json.nextToken();
                switch (name)
                {
                    case "type" -> type = value == JsonToken.VALUE_STRING ? json.getText() : null;
                    case "channel" -> channel = value == JsonToken.VALUE_STRING ? json.getText() : null;
                    case "product_ids" ->
                    {
                        if (value != JsonToken.START_ARRAY)
                        {
                            return null;
                        }
                        while (json.nextToken() == JsonToken.VALUE_STRING)
                        {
                            products.add(json.getText());
                        }
                    }
                    default -> json.skipChildren();
                }
            }
            return new Request(type, channel, products);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    @Override
    public void onText(final VenueSimulator server, final SimConnection connection, final String text)
    {
        final Request request = read(text);
        final long now = System.currentTimeMillis();
        if (request == null || request.channel() == null ||
            !"subscribe".equals(request.type()) && !"unsubscribe".equals(request.type()))
        {
            server.send(connection, error("failure to parse request: " + text));
            return;
        }
        final String channel = request.channel();
        if (!channel.equals("level2") && !channel.equals("market_trades") && !channel.equals("heartbeats"))
        {
            server.send(connection, error("invalid channel: " + channel));
            return;
        }
        for (final String product : request.productIds())
        {
            final SimMarket market = server.market(product);
            if (market == null || !market.symbol.equals(product))
            {
                server.send(connection, error("invalid product_id: " + product));
                return;
            }
        }
        final boolean subscribe = "subscribe".equals(request.type());
        if (subscribe)
        {
            server.recorder().subscribeRequest();
        }
        for (final String product : request.productIds())
        {
            // Heartbeats are one stream a connection, whatever products the request named.
            final String stream = channel.equals("heartbeats") ? "heartbeats" : channel + ":" + product;
            if (subscribe)
            {
                connection.streams.add(stream);
            }
            else
            {
                connection.streams.remove(stream);
            }
        }
        server.send(connection, subscriptions(connection, now));
        if (subscribe && channel.equals("level2"))
        {
            for (final String product : request.productIds())
            {
                final SimMarket market = server.market(product);
                server.recorder().snapshot(market.updateId);
                server.send(connection, snapshot(market, now));
            }
        }
    }

    private static String error(final String message)
    {
        return SimJson.write(json ->
        {
            json.writeStartObject();
            json.writeStringField("type", "error");
            json.writeStringField("message", message);
            json.writeEndObject();
        });
    }

    private static String envelope(final String channel, final long nowMs, final String events)
    {
        return "{\"channel\":\"" + channel + "\",\"client_id\":\"\",\"timestamp\":\"" + time(nowMs) + "\"," +
            SEQUENCE_PLACEHOLDER + "\"events\":" + events + "}";
    }

    private static String subscriptions(final SimConnection connection, final long nowMs)
    {
        final Map<String, List<String>> byChannel = new HashMap<>();
        for (final String stream : connection.streams)
        {
            final int colon = stream.indexOf(':');
            byChannel.computeIfAbsent(colon < 0 ? stream : stream.substring(0, colon), k -> new ArrayList<>())
                .add(colon < 0 ? "" : stream.substring(colon + 1));
        }
        return envelope("subscriptions", nowMs, SimJson.write(json ->
        {
            json.writeStartArray();
            json.writeStartObject();
            json.writeObjectFieldStart("subscriptions");
            for (final Map.Entry<String, List<String>> e : byChannel.entrySet())
            {
                json.writeArrayFieldStart(e.getKey());
                for (final String product : e.getValue())
                {
                    if (!product.isEmpty())
                    {
                        json.writeString(product);
                    }
                }
                json.writeEndArray();
            }
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndArray();
        }));
    }

    private static String snapshot(final SimMarket market, final long nowMs)
    {
        final List<long[]> bids = new ArrayList<>();
        market.bids.descendingMap().forEach((p, s) -> bids.add(new long[]{p, s}));
        final List<long[]> asks = new ArrayList<>();
        market.asks.forEach((p, s) -> asks.add(new long[]{p, s}));
        // As in the fixture: a snapshot's levels carry the epoch as their event time.
        return l2(market.symbol, "snapshot", bids, asks, 0, nowMs);
    }

    private static String l2(
        final String productId, final String type, final List<long[]> bids, final List<long[]> asks, final long eventMs, final long nowMs)
    {
        return envelope("l2_data", nowMs, SimJson.write(json ->
        {
            json.writeStartArray();
            json.writeStartObject();
            json.writeStringField("type", type);
            json.writeStringField("product_id", productId);
            json.writeArrayFieldStart("updates");
            for (final long[] level : bids)
            {
                level(json, "bid", level, eventMs);
            }
            for (final long[] level : asks)
            {
                level(json, "offer", level, eventMs);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
        }));
    }

    private static void level(final com.fasterxml.jackson.core.JsonGenerator json, final String side, final long[] level, final long eventMs)
        throws IOException
    {
        json.writeStartObject();
        json.writeStringField("side", side);
        json.writeStringField("event_time", time(eventMs));
        json.writeStringField("price_level", price(level[0]));
        json.writeStringField("new_quantity", size(level[1]));
        json.writeEndObject();
    }

    // ---------------------------------------------------------------- market data

    @Override
    public void publishTrades(final VenueSimulator server, final SimMarket market, final List<SimMarket.Trade> trades, final long nowMs)
    {
        final long[] ids = new long[trades.size()];
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = lastTradeId.merge(market.symbol, 1L, Long::sum);
            server.recordTrade(market.symbol, Long.toString(ids[i]));
        }
        server.publish("market_trades:" + market.symbol, envelope("market_trades", nowMs, SimJson.write(json ->
        {
            json.writeStartArray();
            json.writeStartObject();
            json.writeStringField("type", "update");
            json.writeArrayFieldStart("trades");
            // Newest first, as the venue writes a batch.
            for (int i = ids.length - 1; i >= 0; i--)
            {
                final SimMarket.Trade trade = trades.get(i);
                json.writeStartObject();
                json.writeStringField("trade_id", Long.toString(ids[i]));
                json.writeStringField("product_id", market.symbol);
                json.writeStringField("price", price(trade.priceUnits));
                json.writeStringField("size", size(trade.sizeUnits));
                // The maker's side: a buyer-maker trade rested on the bid.
                json.writeStringField("side", trade.buyerMaker ? "BUY" : "SELL");
                json.writeStringField("time", time(trade.timeMs));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
        })));
    }

    @Override
    public void publishDepth(final VenueSimulator server, final SimMarket market, final SimMarket.Depth depth, final long nowMs)
    {
        final String stream = "level2:" + market.symbol;
        final List<String[]> frames = new ArrayList<>(1);
        frames.add(new String[]{stream, l2(market.symbol, "update", depth.bids, depth.asks, depth.eventTimeMs, nowMs)});
        if (server.publishBookEvent(market.symbol, depth.last, frames) == VenueSimulator.DROPPED)
        {
            // Lost after it was numbered: every connection that would have had it skips a number.
            for (final Map.Entry<SimConnection, long[]> e : nextSequence.entrySet())
            {
                if (e.getKey().streams.contains(stream))
                {
                    e.getValue()[0]++;
                }
            }
        }
    }

    @Override
    public void everySecond(final VenueSimulator server, final long nowMs)
    {
        final long counter = ++heartbeatCounter;
        server.publish("heartbeats", envelope("heartbeats", nowMs, SimJson.write(json ->
        {
            json.writeStartArray();
            json.writeStartObject();
            json.writeStringField("current_time", time(nowMs));
            json.writeStringField("heartbeat_counter", Long.toString(counter));
            json.writeEndObject();
            json.writeEndArray();
        })));
    }
}
