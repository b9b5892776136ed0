package io.tickjournal.ingest;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.EpochNanoClock;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * WebSocket and REST over Netty for one feed. Every channel of the feed is registered on one
 * event loop, the same thread that runs the {@link FeedSession} and appends to its partitions,
 * so frames go from the socket to the journal with no hand-off and a single writer.
 * {@code wss://} and {@code https://} use TLS (the JDK provider, hostname verified);
 * {@code ws://} and {@code http://} are plain (the simulator). Pings are answered by Netty's
 * WebSocket protocol handler with a pong carrying the same payload, as Binance requires.
 */
public final class NettyFeedTransport implements FeedTransport
{
    private static final int MAX_FRAME = 16 * 1024 * 1024;

    private final EventLoop loop;
    private final EpochNanoClock clock;
    private final java.nio.file.Path trustStore;
    private final String trustStorePassword;
    private final Int2ObjectHashMap<Channel> channels = new Int2ObjectHashMap<>();
    private SslContext ssl;
    private FeedSession session;
    private byte[] frameBytes = new byte[64 * 1024];

    /**
     * @param loop  the feed's event loop (owns every channel of the feed).
     * @param clock receive-time clock.
     */
    public NettyFeedTransport(final EventLoop loop, final EpochNanoClock clock)
    {
        this(loop, clock, null, null);
    }

    /**
     * @param loop               the feed's event loop (owns every channel of the feed).
     * @param clock              receive-time clock.
     * @param trustStore         PKCS12 trust store for TLS, or null for the JDK's trusted CAs.
     * @param trustStorePassword its password, or null.
     */
    public NettyFeedTransport(
        final EventLoop loop, final EpochNanoClock clock, final java.nio.file.Path trustStore, final String trustStorePassword)
    {
        this.loop = loop;
        this.clock = clock;
        this.trustStore = trustStore;
        this.trustStorePassword = trustStorePassword;
    }

    /** @return the event loop everything of this feed runs on. */
    public EventLoop loop()
    {
        return loop;
    }

    @Override
    public void bind(final FeedSession session)
    {
        this.session = session;
    }

    /** The TLS context for a {@code wss}/{@code https} URI, null for a plain one; throws if TLS cannot be set up. */
    private SslContext contextFor(final URI uri) throws SSLException
    {
        if (!secure(uri))
        {
            return null;
        }
        if (ssl == null)
        {
            final SslContextBuilder builder = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
            if (trustStore != null)
            {
                builder.trustManager(trustManagers(trustStore, trustStorePassword));
            }
            ssl = builder.build();
        }
        return ssl;
    }

    private static javax.net.ssl.TrustManagerFactory trustManagers(final java.nio.file.Path store, final String password)
        throws SSLException
    {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(store))
        {
            final java.security.KeyStore keyStore = java.security.KeyStore.getInstance("PKCS12");
            keyStore.load(in, password == null ? null : password.toCharArray());
            final javax.net.ssl.TrustManagerFactory factory =
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore);
            return factory;
        }
        catch (final java.io.IOException | java.security.GeneralSecurityException ex)
        {
            throw new SSLException("cannot load trust store " + store + ": " + ex.getMessage(), ex);
        }
    }

    private static void addTls(final ChannelPipeline p, final SslContext context, final SocketChannel ch, final URI uri)
    {
        if (context != null)
        {
            p.addLast(context.newHandler(ch.alloc(), uri.getHost(), port(uri)));
        }
    }

    private static int port(final URI uri)
    {
        if (uri.getPort() > 0)
        {
            return uri.getPort();
        }
        return "wss".equals(uri.getScheme()) || "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static boolean secure(final URI uri)
    {
        return "wss".equals(uri.getScheme()) || "https".equals(uri.getScheme());
    }

    @Override
    public void connect(final int connectionId, final URI uri)
    {
        final SslContext context;
        try
        {
            context = contextFor(uri);
        }
        catch (final SSLException ex)
        {
            loop.execute(() -> session.onClosed(connectionId, clock.nanoTime(), "TLS setup failed: " + ex.getMessage()));
            return;
        }
        final WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .maxFramePayloadLength(MAX_FRAME)
            .handshakeTimeoutMillis(10_000)
            .dropPongFrames(true)
            .build();
        final Bootstrap bootstrap = new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    final ChannelPipeline p = ch.pipeline();
                    addTls(p, context, ch, uri);
                    p.addLast(new HttpClientCodec());
                    p.addLast(new HttpObjectAggregator(65_536));
                    p.addLast(new WebSocketClientProtocolHandler(config));
                    p.addLast(new WebSocketFrameAggregator(MAX_FRAME));
                    p.addLast(new FrameHandler(connectionId));
                }
            });
        final io.netty.channel.ChannelFuture connecting = bootstrap.connect(uri.getHost(), port(uri));
        // Known at once, so a connect the session gives up on (its own timeout) can be closed too.
        channels.put(connectionId, connecting.channel());
        connecting.addListener(future ->
        {
            if (!future.isSuccess())
            {
                channels.remove(connectionId);
                session.onClosed(connectionId, clock.nanoTime(), String.valueOf(future.cause()));
            }
        });
    }

    @Override
    public void send(final int connectionId, final String text)
    {
        final Channel channel = channels.get(connectionId);
        if (channel != null)
        {
            channel.writeAndFlush(new TextWebSocketFrame(text));
        }
    }

    @Override
    public void ping(final int connectionId)
    {
        final Channel channel = channels.get(connectionId);
        if (channel != null)
        {
            channel.writeAndFlush(new io.netty.handler.codec.http.websocketx.PingWebSocketFrame());
        }
    }

    @Override
    public void close(final int connectionId)
    {
        final Channel channel = channels.get(connectionId);
        if (channel != null)
        {
            channel.close();
        }
    }

    @Override
    public void get(final long tag, final URI uri)
    {
        final SslContext context;
        try
        {
            context = contextFor(uri);
        }
        catch (final SSLException ex)
        {
            loop.execute(() -> session.onRestFailed(tag, "TLS setup failed: " + ex.getMessage(), clock.nanoTime()));
            return;
        }
        final Bootstrap bootstrap = new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    final ChannelPipeline p = ch.pipeline();
                    addTls(p, context, ch, uri);
                    p.addLast(new ReadTimeoutHandler(30, TimeUnit.SECONDS));
                    p.addLast(new HttpClientCodec());
                    p.addLast(new HttpObjectAggregator(MAX_FRAME));
                    p.addLast(new RestHandler(tag, uri));
                }
            });
        bootstrap.connect(uri.getHost(), port(uri)).addListener(future ->
        {
            if (!future.isSuccess())
            {
                session.onRestFailed(tag, String.valueOf(future.cause()), clock.nanoTime());
            }
        });
    }

    @Override
    public void shutdown()
    {
        for (final Channel channel : channels.values())
        {
            channel.close();
        }
        channels.clear();
    }

    private byte[] copy(final ByteBuf content)
    {
        final int length = content.readableBytes();
        if (length > frameBytes.length)
        {
            frameBytes = new byte[Math.max(length, frameBytes.length * 2)];
        }
        content.getBytes(content.readerIndex(), frameBytes, 0, length);
        return frameBytes;
    }

    private final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame>
    {
        private final int connectionId;
        private String failure;

        FrameHandler(final int connectionId)
        {
            this.connectionId = connectionId;
        }

        @Override
        public void handlerAdded(final ChannelHandlerContext ctx)
        {
            channels.put(connectionId, ctx.channel());
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
        {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE)
            {
                session.onOpen(connectionId, clock.nanoTime());
            }
            else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT)
            {
                failure = "WebSocket handshake timed out";
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame)
        {
            final long receiveTimeNs = clock.nanoTime();
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)
            {
                final ByteBuf content = frame.content();
                final int length = content.readableBytes();
                session.onFrame(connectionId, copy(content), length, receiveTimeNs);
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) throws Exception
        {
            channels.remove(connectionId);
            session.onClosed(connectionId, clock.nanoTime(), failure != null ? failure : "connection closed");
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            failure = String.valueOf(cause);
            ctx.close();
        }
    }

    private final class RestHandler extends SimpleChannelInboundHandler<FullHttpResponse>
    {
        private final long tag;
        private final URI uri;
        private boolean answered;

        RestHandler(final long tag, final URI uri)
        {
            this.tag = tag;
            this.uri = uri;
        }

        @Override
        public void channelActive(final ChannelHandlerContext ctx) throws Exception
        {
            final String path = uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
            final DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
            request.headers()
                .set(HttpHeaderNames.HOST, uri.getHost())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON);
            ctx.writeAndFlush(request);
            super.channelActive(ctx);
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpResponse response)
        {
            final long receiveTimeNs = clock.nanoTime();
            answered = true;
            final ByteBuf content = response.content();
            final int length = content.readableBytes();
            session.onRestResponse(tag, response.status().code(), copy(content), length, receiveTimeNs);
            ctx.close();
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) throws Exception
        {
            if (!answered)
            {
                answered = true;
                session.onRestFailed(tag, "connection closed before a response", clock.nanoTime());
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            if (!answered)
            {
                answered = true;
                session.onRestFailed(tag, String.valueOf(cause), clock.nanoTime());
            }
            ctx.close();
        }
    }
}
