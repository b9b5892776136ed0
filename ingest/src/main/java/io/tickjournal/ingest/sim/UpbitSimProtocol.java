package io.tickjournal.ingest.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Upbit protocol family as the simulator speaks it: Upbit ({@code /websocket/v1}, binary frames
 * of UTF-8 JSON) and Bithumb v2 (same path and messages, text frames, {@code sequential_id} written as
 * a string as in the {@code bithumb/v2_real_trade.json} fixture). From SOURCES.md sections 6 and 7
 * and the {@code upbit/} and {@code bithumb/} fixtures:
 * <ul>
 * <li>One request names everything: {@code [{"ticket":..},{"type":"trade","codes":[..]},
 * {"type":"orderbook","codes":[..]},{"format":"DEFAULT"}]}; a later request replaces the connection's
 * whole subscription. No acknowledgement; a request that cannot be read gets
 * {@code {"error":{"name":"WRONG_FORMAT",..}}}, an unknown code is ignored.</li>
 * <li>{@code format}: {@code DEFAULT} (also when absent) writes the documented field names,
 * {@code SIMPLE} their documented abbreviations ({@code ty}, {@code cd}, {@code tp}, {@code tv},
 * {@code ab}, {@code sid}, {@code obu} of {@code ap}/{@code bp}/{@code as}/{@code bs}, ...), with the
 * same values. Connections asking for different formats get frames of their own. The list formats
 * ({@code JSON_LIST}, {@code SIMPLE_LIST}) are not simulated: they, and any other value, are answered
 * {@code WRONG_FORMAT}.</li>
 * <li>{@code orderbook}: every frame the whole top N of the book as {@code orderbook_units} pairs
 * (ask and bid of one rank), a {@code SNAPSHOT} right after subscribing, then {@code REALTIME} frames
 * on each book event. N is what the code asks for with a {@code .N} suffix ({@code KRW-BTC.15}), where
 * the venue offers it, else {@link #VENUE_DEFAULT_UNITS}, as Upbit documents
 * ("지원하지 않은 숫자로 지원 시 default(30) 호가 수로 제공"); frames name the code without the suffix.
 * A suffix that is not a number makes an unknown code, ignored.</li>
 * <li>Price grouping: the orderbook part's {@code level} (a number, or a string of one, as Upbit
 * documents it; 0 or absent for none) groups the book into price buckets of that size and sums the
 * sizes in each, and every orderbook frame echoes it in its {@code level} field. Upbit documents the
 * buckets ("10만원 단위로 ask/bid price가 반환되며, 각 금액대 내에 포진된 ... 주문량의 합산이 size로
 * 반환") but not the rounding; the simulator rounds asks up and bids down to the bucket (the passive
 * side, as grouped books usually do). Its markets' prices are whole won, so a level below one won
 * groups nothing (it is still echoed); a level that is neither below one won nor a whole number of won
 * is refused as {@code WRONG_FORMAT}. The level applies to the request's orderbook codes; connections
 * with different levels get frames of their own.</li>
 * <li>{@code trade}: one frame per trade, its {@code sequential_id} large and unique
 * ({@code trade_timestamp * 10000 + n}), {@code ask_bid} the taker's side.</li>
 * <li>Numbers as JSON numbers, KRW prices whole won (a market's price units are won).</li>
 * <li>Text {@code PING} answered by {@code {"status":"UP"}}; a connection quiet for 120 s is closed.</li>
 * </ul>
 */
public final class UpbitSimProtocol implements SimProtocol
{
    /** Units a side of each orderbook frame when the code does not ask for an offered number (the venue's default). */
    public static final int VENUE_DEFAULT_UNITS = 30;
    /**
     * The units Upbit offers (SOURCES.md section 7, and its 2025-07 change notice, docs.upbit.com changelog
     * "websocket_orderbook_unit_options"); Bithumb's request example asks for 3, so it is taken to offer 1 to 30.
     * The simulator's own reading of the venues, not the feed's check in {@code UpbitProtocol}, so a
     * mistake in one shows against the other.
     */
    private static final Set<Integer> UPBIT_OFFERS = Set.of(1, 5, 15, 30);
    /** Levels a side of each market model: deep enough for whole 30-unit books (about 40 a side stay). */
    private static final int MARKET_LEVELS = 45;
    /** The venue closes an idle socket after about 120 s. */
    public static final long KEEPALIVE_TIMEOUT_MS = 120_000L;

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final boolean bithumb;
    private final Map<String, long[]> tradeCounter = new HashMap<>();
    /** Per market, the (level, units, format) triples any connection's orderbook subscription asked for. */
    private final Map<String, Set<BookVariant>> booksInUse = new HashMap<>();
    /** Per market, the formats any connection's trade subscription asked for (true: SIMPLE). */
    private final Map<String, Set<Boolean>> tradesInUse = new HashMap<>();

    /**
     * One {@code type}/{@code code} pair of a request (the code without its units suffix), with the
     * orderbook's units and price grouping and the request's format.
     */
    private record Subscription(String type, String code, int units, BigDecimal level, boolean simple)
    {
        String stream()
        {
            return UpbitSimProtocol.stream(type, code, units, level, simple);
        }
    }

    /** The frames of one orderbook: its units, its price grouping and its format. */
    private record BookVariant(int units, BigDecimal level, boolean simple)
    {
    }

    /**
     * The stream a connection holds: {@code type:code}, with {@code .units} for an orderbook,
     * {@code @level} for a grouped one and {@code ~SIMPLE} in the abbreviated format.
     */
    private static String stream(final String type, final String code, final int units, final BigDecimal level,
        final boolean simple)
    {
        return type + ":" + code + (units == 0 ? "" : "." + units) + (level.signum() == 0 ? "" : "@" + level.toPlainString()) +
            (simple ? "~SIMPLE" : "");
    }

    /**
     * The {@code SIMPLE} format's abbreviation of every key a trade or orderbook frame carries, as both
     * venues document them (the "축약형" columns of Upbit's trade and orderbook pages and of Bithumb's
     * v2.1.4/v2.1.5 orderbook page).
     */
    public static final Map<String, String> SIMPLE_KEYS = Map.ofEntries(
        Map.entry("type", "ty"), Map.entry("code", "cd"), Map.entry("timestamp", "tms"),
        Map.entry("trade_date", "td"), Map.entry("trade_time", "ttm"), Map.entry("trade_timestamp", "ttms"),
        Map.entry("trade_price", "tp"), Map.entry("trade_volume", "tv"), Map.entry("ask_bid", "ab"),
        Map.entry("prev_closing_price", "pcp"), Map.entry("change", "c"), Map.entry("change_price", "cp"),
        Map.entry("sequential_id", "sid"), Map.entry("best_ask_price", "bap"), Map.entry("best_ask_size", "bas"),
        Map.entry("best_bid_price", "bbp"), Map.entry("best_bid_size", "bbs"), Map.entry("stream_type", "st"),
        Map.entry("total_ask_size", "tas"), Map.entry("total_bid_size", "tbs"), Map.entry("orderbook_units", "obu"),
        Map.entry("ask_price", "ap"), Map.entry("bid_price", "bp"), Map.entry("ask_size", "as"), Map.entry("bid_size", "bs"),
        Map.entry("level", "lv"));

    /**
     * A field's name in a frame's format.
     *
     * @param simple the SIMPLE format, else DEFAULT.
     * @param name   the documented (DEFAULT) name, one of {@link #SIMPLE_KEYS}.
     * @return the name, or its documented abbreviation.
     */
    public static String key(final boolean simple, final String name)
    {
        final String abbreviation = SIMPLE_KEYS.get(name);
        if (abbreviation == null)
        {
            throw new IllegalArgumentException("no documented SIMPLE abbreviation for " + name);
        }
        return simple ? abbreviation : name;
    }

    /**
     * @param bithumb Bithumb v2 (text frames, string ids) else Upbit (binary frames).
     */
    public UpbitSimProtocol(final boolean bithumb)
    {
        this.bithumb = bithumb;
    }

    @Override
    public String name()
    {
        return bithumb ? "bithumb" : "upbit";
    }

    /**
     * @return the WebSocket path both venues serve.
     */
    public String path()
    {
        return "/websocket/v1";
    }

    @Override
    public SimMarket newMarket(final String code, final long startPriceWon, final long seed)
    {
        tradeCounter.put(code, new long[1]);
        return new SimMarket(code, false, startPriceWon, seed, MARKET_LEVELS);
    }

    @Override
    public boolean binaryFrames()
    {
        return !bithumb;
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

    @Override
    public boolean accept(final VenueSimulator server, final SimConnection connection, final QueryStringDecoder query)
    {
        return query.path().equals(path());
    }

    @Override
    public RestAnswer rest(final VenueSimulator server, final String path, final Map<String, List<String>> params)
    {
        return null;
    }

    private static String size(final long units)
    {
        return SimJson.stripped(units, 8);
    }

    // ---------------------------------------------------------------- control

    /** @return the request's subscriptions, or null if it cannot be read. */
    private List<Subscription> read(final String text)
    {
        try (JsonParser json = JSON.createParser(text))
        {
            if (json.nextToken() != JsonToken.START_ARRAY)
            {
                return null;
            }
            final List<Subscription> subscriptions = new ArrayList<>();
            boolean ticket = false;
            boolean simple = false;
            while (json.nextToken() == JsonToken.START_OBJECT)
            {
                String type = null;
                BigDecimal level = BigDecimal.ZERO;
                final List<String> codes = new ArrayList<>();
                while (json.nextToken() == JsonToken.FIELD_NAME)
                {
                    final String name = json.currentName();
                    final JsonToken value = json.nextToken();
                    switch (name)
                    {
                        case "ticket" -> ticket = value == JsonToken.VALUE_STRING;
                        case "type" -> type = value == JsonToken.VALUE_STRING ? json.getText() : null;
                        case "codes" ->
                        {
                            if (value != JsonToken.START_ARRAY)
                            {
                                return null;
                            }
                            while (json.nextToken() == JsonToken.VALUE_STRING)
                            {
                                codes.add(json.getText());
                            }
                        }
                        case "level" ->
                        {
                            level = level(value, json.getText());
                            if (level == null)
                            {
                                return null;
                            }
                        }
                        case "format" ->
                        {
                            final String format = value == JsonToken.VALUE_STRING ? json.getText() : "";
                            if (!format.equals("DEFAULT") && !format.equals("SIMPLE"))
                            {
                                return null; // the list formats are not simulated; anything else is no format
                            }
                            simple = format.equals("SIMPLE");
                        }
                        default -> json.skipChildren();
                    }
                }
                if (type != null)
                {
                    for (final String code : codes)
                    {
                        subscriptions.add(type.equals("orderbook") ? orderbookSubscription(code, level) :
                            new Subscription(type, code, 0, BigDecimal.ZERO, false));
                    }
                }
            }
            if (!ticket || json.currentToken() != JsonToken.END_ARRAY)
            {
                return null;
            }
            if (simple)
            {
                // the format object applies to the whole request, wherever it stands in it
                subscriptions.replaceAll(s -> new Subscription(s.type(), s.code(), s.units(), s.level(), true));
            }
            return subscriptions;
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /** An orderbook code, its {@code .N} units suffix taken off: N where the venue offers it, else its default. */
    private Subscription orderbookSubscription(final String code, final BigDecimal level)
    {
        final int dot = code.lastIndexOf('.');
        if (dot < 0 || !code.substring(dot + 1).matches("[1-9][0-9]{0,5}"))
        {
            // No suffix: the venue's default; one that is not a number: a code the venue does not list (ignored).
            return new Subscription("orderbook", code, VENUE_DEFAULT_UNITS, level, false);
        }
        final int asked = Integer.parseInt(code.substring(dot + 1));
        final boolean offered = bithumb ? asked >= 1 && asked <= VENUE_DEFAULT_UNITS : UPBIT_OFFERS.contains(asked);
        final int units = offered ? asked : VENUE_DEFAULT_UNITS;
        return new Subscription("orderbook", code.substring(0, dot), units, level, false);
    }

    /** A {@code level}: a non-negative number (or a string of one) below one won or a whole number of won, else null. */
    private static BigDecimal level(final JsonToken token, final String text)
    {
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_STRING)
        {
            return null;
        }
        final BigDecimal level;
        try
        {
            level = new BigDecimal(text.trim()).stripTrailingZeros();
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
        if (level.signum() < 0 || (level.compareTo(BigDecimal.ONE) >= 0 && level.scale() > 0))
        {
            return null;
        }
        return level.signum() == 0 ? BigDecimal.ZERO : level;
    }

    @Override
    public void onText(final VenueSimulator server, final SimConnection connection, final String text)
    {
        if ("PING".equals(text))
        {
            server.keepalive(connection, text);
            server.send(connection, "{\"status\":\"UP\"}");
            return;
        }
        final List<Subscription> subscriptions = read(text);
        if (subscriptions == null)
        {
            server.send(connection, "{\"error\":{\"name\":\"WRONG_FORMAT\",\"message\":\"요청 형식이 올바르지 않습니다.\"}}");
            return;
        }
        server.recorder().subscribeRequest();
        final Set<String> before = Set.copyOf(connection.streams);
        connection.streams.clear();
        final long now = System.currentTimeMillis();
        for (final Subscription subscription : subscriptions)
        {
            final String type = subscription.type();
            final SimMarket market = server.market(subscription.code());
            if (market == null || !market.symbol.equals(subscription.code()) ||
                !type.equals("trade") && !type.equals("orderbook"))
            {
                continue;
            }
            final String stream = subscription.stream();
            if (!connection.streams.add(stream))
            {
                continue;
            }
            if (type.equals("orderbook"))
            {
                booksInUse.computeIfAbsent(market.symbol, k -> new LinkedHashSet<>())
                    .add(new BookVariant(subscription.units(), subscription.level(), subscription.simple()));
                if (!before.contains(stream))
                {
                    server.recorder().snapshot(market.updateId);
                    server.send(connection, orderbook(market, "SNAPSHOT", now, subscription.units(), subscription.level(),
                        subscription.simple()));
                }
            }
            else
            {
                tradesInUse.computeIfAbsent(market.symbol, k -> new LinkedHashSet<>()).add(subscription.simple());
            }
        }
    }

    // ---------------------------------------------------------------- market data

    @Override
    public void publishTrades(final VenueSimulator server, final SimMarket market, final List<SimMarket.Trade> trades, final long nowMs)
    {
        final long[] counter = tradeCounter.get(market.symbol);
        final Set<Boolean> formats = tradesInUse.getOrDefault(market.symbol, Set.of(false));
        for (final SimMarket.Trade trade : trades)
        {
            final long id = trade.timeMs * 10_000 + (counter[0]++ % 10_000);
            server.recordTrade(market.symbol, Long.toString(id));
            for (final boolean simple : formats)
            {
                server.publish(stream("trade", market.symbol, 0, BigDecimal.ZERO, simple), trade(market, trade, id, nowMs, simple));
            }
        }
    }

    /** One trade frame, in the DEFAULT or the SIMPLE format. */
    private String trade(final SimMarket market, final SimMarket.Trade trade, final long id, final long nowMs, final boolean simple)
    {
        return SimJson.write(json ->
        {
            json.writeStartObject();
            json.writeStringField(key(simple, "type"), "trade");
            json.writeStringField(key(simple, "code"), market.symbol);
            json.writeNumberField(key(simple, "timestamp"), nowMs);
            json.writeStringField(key(simple, "trade_date"), DATE.format(Instant.ofEpochMilli(trade.timeMs)));
            json.writeStringField(key(simple, "trade_time"), TIME.format(Instant.ofEpochMilli(trade.timeMs)));
            json.writeNumberField(key(simple, "trade_timestamp"), trade.timeMs);
            json.writeNumberField(key(simple, "trade_price"), trade.priceUnits);
            json.writeFieldName(key(simple, "trade_volume"));
            json.writeNumber(size(trade.sizeUnits));
            // The taker's side: a buyer-maker trade was a taker's sell (ASK).
            json.writeStringField(key(simple, "ask_bid"), trade.buyerMaker ? "ASK" : "BID");
            if (bithumb)
            {
                json.writeStringField(key(simple, "sequential_id"), Long.toString(id));
            }
            else
            {
                json.writeNumberField(key(simple, "sequential_id"), id);
            }
            json.writeStringField(key(simple, "stream_type"), "REALTIME");
            json.writeEndObject();
        });
    }

    @Override
    public void publishDepth(final VenueSimulator server, final SimMarket market, final SimMarket.Depth depth, final long nowMs)
    {
        final Set<BookVariant> variants = booksInUse.getOrDefault(market.symbol,
            Set.of(new BookVariant(VENUE_DEFAULT_UNITS, BigDecimal.ZERO, false)));
        final List<String[]> frames = new ArrayList<>(variants.size());
        for (final BookVariant variant : variants)
        {
            frames.add(new String[]{stream("orderbook", market.symbol, variant.units(), variant.level(), variant.simple()),
                orderbook(market, "REALTIME", nowMs, variant.units(), variant.level(), variant.simple())});
        }
        server.publishBookEvent(market.symbol, depth.last, frames);
    }

    /**
     * The top ranks of the book grouped by a price level, as many as asked for and both sides have.
     *
     * @param market the market.
     * @param count  ranks asked for.
     * @param level  the price grouping in won (0 or below one won: none, the prices are whole won).
     * @return {@code {askPrice, askSize, bidPrice, bidSize}} per rank, best first.
     */
    static List<long[]> units(final SimMarket market, final int count, final BigDecimal level)
    {
        final long bucket = level.compareTo(BigDecimal.ONE) < 0 ? 1 : level.longValueExact();
        final NavigableMap<Long, Long> groupedAsks = new TreeMap<>();
        final NavigableMap<Long, Long> groupedBids = new TreeMap<>(Comparator.reverseOrder());
        // Asks round up and bids down to their bucket: each grouped price is one the side could trade at.
        market.asks.forEach((price, size) -> groupedAsks.merge(-Math.floorDiv(-price, bucket) * bucket, size, Long::sum));
        market.bids.forEach((price, size) -> groupedBids.merge(Math.floorDiv(price, bucket) * bucket, size, Long::sum));
        final List<long[]> units = new ArrayList<>(count);
        final var asks = groupedAsks.entrySet().iterator();
        final var bids = groupedBids.entrySet().iterator();
        while (units.size() < count && asks.hasNext() && bids.hasNext())
        {
            final Map.Entry<Long, Long> ask = asks.next();
            final Map.Entry<Long, Long> bid = bids.next();
            units.add(new long[]{ask.getKey(), ask.getValue(), bid.getKey(), bid.getValue()});
        }
        return units;
    }

    /**
     * One orderbook frame.
     *
     * @param market     the market.
     * @param streamType {@code SNAPSHOT} or {@code REALTIME}.
     * @param nowMs      its timestamp.
     * @param count      units asked for.
     * @param level      the subscription's price grouping, echoed in {@code level}.
     * @param simple     the SIMPLE format's abbreviated field names, else the DEFAULT format's.
     * @return the frame's text.
     */
    static String orderbook(final SimMarket market, final String streamType, final long nowMs, final int count,
        final BigDecimal level, final boolean simple)
    {
        final List<long[]> units = units(market, count, level);
        long totalAsk = 0;
        long totalBid = 0;
        for (final long[] unit : units)
        {
            totalAsk += unit[1];
            totalBid += unit[3];
        }
        final long askTotal = totalAsk;
        final long bidTotal = totalBid;
        return SimJson.write(json ->
        {
            json.writeStartObject();
            json.writeStringField(key(simple, "type"), "orderbook");
            json.writeStringField(key(simple, "code"), market.symbol);
            json.writeNumberField(key(simple, "timestamp"), nowMs);
            number(json, key(simple, "total_ask_size"), askTotal);
            number(json, key(simple, "total_bid_size"), bidTotal);
            json.writeArrayFieldStart(key(simple, "orderbook_units"));
            for (final long[] unit : units)
            {
                json.writeStartObject();
                json.writeNumberField(key(simple, "ask_price"), unit[0]);
                json.writeNumberField(key(simple, "bid_price"), unit[2]);
                number(json, key(simple, "ask_size"), unit[1]);
                number(json, key(simple, "bid_size"), unit[3]);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeStringField(key(simple, "stream_type"), streamType);
            json.writeFieldName(key(simple, "level"));
            json.writeNumber(level.toPlainString());
            json.writeEndObject();
        });
    }

    private static void number(final JsonGenerator json, final String name, final long units) throws IOException
    {
        json.writeFieldName(name);
        json.writeNumber(size(units));
    }

    @Override
    public void everySecond(final VenueSimulator server, final long nowMs)
    {
    }
}
