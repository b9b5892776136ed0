package io.tickjournal.ops;

import io.tickjournal.bridge.BridgeAgent;
import io.tickjournal.bridge.ChannelConfig;
import io.tickjournal.bridge.DatagramSink;
import io.tickjournal.bridge.ErrorReporter;
import io.tickjournal.bridge.IdleStrategies;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.RecordHandler;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.gen.SyntheticMarket;
import io.tickjournal.tailer.FeatureEngine;
import io.tickjournal.tailer.ReceiverAgent;
import io.tickjournal.tailer.Sequencer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One-way latency through the whole pipeline on loopback at a fixed rate: records appended to a
 * journal (stamped with the append time), tailed and multicast by the bridge thread, received,
 * sequenced and turned into features by the tailer thread. Reports append-to-receive and
 * append-to-features percentiles for each idle strategy, in one run, beside the reference measured
 * in the same run: a bare NIO one-way send and receive of the same records at the same rate on the
 * same path ({@link NioOneWayReference}).
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
    description = "Append -> bridge -> multicast -> tailer -> features one-way latency at a fixed rate, per idle strategy.")
public final class PipelineBench implements Callable<Integer>
{
    @Option(names = "--rate", description = "records per second (default: ${DEFAULT-VALUE})", defaultValue = "100000")
    int rate;

    @Option(names = "--seconds", description = "measured seconds per idle strategy (default: ${DEFAULT-VALUE})", defaultValue = "2")
    int seconds;

    @Option(names = "--idle", split = ",", description = "idle strategies to compare (default: busy-spin,yielding,backoff)")
    List<String> idles = List.of("busy-spin", "yielding", "backoff");

    @Option(names = "--port", description = "UDP port on 239.255.89.1 via lo (default: ${DEFAULT-VALUE})", defaultValue = "45700")
    int port;

    @Option(names = "--warmup", description = "seconds at the rate before measuring, for each path (the JIT's C2 thread still " +
        "took 14-27% of a CPU in the measured seconds after 1 s and after 3 s, with no change in the tails) (default: ${DEFAULT-VALUE})",
        defaultValue = "1")
    int warmup;

    @Option(names = "--stages", description = "also print where the time goes: each hand-off's percentiles, the agents' duty " +
        "cycles and what the scheduler did to each thread (adds a few clock reads a packet)")
    boolean stages;

    @Option(names = "--cpus", split = ",", description = "pin the bridge and the receiver to these two CPUs (as bridge.cpu " +
        "and tailer.cpu do), and the references' receiving (and sending) agents to the same ones; default: unpinned")
    int[] cpus = {-1, -1};

    @Option(names = "--fresh-windows", description = "start the feature engine with empty windows, so its 60 s event ring " +
        "grows (allocating) during the measured seconds, as in a tailer's first minute; default: the windows are filled first")
    boolean freshWindows;

    @Option(names = "--control", description = "also run a three-thread NIO control: writer -> in-memory ring -> sender agent " +
        "-> socket -> receiver agent, the pipeline's threads without journal, bridge or sequencer")
    boolean control;

    /** What this run measured beside its references; {@code bench all} collects it. */
    final BenchReport report = new BenchReport();

    @Override
    public Integer call() throws Exception
    {
        System.out.printf("java %s, %d cpus; %,d records/s (3 trades : 1 ten-level delta), %d s measured after %d s warm-up%n",
            System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), rate, seconds, warmup);
        if (cpus.length != 2)
        {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "--cpus takes two CPUs, the bridge's and the receiver's, e.g. --cpus 1,0");
        }
        int run = 0;
        for (final String idle : idles)
        {
            final Histogram features = measure(idle, port + 3 * run);
            final Histogram nio = NioOneWayReference.run(idle, rate, warmup, seconds, "239.255.89.1", port + 3 * run + 2, cpus[1], stages);
            System.out.printf("%-9s bare NIO one-way             %s%n", "", BenchSupport.percentiles(nio));
            if (control)
            {
                final Histogram handoff = NioHandoffReference.run(idle, rate, warmup, seconds, "239.255.89.1", port + 3 * run + 1, cpus, stages);
                System.out.printf("%-9s NIO, 3 threads (ring hand-off) %s%n", "", BenchSupport.percentiles(handoff));
            }
            report.add(BenchRow.latency(String.format("latency p50, append -> features, %,d/s, %s", rate, idle),
                features.getValueAtPercentile(50) / 1000.0, "bare NIO one-way p50, same rate and idle",
                nio.getValueAtPercentile(50) / 1000.0, Double.NaN, "yielding".equals(idle) ? 2.0 : Double.NaN));
            report.add(BenchRow.latency(String.format("latency p99, append -> features, %,d/s, %s", rate, idle),
                features.getValueAtPercentile(99) / 1000.0, "bare NIO one-way p99, same rate and idle",
                nio.getValueAtPercentile(99) / 1000.0, Double.NaN, Double.NaN));
            run++;
        }
        return 0;
    }

    /**
     * Bring the feature engine to the state a tailer reaches after a minute at this rate: the same
     * records, spaced at the rate and ending now, until the instrument's event ring has grown to its
     * ceiling (or the longest window is full), then collect the garbage of the growth. Without it the
     * ring doubles while the benchmark runs (to a 16 MiB array within 4 s at 100,000/s), and the
     * allocation brings a young collection that stops every thread: a start-up transient, not the
     * steady state the benchmark measures ({@code --fresh-windows} keeps it). Runs on this thread
     * before the tailer's starts, so the engine is handed over whole.
     */
    private void fillWindows(
        final FeatureEngine engine, final SyntheticMarket market, final ExpandableDirectByteBuffer buffer, final long nowNs)
    {
        final long intervalNs = 1_000_000_000L / rate;
        final long records = Math.min(FeatureEngine.RING_CEILING_EVENTS * 2L, 60L * rate);
        long t = nowNs - records * intervalNs;
        engine.onRecord(0, 0, buffer, 0, market.encodeDefinition(buffer, 0, t, "BTCUSDT", "BTC-USDT"));
        long i = 0;
        for (; i < records; i++)
        {
            t += intervalNs;
            final int length = (i & 3) == 0 ? market.encodeDelta(buffer, 0, t, 10) : market.encodeTrade(buffer, 0, t);
            engine.onRecord(0, 0, buffer, 0, length);
            if ((i & 4095) == 0 && engine.instruments().get(0).eventCapacity() >= FeatureEngine.RING_CEILING_EVENTS)
            {
                break;
            }
        }
        System.gc();
        final FeatureEngine.Instrument instrument = engine.instruments().get(0);
        System.out.printf("feature windows filled with %,d records spaced at the rate: %,d events kept, ring capacity %,d%n",
            i, instrument.eventsKept(), instrument.eventCapacity());
    }

    private Histogram measure(final String idle, final int udpPort) throws Exception
    {
        final Path root = Files.createTempDirectory("tickjournal-latency");
        final OffsetEpochNanoClock clock = new OffsetEpochNanoClock();
        final Recorder received = new Recorder(10_000_000_000L, 3);
        final Recorder featured = new Recorder(10_000_000_000L, 3);
        final long[] delivered = {0};
        final LatencyStages probe = stages ? new LatencyStages(clock) : null;
        try
        {
            final Path partition = root.resolve("bench");
            final FeatureEngine engine = FeatureEngine.withDefaults();
            final long[] liveFromNs = {Long.MAX_VALUE};
            engine.addListener((instrument, f, day, seq, receiveTimeNs) ->
            {
                if (receiveTimeNs < liveFromNs[0])
                {
                    return; // filling the windows
                }
                featured.recordValue(Math.max(0, clock.nanoTime() - receiveTimeNs));
                if (probe != null)
                {
                    probe.onFeatures();
                }
            });
            final RecordHandler listener = (day, seq, buffer, offset, length) ->
            {
                received.recordValue(Math.max(0, clock.nanoTime() - Records.receiveTimeNs(buffer, offset)));
                if (probe != null)
                {
                    probe.onInOrder(seq, buffer, offset);
                }
                delivered[0]++;
                engine.onRecord(day, seq, buffer, offset, length);
            };
            try (PartitionWriter writer = new PartitionWriter(partition))
            {
                final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
                final SyntheticMarket market = new SyntheticMarket(5, 1, 1, 6_500_000, 1_000_000L);
                if (!freshWindows)
                {
                    fillWindows(engine, market, buffer, clock.nanoTime());
                }
                liveFromNs[0] = clock.nanoTime(); // the tailer thread starts after this: it sees it
                writer.append(buffer, 0, market.encodeDefinition(buffer, 0, clock.nanoTime(), "BTCUSDT", "BTC-USDT"));
                final BridgeAgent bridge = new BridgeAgent(List.of(ChannelConfig.loopback(partition, "LB", "239.255.89.1", udpPort)),
                    root.resolve("state"), probe != null ? probe.stamping(DatagramSink::new) : DatagramSink::new,
                    SystemNanoClock.INSTANCE, new ErrorReporter(System.err::println));
                final ReceiverAgent receiver = new ReceiverAgent(
                    List.of(new ReceiverAgent.Subscription("bench", "LB", new InetSocketAddress("239.255.89.1", udpPort), "lo", null, -1, 0)),
                    null, null, new byte[0], Sequencer.Settings.defaults(), listener, SystemNanoClock.INSTANCE,
                    SystemEpochClock.INSTANCE);
                try (AgentRunner receiverRunner = new AgentRunner(IdleStrategies.of(idle), Throwable::printStackTrace, null,
                        probe != null ? probe.timedReceiver(receiver) : receiver);
                    AgentRunner bridgeRunner = new AgentRunner(IdleStrategies.of(idle), Throwable::printStackTrace, null,
                        probe != null ? probe.timedBridge(bridge) : bridge))
                {
                    AgentRunner.startOnThread(receiverRunner, BenchSupport.pinnedTo(cpus[1]));
                    Thread.sleep(100);
                    AgentRunner.startOnThread(bridgeRunner, BenchSupport.pinnedTo(cpus[0]));
                    final long intervalNs = 1_000_000_000L / rate;
                    final long total = (long)rate * (seconds + warmup);
                    final long start = System.nanoTime();
                    long due = start;
                    ThreadSched schedBefore = null;
                    long measuredFrom = start;
                    long measuredFromUptimeMs = 0;
                    for (long i = 0; i < total; i++)
                    {
                        if (i == (long)rate * warmup)
                        {
                            received.reset();
                            featured.reset();
                            if (probe != null)
                            {
                                probe.startRecording();
                                schedBefore = ThreadSched.snapshot();
                                measuredFrom = System.nanoTime();
                                measuredFromUptimeMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
                            }
                        }
                        due += intervalNs;
                        BenchSupport.sleepUntilDue(due);
                        final long t = clock.nanoTime();
                        final int length = (i & 3) == 0 ? market.encodeDelta(buffer, 0, t, 10) : market.encodeTrade(buffer, 0, t);
                        writer.append(buffer, 0, length);
                        if (probe != null)
                        {
                            probe.onAppended(t);
                        }
                    }
                    final long wrote = System.nanoTime() - start;
                    final ThreadSched schedAfter = probe != null ? ThreadSched.snapshot() : null;
                    final double measuredSeconds = (System.nanoTime() - measuredFrom) / 1e9;
                    final long deadline = System.nanoTime() + 5_000_000_000L;
                    // every record written, and the instrument definition written before them
                    while (delivered[0] < total + 1 && System.nanoTime() < deadline)
                    {
                        Thread.sleep(10);
                    }
                    final Histogram r = received.getIntervalHistogram();
                    final Histogram f = featured.getIntervalHistogram();
                    System.out.printf("%-9s wrote %,d records in %.2f s (%,.0f/s); tailer got %,d%n", idle, total, wrote / 1e9,
                        total * 1e9 / wrote, delivered[0]);
                    System.out.printf("%-9s append -> tailer in order  %s%n", "", BenchSupport.percentiles(r));
                    System.out.printf("%-9s append -> features out     %s%n", "", BenchSupport.percentiles(f));
                    if (probe != null)
                    {
                        System.out.printf("            measured from JVM uptime %.3f s to %.3f s (to match -Xlog:gc,safepoint)%n",
                            measuredFromUptimeMs / 1e3, (measuredFromUptimeMs + (long)(measuredSeconds * 1e3)) / 1e3);
                        probe.print("            ");
                        schedAfter.printSince(schedBefore, measuredSeconds, "            ", "java", "bridge", "pricing");
                    }
                    return f;
                }
            }
        }
        finally
        {
            org.agrona.IoUtil.delete(root.toFile(), false);
        }
    }
}
