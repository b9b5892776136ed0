package io.tickjournal.ops;

import io.tickjournal.bridge.IdleStrategies;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.gen.SyntheticMarket;
import io.tickjournal.journal.wire.MoldUdp64;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The latency benchmark's reference: a bare NIO one-way send and receive of the same records at the
 * same rate on the same path (loopback multicast, MoldUDP64), the sender being the writing thread
 * itself and the receiver an agent with the same idle strategy as the pipeline's. The records due at
 * the same moment share a packet, as the bridge packs what its tailer finds (one packet per record
 * at 100,000/s queued up for milliseconds on a loaded machine). No journal, no bridge thread, no
 * sequencer, no features.
 */
final class NioOneWayReference
{
    /** Largest record this reference sends: a 10-level delta (394 bytes), rounded up. */
    private static final int MAX_RECORD = 400;

    private NioOneWayReference()
    {
    }

    /**
     * @return the one-way latency histogram (ns) of the measured seconds.
     */
    static Histogram run(final String idle, final int rate, final int warmup, final int seconds, final String group, final int port,
        final int receiverCpu, final boolean printSched) throws Exception
    {
        final OffsetEpochNanoClock clock = new OffsetEpochNanoClock();
        final Recorder latency = new Recorder(10_000_000_000L, 3);
        try (DatagramChannel receive = receiver(group, port);
            DatagramChannel send = sender())
        {
            final InetSocketAddress destination = new InetSocketAddress(InetAddress.getByName(group), port);

            final Agent receiver = new LatencyReceiver(receive, clock, latency, "nio-one-way-receiver");

            final SyntheticMarket market = new SyntheticMarket(5, 1, 1, 6_500_000, 1_000_000L);
            final ByteBuffer packetBuffer = ByteBuffer.allocateDirect(4096);
            final UnsafeBuffer packet = new UnsafeBuffer(packetBuffer);
            final byte[] session = MoldUdp64.session("NW", 20_000);
            final int record = MoldUdp64.HEADER_LENGTH + MoldUdp64.MESSAGE_LENGTH_FIELD;
            try (AgentRunner runner = new AgentRunner(IdleStrategies.of(idle), Throwable::printStackTrace, null, receiver))
            {
                AgentRunner.startOnThread(runner, BenchSupport.pinnedTo(receiverCpu));
                Thread.sleep(100);
                final long intervalNs = 1_000_000_000L / rate;
                final long total = (long)rate * (seconds + warmup);
                long due = System.nanoTime() + intervalNs;
                long sequence = 1;
                long i = 0;
                ThreadSched schedBefore = null;
                long measuredFrom = 0;
                while (i < total)
                {
                    BenchSupport.sleepUntilDue(due);
                    // Every record whose time has come (as the pipeline's writer writes it at once) goes in
                    // one packet, as the bridge packs what its tailer has: the same packing, no journal.
                    int count = 0;
                    int position = MoldUdp64.HEADER_LENGTH;
                    while (i < total && due - System.nanoTime() <= 20_000 &&
                        position + MoldUdp64.MESSAGE_LENGTH_FIELD + MAX_RECORD <= MoldUdp64.DEFAULT_MAX_PAYLOAD)
                    {
                        if (i == (long)rate * warmup)
                        {
                            latency.reset();
                            if (printSched)
                            {
                                schedBefore = ThreadSched.snapshot();
                                measuredFrom = System.nanoTime();
                            }
                        }
                        final long t = clock.nanoTime();
                        final int at = position + MoldUdp64.MESSAGE_LENGTH_FIELD;
                        final int length = (i & 3) == 0 ? market.encodeDelta(packet, at, t, 10) : market.encodeTrade(packet, at, t);
                        packet.putShort(position, (short)length, MoldUdp64.ORDER);
                        position = at + length;
                        count++;
                        i++;
                        due += intervalNs;
                    }
                    MoldUdp64.putHeader(packet, session, sequence, count);
                    sequence += count;
                    packetBuffer.clear().limit(position);
                    while (send.send(packetBuffer, destination) == 0)
                    {
                        Thread.onSpinWait();
                    }
                }
                if (printSched)
                {
                    ThreadSched.snapshot().printSince(schedBefore, (System.nanoTime() - measuredFrom) / 1e9,
                        "          NIO one-way: ", "java", "nio-one-way");
                }
                Thread.sleep(100);
            }
        }
        return latency.getIntervalHistogram();
    }

    /** A non-blocking socket bound to {@code group:port} (that group only), joined on {@code lo}. */
    static DatagramChannel receiver(final String group, final int port) throws IOException
    {
        final DatagramChannel receive = DatagramChannel.open(StandardProtocolFamily.INET);
        receive.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        receive.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        receive.bind(new InetSocketAddress(InetAddress.getByName(group), port));
        receive.join(InetAddress.getByName(group), NetworkInterface.getByName("lo"));
        receive.configureBlocking(false);
        return receive;
    }

    /** A non-blocking socket with the bridge's options: multicast out of {@code lo}, TTL 0, looped back. */
    static DatagramChannel sender() throws IOException
    {
        final DatagramChannel send = DatagramChannel.open(StandardProtocolFamily.INET);
        send.configureBlocking(false);
        send.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        send.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName("lo"));
        send.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
        send.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
        return send;
    }

    /** Receives MoldUDP64 packets and records, per record, now minus the send time stamped in it. */
    static final class LatencyReceiver implements Agent
    {
        private final DatagramChannel receive;
        private final OffsetEpochNanoClock clock;
        private final Recorder latency;
        private final String roleName;
        private final ByteBuffer packet = ByteBuffer.allocateDirect(65536);
        private final UnsafeBuffer view = new UnsafeBuffer(packet);

        LatencyReceiver(final DatagramChannel receive, final OffsetEpochNanoClock clock, final Recorder latency, final String roleName)
        {
            this.receive = receive;
            this.clock = clock;
            this.latency = latency;
            this.roleName = roleName;
        }

        @Override
        public int doWork() throws IOException
        {
            int work = 0;
            while (receive.receive(packet.clear()) != null)
            {
                final long nowNs = clock.nanoTime();
                final int count = MoldUdp64.count(view, 0);
                int position = MoldUdp64.HEADER_LENGTH;
                for (int m = 0; m < count; m++)
                {
                    final int length = view.getShort(position, MoldUdp64.ORDER) & 0xFFFF;
                    final long sentNs = Records.receiveTimeNs(view, position + MoldUdp64.MESSAGE_LENGTH_FIELD);
                    latency.recordValue(Math.max(0, nowNs - sentNs));
                    position += MoldUdp64.MESSAGE_LENGTH_FIELD + length;
                }
                work++;
            }
            return work;
        }

        @Override
        public String roleName()
        {
            return roleName;
        }
    }
}
