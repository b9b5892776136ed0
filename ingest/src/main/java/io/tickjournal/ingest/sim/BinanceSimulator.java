package io.tickjournal.ingest.sim;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Binance spot or USD-M futures venue on loopback, speaking the real protocols: WebSocket raw
 * ({@code /ws/<stream>}) and combined ({@code /stream?streams=}) endpoints, USD-M's routed
 * {@code /public} and {@code /market} paths, live SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS
 * with their responses, server pings, {@code serverShutdown}, the connection age limit, and the
 * REST depth endpoints ({@code /api/v3/depth}, {@code /fapi/v1/depth}).
 * <p>
 * It serves a generated market (a random walk per symbol with trades and depth every 100 ms) or
 * scripted frames, and injects faults on demand: depth gaps, duplicates, reordering, stalls,
 * abrupt disconnects, the age-limit close, shutdown notices, malformed frames, slow snapshots.
 * Every trade and depth event it generates is recorded so tests can compare the journal with
 * what the venue sent. All market state lives on the simulator's one thread.
 */
public final class BinanceSimulator implements AutoCloseable
{
    private static final Pattern STREAM = Pattern.compile("([a-z0-9]+)@(trade|aggTrade|depth@100ms|depth|bookTicker|markPrice@1s|markPrice)");

    private final boolean futures;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final Map<String, SimMarket> markets = new LinkedHashMap<>();
    private final List<SimConnection> connections = new ArrayList<>();
    private final List<String> pongs = new CopyOnWriteArrayList<>();
    private final List<String> pingsSent = new CopyOnWriteArrayList<>();
    private final Map<String, List<Long>> tradeIds = new LinkedHashMap<>();
    private final Map<String, List<Long>> depthIds = new LinkedHashMap<>();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicInteger connectionsAccepted = new AtomicInteger();
    private final AtomicInteger subscribeRequests = new AtomicInteger();
    private final AtomicLong snapshotsServed = new AtomicLong();
    private final List<Long> snapshotIds = new CopyOnWriteArrayList<>();
    private final ScheduledFuture<?> ticker;
    private final Options options;
    private final io.netty.handler.ssl.SslContext tls;
    private long lastTickMs;
    private long pingCounter;
    private long lastPingMs;
    private long lastMarkMs;
    private long tradeCreditMilli;
    private volatile boolean paused;
    // faults, read and reset on the simulator thread
    private final Map<String, Integer> gapNext = new LinkedHashMap<>();
    private final Map<String, Integer> duplicateNext = new LinkedHashMap<>();
    private final Map<String, Integer> reorderNext = new LinkedHashMap<>();
    private final Map<String, String> heldBack = new LinkedHashMap<>();
    private volatile long snapshotDelayMs;

    /**
     * Simulator settings.
     *
     * @param futures            USD-M futures (else spot).
     * @param symbols            symbols with their start prices in cents.
     * @param seed               random seed.
     * @param tradesPerSecond    trades per second per symbol.
     * @param depthIntervalMs    depth event interval ({@code @depth@100ms} = 100).
     * @param pingIntervalMs     server ping interval (Binance spot 20 s, USD-M 3 min).
     * @param maxConnectionAgeMs connections older than this are closed (Binance: 24 h).
     */
    public record Options(
        boolean futures, Map<String, Long> symbols, long seed, int tradesPerSecond, int depthIntervalMs,
        long pingIntervalMs, long maxConnectionAgeMs)
    {
        /**
         * Defaults: two symbols, 50 trades/s each, depth every 100 ms, Binance's ping and age limits.
         *
         * @param futures USD-M.
         * @return options.
         */
        public static Options defaults(final boolean futures)
        {
            final Map<String, Long> symbols = new LinkedHashMap<>();
            symbols.put("BTCUSDT", 6_500_012L);
            symbols.put("ETHUSDT", 345_067L);
            return new Options(futures, symbols, 42, 50, 100, futures ? 180_000 : 20_000, 24L * 3600 * 1000);
        }

        /**
         * @param pingIntervalMs     see the record.
         * @param maxConnectionAgeMs see the record.
         * @return a copy.
         */
        public Options withTimers(final long pingIntervalMs, final long maxConnectionAgeMs)
        {
            return new Options(futures, symbols, seed, tradesPerSecond, depthIntervalMs, pingIntervalMs, maxConnectionAgeMs);
        }

        /**
         * @param seed see the record.
         * @return a copy.
         */
        public Options withSeed(final long seed)
        {
            return new Options(futures, symbols, seed, tradesPerSecond, depthIntervalMs, pingIntervalMs, maxConnectionAgeMs);
        }

        /**
         * @param tradesPerSecond see the record.
         * @return a copy.
         */
        public Options withTradesPerSecond(final int tradesPerSecond)
        {
            return new Options(futures, symbols, seed, tradesPerSecond, depthIntervalMs, pingIntervalMs, maxConnectionAgeMs);
        }
    }

    /**
     * Start a simulator on {@code 127.0.0.1}.
     *
     * @param options settings.
     * @param port    TCP port, or 0 for any free one.
     */
    public BinanceSimulator(final Options options, final int port)
    {
        this(options, port, null, null);
    }

    /**
     * Start a simulator on {@code 127.0.0.1} that speaks TLS ({@code wss://}, {@code https://}).
     *
     * @param options          settings.
     * @param port             TCP port, or 0 for any free one.
     * @param keyStore         PKCS12 key store holding the server's key and certificate, or null for plain.
     * @param keyStorePassword its password.
     */
    public BinanceSimulator(final Options options, final int port, final java.nio.file.Path keyStore, final String keyStorePassword)
    {
        this.tls = keyStore != null ? serverContext(keyStore, keyStorePassword) : null;
        this.options = options;
        this.futures = options.futures();
        long seed = options.seed();
        for (final Map.Entry<String, Long> e : options.symbols().entrySet())
        {
            markets.put(e.getKey().toUpperCase(Locale.ROOT), new SimMarket(e.getKey().toUpperCase(Locale.ROOT), futures, e.getValue(), seed++));
            tradeIds.put(e.getKey().toUpperCase(Locale.ROOT), Collections.synchronizedList(new ArrayList<>()));
            depthIds.put(e.getKey().toUpperCase(Locale.ROOT), Collections.synchronizedList(new ArrayList<>()));
        }
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try
        {
            this.serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        if (tls != null)
                        {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new HttpHandler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        }
        catch (final InterruptedException ex)
        {
            group.shutdownGracefully();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", ex);
        }
        lastTickMs = System.currentTimeMillis();
        lastPingMs = lastTickMs;
        lastMarkMs = lastTickMs;
        this.ticker = group.next().scheduleAtFixedRate(this::tick, 5, 5, TimeUnit.MILLISECONDS);
    }

    /** @return the port it listens on. */
    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    /** @return {@code ws://127.0.0.1:<port>} ({@code wss://} with TLS). */
    public String webSocketUri()
    {
        return (tls != null ? "wss" : "ws") + "://127.0.0.1:" + port();
    }

    /** @return {@code http://127.0.0.1:<port>} ({@code https://} with TLS). */
    public String restUri()
    {
        return (tls != null ? "https" : "http") + "://127.0.0.1:" + port();
    }

    private static io.netty.handler.ssl.SslContext serverContext(final java.nio.file.Path keyStore, final String password)
    {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(keyStore))
        {
            final java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            final javax.net.ssl.KeyManagerFactory keys =
                javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password.toCharArray());
            return io.netty.handler.ssl.SslContextBuilder.forServer(keys).build();
        }
        catch (final java.io.IOException | java.security.GeneralSecurityException ex)
        {
            throw new IllegalStateException("cannot load simulator key store " + keyStore, ex);
        }
    }

    /** @return the options it runs with. */
    public Options options()
    {
        return options;
    }

    private <T> T onLoop(final Callable<T> task)
    {
        try
        {
            return group.next().submit(task).get(10, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("simulator thread did not answer", ex);
        }
    }

    // ---------------------------------------------------------------- faults

    /**
     * Skip the next depth event of a symbol on every connection (the book still moves: a gap).
     *
     * @param symbol e.g. BTCUSDT.
     */
    public void gapNextDepth(final String symbol)
    {
        onLoop(() -> gapNext.merge(symbol.toUpperCase(Locale.ROOT), 1, Integer::sum));
    }

    /**
     * Send the next depth event of a symbol twice.
     *
     * @param symbol e.g. BTCUSDT.
     */
    public void duplicateNextDepth(final String symbol)
    {
        onLoop(() -> duplicateNext.merge(symbol.toUpperCase(Locale.ROOT), 1, Integer::sum));
    }

    /**
     * Hold the next depth event of a symbol back and send it after the one that follows.
     *
     * @param symbol e.g. BTCUSDT.
     */
    public void reorderNextDepth(final String symbol)
    {
        onLoop(() -> reorderNext.merge(symbol.toUpperCase(Locale.ROOT), 1, Integer::sum));
    }

    /** Stop sending anything (data and pings) on the connections open now; they stay open. */
    public void stallOpenConnections()
    {
        onLoop(() ->
        {
            connections.forEach(c -> c.stalled = true);
            return null;
        });
    }

    /** Close every connection abruptly (no close frame). */
    public void dropAllConnections()
    {
        onLoop(() ->
        {
            List.copyOf(connections).forEach(c -> c.channel.close());
            return null;
        });
    }

    /**
     * Announce a shutdown on every open connection, then close them after a grace period.
     *
     * @param graceMs time between the notice and the close.
     */
    public void serverShutdown(final long graceMs)
    {
        onLoop(() ->
        {
            final long now = System.currentTimeMillis();
            for (final SimConnection c : List.copyOf(connections))
            {
                send(c, c.combined ? "{\"stream\":\"!serverShutdown\",\"data\":{\"e\":\"serverShutdown\",\"E\":" + now + "}}" :
                    "{\"e\":\"serverShutdown\",\"E\":" + now + "}");
                c.closeAtMs = now + graceMs;
            }
            return null;
        });
    }

    /**
     * Send a frame to every open connection, e.g. a malformed one or a scripted fixture.
     *
     * @param text the frame.
     */
    public void sendToAll(final String text)
    {
        onLoop(() ->
        {
            connections.forEach(c -> send(c, text));
            return null;
        });
    }

    /**
     * Play scripted frames, e.g. recorded or documented venue messages, to every open connection,
     * in order, as they are (one file or string a frame).
     *
     * @param frames the frames' text.
     */
    public void play(final List<String> frames)
    {
        onLoop(() ->
        {
            for (final String frame : frames)
            {
                connections.forEach(c -> send(c, frame));
            }
            return null;
        });
    }

    /**
     * Play fixture files (one message per file, as in {@code fixtures/venues}) to every open connection.
     *
     * @param files the files, in the order to send them.
     */
    public void playFiles(final List<java.nio.file.Path> files)
    {
        final List<String> frames = new ArrayList<>();
        for (final java.nio.file.Path file : files)
        {
            try
            {
                frames.add(java.nio.file.Files.readString(file));
            }
            catch (final java.io.IOException ex)
            {
                throw new java.io.UncheckedIOException("cannot read script " + file, ex);
            }
        }
        play(frames);
    }

    /**
     * Delay REST snapshot answers.
     *
     * @param delayMs delay.
     */
    public void snapshotDelay(final long delayMs)
    {
        snapshotDelayMs = delayMs;
    }

    /**
     * Stop or resume the generated market.
     *
     * @param pause true to stop generating.
     */
    public void pause(final boolean pause)
    {
        onLoop(() ->
        {
            if (pause && !paused)
            {
                // Publish what moved since the last event, so the venue's book and its stream agree while paused.
                final long now = System.currentTimeMillis();
                for (final SimMarket market : markets.values())
                {
                    if (market.hasPending())
                    {
                        publishDepth(market, market.step(now), now);
                    }
                }
            }
            paused = pause;
            return null;
        });
    }

    // ---------------------------------------------------------------- what it did

    /**
     * Trade ids generated for a symbol, in order.
     *
     * @param symbol e.g. BTCUSDT.
     * @return the ids.
     */
    public List<Long> tradeIds(final String symbol)
    {
        final List<Long> ids = tradeIds.get(symbol.toUpperCase(Locale.ROOT));
        synchronized (ids)
        {
            return List.copyOf(ids);
        }
    }

    /**
     * Final update ids of the depth events generated for a symbol, in order.
     *
     * @param symbol e.g. BTCUSDT.
     * @return the ids.
     */
    public List<Long> depthIds(final String symbol)
    {
        final List<Long> ids = depthIds.get(symbol.toUpperCase(Locale.ROOT));
        synchronized (ids)
        {
            return List.copyOf(ids);
        }
    }

    /** @return payloads of the pongs clients sent. */
    public List<String> pongs()
    {
        return List.copyOf(pongs);
    }

    /** @return payloads of the pings sent. */
    public List<String> pings()
    {
        return List.copyOf(pingsSent);
    }

    /** @return connections accepted so far. */
    public int connectionsAccepted()
    {
        return connectionsAccepted.get();
    }

    /** @return connections open now. */
    public int openConnections()
    {
        return onLoop(connections::size);
    }

    /** @return SUBSCRIBE requests received. */
    public int subscribeRequests()
    {
        return subscribeRequests.get();
    }

    /** @return the {@code lastUpdateId} of every REST snapshot served, in order. */
    public List<Long> snapshotIds()
    {
        return List.copyOf(snapshotIds);
    }

    /** @return REST snapshots served. */
    public long snapshotsServed()
    {
        return snapshotsServed.get();
    }

    /** @return frames sent. */
    public long framesSent()
    {
        return framesSent.get();
    }

    // ---------------------------------------------------------------- market

    private void tick()
    {
        final long now = System.currentTimeMillis();
        for (final SimConnection c : List.copyOf(connections))
        {
            if (c.closeAtMs > 0 && now >= c.closeAtMs)
            {
                c.channel.writeAndFlush(new CloseWebSocketFrame(1000, "server shutdown")).addListener(ChannelFutureListener.CLOSE);
                c.closeAtMs = 0;
            }
            else if (now - c.openedMs >= options.maxConnectionAgeMs() && !c.ageClosed)
            {
                c.ageClosed = true;
                c.channel.writeAndFlush(new CloseWebSocketFrame(1000, "connection age limit")).addListener(ChannelFutureListener.CLOSE);
            }
        }
        if (now - lastPingMs >= options.pingIntervalMs())
        {
            lastPingMs = now;
            final String payload = "ping-" + (++pingCounter);
            for (final SimConnection c : connections)
            {
                if (!c.stalled)
                {
                    pingsSent.add(payload);
                    c.channel.writeAndFlush(new PingWebSocketFrame(Unpooled.copiedBuffer(payload, StandardCharsets.US_ASCII)));
                }
            }
        }
        if (paused)
        {
            lastTickMs = now;
            return;
        }
        tradeCreditMilli += (now - lastTickMs) * options.tradesPerSecond();
        final boolean depthDue = now / options.depthIntervalMs() != lastTickMs / options.depthIntervalMs();
        lastTickMs = now;
        final int trades = (int)(tradeCreditMilli / 1000);
        tradeCreditMilli %= 1000;
        for (final SimMarket market : markets.values())
        {
            for (int i = 0; i < trades; i++)
            {
                publishTrade(market, market.trade(now));
            }
            // The book moves between depth events; a snapshot served now is ahead of the last event.
            market.mutate();
            if (depthDue)
            {
                publishDepth(market, market.step(now), now);
            }
        }
        if (futures && now - lastMarkMs >= 1000)
        {
            lastMarkMs = now;
            for (final SimMarket market : markets.values())
            {
                publishMark(market, now);
            }
        }
    }

    private void publishTrade(final SimMarket market, final SimMarket.Trade trade)
    {
        tradeIds.get(market.symbol).add(trade.id);
        final String lower = market.symbol.toLowerCase(Locale.ROOT);
        final String price = market.price(trade.priceUnits);
        final String size = market.size(trade.sizeUnits);
        if (!futures)
        {
            // One trade in four in the older API version's shape, with the buyer's and seller's order
            // ids b and a (removed in 2024, present in every older capture): a must never be read as the trade id.
            final String orderIds = trade.id % 4 == 0 ? ",\"b\":" + (trade.id * 2 + 88) + ",\"a\":" + (trade.id * 2 + 89) : "";
            publish(lower + "@trade", "{\"e\":\"trade\",\"E\":" + trade.timeMs + ",\"s\":\"" + market.symbol + "\",\"t\":" +
                trade.id + ",\"p\":\"" + price + "\",\"q\":\"" + size + "\"" + orderIds + ",\"T\":" + trade.timeMs + ",\"m\":" +
                trade.buyerMaker + ",\"M\":true}");
        }
        publish(lower + "@aggTrade", "{\"e\":\"aggTrade\",\"E\":" + trade.timeMs + ",\"s\":\"" + market.symbol + "\",\"a\":" +
            market.aggId + ",\"p\":\"" + price + "\",\"q\":\"" + size + "\",\"f\":" + trade.id + ",\"l\":" + trade.id +
            ",\"T\":" + trade.timeMs + ",\"m\":" + trade.buyerMaker + (futures ? "}" : ",\"M\":true}"));
    }

    private void publishDepth(final SimMarket market, final SimMarket.Depth depth, final long now)
    {
        depthIds.get(market.symbol).add(depth.last);
        final StringBuilder json = new StringBuilder(256).append("{\"e\":\"depthUpdate\",\"E\":").append(now);
        if (futures)
        {
            json.append(",\"T\":").append(now);
        }
        json.append(",\"s\":\"").append(market.symbol).append("\",\"U\":").append(depth.first).append(",\"u\":").append(depth.last);
        if (futures)
        {
            json.append(",\"pu\":").append(depth.prev);
        }
        levels(json.append(",\"b\":"), market, depth.bids);
        levels(json.append(",\"a\":"), market, depth.asks);
        json.append('}');
        final String lower = market.symbol.toLowerCase(Locale.ROOT);
        final String text = json.toString();
        final String symbol = market.symbol;
        if (take(gapNext, symbol))
        {
            publishTicker(market, depth.last, now);
            return;
        }
        if (take(reorderNext, symbol))
        {
            heldBack.put(symbol, text);
            return;
        }
        publish(lower + "@depth@100ms", text);
        publish(lower + "@depth", text);
        final String held = heldBack.remove(symbol);
        if (held != null)
        {
            publish(lower + "@depth@100ms", held);
            publish(lower + "@depth", held);
        }
        if (take(duplicateNext, symbol))
        {
            publish(lower + "@depth@100ms", text);
            publish(lower + "@depth", text);
        }
        publishTicker(market, depth.last, now);
    }

    private static boolean take(final Map<String, Integer> faults, final String symbol)
    {
        final Integer n = faults.get(symbol);
        if (n == null || n == 0)
        {
            return false;
        }
        if (n == 1)
        {
            faults.remove(symbol);
        }
        else
        {
            faults.put(symbol, n - 1);
        }
        return true;
    }

    private void publishTicker(final SimMarket market, final long updateId, final long now)
    {
        final long bid = market.bids.lastKey();
        final long ask = market.asks.firstKey();
        final StringBuilder json = new StringBuilder(200);
        if (futures)
        {
            json.append("{\"e\":\"bookTicker\",\"u\":").append(updateId).append(",\"E\":").append(now).append(",\"T\":").append(now)
                .append(",\"s\":\"").append(market.symbol).append('"');
        }
        else
        {
            json.append("{\"u\":").append(updateId).append(",\"s\":\"").append(market.symbol).append('"');
        }
        json.append(",\"b\":\"").append(market.price(bid)).append("\",\"B\":\"").append(market.size(market.bids.get(bid)))
            .append("\",\"a\":\"").append(market.price(ask)).append("\",\"A\":\"").append(market.size(market.asks.get(ask)))
            .append("\"}");
        publish(market.symbol.toLowerCase(Locale.ROOT) + "@bookTicker", json.toString());
    }

    private void publishMark(final SimMarket market, final long now)
    {
        final String mark = market.price(market.midUnits);
        // As the venue prints them: mark and settlement price with 8 decimals, the index price with 8 significant decimals.
        final String json = "{\"e\":\"markPriceUpdate\",\"E\":" + now + ",\"s\":\"" + market.symbol + "\",\"p\":\"" + mark +
            "000000\",\"i\":\"" + market.indexPrice() + "\",\"P\":\"" + mark + "000000\",\"r\":\"0.00010000\",\"T\":" +
            ((now / 28_800_000L) + 1) * 28_800_000L + "}";
        final String lower = market.symbol.toLowerCase(Locale.ROOT);
        publish(lower + "@markPrice@1s", json);
        publish(lower + "@markPrice", json);
    }

    private static void levels(final StringBuilder json, final SimMarket market, final List<long[]> levels)
    {
        json.append('[');
        for (int i = 0; i < levels.size(); i++)
        {
            json.append(i == 0 ? "[\"" : ",[\"").append(market.price(levels.get(i)[0])).append("\",\"")
                .append(market.size(levels.get(i)[1])).append("\"]");
        }
        json.append(']');
    }

    private void publish(final String stream, final String data)
    {
        String wrapped = null;
        for (final SimConnection c : connections)
        {
            if (c.streams.contains(stream))
            {
                if (c.combined)
                {
                    if (wrapped == null)
                    {
                        wrapped = "{\"stream\":\"" + stream + "\",\"data\":" + data + "}";
                    }
                    send(c, wrapped);
                }
                else
                {
                    send(c, data);
                }
            }
        }
    }

    private void send(final SimConnection c, final String text)
    {
        if (c.stalled || !c.channel.isActive())
        {
            return;
        }
        framesSent.incrementAndGet();
        c.channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    private String snapshotJson(final SimMarket market, final int limit)
    {
        final StringBuilder json = new StringBuilder(4096).append("{\"lastUpdateId\":").append(market.updateId);
        if (futures)
        {
            final long now = System.currentTimeMillis();
            json.append(",\"E\":").append(now).append(",\"T\":").append(now);
        }
        json.append(",\"bids\":[");
        int n = 0;
        for (final Map.Entry<Long, Long> level : market.bids.descendingMap().entrySet())
        {
            if (n == limit)
            {
                break;
            }
            json.append(n++ == 0 ? "[\"" : ",[\"").append(market.price(level.getKey())).append("\",\"")
                .append(market.size(level.getValue())).append("\"]");
        }
        json.append("],\"asks\":[");
        n = 0;
        for (final Map.Entry<Long, Long> level : market.asks.entrySet())
        {
            if (n == limit)
            {
                break;
            }
            json.append(n++ == 0 ? "[\"" : ",[\"").append(market.price(level.getKey())).append("\",\"")
                .append(market.size(level.getValue())).append("\"]");
        }
        return json.append("]}").toString();
    }

    // ---------------------------------------------------------------- protocol

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

    private final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        private WebSocketServerHandshaker handshaker;
        private SimConnection connection;

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            final QueryStringDecoder query = new QueryStringDecoder(request.uri());
            final String path = query.path();
            if ("websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE)))
            {
                upgrade(ctx, request, path, query);
                return;
            }
            if (path.equals("/api/v3/depth") && !futures || path.equals("/fapi/v1/depth") && futures)
            {
                final String symbol = query.parameters().getOrDefault("symbol", List.of("")).get(0).toUpperCase(Locale.ROOT);
                final int limit = Integer.parseInt(query.parameters().getOrDefault("limit", List.of("100")).get(0));
                final SimMarket market = markets.get(symbol);
                if (market == null)
                {
                    respond(ctx, HttpResponseStatus.BAD_REQUEST, "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}");
                    return;
                }
                final String body = snapshotJson(market, limit);
                snapshotsServed.incrementAndGet();
                snapshotIds.add(market.updateId);
                final long delay = snapshotDelayMs;
                if (delay > 0)
                {
                    ctx.executor().schedule(() -> respond(ctx, HttpResponseStatus.OK, body), delay, TimeUnit.MILLISECONDS);
                }
                else
                {
                    respond(ctx, HttpResponseStatus.OK, body);
                }
                return;
            }
            respond(ctx, HttpResponseStatus.NOT_FOUND, "{\"code\":-1,\"msg\":\"no such endpoint " + path + "\"}");
        }

        private void upgrade(final ChannelHandlerContext ctx, final FullHttpRequest request, final String path, final QueryStringDecoder query)
        {
            final boolean combined;
            final Set<String> initial = new LinkedHashSet<>();
            final Matcher raw = Pattern.compile("^(/public|/market)?/ws/(.+)$").matcher(path);
            if (raw.matches())
            {
                combined = false;
                initial.add(raw.group(2));
            }
            else if (path.matches("^(/public|/market)?/stream$"))
            {
                combined = true;
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
                combined = false;
            }
            else
            {
                respond(ctx, HttpResponseStatus.NOT_FOUND, "{\"code\":-1,\"msg\":\"no WebSocket endpoint " + path + "\"}");
                return;
            }
            final WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(
                "ws://127.0.0.1" + request.uri(), null, false, 1 << 20);
            handshaker = factory.newHandshaker(request);
            if (handshaker == null)
            {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            handshaker.handshake(ctx.channel(), request);
            connection = new SimConnection(ctx.channel(), path, combined, System.currentTimeMillis());
            for (final String s : initial)
            {
                if (servedOn(path, s))
                {
                    connection.streams.add(s);
                }
            }
            connections.add(connection);
            connectionsAccepted.incrementAndGet();
            ctx.pipeline().replace(this, "ws", new WebSocketHandler(connection, handshaker));
        }

        private void respond(final ChannelHandlerContext ctx, final HttpResponseStatus status, final String body)
        {
            final FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private final class WebSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame>
    {
        private final SimConnection connection;
        private final WebSocketServerHandshaker handshaker;

        WebSocketHandler(final SimConnection connection, final WebSocketServerHandshaker handshaker)
        {
            this.connection = connection;
            this.handshaker = handshaker;
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame)
        {
            if (frame instanceof PongWebSocketFrame)
            {
                pongs.add(frame.content().toString(StandardCharsets.US_ASCII));
            }
            else if (frame instanceof PingWebSocketFrame)
            {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            }
            else if (frame instanceof CloseWebSocketFrame)
            {
                handshaker.close(ctx.channel(), (CloseWebSocketFrame)frame.retain());
            }
            else if (frame instanceof TextWebSocketFrame)
            {
                control(((TextWebSocketFrame)frame).text());
            }
        }

        private void control(final String text)
        {
            final Matcher method = Pattern.compile("\"method\"\\s*:\\s*\"([A-Z_]+)\"").matcher(text);
            final Matcher id = Pattern.compile("\"id\"\\s*:\\s*(-?\\d+|\"[^\"]*\"|null)").matcher(text);
            final String requestId = id.find() ? id.group(1) : "null";
            if (!method.find())
            {
                send(connection, "{\"error\":{\"code\":2,\"msg\":\"Invalid request: method missing\"},\"id\":" + requestId + "}");
                return;
            }
            final List<String> params = new ArrayList<>();
            final Matcher list = Pattern.compile("\"params\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(text);
            if (list.find())
            {
                final Matcher s = Pattern.compile("\"([^\"]+)\"").matcher(list.group(1));
                while (s.find())
                {
                    params.add(s.group(1));
                }
            }
            switch (method.group(1))
            {
                case "SUBSCRIBE":
                    subscribeRequests.incrementAndGet();
                    for (final String p : params)
                    {
                        if (!STREAM.matcher(p).matches() && !p.startsWith("!"))
                        {
                            send(connection, "{\"error\":{\"code\":2,\"msg\":\"Invalid request: unknown stream " + p +
                                "\"},\"id\":" + requestId + "}");
                            return;
                        }
                        if (!servedOn(connection.path, p))
                        {
                            send(connection, "{\"error\":{\"code\":2,\"msg\":\"stream " + p + " is not served on " +
                                connection.path + "\"},\"id\":" + requestId + "}");
                            return;
                        }
                    }
                    connection.streams.addAll(params);
                    send(connection, "{\"result\":null,\"id\":" + requestId + "}");
                    break;
                case "UNSUBSCRIBE":
                    params.forEach(connection.streams::remove);
                    send(connection, "{\"result\":null,\"id\":" + requestId + "}");
                    break;
                case "LIST_SUBSCRIPTIONS":
                    final StringBuilder result = new StringBuilder("{\"result\":[");
                    int n = 0;
                    for (final String s : connection.streams)
                    {
                        result.append(n++ == 0 ? "\"" : ",\"").append(s).append('"');
                    }
                    send(connection, result.append("],\"id\":").append(requestId).append('}').toString());
                    break;
                default:
                    send(connection, "{\"error\":{\"code\":2,\"msg\":\"Invalid request: unknown method " + method.group(1) +
                        "\"},\"id\":" + requestId + "}");
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) throws Exception
        {
            connections.remove(connection);
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }

    private static final class SimConnection
    {
        final Channel channel;
        final String path;
        final boolean combined;
        final long openedMs;
        final Set<String> streams = new LinkedHashSet<>();
        boolean stalled;
        boolean ageClosed;
        long closeAtMs;

        SimConnection(final Channel channel, final String path, final boolean combined, final long openedMs)
        {
            this.channel = channel;
            this.path = path;
            this.combined = combined;
            this.openedMs = openedMs;
        }
    }

    @Override
    public void close()
    {
        ticker.cancel(false);
        serverChannel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
