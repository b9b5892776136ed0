package io.tickjournal.ops;

import io.tickjournal.bridge.PacketSink;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.wire.MoldUdp64;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where the latency benchmark's time goes, hand-off by hand-off: the bridge's sink is wrapped to stamp,
 * per record, when the packet that carries it went into {@code sendto} and when it came back; the
 * bridge and receiver agents are wrapped to time their duty cycles; the tailer's listener then splits
 * each record's append -> features latency into
 * <pre>
 *   stamp -> appended                                   (the writer's encode and append, on the writer thread)
 *   append -> bridge duty cycle that read it starts   (bridge asleep, yielding, descheduled, or polling an empty queue)
 *   cycle start -> sendto entered                       (journal read of the packet's records, packing)
 *   sendto entered -> tailer has it in order            (loopback delivery, receiver poll, recvfrom, validation, sequencer)
 *   in order -> features out                            (books and features)
 * </pre>
 * and, on the bridge thread, how long each {@code sendto} took (the receiver may hold the packet
 * before the call returns, so its return is no stage boundary), and prints the percentiles of each
 * beside the gaps between duty cycles of each agent (a gap of a millisecond is a thread that was not
 * on a CPU).
 * <p>
 * <b>Threading:</b> the stamps of a record are written by the bridge thread before its packet is sent
 * and read by the tailer thread after the packet arrives (the system calls between them order the
 * stores). Each histogram has one writing thread and is read only after the agents stopped. Nothing is
 * allocated per record; the stamp rings hold the last {@value #SLOTS} sequences.
 */
final class LatencyStages
{
    static final int SLOTS = 1 << 16;
    private static final long MAX_NS = 10_000_000_000L;

    private final EpochNanoClock clock;
    private final long[] stampedSequence = new long[SLOTS];
    private final long[] cycleStartNs = new long[SLOTS];
    private final long[] sendStartNs = new long[SLOTS];
    private long bridgeCycleStartNs;
    private long unstamped;

    final Histogram appendCall = new Histogram(MAX_NS, 3);
    final Histogram toBridgeCycle = new Histogram(MAX_NS, 3);
    final Histogram readAndPack = new Histogram(MAX_NS, 3);
    final Histogram sendCall = new Histogram(MAX_NS, 3);
    final Histogram toTailer = new Histogram(MAX_NS, 3);
    final Histogram features = new Histogram(MAX_NS, 3);
    final CycleTimes bridgeCycles = new CycleTimes();
    final CycleTimes receiverCycles = new CycleTimes();
    private volatile boolean recording;
    /** Records stamped from this time on are measured (the end of the warm-up). */
    private volatile long recordFromNs = Long.MAX_VALUE;
    private long inOrderNs;
    private boolean inOrderRecorded;

    LatencyStages(final EpochNanoClock clock)
    {
        this.clock = clock;
    }

    /** From now on every stage and duty cycle is recorded (the end of the warm-up). */
    void startRecording()
    {
        recordFromNs = clock.nanoTime();
        recording = true;
        bridgeCycles.recording = true;
        receiverCycles.recording = true;
    }

    /**
     * @param delegate the bridge's real sink factory.
     * @return a factory whose sinks stamp each record of each packet sent.
     */
    PacketSink.Factory stamping(final PacketSink.Factory delegate)
    {
        return config ->
        {
            final PacketSink sink = delegate.open(config);
            final UnsafeBuffer view = new UnsafeBuffer(0, 0);
            return new PacketSink()
            {
                @Override
                public boolean send(final ByteBuffer packet) throws IOException
                {
                    // stamped before the call: the receiver may hold the packet before sendto returns
                    final long startNs = clock.nanoTime();
                    view.wrap(packet, packet.position(), packet.remaining());
                    final int count = MoldUdp64.count(view, 0);
                    if (count != MoldUdp64.HEARTBEAT_COUNT && count != MoldUdp64.END_OF_SESSION_COUNT)
                    {
                        final long first = MoldUdp64.sequence(view, 0);
                        for (long s = first; s < first + count; s++)
                        {
                            final int slot = (int)s & (SLOTS - 1);
                            cycleStartNs[slot] = bridgeCycleStartNs;
                            sendStartNs[slot] = startNs;
                            stampedSequence[slot] = s;
                        }
                    }
                    final boolean sent = sink.send(packet);
                    if (recording)
                    {
                        sendCall.recordValue(Math.max(0, clock.nanoTime() - startNs));
                    }
                    return sent;
                }

                @Override
                public void close()
                {
                    sink.close();
                }
            };
        };
    }

    /** The bridge agent, its duty cycles timed and each cycle's start kept for the stamps. */
    Agent timedBridge(final Agent bridge)
    {
        return new TimedAgent(bridge, bridgeCycles)
        {
            @Override
            void onCycleStart(final long nowNs)
            {
                bridgeCycleStartNs = nowNs;
            }
        };
    }

    /** The receiver agent, its duty cycles timed. */
    Agent timedReceiver(final Agent receiver)
    {
        return new TimedAgent(receiver, receiverCycles);
    }

    /** Called by the tailer thread when a record is released in order. */
    void onInOrder(final long sequence, final DirectBuffer buffer, final int offset)
    {
        inOrderNs = clock.nanoTime();
        final long appendNs = Records.receiveTimeNs(buffer, offset);
        inOrderRecorded = appendNs >= recordFromNs;
        if (!inOrderRecorded)
        {
            return;
        }
        final int slot = (int)sequence & (SLOTS - 1);
        if (stampedSequence[slot] != sequence)
        {
            unstamped++;
            return;
        }
        toBridgeCycle.recordValue(Math.max(0, cycleStartNs[slot] - appendNs));
        readAndPack.recordValue(Math.max(0, sendStartNs[slot] - Math.max(appendNs, cycleStartNs[slot])));
        toTailer.recordValue(Math.max(0, inOrderNs - sendStartNs[slot]));
    }

    /** Called by the writer thread after each append, with the time stamped into the record. */
    void onAppended(final long stampNs)
    {
        if (stampNs >= recordFromNs)
        {
            appendCall.recordValue(Math.max(0, clock.nanoTime() - stampNs));
        }
    }

    /** Called by the tailer thread when the features of the record last released are out. */
    void onFeatures()
    {
        if (inOrderRecorded)
        {
            features.recordValue(Math.max(0, clock.nanoTime() - inOrderNs));
        }
    }

    void print(final String indent)
    {
        line(indent, "stamp -> appended (writer)", appendCall);
        line(indent, "append -> bridge cycle starts", toBridgeCycle);
        line(indent, "cycle start -> sendto (read, pack)", readAndPack);
        line(indent, "sendto entered -> tailer in order", toTailer);
        line(indent, "in order -> features out", features);
        line(indent, "bridge: sendto call", sendCall);
        line(indent, "bridge: gap between duty cycles", bridgeCycles.gaps);
        gaps(indent, "bridge", bridgeCycles);
        line(indent, "bridge: empty duty cycle", bridgeCycles.empty);
        line(indent, "bridge: working duty cycle", bridgeCycles.working);
        line(indent, "receiver: gap between duty cycles", receiverCycles.gaps);
        gaps(indent, "receiver", receiverCycles);
        line(indent, "receiver: empty duty cycle", receiverCycles.empty);
        line(indent, "receiver: working duty cycle", receiverCycles.working);
        if (unstamped > 0)
        {
            System.out.printf("%s%,d records arrived before the bridge stamped them (left out)%n", indent, unstamped);
        }
    }

    private static void gaps(final String indent, final String agent, final CycleTimes times)
    {
        System.out.printf("%s%-38s %,d gaps, %,.1f ms in all%n", indent, agent + ": gaps over " + LONG_GAP_NS / 1000 + " us",
            times.longGaps, times.longGapsNs / 1e6);
    }

    private static void line(final String indent, final String stage, final Histogram h)
    {
        System.out.printf("%s%-38s %s  (n %,d)%n", indent, stage, BenchSupport.percentiles(h), h.getTotalCount());
    }

    /** Durations of one agent's duty cycles, empty and working, and of the gaps between them (idle strategy, descheduling). */
    static final class CycleTimes
    {
        final Histogram gaps = new Histogram(MAX_NS, 3);
        final Histogram empty = new Histogram(MAX_NS, 3);
        final Histogram working = new Histogram(MAX_NS, 3);
        /** Sum of the gaps longer than {@link #LONG_GAP_NS}: time the agent was away from its duty cycle. */
        long longGapsNs;
        long longGaps;
        volatile boolean recording;
    }

    /** A gap between duty cycles this long is more than an idle strategy's yield: the thread was off its CPU. */
    static final long LONG_GAP_NS = 20_000;

    /** Times the duty cycles of the agent it wraps; recording starts when its {@link CycleTimes} says so. */
    private class TimedAgent implements Agent
    {
        private final Agent delegate;
        private final CycleTimes times;
        private long lastEndNs;

        TimedAgent(final Agent delegate, final CycleTimes times)
        {
            this.delegate = delegate;
            this.times = times;
        }

        void onCycleStart(final long nowNs)
        {
        }

        @Override
        public void onStart()
        {
            delegate.onStart();
        }

        @Override
        public int doWork() throws Exception
        {
            final long startNs = clock.nanoTime();
            onCycleStart(startNs);
            final int work = delegate.doWork();
            final long endNs = clock.nanoTime();
            if (times.recording && lastEndNs != 0)
            {
                final long gapNs = startNs - lastEndNs;
                times.gaps.recordValue(Math.min(MAX_NS, gapNs));
                if (gapNs > LONG_GAP_NS)
                {
                    times.longGapsNs += gapNs;
                    times.longGaps++;
                }
                (work == 0 ? times.empty : times.working).recordValue(Math.min(MAX_NS, endNs - startNs));
            }
            lastEndNs = endNs;
            return work;
        }

        @Override
        public void onClose()
        {
            delegate.onClose();
        }

        @Override
        public String roleName()
        {
            return delegate.roleName();
        }
    }
}
