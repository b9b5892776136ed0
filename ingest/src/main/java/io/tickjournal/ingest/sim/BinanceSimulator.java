package io.tickjournal.ingest.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Binance spot or USD-M futures venue on loopback: the venue-neutral {@link VenueSimulator}
 * speaking {@link BinanceSimProtocol} (raw and combined WebSocket endpoints, USD-M's routed
 * {@code /public} and {@code /market} paths, live SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS,
 * server pings, {@code serverShutdown}, the connection age limit, the REST depth endpoints).
 * <p>
 * It serves a generated market (a random walk per symbol with trades and depth every 100 ms) or
 * scripted frames, and injects faults on demand: depth gaps, duplicates, reordering, stalls,
 * abrupt disconnects, the age-limit close, shutdown notices, malformed frames, slow snapshots.
 * Every trade and depth event it generates is recorded so tests can compare the journal with
 * what the venue sent. This class keeps the API the Binance tests and the demo were written
 * against; other venues use {@link VenueSimulator} with their protocol directly.
 */
public final class BinanceSimulator implements AutoCloseable
{
    private final Options options;
    private final VenueSimulator server;

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
        this.options = options;
        this.server = new VenueSimulator(
            new BinanceSimProtocol(options.futures(), options.pingIntervalMs()),
            new VenueSimulator.Settings(options.symbols(), options.seed(), options.tradesPerSecond(), options.depthIntervalMs(),
                options.pingIntervalMs(), options.maxConnectionAgeMs(), -1, 0),
            port, keyStore, keyStorePassword);
    }

    /** @return the venue-neutral server underneath. */
    public VenueSimulator server()
    {
        return server;
    }

    /** @return the port it listens on. */
    public int port()
    {
        return server.port();
    }

    /** @return {@code ws://127.0.0.1:<port>} ({@code wss://} with TLS). */
    public String webSocketUri()
    {
        return server.webSocketUri();
    }

    /** @return {@code http://127.0.0.1:<port>} ({@code https://} with TLS). */
    public String restUri()
    {
        return server.restUri();
    }

    /** @return the options it runs with. */
    public Options options()
    {
        return options;
    }

    // ---------------------------------------------------------------- faults

    /**
     * Skip the next depth event of a symbol on every connection (the book still moves: a gap).
     *
     * @param symbol e.g. BTCUSDT.
     */
    public void gapNextDepth(final String symbol)
    {
        server.gapNextBookEvent(symbol);
    }

    /**
     * Send the next depth event of a symbol twice.
     *
     * @param symbol e.g. BTCUSDT.
     */
    public void duplicateNextDepth(final String symbol)
    {
        server.duplicateNextBookEvent(symbol);
    }

    /**
     * Hold the next depth event of a symbol back and send it after the one that follows.
     *
     * @param symbol e.g. BTCUSDT.
     */
    public void reorderNextDepth(final String symbol)
    {
        server.reorderNextBookEvent(symbol);
    }

    /** Stop sending anything (data and pings) on the connections open now; they stay open. */
    public void stallOpenConnections()
    {
        server.stallOpenConnections();
    }

    /** Close every connection abruptly (no close frame). */
    public void dropAllConnections()
    {
        server.dropAllConnections();
    }

    /**
     * Announce a shutdown on every open connection, then close them after a grace period.
     *
     * @param graceMs time between the notice and the close.
     */
    public void serverShutdown(final long graceMs)
    {
        server.serverShutdown(graceMs);
    }

    /**
     * Send a frame to every open connection, e.g. a malformed one or a scripted fixture.
     *
     * @param text the frame.
     */
    public void sendToAll(final String text)
    {
        server.play(List.of(text));
    }

    /**
     * Play scripted frames, e.g. recorded or documented venue messages, to every open connection,
     * in order, as they are (one file or string a frame).
     *
     * @param frames the frames' text.
     */
    public void play(final List<String> frames)
    {
        server.play(frames);
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
        server.snapshotDelay(delayMs);
    }

    /**
     * Stop or resume the generated market.
     *
     * @param pause true to stop generating.
     */
    public void pause(final boolean pause)
    {
        server.pause(pause);
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
        return server.recorder().tradeIds(symbol).stream().map(Long::valueOf).toList();
    }

    /**
     * Final update ids of the depth events generated for a symbol, in order.
     *
     * @param symbol e.g. BTCUSDT.
     * @return the ids.
     */
    public List<Long> depthIds(final String symbol)
    {
        return server.recorder().bookIds(symbol);
    }

    /** @return payloads of the pongs clients sent. */
    public List<String> pongs()
    {
        return server.recorder().pongsReceived();
    }

    /** @return payloads of the pings sent. */
    public List<String> pings()
    {
        return server.recorder().pingsSent();
    }

    /** @return connections accepted so far. */
    public int connectionsAccepted()
    {
        return server.recorder().connectionsAccepted();
    }

    /** @return connections open now. */
    public int openConnections()
    {
        return server.openConnections();
    }

    /** @return SUBSCRIBE requests received. */
    public int subscribeRequests()
    {
        return server.recorder().subscribeRequests();
    }

    /** @return the {@code lastUpdateId} of every REST snapshot served, in order. */
    public List<Long> snapshotIds()
    {
        return server.recorder().snapshotIds();
    }

    /** @return REST snapshots served. */
    public long snapshotsServed()
    {
        return server.recorder().snapshotsServed();
    }

    /** @return frames sent. */
    public long framesSent()
    {
        return server.recorder().framesSent();
    }

    @Override
    public void close()
    {
        server.close();
    }
}
