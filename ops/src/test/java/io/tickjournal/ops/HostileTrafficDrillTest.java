package io.tickjournal.ops;

import io.tickjournal.journal.JournalRecords;
import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.gen.SyntheticMarket;
import io.tickjournal.journal.wire.MoldUdp64;
import io.tickjournal.journal.wire.MoldUdp64PacketBuilder;
import io.tickjournal.journal.wire.Replication;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile-traffic drill of issue 12: each role its own process ({@code replicate} with a 256 MiB
 * heap, {@code bridge} with injected loss so repairs run all along, {@code tailer}), started with the
 * command line the launcher runs, on loopback. While the journal grows, the test attacks every port
 * the feeder exposes:
 * <ul>
 *     <li>the replication port: 300 connections held open, half idle and half with half a hello, each
 *     reopened as soon as the source closes it; the tailer (and its replica) connects in the middle of it;</li>
 *     <li>the multicast group and the same port by unicast: the right session with garbage payloads at
 *     the coming sequences, framing that overruns, a future-day session (data, heartbeat, end of
 *     session), a valid record and a heartbeat at sequence 2^62, random bytes;</li>
 *     <li>the re-request port, from ten source ports: requests without the secret, with a wrong secret of
 *     the right length, and garbage.</li>
 * </ul>
 * The legitimate tailer must keep receiving: its feature partition equals a backfill of the journal
 * record for record, its replica equals the journal, and every role is still running at the end.
 */
class HostileTrafficDrillTest
{
    private static final String SECRET = "drill-secret";
    private static final int ATTACK_CONNECTIONS = 300;

    @TempDir
    Path root;

    private final List<Process> processes = new ArrayList<>();
    private final AtomicBoolean attacking = new AtomicBoolean(true);
    private final List<Thread> attackers = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception
    {
        attacking.set(false);
        for (final Thread t : attackers)
        {
            t.join(5_000);
        }
        for (final Process p : processes)
        {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
            }
        }
    }

    private static int freeTcpPort() throws IOException
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket s = new DatagramSocket(0))
        {
            return s.getLocalPort();
        }
    }

    /** A role as its own JVM, with the flags the launcher passes (taken from this test JVM) and {@code jvm} after them. */
    private Process role(final Path log, final List<String> jvm, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("-D") || arg.startsWith("-X"))
            {
                command.add(arg);
            }
        }
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TickJournal.class.getName()));
        command.addAll(Arrays.asList(args));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    private static void awaitLine(final Process process, final Path log, final String text, final long timeoutNs) throws Exception
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (System.nanoTime() < deadline && process.isAlive())
        {
            if (Files.exists(log) && Files.readString(log).contains(text))
            {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' in " + log + ":\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }

    private static long count(final Path partition)
    {
        if (!Partition.hasCycleFiles(partition))
        {
            return 0;
        }
        long n = 0;
        try (JournalTailer tailer = JournalTailer.open(partition, null))
        {
            while (tailer.readOne((d, s, b, o, l) -> { }))
            {
                n++;
            }
        }
        return n;
    }

    private void attack(final String name, final ThrowingRunnable body)
    {
        final Thread t = new Thread(() ->
        {
            try
            {
                body.run();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(name + " attacker failed", ex);
            }
        }, name);
        t.setDaemon(true);
        attackers.add(t);
        t.start();
    }

    private interface ThrowingRunnable
    {
        void run() throws Exception;
    }

    @Test
    void aTailerKeepsTheJournalsFeaturesWhileEveryFeederPortIsAttacked() throws Exception
    {
        final long drillStartNs = System.nanoTime();
        final long now = System.currentTimeMillis() * 1_000_000L;
        final int today = TradingDay.ofEpochNs(now);
        final long start = Math.max(TradingDay.startNs(today) + 1_000_000_000L, now - 60_000_000_000L);
        final Path partition = root.resolve("journal/binance-spot");

        final int groupPort = freeUdpPort();
        final String group = "239.255.47." + (1 + ProcessHandle.current().pid() % 200);
        final int retransmitPort = freeUdpPort();
        final int replicationPort = freeTcpPort();
        final String yaml = String.join("\n",
            "journal: {dir: journal}",
            "feeds:",
            "  - {venue: binance-spot, code: BS, group: '" + group + ":" + groupPort + "', websocket: 'ws://127.0.0.1:1', " +
                "rest: 'http://127.0.0.1:1',",
            "     instruments: [{id: 1, symbol: BTCUSDT}]}",
            "bridge: {stateDir: bridge, heartbeatMs: 50, retransmit: '127.0.0.1:" + retransmitPort + "'}",
            "replication: {bind: '127.0.0.1:" + replicationPort + "', secret: " + SECRET + "}",
            "tailer: {replicaDir: replica, featureDir: features, replicationSource: '127.0.0.1:" + replicationPort +
                "', rerequest: '127.0.0.1:" + retransmitPort + "',",
            // The bridge's address, as production configures it; the forger sends from it too, so the filter passes it.
            "         multicastSource: 127.0.0.1}",
            "");
        final Path config = root.resolve("drill.yaml");
        Files.writeString(config, yaml);

        // The journal grows through the whole drill: this test is the feed's one writer.
        final AtomicLong written = new AtomicLong();
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final SyntheticMarket market = new SyntheticMarket(12, Venues.BINANCE_SPOT, 1, 6_500_000, 1_000_000L);
        final PartitionWriter writer = new PartitionWriter(partition);
        long t = start;
        writer.append(buffer, 0, market.encodeDefinition(buffer, 0, t, "BTCUSDT", "BTC-USDT"));
        writer.append(buffer, 0, market.encodeSnapshot(buffer, 0, t, 20));
        for (int i = 0; i < 1000; i++)
        {
            t += 1_000_000L;
            writer.append(buffer, 0, (i % 3) == 0 ? market.encodeTrade(buffer, 0, t) : market.encodeDelta(buffer, 0, t, 10));
        }
        written.set(writer.appendedCount());

        final Path replicateLog = root.resolve("replicate.log");
        final Process replicate = role(replicateLog, List.of("-Xmx256m", "-Xms256m"), "replicate", "--config", config.toString());
        awaitLine(replicate, replicateLog, "running", 30_000_000_000L);

        // 300 connections at the replication port before any replica connects, held all through the drill.
        attack("replication-flood", () -> floodReplication(replicationPort));
        Thread.sleep(500);

        final Path tailerLog = root.resolve("tailer.log");
        final Path bridgeLog = root.resolve("bridge.log");
        final Process tailer = role(tailerLog, List.of(), "tailer", "--config", config.toString());
        final Process bridge = role(bridgeLog, List.of(), "bridge", "--config", config.toString(), "--inject-loss", "0.01");
        awaitLine(tailer, tailerLog, "running", 30_000_000_000L);
        awaitLine(bridge, bridgeLog, "running", 30_000_000_000L);

        final byte[] validRecord = new byte[market.encodeTrade(buffer, 0, t)];
        buffer.getBytes(0, validRecord);
        attack("multicast-forger", () -> forgeMulticast(group, groupPort, today, written, validRecord));
        attack("rerequest-flood", () -> floodRerequests(retransmitPort, today, written));

        // Live records while the attacks run: 600 every 250 ms, 13,000 more in about 5.5 s.
        for (int batch = 0; batch < 22; batch++)
        {
            for (int i = 0; i < 600; i++)
            {
                t += 1_000_000L;
                writer.append(buffer, 0, (i % 3) == 0 ? market.encodeTrade(buffer, 0, t) : market.encodeDelta(buffer, 0, t, 10));
            }
            written.set(writer.appendedCount());
            Thread.sleep(250);
        }
        writer.close();
        final long total = written.get();

        final Path features = root.resolve("features");
        final long deadline = System.nanoTime() + 30_000_000_000L;
        long seen = 0;
        while (System.nanoTime() < deadline && tailer.isAlive())
        {
            seen = count(features);
            if (seen >= total - 2)
            {
                break;
            }
            Thread.sleep(200);
        }
        // The replica fills from the replication server on its own connection: under load it may finish
        // after the features (which the multicast feeds); the attacks go on while it catches up.
        long replicated = 0;
        while (System.nanoTime() < deadline + 30_000_000_000L && tailer.isAlive())
        {
            replicated = count(root.resolve("replica/binance-spot"));
            if (replicated >= total)
            {
                break;
            }
            Thread.sleep(200);
        }
        Thread.sleep(300);
        attacking.set(false);
        for (final Thread a : attackers)
        {
            a.join(5_000);
        }
        final String logs = "--- tailer\n" + Files.readString(tailerLog) + "--- bridge\n" + Files.readString(bridgeLog) +
            "--- replicate\n" + Files.readString(replicateLog);
        assertTrue(replicate.isAlive() && bridge.isAlive() && tailer.isAlive(), "every role still running\n" + logs);
        assertTrue(seen >= total - 2, "the tailer produced " + seen + " feature sets of " + (total - 2) + "\n" + logs);
        assertEquals(total, replicated, "the replica kept up: it holds the journal\n" + logs);
        assertEquals(total, count(root.resolve("replica/binance-spot")), "and nothing more\n" + logs);

        tailer.destroy();
        assertTrue(tailer.waitFor(20, TimeUnit.SECONDS), "the tailer stops on SIGTERM");
        final String tailerText = Files.readString(tailerLog);
        assertTrue(tailerText.contains("tailer stopped cleanly"), tailerText);
        // The forged packets reached the tailer and were refused, each kind by its own rule.
        final String counters = tailerText.lines().filter(l -> l.startsWith("tailer BS:")).findFirst().orElse("");
        for (final String refusal : List.of("invalid", "otherDay", "beyondWindow"))
        {
            final java.util.regex.Matcher m = java.util.regex.Pattern.compile(" " + refusal + "=(\\d+)").matcher(counters);
            assertTrue(m.find() && Long.parseLong(m.group(1)) > 0, refusal + " counted: " + counters + "\n" + logs);
        }
        final String replicateText = Files.readString(replicateLog);
        // 300 connections against 256 pending places: closed at the hello deadline, or earlier to make room.
        assertTrue(replicateText.contains("sent no valid hello within") || replicateText.contains("waiting for a hello; the oldest closed"),
            "the flood reached the replication source\n" + logs);
        assertTrue(Files.readString(bridgeLog).contains("re-request ignored"), "the flood reached the re-request server\n" + logs);

        final Cli backfill = Cli.run("backfill", "--journal", root.resolve("journal").toString(), "--from-day",
            TradingDay.format(today), "--out", root.resolve("backfill").toString());
        assertEquals(0, backfill.exit, backfill.toString());
        final List<byte[]> live = JournalRecords.readAll(features);
        final List<byte[]> offline = JournalRecords.readAll(root.resolve("backfill"));
        assertEquals(offline.size(), live.size(), "feature sets live and in backfill\n" + logs);
        for (int i = 0; i < live.size(); i++)
        {
            assertTrue(Arrays.equals(live.get(i), offline.get(i)), "feature record " + i + " differs\n" + logs);
        }
        System.out.println("drill: " + total + " records, " + live.size() + " feature sets equal to backfill, " +
            (System.nanoTime() - drillStartNs) / 1_000_000 + " ms\n" + counters);
    }

    @Test
    void theBridgeRefusesToServeReRequestsBeyondLoopbackWithoutASecret() throws Exception
    {
        final String yaml = String.join("\n",
            "journal: {dir: journal}",
            "feeds:",
            "  - {venue: binance-spot, code: BS, group: '239.255.47.250:" + freeUdpPort() + "', websocket: 'ws://127.0.0.1:1', " +
                "rest: 'http://127.0.0.1:1',",
            "     instruments: [{id: 1, symbol: BTCUSDT}]}",
            "bridge: {stateDir: bridge, retransmit: '0.0.0.0:" + freeUdpPort() + "'}",
            "");
        Files.writeString(root.resolve("open.yaml"), yaml);
        final Cli bridge = Cli.run("bridge", "--config", root.resolve("open.yaml").toString(), "--duration", "1");
        assertEquals(2, bridge.exit, bridge.toString());
        assertTrue(bridge.err.contains("without a secret"), bridge.toString());
        assertEquals(1, bridge.err.strip().lines().filter(l -> l.startsWith("tickjournal bridge:")).count(), bridge.toString());
    }

    /** Keeps {@link #ATTACK_CONNECTIONS} connections open: half send nothing, half half a hello; closed ones are reopened. */
    private void floodReplication(final int port) throws Exception
    {
        final InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        final SocketChannel[] connections = new SocketChannel[ATTACK_CONNECTIONS];
        final ByteBuffer probe = ByteBuffer.allocate(64);
        final ByteBuffer halfHello = ByteBuffer.allocate(9).order(Replication.ORDER);
        try
        {
            while (attacking.get())
            {
                for (int i = 0; i < connections.length && attacking.get(); i++)
                {
                    SocketChannel c = connections[i];
                    if (c != null)
                    {
                        try
                        {
                            if (c.isConnectionPending())
                            {
                                if (c.finishConnect() && (i & 1) == 1)
                                {
                                    halfHello.clear();
                                    halfHello.putInt(Replication.MAGIC).putShort((short)12).put("bin".getBytes(StandardCharsets.US_ASCII)).flip();
                                    c.write(halfHello);
                                }
                                continue;
                            }
                            probe.clear();
                            if (c.read(probe) >= 0)
                            {
                                continue; // still open
                            }
                        }
                        catch (final IOException closedOrRefused)
                        {
                            // reopen below
                        }
                        c.close();
                    }
                    c = SocketChannel.open();
                    c.configureBlocking(false);
                    c.connect(address);
                    connections[i] = c;
                }
                Thread.sleep(20);
            }
        }
        finally
        {
            for (final SocketChannel c : connections)
            {
                if (c != null)
                {
                    c.close();
                }
            }
        }
    }

    /** Forged and garbage MoldUDP64 at the group and, by unicast, at its port. */
    private void forgeMulticast(final String group, final int port, final int today, final AtomicLong written, final byte[] valid)
        throws Exception
    {
        final Random random = new Random(12);
        final byte[] session = MoldUdp64.session("BS", today);
        final byte[] futureSession = MoldUdp64.session("BS", TradingDay.parse("2099-12-31"));
        final MoldUdp64PacketBuilder builder = new MoldUdp64PacketBuilder(1472);
        final UnsafeBuffer garbage = new UnsafeBuffer(new byte[1500]);
        final UnsafeBuffer record = new UnsafeBuffer(valid);
        final InetSocketAddress multicast = new InetSocketAddress(group, port);
        final InetSocketAddress unicast = new InetSocketAddress("127.0.0.1", port);
        try (DatagramChannel out = DatagramChannel.open(StandardProtocolFamily.INET))
        {
            out.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName("lo"));
            out.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
            out.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            long n = 0;
            while (attacking.get())
            {
                final ByteBuffer packet;
                switch ((int)(n++ % 8))
                {
                    case 0: // the right session, a coming sequence, 64 bytes of garbage
                    {
                        random.nextBytes(garbage.byteArray());
                        builder.begin(session, written.get() + 1 + random.nextInt(40));
                        builder.add(garbage, 0, 64);
                        packet = builder.finish();
                        break;
                    }
                    case 1: // the right session, a message length that overruns the packet
                    {
                        builder.begin(session, written.get() + 1 + random.nextInt(40));
                        builder.add(garbage, 0, 32);
                        packet = builder.finish();
                        packet.putShort(MoldUdp64.HEADER_LENGTH, (short)900);
                        packet.putShort(MoldUdp64.COUNT_OFFSET, (short)3);
                        break;
                    }
                    case 2: // a future day: data
                        builder.begin(futureSession, 1 + random.nextInt(1000));
                        builder.add(record, 0, valid.length);
                        packet = builder.finish();
                        break;
                    case 3: // a future day: heartbeat and end of session
                        packet = builder.control(futureSession, 5_000, (n & 8) == 0 ? MoldUdp64.HEARTBEAT_COUNT : MoldUdp64.END_OF_SESSION_COUNT);
                        break;
                    case 4: // a valid record at sequence 2^62
                        builder.begin(session, 1L << 62);
                        builder.add(record, 0, valid.length);
                        packet = builder.finish();
                        break;
                    case 5: // a heartbeat claiming the day has reached 2^62
                        packet = builder.control(session, 1L << 62, MoldUdp64.HEARTBEAT_COUNT);
                        break;
                    default: // random bytes
                    {
                        final int length = 1 + random.nextInt(1400);
                        random.nextBytes(garbage.byteArray());
                        packet = ByteBuffer.wrap(garbage.byteArray(), 0, length);
                        break;
                    }
                }
                packet.order(ByteOrder.BIG_ENDIAN);
                final ByteBuffer copy = ByteBuffer.allocate(packet.remaining());
                copy.put(packet.duplicate()).flip();
                out.send(copy.duplicate(), multicast);
                out.send(copy, unicast);
                if ((n & 7) == 0)
                {
                    Thread.sleep(2); // about 2,000 packets a second each way
                }
            }
        }
    }

    /** Requests without the secret, with a wrong one of the right length, and garbage, from ten source ports. */
    private void floodRerequests(final int port, final int today, final AtomicLong written) throws Exception
    {
        final Random random = new Random(34);
        final byte[] session = MoldUdp64.session("BS", today);
        final InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        final List<DatagramChannel> ports = new ArrayList<>();
        try
        {
            for (int i = 0; i < 10; i++)
            {
                final DatagramChannel c = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                c.configureBlocking(false);
                ports.add(c);
            }
            final ByteBuffer drain = ByteBuffer.allocate(65536);
            long n = 0;
            while (attacking.get())
            {
                final DatagramChannel from = ports.get((int)(n % ports.size()));
                final ByteBuffer request = ByteBuffer.allocate(20 + SECRET.length());
                request.put(session).putLong(1 + random.nextInt((int)Math.max(1, written.get()))).putShort((short)1024);
                switch ((int)(n++ % 3))
                {
                    case 0: // no secret
                        break;
                    case 1: // a wrong secret of the right length
                        request.put(("x" + SECRET.substring(1)).getBytes(StandardCharsets.US_ASCII));
                        break;
                    default: // garbage
                        final byte[] junk = new byte[1 + random.nextInt(60)];
                        random.nextBytes(junk);
                        request.clear();
                        request.put(junk, 0, Math.min(junk.length, request.capacity()));
                        break;
                }
                from.send(request.flip(), server);
                for (final DatagramChannel c : ports)
                {
                    drain.clear();
                    c.receive(drain); // nothing should come back; drain it if it does
                }
                if ((n & 3) == 0)
                {
                    Thread.sleep(2);
                }
            }
        }
        finally
        {
            for (final DatagramChannel c : ports)
            {
                c.close();
            }
        }
    }
}
