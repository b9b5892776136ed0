package io.tickjournal.ops;

import io.tickjournal.journal.Records;
import io.tickjournal.journal.wire.MoldUdp64;
import io.tickjournal.journal.wire.MoldUdp64PacketBuilder;
import io.tickjournal.tailer.FeatureEngine;
import org.agrona.DirectBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays a trading day (or a time range) of partitions, merged in a deterministic order, at the
 * original pace, a multiple of it, or as fast as possible, into the feature engine or to
 * multicast. Prints a hash of what it produced: two runs of the same replay print the same hash.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Replay a day or time range of partitions, merged deterministically, to the feature engine or to multicast; prints an output hash.")
public final class ReplayCommand implements Callable<Integer>
{
    @Option(names = "--journal", required = true, description = "journal directory")
    Path journal;

    @Option(names = "--partition", split = ",", description = "partitions (default: every normalized partition)")
    List<String> partitions;

    @Option(names = "--day", description = "trading day, e.g. 2026-11-25")
    String day;

    @Option(names = "--from", description = "start (UTC), e.g. 2026-11-25T12:00:00")
    String from;

    @Option(names = "--to", description = "end (UTC, exclusive)")
    String to;

    @Option(names = "--speed", description = "pace: 'max' (as fast as possible), or a multiple of the original pace, e.g. 1, 10 (default: ${DEFAULT-VALUE})",
        defaultValue = "max")
    String speed;

    @Option(names = "--target", description = "features (the feature engine) or multicast (default: ${DEFAULT-VALUE})",
        defaultValue = "features")
    String target;

    @Option(names = "--multicast", description = "group:port for --target multicast (default: ${DEFAULT-VALUE}); leaves only through lo with TTL 0",
        defaultValue = "239.255.60.1:46000")
    String multicast;

    @Option(names = "--windows-ms", split = ",", description = "feature windows (default: 1000,10000,60000)")
    long[] windowsMs = {1_000, 10_000, 60_000};

    @Override
    public Integer call() throws Exception
    {
        final long[] range = TimeRange.of(day, from, to);
        final List<Path> dirs = Journals.partitions(journal, partitions, false);
        final double multiple = "max".equals(speed) ? 0 : Double.parseDouble(speed);
        if (!"max".equals(speed) && !(multiple > 0))
        {
            throw new IllegalArgumentException("--speed must be 'max' or a positive multiple, got '" + speed + "'");
        }
        final boolean toMulticast;
        switch (target)
        {
            case "features" -> toMulticast = false;
            case "multicast" -> toMulticast = true;
            default -> throw new IllegalArgumentException("--target must be features or multicast, got '" + target + "'");
        }
        final OutputHash hash = new OutputHash();
        final long[] features = {0};
        final FeatureEngine engine = new FeatureEngine(windowsMs, 5, 5000);
        engine.addListener((instrument, f, d, s, t) ->
        {
            features[0]++;
            hash.onFeatures(instrument.venueId(), instrument.instrumentId(), f);
        });
        final Sender sender = toMulticast ? new Sender(multicast, dirs) : null;
        final Progress progress = new Progress(System.err, "replay", 0);
        final long[] count = {0};
        final long[] firstTime = {Long.MIN_VALUE};
        final long openStart = System.nanoTime();
        // Timed from the first read, after the partitions are open (opening the first queue in a JVM loads
        // Chronicle: a fifth of a 2 M-record replay's CPU time, and no part of the records' rate).
        final long[] started = {0, 0};
        try (MergedReader reader = new MergedReader(dirs, range[0], range[1]))
        {
            started[0] = System.nanoTime();
            started[1] = BenchSupport.threadCpuNs();
            final long wallStart = started[0];
            final MergedReader.Handler handler = (partition, d, s, buffer, offset, length) ->
            {
                if (multiple > 0)
                {
                    final long time = Records.receiveTimeNs(buffer, offset);
                    if (firstTime[0] == Long.MIN_VALUE)
                    {
                        firstTime[0] = time;
                    }
                    final long due = wallStart + (long)((time - firstTime[0]) / multiple);
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime())
                    {
                        LockSupport.parkNanos(Math.min(wait, 100_000_000L));
                    }
                }
                if (sender != null)
                {
                    hash.onRecord(partition, d, s, buffer, offset, length);
                    try
                    {
                        sender.send(partition, d, s, buffer, offset, length);
                    }
                    catch (final IOException ex)
                    {
                        throw new java.io.UncheckedIOException(ex);
                    }
                }
                else
                {
                    hash.onPosition(partition, d, s);
                    engine.onRecord(d, s, buffer, offset, length);
                }
                count[0]++;
            };
            while (reader.read(handler, 4096) > 0)
            {
                progress.update(count[0]);
            }
        }
        finally
        {
            if (sender != null)
            {
                sender.close();
            }
        }
        final long cpuNs = Math.max(1, BenchSupport.threadCpuNs() - started[1]);
        progress.finish();
        final long elapsedNs = Math.max(1, System.nanoTime() - started[0]);
        System.out.printf("replayed %,d records from %d partition(s)%s; output hash %016x%n", count[0], dirs.size(),
            toMulticast ? " to multicast " + multicast + " (" + sender.packets + " packets)" : ", " + features[0] + " feature sets",
            hash.value());
        System.out.printf("%,.0f records/s (%.2f s); by this thread's CPU time %,.0f records/s (%.2f s); opening took %.2f s%n",
            count[0] * 1e9 / elapsedNs, elapsedNs / 1e9, count[0] * 1e9 / cpuNs, cpuNs / 1e9, (started[0] - openStart) / 1e9);
        return 0;
    }

    /**
     * MoldUDP64 packets, one record each, with the sessions and sequences the journal gives them
     * (partition codes R0, R1, ... in partition order), on lo with TTL 0.
     */
    private static final class Sender implements AutoCloseable
    {
        private final DatagramChannel channel;
        private final InetSocketAddress destination;
        private final String[] codes;
        private final byte[][] sessions;
        private final int[] sessionDays;
        private final MoldUdp64PacketBuilder builder = new MoldUdp64PacketBuilder(MoldUdp64.DEFAULT_MAX_PAYLOAD);
        long packets;

        Sender(final String groupPort, final List<Path> dirs) throws IOException
        {
            final int colon = groupPort.lastIndexOf(':');
            destination = new InetSocketAddress(groupPort.substring(0, colon), Integer.parseInt(groupPort.substring(colon + 1)));
            if (!destination.getAddress().isMulticastAddress())
            {
                throw new IllegalArgumentException("--multicast " + groupPort + " is not a multicast group");
            }
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName("lo"));
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
            codes = new String[dirs.size()];
            sessions = new byte[dirs.size()][];
            sessionDays = new int[dirs.size()];
            for (int i = 0; i < dirs.size(); i++)
            {
                codes[i] = "R" + (i % 10);
                sessionDays[i] = -1;
            }
        }

        void send(final int partition, final int day, final long sequence, final DirectBuffer buffer, final int offset, final int length)
            throws IOException
        {
            if (sessionDays[partition] != day)
            {
                sessions[partition] = MoldUdp64.session(codes[partition], day);
                sessionDays[partition] = day;
            }
            builder.begin(sessions[partition], sequence);
            if (!builder.add(buffer, offset, length))
            {
                throw new IllegalStateException("record " + day + "/" + sequence + " of " + length +
                    " bytes does not fit a UDP datagram");
            }
            channel.send(builder.finish(), destination);
            packets++;
        }

        @Override
        public void close() throws IOException
        {
            channel.close();
        }
    }
}
