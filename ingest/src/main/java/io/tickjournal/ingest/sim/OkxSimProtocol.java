package io.tickjournal.ingest.sim;

import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * OKX v5 public ({@code /ws/v5/public}) as the simulator speaks it, spot ({@code BTC-USDT}) or
 * perpetual swaps ({@code BTC-USDT-SWAP}) (fixtures/venues/SOURCES.md section 4 and the
 * {@code okx/} fixtures):
 * <ul>
 * <li>{@code trades}: one message per trade ({@code count "1"}), ids rising digit strings.</li>
 * <li>{@code books}: a snapshot ({@code prevSeqId -1}) right after subscribing, then updates
 * chained by {@code prevSeqId == } the previous {@code seqId}, each with the CRC32 checksum of the
 * top 25 levels a side computed over the exact strings sent (prices and sizes without trailing
 * zeros, as OKX prints them). On demand: the empty keep-alive update ({@code seqId == prevSeqId})
 * and the maintenance reset ({@code seqId < prevSeqId}, then normal chaining).</li>
 * <li>{@code bbo-tbt}: the top of book after each book event.</li>
 * <li>{@code op: subscribe / unsubscribe} answered per argument ({@code event: subscribe}, with the
 * request's {@code id}); an unknown instrument or channel gets {@code event: error}
 * code 60018, a request that cannot be read code 60012.</li>
 * <li>Text {@code ping} answered by {@code pong}; a connection that sends none for 30 s is closed.</li>
 * <li>The service-upgrade notice (code 64008) before a shutdown; REST {@code GET /api/v5/market/books}.</li>
 * </ul>
 */
public final class OkxSimProtocol implements SimProtocol
{
    /** OKX closes a connection after 30 s without traffic; the client keeps it with {@code ping}. */
    public static final long KEEPALIVE_TIMEOUT_MS = 30_000L;
    /** Levels a side the checksum covers. */
    public static final int CHECKSUM_DEPTH = 25;

    private final boolean swap;
    private final Map<String, Long> lastSeq = new HashMap<>();
    private final Map<String, Long> lastTradeId = new HashMap<>();
    private final Set<String> keepaliveNext = new HashSet<>();
    private final Set<String> resetNext = new HashSet<>();

    /**
     * @param swap perpetual swaps (sizes in contracts) else spot.
     */
    public OkxSimProtocol(final boolean swap)
    {
        this.swap = swap;
    }

    @Override
    public String name()
    {
        return swap ? "okx-swap" : "okx-spot";
    }

    @Override
    public SimMarket newMarket(final String instId, final long startPriceCents, final long seed)
    {
        final SimMarket market = new SimMarket(instId, swap, startPriceCents, seed);
        lastSeq.put(instId, 123_456L + (seed % 100) * 10_000);
        lastTradeId.put(instId, 130_639_474L + (seed % 100) * 1_000_000);
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
        return "{\"event\":\"notice\",\"code\":\"64008\",\"msg\":\"The connection will soon be closed for a service upgrade. " +
            "Please reconnect.\",\"connId\":\"" + connection.connId(8) + "\"}";
    }

    /**
     * After the next book event of an instrument, send the empty keep-alive update ({@code seqId == prevSeqId}).
     *
     * @param server the simulator speaking this protocol.
     * @param instId the instrument.
     */
    public void keepaliveAfterNextBookEvent(final VenueSimulator server, final String instId)
    {
        server.onLoop(() -> keepaliveNext.add(instId));
    }

    /**
     * Make the next book event of an instrument the maintenance reset: {@code seqId < prevSeqId}.
     *
     * @param server the simulator speaking this protocol.
     * @param instId the instrument.
     */
    public void resetNextBookEvent(final VenueSimulator server, final String instId)
    {
        server.onLoop(() -> resetNext.add(instId));
    }

    // ---------------------------------------------------------------- numbers

    private static String price(final long cents)
    {
        return SimJson.stripped(cents, 2);
    }

    private String size(final long units)
    {
        return SimJson.stripped(units, swap ? 3 : 8);
    }

    private static String orders(final long size)
    {
        return Long.toString(1 + size % 7);
    }

    /** The market's book as OKX prints it: {@code [price, size, "0", orders]}, best first. */
    private List<String[]> side(final SimMarket market, final boolean bids, final int limit)
    {
        final List<String[]> levels = new ArrayList<>();
        for (final Map.Entry<Long, Long> level : (bids ? market.bids.descendingMap() : market.asks).entrySet())
        {
            if (levels.size() == limit)
            {
                break;
            }
            levels.add(new String[]{price(level.getKey()), size(level.getValue()), "0", orders(level.getValue())});
        }
        return levels;
    }

    private List<String[]> changed(final List<long[]> levels)
    {
        final List<String[]> out = new ArrayList<>(levels.size());
        for (final long[] level : levels)
        {
            out.add(new String[]{price(level[0]), size(level[1]), "0", level[1] == 0 ? "0" : orders(level[1])});
        }
        return out;
    }

    /**
     * OKX's checksum of a book: CRC32 over {@code bid0Px:bid0Sz:ask0Px:ask0Sz:...} of the first 25
     * levels a side, the shorter side's missing entries skipped, as a signed 32-bit integer.
     */
    static int checksum(final List<String[]> bids, final List<String[]> asks)
    {
        final StringBuilder text = new StringBuilder(2048);
        for (int i = 0; i < CHECKSUM_DEPTH; i++)
        {
            if (i < bids.size())
            {
                text.append(text.length() == 0 ? "" : ":").append(bids.get(i)[0]).append(':').append(bids.get(i)[1]);
            }
            if (i < asks.size())
            {
                text.append(text.length() == 0 ? "" : ":").append(asks.get(i)[0]).append(':').append(asks.get(i)[1]);
            }
        }
        final CRC32 crc = new CRC32();
        crc.update(text.toString().getBytes(StandardCharsets.US_ASCII));
        return (int)crc.getValue();
    }

    // ---------------------------------------------------------------- routes

    @Override
    public boolean accept(final VenueSimulator server, final SimConnection connection, final QueryStringDecoder query)
    {
        return query.path().equals("/ws/v5/public");
    }

    @Override
    public RestAnswer rest(final VenueSimulator server, final String path, final Map<String, List<String>> params)
    {
        if (!path.equals("/api/v5/market/books"))
        {
            return null;
        }
        final SimMarket market = server.market(params.getOrDefault("instId", List.of("")).get(0));
        if (market == null)
        {
            return new RestAnswer(200, "{\"code\":\"51001\",\"msg\":\"Instrument ID does not exist\",\"data\":[]}", false);
        }
        final int limit = Math.min(400, Integer.parseInt(params.getOrDefault("sz", List.of("1")).get(0)));
        server.recorder().snapshot(lastSeq.get(market.symbol));
        final long now = System.currentTimeMillis();
        return new RestAnswer(200, SimJson.write(json ->
        {
            json.writeStartObject();
            json.writeStringField("code", "0");
            json.writeStringField("msg", "");
            json.writeArrayFieldStart("data");
            json.writeStartObject();
            SimJson.levels(json, "asks", side(market, false, limit));
            SimJson.levels(json, "bids", side(market, true, limit));
            json.writeStringField("ts", Long.toString(now));
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        }), true);
    }

    // ---------------------------------------------------------------- control

    @Override
    public void onText(final VenueSimulator server, final SimConnection connection, final String text)
    {
        if ("ping".equals(text))
        {
            server.keepalive(connection, text);
            server.send(connection, "pong");
            return;
        }
        final SimJson.Control control = SimJson.readControl(text);
        if (control == null || control.other() != null || control.args().isEmpty() ||
            !"subscribe".equals(control.op()) && !"unsubscribe".equals(control.op()))
        {
            server.send(connection, error(connection, control == null ? null : control.id(), "60012", "Invalid request: " + text));
            return;
        }
        final boolean subscribe = "subscribe".equals(control.op());
        if (subscribe)
        {
            server.recorder().subscribeRequest();
        }
        final long now = System.currentTimeMillis();
        for (final String arg : control.args())
        {
            final int colon = arg.indexOf(':');
            final String channel = arg.substring(0, colon);
            final String instId = arg.substring(colon + 1);
            final SimMarket market = server.market(instId);
            final boolean known = channel.equals("trades") || channel.equals("books") || channel.equals("bbo-tbt");
            if (market == null || !known || !market.symbol.equals(instId))
            {
                server.send(connection, error(connection, control.id(), "60018", "Wrong URL or channel:" + channel + ",instId:" +
                    instId + " doesn't exist. Please use the correct URL, channel and parameters referring to API document."));
                continue;
            }
            if (subscribe)
            {
                connection.streams.add(arg);
            }
            else
            {
                connection.streams.remove(arg);
            }
            server.send(connection, SimJson.write(json ->
            {
                json.writeStartObject();
                if (control.id() != null)
                {
                    json.writeStringField("id", control.id());
                }
                json.writeStringField("event", control.op());
                json.writeObjectFieldStart("arg");
                json.writeStringField("channel", channel);
                json.writeStringField("instId", instId);
                json.writeEndObject();
                json.writeStringField("connId", connection.connId(8));
                json.writeEndObject();
            }));
            if (subscribe && channel.equals("books"))
            {
                final long seq = lastSeq.get(instId);
                server.recorder().snapshot(seq);
                server.send(connection, book(instId, "snapshot", side(market, true, 400), side(market, false, 400),
                    checksum(side(market, true, CHECKSUM_DEPTH), side(market, false, CHECKSUM_DEPTH)), -1, seq, now));
            }
        }
    }

    private static String error(final SimConnection connection, final String id, final String code, final String message)
    {
        return SimJson.write(json ->
        {
            json.writeStartObject();
            if (id != null)
            {
                json.writeStringField("id", id);
            }
            json.writeStringField("event", "error");
            json.writeStringField("code", code);
            json.writeStringField("msg", message);
            json.writeStringField("connId", connection.connId(8));
            json.writeEndObject();
        });
    }

    // ---------------------------------------------------------------- market data

    @Override
    public void publishTrades(final VenueSimulator server, final SimMarket market, final List<SimMarket.Trade> trades, final long nowMs)
    {
        final String stream = "trades:" + market.symbol;
        for (final SimMarket.Trade trade : trades)
        {
            final long id = lastTradeId.merge(market.symbol, 1L, Long::sum);
            server.recordTrade(market.symbol, Long.toString(id));
            server.publish(stream, SimJson.write(json ->
            {
                json.writeStartObject();
                json.writeObjectFieldStart("arg");
                json.writeStringField("channel", "trades");
                json.writeStringField("instId", market.symbol);
                json.writeEndObject();
                json.writeArrayFieldStart("data");
                json.writeStartObject();
                json.writeStringField("instId", market.symbol);
                json.writeStringField("tradeId", Long.toString(id));
                json.writeStringField("px", price(trade.priceUnits));
                json.writeStringField("sz", size(trade.sizeUnits));
                // The taker's side: a buyer-maker trade was a taker's sell.
                json.writeStringField("side", trade.buyerMaker ? "sell" : "buy");
                json.writeStringField("ts", Long.toString(trade.timeMs));
                json.writeStringField("count", "1");
                json.writeStringField("source", "0");
                json.writeNumberField("seqId", market.updateId);
                json.writeEndObject();
                json.writeEndArray();
                json.writeEndObject();
            }));
        }
    }

    @Override
    public void publishDepth(final VenueSimulator server, final SimMarket market, final SimMarket.Depth depth, final long nowMs)
    {
        final String instId = market.symbol;
        final long prev = lastSeq.get(instId);
        // After maintenance OKX restarts the sequence lower: seqId < prevSeqId once, then chains from there.
        final long seq = resetNext.remove(instId) ? Math.max(1, prev / 1000) : prev + (depth.last - depth.prev);
        lastSeq.put(instId, seq);
        final int checksum = checksum(side(market, true, CHECKSUM_DEPTH), side(market, false, CHECKSUM_DEPTH));
        final List<String[]> frames = new ArrayList<>(1);
        frames.add(new String[]{"books:" + instId, book(instId, "update", changed(depth.bids), changed(depth.asks), checksum, prev, seq, nowMs)});
        if (server.publishBookEvent(instId, seq, frames) == VenueSimulator.HELD)
        {
            return;
        }
        if (keepaliveNext.remove(instId))
        {
            // About every 60 s without changes OKX sends an empty update with seqId == prevSeqId.
            final List<String[]> keepalive = new ArrayList<>(1);
            keepalive.add(new String[]{"books:" + instId, book(instId, "update", List.of(), List.of(), checksum, seq, seq, nowMs)});
            server.publishBookEvent(instId, seq, keepalive);
        }
        final long bid = market.bids.lastKey();
        final long ask = market.asks.firstKey();
        server.publish("bbo-tbt:" + instId, SimJson.write(json ->
        {
            json.writeStartObject();
            json.writeObjectFieldStart("arg");
            json.writeStringField("channel", "bbo-tbt");
            json.writeStringField("instId", instId);
            json.writeEndObject();
            json.writeArrayFieldStart("data");
            json.writeStartObject();
            SimJson.levels(json, "asks", List.<String[]>of(new String[]{price(ask), size(market.asks.get(ask)), "0", orders(market.asks.get(ask))}));
            SimJson.levels(json, "bids", List.<String[]>of(new String[]{price(bid), size(market.bids.get(bid)), "0", orders(market.bids.get(bid))}));
            json.writeStringField("ts", Long.toString(nowMs));
            json.writeNumberField("seqId", seq);
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        }));
    }

    private static String book(
        final String instId, final String action, final List<String[]> bids, final List<String[]> asks, final int checksum,
        final long prevSeqId, final long seqId, final long nowMs)
    {
        return SimJson.write(json ->
        {
            json.writeStartObject();
            json.writeObjectFieldStart("arg");
            json.writeStringField("channel", "books");
            json.writeStringField("instId", instId);
            json.writeEndObject();
            json.writeStringField("action", action);
            json.writeArrayFieldStart("data");
            json.writeStartObject();
            SimJson.levels(json, "asks", asks);
            SimJson.levels(json, "bids", bids);
            json.writeStringField("ts", Long.toString(nowMs));
            json.writeNumberField("checksum", checksum);
            json.writeNumberField("prevSeqId", prevSeqId);
            json.writeNumberField("seqId", seqId);
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    @Override
    public void everySecond(final VenueSimulator server, final long nowMs)
    {
    }
}
