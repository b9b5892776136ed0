package io.tickjournal.ingest;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.tickjournal.ingest.sim.BinanceSimulator;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.MarketKind;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wss://} and {@code https://} end to end: the simulator serves TLS with a certificate the
 * test makes (keytool), and the feed trusts it only through its configured trust store; with the
 * JDK's default trust the connection is refused, as it must be.
 */
class TlsIngestTest
{
    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private BinanceSimulator simulator;
    private IngestFeed feed;
    private Path trustStore;

    private void keytool(final String... args) throws Exception
    {
        final List<String> command = new java.util.ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + "\n" + out);
    }

    @BeforeEach
    void certificates() throws Exception
    {
        final Path keyStore = dir.resolve("simulator.p12");
        keytool("-genkeypair", "-alias", "simulator", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
            "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
            "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "simulator", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
            "-file", dir.resolve("simulator.cer").toString());
        trustStore = dir.resolve("trust.p12");
        keytool("-importcert", "-noprompt", "-alias", "simulator", "-file", dir.resolve("simulator.cer").toString(),
            "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        simulator = new BinanceSimulator(BinanceSimulator.Options.defaults(false), 0, keyStore, PASSWORD);
    }

    @AfterEach
    void close()
    {
        if (feed != null)
        {
            feed.close();
        }
        simulator.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private FeedConfig config()
    {
        assertTrue(simulator.webSocketUri().startsWith("wss://") && simulator.restUri().startsWith("https://"));
        return io.tickjournal.ingest.venue.VenueRegistry.byId(Venues.BINANCE_SPOT).defaults( dir.resolve("binance-spot"), URI.create(simulator.webSocketUri()),
            URI.create(simulator.restUri()), List.of(new InstrumentSpec(1, "BTCUSDT", "BTC-USDT", MarketKind.SPOT, -8, -8)),
            EnumSet.of(Channel.TRADE, Channel.DEPTH)).withTimers(5_000_000_000L, 3_600_000_000_000L, 60_000_000_000L,
            100_000_000L, 500_000_000L);
    }

    private static void await(final String what, final java.util.function.BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void wssAndHttpsWorkWithTheConfiguredTrustStore() throws Exception
    {
        feed = IngestFeed.start(config().withTrustStore(trustStore, PASSWORD), group, new SystemEpochNanoClock());
        await("trades over wss", () -> feed.session().counters().trades > 10);
        await("the book joined from an https snapshot", () ->
        {
            final boolean[] live = new boolean[1];
            feed.runOnLoop(() -> live[0] = ((VenueFeedHandler)feed.session().handler()).bookLive(0));
            return live[0];
        });
        assertTrue(simulator.snapshotsServed() >= 1);
    }

    @Test
    void anUntrustedCertificateIsRefused() throws Exception
    {
        feed = IngestFeed.start(config(), group, new SystemEpochNanoClock());
        await("a few refused attempts", () -> simulator.connectionsAccepted() == 0 && feed.session().counters().connects == 0 &&
            feed.session().journal().normalizedCount() >= 3);
        assertEquals(0, feed.session().counters().trades);
    }
}
