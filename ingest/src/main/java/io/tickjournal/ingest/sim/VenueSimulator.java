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
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A venue on loopback, without the venue: Netty HTTP and WebSocket (optionally TLS), routing of
 * upgrades and REST requests to a {@link SimProtocol}, a clock ticking every 5 ms that generates
 * the markets ({@link SimMarket}: trades, a book that moves between events, events every
 * {@code depthIntervalMs}), the connections and their streams, server pings, the connection age
 * limit, the keep-alive timeout, faults on demand and a {@link SimRecorder} of what was sent.
 * <p>
 * Faults: gap, duplicate or reorder the next book event of a symbol; stall or drop the open
 * connections; a shutdown notice then a close; slow REST snapshots; any frame (malformed ones
 * included) to every connection. All state lives on the simulator's one thread; the public
 * methods hand their work to it and wait.
 */
public final class VenueSimulator implements AutoCloseable
{
    /** {@link #publishBookEvent}: the event was sent. */
    public static final int SENT = 0;
    /** {@link #publishBookEvent}: the event was dropped (a gap). */
    public static final int DROPPED = 1;
    /** {@link #publishBookEvent}: the event was held back, to follow the next one. */
    public static final int HELD = 2;

    private final SimProtocol protocol;
    private final Settings settings;
    private final SslContext tls;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final Map<String, SimMarket> markets = new LinkedHashMap<>();
    private final List<SimConnection> connections = new ArrayList<>();
    private final SimRecorder recorder = new SimRecorder();
    private final ScheduledFuture<?> ticker;
    private final Map<String, Integer> gapNext = new LinkedHashMap<>();
    private final Map<String, Integer> duplicateNext = new LinkedHashMap<>();
    private final Map<String, Integer> reorderNext = new LinkedHashMap<>();
    private final Map<String, List<String[]>> heldBack = new LinkedHashMap<>();
    private final long keepaliveTimeoutMs;
    private long lastTickMs;
    private long lastPingMs;
    private long lastSecondMs;
    private long pingCounter;
    private long tradeCreditMilli;
    private int connectionNumber;
    private volatile boolean paused;
    private volatile long snapshotDelayMs;

    /**
     * Simulator settings, for any venue.
     *
     * @param symbols            venue symbols with their start prices in cents.
     * @param seed               random seed (the n-th symbol uses seed + n).
     * @param tradesPerSecond    trades per second per symbol.
     * @param depthIntervalMs    book event interval.
     * @param pingIntervalMs     server WebSocket ping interval (0 = none).
     * @param maxConnectionAgeMs connections older than this are closed.
     * @param keepaliveTimeoutMs a connection sending no keep-alive this long is closed; -1 = the venue's own.
     * @param referenceOriginMs  0: each market's mid is a free random walk; else the origin of the fair-price
     *                           walk its mid follows ({@link ReferenceWalk}), the same for every simulator of a
     *                           run, so venues of one asset (the same start price) stay a few ticks apart.
     */
    public record Settings(
        Map<String, Long> symbols, long seed, int tradesPerSecond, int depthIntervalMs, long pingIntervalMs,
        long maxConnectionAgeMs, long keepaliveTimeoutMs, long referenceOriginMs)
    {
        /**
         * @param symbols venue symbols with their start prices in cents.
         * @return two symbols' worth of defaults: 50 trades/s, depth every 100 ms, no server ping,
         * 24 h age, the venue's keep-alive timeout.
         */
        public static Settings defaults(final Map<String, Long> symbols)
        {
            return new Settings(symbols, 42, 50, 100, 0, 24L * 3600 * 1000, -1, 0);
        }

        /**
         * @param maxConnectionAgeMs see the record.
         * @return a copy.
         */
        public Settings withMaxConnectionAge(final long maxConnectionAgeMs)
        {
            return new Settings(symbols, seed, tradesPerSecond, depthIntervalMs, pingIntervalMs, maxConnectionAgeMs, keepaliveTimeoutMs,
                referenceOriginMs);
        }

        /**
         * @param keepaliveTimeoutMs see the record.
         * @return a copy.
         */
        public Settings withKeepaliveTimeout(final long keepaliveTimeoutMs)
        {
            return new Settings(symbols, seed, tradesPerSecond, depthIntervalMs, pingIntervalMs, maxConnectionAgeMs, keepaliveTimeoutMs,
                referenceOriginMs);
        }

        /**
         * @param tradesPerSecond see the record.
         * @return a copy.
         */
        public Settings withTradesPerSecond(final int tradesPerSecond)
        {
            return new Settings(symbols, seed, tradesPerSecond, depthIntervalMs, pingIntervalMs, maxConnectionAgeMs, keepaliveTimeoutMs,
                referenceOriginMs);
        }

        /**
         * @param pingIntervalMs see the record.
         * @return a copy.
         */
        public Settings withPingInterval(final long pingIntervalMs)
        {
            return new Settings(symbols, seed, tradesPerSecond, depthIntervalMs, pingIntervalMs, maxConnectionAgeMs, keepaliveTimeoutMs,
                referenceOriginMs);
        }

        /**
         * @param seed see the record.
         * @return a copy.
         */
        public Settings withSeed(final long seed)
        {
            return new Settings(symbols, seed, tradesPerSecond, depthIntervalMs, pingIntervalMs, maxConnectionAgeMs, keepaliveTimeoutMs,
                referenceOriginMs);
        }

        /**
         * @param referenceOriginMs see the record.
         * @return a copy whose markets follow a fair-price walk from this origin.
         */
        public Settings withReference(final long referenceOriginMs)
        {
            return new Settings(symbols, seed, tradesPerSecond, depthIntervalMs, pingIntervalMs, maxConnectionAgeMs, keepaliveTimeoutMs,
                referenceOriginMs);
        }
    }

    /**
     * Start a simulator on {@code 127.0.0.1}.
     *
     * @param protocol         the venue.
     * @param settings         settings.
     * @param port             TCP port, or 0 for any free one.
     * @param keyStore         PKCS12 key store with the server's key and certificate for TLS, or null for plain.
     * @param keyStorePassword its password.
     */
    public VenueSimulator(
        final SimProtocol protocol, final Settings settings, final int port, final java.nio.file.Path keyStore,
        final String keyStorePassword)
    {
        this.protocol = protocol;
        this.settings = settings;
        this.tls = keyStore != null ? serverContext(keyStore, keyStorePassword) : null;
        this.keepaliveTimeoutMs = settings.keepaliveTimeoutMs() >= 0 ? settings.keepaliveTimeoutMs() : protocol.keepaliveTimeoutMs();
        long seed = settings.seed();
        for (final Map.Entry<String, Long> e : settings.symbols().entrySet())
        {
            final SimMarket market = protocol.newMarket(e.getKey(), e.getValue(), seed++);
            if (settings.referenceOriginMs() != 0)
            {
                market.followReference(settings.referenceOriginMs());
            }
            markets.put(e.getKey().toUpperCase(Locale.ROOT), market);
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
        lastSecondMs = lastTickMs;
        this.ticker = group.next().scheduleAtFixedRate(this::tick, 5, 5, TimeUnit.MILLISECONDS);
    }

    /**
     * Start a plain simulator on {@code 127.0.0.1}.
     *
     * @param protocol the venue.
     * @param settings settings.
     * @param port     TCP port, or 0 for any free one.
     */
    public VenueSimulator(final SimProtocol protocol, final Settings settings, final int port)
    {
        this(protocol, settings, port, null, null);
    }

    private static SslContext serverContext(final java.nio.file.Path keyStore, final String password)
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

    /** @return the settings it runs with. */
    public Settings settings()
    {
        return settings;
    }

    /** @return the protocol it speaks. */
    public SimProtocol protocol()
    {
        return protocol;
    }

    /** @return what it sent and received. */
    public SimRecorder recorder()
    {
        return recorder;
    }

    /**
     * Run a task on the simulator's thread and wait for its answer.
     *
     * @param task the task.
     * @param <T>  its answer.
     * @return the answer.
     */
    public <T> T onLoop(final Callable<T> task)
    {
        if (group.next().inEventLoop())
        {
            try
            {
                return task.call();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }
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
     * Drop the next book event of a symbol on every connection (the book still moves: a gap).
     *
     * @param symbol the venue's symbol.
     */
    public void gapNextBookEvent(final String symbol)
    {
        onLoop(() -> gapNext.merge(symbol.toUpperCase(Locale.ROOT), 1, Integer::sum));
    }

    /**
     * Send the next book event of a symbol twice.
     *
     * @param symbol the venue's symbol.
     */
    public void duplicateNextBookEvent(final String symbol)
    {
        onLoop(() -> duplicateNext.merge(symbol.toUpperCase(Locale.ROOT), 1, Integer::sum));
    }

    /**
     * Hold the next book event of a symbol back and send it after the one that follows.
     *
     * @param symbol the venue's symbol.
     */
    public void reorderNextBookEvent(final String symbol)
    {
        onLoop(() -> reorderNext.merge(symbol.toUpperCase(Locale.ROOT), 1, Integer::sum));
    }

    /** Stop sending anything (data, pings, answers) on the connections open now; they stay open. */
    public void stallOpenConnections()
    {
        onLoop(() ->
        {
            connections.forEach(c -> c.stalled = true);
            return null;
        });
    }

    /**
     * The venue goes away for a while: every connection is dropped and every request (WebSocket or
     * REST) is refused with 503 until the time is up, while its market keeps moving (ids go on), so
     * what was missed is a real gap when it comes back.
     *
     * @param durationMs how long it stays down.
     */
    public void goDown(final long durationMs)
    {
        downUntilMs = System.currentTimeMillis() + durationMs;
        dropAllConnections();
    }

    /** Until when (ms since the epoch) the venue refuses every request; 0 when up. */
    private volatile long downUntilMs;

    /**
     * Close every connection abruptly (no close frame), as a network failure would.
     */
    public void dropAllConnections()
    {
        onLoop(() ->
        {
            List.copyOf(connections).forEach(c -> c.channel.close());
            return null;
        });
    }

    /**
     * Send the venue's shutdown or maintenance notice (if it has one) on every open connection, then
     * close them after a grace period.
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
                final String notice = protocol.shutdownNotice(c, now);
                if (notice != null)
                {
                    send(c, notice);
                }
                c.closeAtMs = now + graceMs;
            }
            return null;
        });
    }

    /**
     * Send frames to every open connection, in order, as they are (malformed ones, scripted fixtures).
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
     * Delay REST snapshot answers.
     *
     * @param delayMs delay.
     */
    public void snapshotDelay(final long delayMs)
    {
        snapshotDelayMs = delayMs;
    }

    /**
     * Stop or resume the generated market. On pausing, what moved since the last book event is
     * published, so the venue's book and its stream agree while paused.
     *
     * @param pause true to stop generating.
     */
    public void pause(final boolean pause)
    {
        onLoop(() ->
        {
            if (pause && !paused)
            {
                final long now = System.currentTimeMillis();
                for (final SimMarket market : markets.values())
                {
                    if (market.hasPending())
                    {
                        protocol.publishDepth(this, market, market.step(now), now);
                    }
                }
            }
            paused = pause;
            return null;
        });
    }

    // ---------------------------------------------------------------- for protocols and tests

    /** @return whether the generated market is paused. */
    public boolean paused()
    {
        return paused;
    }

    /**
     * @param symbol the venue's symbol (any case).
     * @return its market, or null. Simulator thread only (use {@link #onLoop}).
     */
    public SimMarket market(final String symbol)
    {
        return markets.get(symbol.toUpperCase(Locale.ROOT));
    }

    /** @return the markets by upper-case symbol. Simulator thread only. */
    Map<String, SimMarket> markets()
    {
        return markets;
    }

    /** @return connections open now. Simulator thread only. */
    List<SimConnection> connections()
    {
        return connections;
    }

    /** @return connections open now. */
    public int openConnections()
    {
        return onLoop(connections::size);
    }

    /**
     * Record a trade sent.
     *
     * @param symbol the venue's symbol.
     * @param id     its id as printed.
     */
    void recordTrade(final String symbol, final String id)
    {
        recorder.trade(symbol, id);
    }

    /**
     * Send a message to every connection subscribed to a stream.
     *
     * @param stream the stream (as the protocol names it).
     * @param data   the message.
     */
    public void publish(final String stream, final String data)
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

    /**
     * Publish one book event of a symbol, its frames given per stream, with the faults asked for:
     * dropped (a gap), held back behind the next event, or sent twice. Records the event's id.
     *
     * @param symbol the venue's symbol.
     * @param id     the event's id (recorded as sent, whatever the fault).
     * @param frames the event as {@code {stream, text}} pairs.
     * @return {@link #SENT}, {@link #DROPPED} or {@link #HELD}.
     */
    public int publishBookEvent(final String symbol, final long id, final List<String[]> frames)
    {
        final String key = symbol.toUpperCase(Locale.ROOT);
        recorder.book(key, id);
        if (take(gapNext, key))
        {
            return DROPPED;
        }
        if (take(reorderNext, key))
        {
            heldBack.put(key, frames);
            return HELD;
        }
        frames.forEach(f -> publish(f[0], f[1]));
        final List<String[]> held = heldBack.remove(key);
        if (held != null)
        {
            held.forEach(f -> publish(f[0], f[1]));
        }
        if (take(duplicateNext, key))
        {
            frames.forEach(f -> publish(f[0], f[1]));
        }
        return SENT;
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

    /**
     * Send a frame to one connection, unless it is stalled or closed.
     *
     * @param c    the connection.
     * @param text the frame.
     */
    public void send(final SimConnection c, final String text)
    {
        if (c.stalled || !c.channel.isActive())
        {
            return;
        }
        recorder.sent();
        if (protocol.binaryFrames())
        {
            c.channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.copiedBuffer(protocol.outgoing(c, text), StandardCharsets.UTF_8)));
        }
        else
        {
            c.channel.writeAndFlush(new TextWebSocketFrame(protocol.outgoing(c, text)));
        }
    }

    /**
     * A client's keep-alive arrived: the connection's keep-alive timeout starts again.
     *
     * @param c    the connection.
     * @param text what it sent.
     */
    public void keepalive(final SimConnection c, final String text)
    {
        c.lastKeepaliveMs = System.currentTimeMillis();
        recorder.keepalive(text);
    }

    // ---------------------------------------------------------------- clock

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
            else if (now - c.openedMs >= settings.maxConnectionAgeMs() && !c.ageClosed)
            {
                c.ageClosed = true;
                c.channel.writeAndFlush(new CloseWebSocketFrame(1000, "connection age limit")).addListener(ChannelFutureListener.CLOSE);
            }
            else if (keepaliveTimeoutMs > 0 && now - c.lastKeepaliveMs >= keepaliveTimeoutMs && !c.ageClosed)
            {
                c.ageClosed = true;
                recorder.keepaliveClose();
                c.channel.writeAndFlush(new CloseWebSocketFrame(1000, "no keep-alive in " + keepaliveTimeoutMs + " ms"))
                    .addListener(ChannelFutureListener.CLOSE);
            }
        }
        if (settings.pingIntervalMs() > 0 && now - lastPingMs >= settings.pingIntervalMs())
        {
            lastPingMs = now;
            final String payload = "ping-" + (++pingCounter);
            for (final SimConnection c : connections)
            {
                if (!c.stalled)
                {
                    recorder.ping(payload);
                    c.channel.writeAndFlush(new PingWebSocketFrame(Unpooled.copiedBuffer(payload, StandardCharsets.US_ASCII)));
                }
            }
        }
        if (paused)
        {
            lastTickMs = now;
            return;
        }
        tradeCreditMilli += (now - lastTickMs) * settings.tradesPerSecond();
        final boolean depthDue = now / settings.depthIntervalMs() != lastTickMs / settings.depthIntervalMs();
        lastTickMs = now;
        final int trades = (int)(tradeCreditMilli / 1000);
        tradeCreditMilli %= 1000;
        for (final SimMarket market : markets.values())
        {
            if (trades > 0)
            {
                final List<SimMarket.Trade> batch = new ArrayList<>(trades);
                for (int i = 0; i < trades; i++)
                {
                    batch.add(market.trade(now));
                }
                protocol.publishTrades(this, market, batch, now);
            }
            // The book moves between book events; a snapshot served now is ahead of the last event.
            market.mutate(now);
            if (depthDue)
            {
                protocol.publishDepth(this, market, market.step(now), now);
            }
        }
        if (now - lastSecondMs >= 1000)
        {
            lastSecondMs = now;
            protocol.everySecond(this, now);
        }
    }

    // ---------------------------------------------------------------- Netty

    private final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            if (System.currentTimeMillis() < downUntilMs)
            {
                respond(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"code\":-1,\"msg\":\"venue down\"}");
                return;
            }
            final QueryStringDecoder query = new QueryStringDecoder(request.uri());
            if ("websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE)))
            {
                upgrade(ctx, request, query);
                return;
            }
            final SimProtocol.RestAnswer answer = protocol.rest(VenueSimulator.this, query.path(), query.parameters());
            if (answer == null)
            {
                respond(ctx, HttpResponseStatus.NOT_FOUND, "{\"code\":-1,\"msg\":\"no such endpoint " + query.path() + "\"}");
                return;
            }
            final long delay = snapshotDelayMs;
            if (answer.snapshot() && delay > 0)
            {
                ctx.executor().schedule(() -> respond(ctx, HttpResponseStatus.valueOf(answer.status()), answer.body()),
                    delay, TimeUnit.MILLISECONDS);
            }
            else
            {
                respond(ctx, HttpResponseStatus.valueOf(answer.status()), answer.body());
            }
        }

        private void upgrade(final ChannelHandlerContext ctx, final FullHttpRequest request, final QueryStringDecoder query)
        {
            final SimConnection connection = new SimConnection(ctx.channel(), System.currentTimeMillis(), ++connectionNumber);
            connection.path = query.path();
            if (!protocol.accept(VenueSimulator.this, connection, query))
            {
                respond(ctx, HttpResponseStatus.NOT_FOUND, "{\"code\":-1,\"msg\":\"no WebSocket endpoint " + query.path() + "\"}");
                return;
            }
            final WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(
                "ws://127.0.0.1" + request.uri(), null, false, 1 << 20);
            final WebSocketServerHandshaker handshaker = factory.newHandshaker(request);
            if (handshaker == null)
            {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            handshaker.handshake(ctx.channel(), request);
            connections.add(connection);
            recorder.accepted();
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
                recorder.pong(frame.content().toString(StandardCharsets.US_ASCII));
                if (settings.pingIntervalMs() > 0)
                {
                    // A venue that pings (Binance) counts the pong as the client's keep-alive.
                    connection.lastKeepaliveMs = System.currentTimeMillis();
                }
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
                final String text = ((TextWebSocketFrame)frame).text();
                recorder.control(text);
                protocol.onText(VenueSimulator.this, connection, text);
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

    @Override
    public void close()
    {
        ticker.cancel(false);
        serverChannel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
