package io.tickjournal.ingest.upbit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.tickjournal.ingest.FeedConfig;
import io.tickjournal.ingest.FeedProbe;
import io.tickjournal.ingest.IngestFeed;
import io.tickjournal.ingest.JournalContents;
import io.tickjournal.ingest.venue.Venue;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.tickjournal.ingest.venue.FixtureTree.decimal;
import static io.tickjournal.ingest.venue.FixtureTree.fixture;
import static io.tickjournal.ingest.venue.FixtureTree.mantissa;
import static io.tickjournal.ingest.venue.FixtureTree.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on loopback through the real Netty transport: a WebSocket server that, as Upbit does,
 * sends every data frame as a BINARY frame of UTF-8 JSON and answers the text {@code PING} with a
 * binary {@code {"status":"UP"}}; the feed journals the trade and the book with the fixtures'
 * numbers, sends its one replacing subscription and its PINGs, and sees no malformed frame.
 */
class UpbitBinaryFramesTest
{
    @TempDir
    Path dir;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<String> received = new CopyOnWriteArrayList<>();
    private Channel server;
    private IngestFeed feed;

    @AfterEach
    void close()
    {
        if (feed != null)
        {
            feed.close();
        }
        if (server != null)
        {
            server.close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static BinaryWebSocketFrame binary(final String text)
    {
        return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
    }

    private int startServer() throws InterruptedException
    {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                        new WebSocketServerProtocolHandler("/websocket/v1"),
                        new SimpleChannelInboundHandler<TextWebSocketFrame>()
                        {
                            @Override
                            protected void channelRead0(final ChannelHandlerContext ctx, final TextWebSocketFrame frame)
                            {
                                final String text = frame.text();
                                received.add(text);
                                if ("PING".equals(text))
                                {
                                    ctx.writeAndFlush(binary(text("upbit/status_up.json")));
                                }
                                else
                                {
                                    ctx.write(binary(text("upbit/trade_snapshot.json")));
                                    ctx.writeAndFlush(binary(text("upbit/real_orderbook_snapshot_trimmed.json")));
                                }
                            }
                        });
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        return ((InetSocketAddress)server.localAddress()).getPort();
    }

    @Test
    void binaryFramesOfUtf8JsonAreJournaledAndThePingIsAnswered() throws Exception
    {
        final int port = startServer();
        final Venue venue = UpbitProtocol.venue();
        final FeedConfig d = venue.defaults(dir.resolve("upbit"), URI.create("ws://127.0.0.1:" + port), URI.create("http://127.0.0.1:" + port),
            List.of(UpbitFamilyFeedTest.krw(1, "KRW-BTC")), EnumSet.of(io.tickjournal.ingest.Channel.TRADE,
                io.tickjournal.ingest.Channel.DEPTH));
        // A PING every 200 ms, so the test sees a few.
        final FeedConfig config = new FeedConfig(d.venueId(), d.partitionDir(), d.webSocketUri(), d.restUri(), d.instruments(),
            d.channels(), d.streamsPerConnection(), d.argsPerRequest(), d.controlMessagesPerSecond(), d.requestsPerHour(),
            d.stallTimeoutNs(), d.maxConnectionAgeNs(), d.rotateMarginNs(), d.overlapTimeoutNs(), d.reconnectMinNs(),
            d.reconnectMaxNs(), d.snapshotLimit(), d.snapshotsPerMinute(), d.snapshotTimeoutNs(), d.subscribeTimeoutNs(),
            200_000_000L, null, null);
        feed = IngestFeed.start(config, group, new SystemEpochNanoClock());
        FeedProbe.await("a trade and a book", () -> feed.session().counters().trades == 1 && feed.session().counters().snapshots == 1);
        FeedProbe.await("two PINGs answered", () -> received.stream().filter("PING"::equals).count() >= 2);
        FeedProbe.await("their answers read", () -> feed.session().counters().frames >= 4);
        final long malformed = feed.session().counters().malformed;
        feed.close();
        feed = null;
        assertEquals(0, malformed, "binary frames parse like text frames");
        assertTrue(received.get(0).startsWith("[{\"ticket\""), received.get(0));

        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final List<UnsafeBuffer> records = JournalContents.read(config.partitionDir());
        final TradeDecoder trade = new TradeDecoder();
        trade.wrapAndApplyHeader(JournalContents.ofTemplate(records, TradeDecoder.TEMPLATE_ID).get(0), 0, header);
        final com.fasterxml.jackson.databind.JsonNode t = fixture("upbit/trade_snapshot.json");
        assertEquals(new BigInteger(t.get("sequential_id").asText()), BigInteger.valueOf(trade.venueSeq()));
        assertEquals(mantissa(decimal(t.get("trade_price")), 0), trade.priceMantissa());
        assertEquals(mantissa(decimal(t.get("trade_volume")), -8), trade.sizeMantissa());
        final BookSnapshotDecoder book = new BookSnapshotDecoder();
        book.wrapAndApplyHeader(JournalContents.ofTemplate(records, BookSnapshotDecoder.TEMPLATE_ID).get(0), 0, header);
        final com.fasterxml.jackson.databind.JsonNode units = fixture("upbit/real_orderbook_snapshot_trimmed.json").get("orderbook_units");
        final BookSnapshotDecoder.BidsDecoder bids = book.bids();
        assertEquals(units.size(), bids.count());
        bids.next();
        assertEquals(mantissa(decimal(units.get(0).get("bid_price")), 0), bids.price());
        assertEquals(mantissa(decimal(units.get(0).get("bid_size")), -8), bids.size());
    }
}
