package io.tickjournal.ops;

import io.tickjournal.bridge.BridgeAgent;
import io.tickjournal.bridge.ChannelConfig;
import io.tickjournal.bridge.DatagramSink;
import io.tickjournal.bridge.ErrorReporter;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.gen.SyntheticMarket;
import io.tickjournal.journal.wire.MoldUdp64;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Journal to wire: how many records per second one bridge thread tails, packs and sends as
 * MoldUDP64 on loopback multicast (TTL 0), with bytes allocated per record, beside two references
 * in the same run, each sending the same records with a receiver draining the group:
 * <ul>
 * <li>a bare NIO loop packing the same records (from memory, no journal) into the same MoldUDP64
 * packets and sending them on the same kind of socket: the ceiling for this path;</li>
 * <li>Aeron UDP multicast on loopback (embedded media driver, shared threading, busy-spin), one
 * {@code offer} per record: the transport a user would pick instead of this bridge.</li>
 * </ul>
 * Without a receiver the kernel drops each looped-back datagram instead of copying it to a socket,
 * which flatters every sender; so each sender here has one, and the share it received is printed.
 * Each sender's rate is taken over its last three quarters of the records, after the JIT has warmed.
 */
@Command(name = "bridge", mixinStandardHelpOptions = true,
    description = "Bridge throughput with a receiver draining the group, beside a bare NIO sender and Aeron multicast.")
public final class BridgeBench implements Callable<Integer>
{
    static final String GROUP = "239.255.88.1";
    static final int POOL = 4096;
    static final int SLOT = 512;

    @Option(names = "--records", description = "records in the journal (default: ${DEFAULT-VALUE})", defaultValue = "1000000")
    int records;

    @Option(names = "--port", description = "UDP port on " + GROUP + " via lo; the references use the next two (default: ${DEFAULT-VALUE})",
        defaultValue = "45678")
    int port;

    @Option(names = "--no-aeron", description = "skip the Aeron reference")
    boolean noAeron;

    /** What this run measured beside its references; {@code bench all} collects it. */
    final BenchReport report = new BenchReport();

    @Override
    public Integer call() throws Exception
    {
        final Path root = Files.createTempDirectory("tickjournal-bridge-bench");
        try
        {
            final Path partition = root.resolve("bench-spot");
            final long dayStart = TradingDay.startNs(TradingDay.parse("2026-11-25"));
            final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(1024);
            final SyntheticMarket market = new SyntheticMarket(11, 1, 1, 9_500_000, 1_000_000L);
            final UnsafeBuffer pool = new UnsafeBuffer(ByteBuffer.allocateDirect(POOL * SLOT));
            final int[] lengths = new int[POOL];
            long bytes = 0;
            try (PartitionWriter writer = new PartitionWriter(partition))
            {
                for (int i = 0; i < records; i++)
                {
                    final long t = dayStart + 1 + i * 1000L;
                    final int len = (i & 3) == 0 ? market.encodeDelta(buffer, 0, t, 10) : market.encodeTrade(buffer, 0, t);
                    writer.append(buffer, 0, len);
                    if (i < POOL)
                    {
                        pool.putBytes(i * SLOT, buffer, 0, len);
                        lengths[i] = len;
                    }
                    bytes += len;
                }
            }
            System.out.printf("journal: %,d records (3 trades : 1 ten-level delta), average %d bytes; a receiver drains each group%n",
                records, bytes / records);

            final double ours = bridge(partition, root);
            final double nio = bareNio(pool, lengths, dayStart);
            if (!noAeron)
            {
                final double aeron = AeronReference.run(pool, lengths, records, port + 2);
                report.add(BenchRow.throughput("bridge, journal -> MoldUDP64, with receiver", ours,
                    "Aeron 1.51 UDP multicast, embedded driver", aeron, allocation, 2.0));
            }
            report.add(BenchRow.throughput("bridge, journal -> MoldUDP64, with receiver", ours,
                "bare NIO loop, same packets (ceiling)", nio, allocation, 0.95));
        }
        finally
        {
            org.agrona.IoUtil.delete(root.toFile(), false);
        }
        return 0;
    }

    private double allocation;

    private double bridge(final Path partition, final Path root) throws Exception
    {
        try (DrainingReceiver receiver = new DrainingReceiver(GROUP, port))
        {
            final long[] now = {0};
            final BridgeAgent agent = new BridgeAgent(
                List.of(ChannelConfig.loopback(partition, "BB", GROUP, port)), root.resolve("state"),
                DatagramSink::new, () -> now[0], new ErrorReporter(System.err::println));
            agent.onStart();
            final long warmup = records / 4;
            while (agent.counters().messagesPacked() < warmup)
            {
                now[0] = System.nanoTime();
                agent.doWork();
            }
            final long packetsBefore = agent.counters().packetsSent();
            final long packedBefore = agent.counters().messagesPacked();
            final long allocBefore = BenchSupport.allocatedBytes();
            final long start = System.nanoTime();
            while (agent.counters().messagesPacked() < records)
            {
                now[0] = System.nanoTime();
                agent.doWork();
            }
            final long elapsed = System.nanoTime() - start;
            final long allocated = BenchSupport.allocatedBytes() - allocBefore;
            final long measured = records - packedBefore;
            agent.onClose();
            final long received = receiver.awaitMessages(records, 200);
            allocation = allocated / (double)measured;
            final long packets = agent.counters().packetsSent() - packetsBefore;
            System.out.printf("bridge:   %,.0f records/s, %,.0f packets/s (%,d packets, %.1f records a packet), " +
                    "%d send back-pressure retries; receiver got %.2f%% of the records%n",
                measured * 1e9 / elapsed, packets * 1e9 / elapsed, packets,
                measured / (double)packets, agent.counters().sendBackPressured(), 100.0 * received / records);
            System.out.printf("bridge allocation: %.3f bytes/record%n", allocation);
            return measured * 1e9 / elapsed;
        }
    }

    /** The ceiling: the same records packed into the same MoldUDP64 packets by a bare loop, same socket options. */
    private double bareNio(final UnsafeBuffer pool, final int[] lengths, final long dayStart) throws Exception
    {
        final int nioPort = port + 1;
        final byte[] session = MoldUdp64.session("BN", TradingDay.ofEpochNs(dayStart));
        try (DrainingReceiver receiver = new DrainingReceiver(GROUP, nioPort);
            DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET))
        {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName("lo"));
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            final InetSocketAddress destination = new InetSocketAddress(InetAddress.getByName(GROUP), nioPort);
            final ByteBuffer packetBuffer = ByteBuffer.allocateDirect(65536);
            final UnsafeBuffer packet = new UnsafeBuffer(packetBuffer);
            long packets = 0;
            long retries = 0;
            long sequence = 1;
            int count = 0;
            int position = MoldUdp64.HEADER_LENGTH;
            final int warmup = records / 4;
            long start = System.nanoTime();
            long packetsAtStart = 0;
            for (int i = 0; i < records; i++)
            {
                if (i == warmup)
                {
                    start = System.nanoTime();
                    packetsAtStart = packets;
                }
                final int slot = i & (POOL - 1);
                final int length = lengths[slot];
                if (count > 0 && position + MoldUdp64.MESSAGE_LENGTH_FIELD + length > MoldUdp64.DEFAULT_MAX_PAYLOAD)
                {
                    retries += send(channel, packet, packetBuffer, session, sequence, count, position, destination);
                    packets++;
                    sequence += count;
                    count = 0;
                    position = MoldUdp64.HEADER_LENGTH;
                }
                packet.putShort(position, (short)length, MoldUdp64.ORDER);
                packet.putBytes(position + MoldUdp64.MESSAGE_LENGTH_FIELD, pool, slot * SLOT, length);
                position += MoldUdp64.MESSAGE_LENGTH_FIELD + length;
                count++;
            }
            if (count > 0)
            {
                retries += send(channel, packet, packetBuffer, session, sequence, count, position, destination);
                packets++;
            }
            final long elapsed = System.nanoTime() - start;
            final long received = receiver.awaitMessages(records, 200);
            System.out.printf("bare NIO: %,.0f records/s, %,.0f packets/s (%,d packets, %.1f records a packet), " +
                    "%d send retries; receiver got %.2f%% of the records%n",
                (records - warmup) * 1e9 / elapsed, (packets - packetsAtStart) * 1e9 / elapsed, packets,
                records / (double)packets, retries, 100.0 * received / records);
            return (records - warmup) * 1e9 / elapsed;
        }
    }

    private static long send(
        final DatagramChannel channel, final UnsafeBuffer packet, final ByteBuffer packetBuffer, final byte[] session,
        final long sequence, final int count, final int length, final InetSocketAddress destination) throws IOException
    {
        MoldUdp64.putHeader(packet, session, sequence, count);
        packetBuffer.clear().limit(length);
        long retries = 0;
        while (channel.send(packetBuffer, destination) == 0)
        {
            retries++;
            Thread.onSpinWait();
        }
        return retries;
    }
}
