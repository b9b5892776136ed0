package io.tickjournal.ops;

import io.tickjournal.bridge.IdleStrategies;
import io.tickjournal.journal.gen.SyntheticMarket;
import io.tickjournal.journal.wire.MoldUdp64;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The latency benchmark's control: the pipeline's three threads with none of its code. The writer
 * puts each record into an in-memory single-producer ring (Agrona's {@link OneToOneRingBuffer}, the
 * cheapest hand-off there is) at the benchmark's rate; a sender agent with the pipeline's idle
 * strategy packs whatever the ring holds into one MoldUDP64 packet and sends it, as the bridge packs
 * what its tailer finds; a receiver agent with the same strategy reads the group. Beside
 * {@link NioOneWayReference} (two threads) and the pipeline, it tells whether a latency comes from
 * the third polling thread on a small machine or from the journal, bridge and tailer code.
 */
final class NioHandoffReference
{
    private static final int RING_BYTES = 1 << 22;
    private static final int RECORD_TYPE = 1;

    private NioHandoffReference()
    {
    }

    /**
     * @param cpus the sender's and the receiver's CPU (-1: unpinned), as the pipeline's bridge and receiver.
     * @return the one-way latency histogram (ns) of the measured seconds: ring write to packet received.
     */
    static Histogram run(final String idle, final int rate, final int warmup, final int seconds, final String group, final int port,
        final int[] cpus, final boolean printSched) throws Exception
    {
        final OffsetEpochNanoClock clock = new OffsetEpochNanoClock();
        final Recorder latency = new Recorder(10_000_000_000L, 3);
        final OneToOneRingBuffer ring = new OneToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        try (DatagramChannel receive = NioOneWayReference.receiver(group, port);
            DatagramChannel send = NioOneWayReference.sender())
        {
            final Sender sender = new Sender(ring, send, new InetSocketAddress(InetAddress.getByName(group), port));
            final Agent receiver = new NioOneWayReference.LatencyReceiver(receive, clock, latency, "handoff-receiver");
            try (AgentRunner receiverRunner = new AgentRunner(IdleStrategies.of(idle), Throwable::printStackTrace, null, receiver);
                AgentRunner senderRunner = new AgentRunner(IdleStrategies.of(idle), Throwable::printStackTrace, null, sender))
            {
                AgentRunner.startOnThread(receiverRunner, BenchSupport.pinnedTo(cpus[1]));
                AgentRunner.startOnThread(senderRunner, BenchSupport.pinnedTo(cpus[0]));
                Thread.sleep(100);
                final SyntheticMarket market = new SyntheticMarket(5, 1, 1, 6_500_000, 1_000_000L);
                final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
                final long intervalNs = 1_000_000_000L / rate;
                final long total = (long)rate * (seconds + warmup);
                long due = System.nanoTime();
                ThreadSched schedBefore = null;
                long measuredFrom = 0;
                for (long i = 0; i < total; i++)
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
                    due += intervalNs;
                    BenchSupport.sleepUntilDue(due); // the pipeline writer's pacing
                    final long t = clock.nanoTime();
                    final int length = (i & 3) == 0 ? market.encodeDelta(buffer, 0, t, 10) : market.encodeTrade(buffer, 0, t);
                    while (!ring.write(RECORD_TYPE, buffer, 0, length))
                    {
                        Thread.onSpinWait();
                    }
                }
                if (printSched)
                {
                    ThreadSched.snapshot().printSince(schedBefore, (System.nanoTime() - measuredFrom) / 1e9,
                        "          NIO 3 threads: ", "java", "handoff");
                }
                Thread.sleep(100);
            }
        }
        return latency.getIntervalHistogram();
    }

    /** Packs what the ring holds into one packet per duty cycle and sends it on the socket it alone writes. */
    private static final class Sender implements Agent, ControlledMessageHandler
    {
        private final OneToOneRingBuffer ring;
        private final DatagramChannel channel;
        private final InetSocketAddress destination;
        private final ByteBuffer packetBuffer = ByteBuffer.allocateDirect(MoldUdp64.DEFAULT_MAX_PAYLOAD);
        private final UnsafeBuffer packet = new UnsafeBuffer(packetBuffer);
        private final byte[] session = MoldUdp64.session("NH", 20_000);
        private long sequence = 1;
        private int count;
        private int position = MoldUdp64.HEADER_LENGTH;

        Sender(final OneToOneRingBuffer ring, final DatagramChannel channel, final InetSocketAddress destination)
        {
            this.ring = ring;
            this.channel = channel;
            this.destination = destination;
        }

        @Override
        public int doWork() throws IOException
        {
            ring.controlledRead(this);
            if (count == 0)
            {
                return 0;
            }
            MoldUdp64.putHeader(packet, session, sequence, count);
            packetBuffer.clear().limit(position);
            while (channel.send(packetBuffer, destination) == 0)
            {
                Thread.onSpinWait();
            }
            sequence += count;
            final int sent = count;
            count = 0;
            position = MoldUdp64.HEADER_LENGTH;
            return sent;
        }

        @Override
        public Action onMessage(final int msgTypeId, final org.agrona.MutableDirectBuffer buffer, final int index, final int length)
        {
            if (position + MoldUdp64.MESSAGE_LENGTH_FIELD + length > MoldUdp64.DEFAULT_MAX_PAYLOAD)
            {
                return Action.ABORT;
            }
            packet.putShort(position, (short)length, MoldUdp64.ORDER);
            packet.putBytes(position + MoldUdp64.MESSAGE_LENGTH_FIELD, buffer, index, length);
            position += MoldUdp64.MESSAGE_LENGTH_FIELD + length;
            count++;
            return Action.CONTINUE;
        }

        @Override
        public String roleName()
        {
            return "handoff-sender";
        }
    }
}
