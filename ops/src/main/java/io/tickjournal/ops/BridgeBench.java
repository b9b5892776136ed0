package io.tickjournal.ops;

import io.tickjournal.bridge.BridgeAgent;
import io.tickjournal.bridge.ChannelConfig;
import io.tickjournal.bridge.DatagramSink;
import io.tickjournal.bridge.ErrorReporter;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.gen.SyntheticMarket;
import org.agrona.ExpandableDirectByteBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Journal to wire: how many records per second one bridge thread tails, packs and sends as
 * MoldUDP64 on loopback multicast (TTL 0), with bytes allocated per record.
 */
@Command(name = "bridge", mixinStandardHelpOptions = true,
    description = "Bridge throughput: journal to MoldUDP64 packets on loopback multicast, records/s and packets/s.")
public final class BridgeBench implements Callable<Integer>
{
    @Option(names = "--records", description = "records in the journal (default: ${DEFAULT-VALUE})", defaultValue = "3000000")
    int records;

    @Option(names = "--port", description = "UDP port on 239.255.88.1 via lo (default: ${DEFAULT-VALUE})", defaultValue = "45678")
    int port;

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
            long bytes = 0;
            try (PartitionWriter writer = new PartitionWriter(partition))
            {
                for (int i = 0; i < records; i++)
                {
                    final long t = dayStart + 1 + i * 1000L;
                    final int len = (i & 3) == 0 ? market.encodeDelta(buffer, 0, t, 10) : market.encodeTrade(buffer, 0, t);
                    writer.append(buffer, 0, len);
                    bytes += len;
                }
            }
            System.out.printf("journal: %,d records (3 trades : 1 ten-level delta), average %d bytes%n", records, bytes / records);

            final long[] now = {0};
            final BridgeAgent agent = new BridgeAgent(
                List.of(ChannelConfig.loopback(partition, "BB", "239.255.88.1", port)), root.resolve("state"),
                DatagramSink::new, () -> now[0], new ErrorReporter(System.err::println));
            agent.onStart();
            final long allocBefore = BenchSupport.allocatedBytes();
            final long start = System.nanoTime();
            while (agent.counters().messagesPacked() < records)
            {
                now[0] = System.nanoTime();
                agent.doWork();
            }
            final long elapsed = System.nanoTime() - start;
            final long allocated = BenchSupport.allocatedBytes() - allocBefore;
            agent.onClose();
            System.out.printf("bridge: %,.0f records/s, %,.0f packets/s (%,d packets, %.1f records a packet), " +
                    "%d send back-pressure retries%n",
                records * 1e9 / elapsed, agent.counters().packetsSent() * 1e9 / elapsed, agent.counters().packetsSent(),
                records / (double)agent.counters().packetsSent(), agent.counters().sendBackPressured());
            System.out.printf("bridge allocation: %.3f bytes/record%n", allocated / (double)records);
        }
        finally
        {
            org.agrona.IoUtil.delete(root.toFile(), false);
        }
        return 0;
    }
}
