package io.tickjournal.bridge;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.RecordConsumer;
import io.tickjournal.journal.wire.MoldUdp64;
import io.tickjournal.journal.wire.MoldUdp64PacketBuilder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One partition on the wire: tails the partition, packs records into MoldUDP64 packets, sends
 * them on its own socket, heartbeats when idle and ends the session at the day roll.
 * <p>
 * <b>Threading:</b> everything runs on the bridge thread; {@link #open()} is called there, so the
 * socket and tailer are created and used by that thread only.
 * <p>
 * <b>Nothing is lost:</b> a packet that fails to send stays pending and is retried on the next
 * duty cycle; the sent position ({@link SentPosition}) moves only after a successful send, so a
 * restarted bridge resumes right after the last record on the wire.
 */
final class BridgeChannel implements RecordConsumer, AutoCloseable
{
    private final ChannelConfig config;
    private final PacketSink.Factory sinkFactory;
    private final Path positionFile;
    private final MoldUdp64PacketBuilder builder;
    private final BridgeCounters counters;
    private final ErrorReporter errors;

    private JournalTailer tailer;
    private PacketSink sink;
    private SentPosition position;

    private byte[] session;
    private int day = -1;
    private long nextSequence = 1;
    private int nextDay = -1;
    private long lastIndexInPacket = -1;
    private boolean pending;
    private long pendingLastIndex = -1;
    private long lastSendNs;
    private int pendingControl = -1;

    BridgeChannel(
        final ChannelConfig config, final PacketSink.Factory sinkFactory, final Path stateDir,
        final BridgeCounters counters, final ErrorReporter errors)
    {
        this.config = config;
        this.sinkFactory = sinkFactory;
        this.positionFile = stateDir.resolve("bridge-" + config.partitionDir().getFileName() + ".position");
        this.builder = new MoldUdp64PacketBuilder(config.maxPayload());
        this.counters = counters;
        this.errors = errors;
    }

    /**
     * Open the socket and, once the partition exists, the tailer. Safe to call again until both
     * are open: the bridge may start before ingest has created the partition.
     *
     * @return true when ready to send.
     */
    boolean open()
    {
        try
        {
            if (sink == null)
            {
                sink = sinkFactory.open(config);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            errors.report("cannot open socket for " + config.partitionDir().getFileName(), ex);
            return false;
        }
        if (tailer == null)
        {
            if (!Files.isDirectory(config.partitionDir()))
            {
                return false;
            }
            position = new SentPosition(positionFile);
            tailer = JournalTailer.open(config.partitionDir(), null);
            resume();
        }
        return true;
    }

    private void resume()
    {
        final long sent = position.get();
        if (sent != SentPosition.NONE && tailer.moveToIndex(sent))
        {
            tailer.readOne((d, s, b, o, l) -> { }); // already on the wire
            startSession(Partition.day(sent));
            nextSequence = Partition.sequence(sent) + 1;
            return;
        }
        tailer.toStart();
        if (config.startDay() != ChannelConfig.FROM_EARLIEST_DAY)
        {
            final int firstDay = tailer.queue().firstCycle();
            final int lastDay = tailer.queue().lastCycle();
            if (config.startDay() > firstDay && firstDay != Integer.MAX_VALUE)
            {
                if (config.startDay() > lastDay || !tailer.moveTo(config.startDay(), 1))
                {
                    errors.report("start day " + config.startDay() + " has no records in " +
                        config.partitionDir().getFileName() + "; starting at the end", null);
                    tailer.toEnd();
                }
            }
        }
    }

    int doWork(final long nowNs)
    {
        if ((tailer == null || sink == null) && !open())
        {
            return 0;
        }
        int work = 0;
        if (pending)
        {
            if (!trySend(builder.retry(), nowNs))
            {
                return 0;
            }
            work++;
        }

        while (tailer.offerOne(this) > 0)
        {
            // onRecord declines the record that does not fit, which ends the packet
        }

        if (builder.count() > 0)
        {
            pendingLastIndex = lastIndexInPacket;
            builder.finish();
            counters.messagesPacked += builder.count();
            work++;
            if (!trySend(builder.retry(), nowNs))
            {
                return work;
            }
        }
        else if (nextDay >= 0)
        {
            // the day rolled: close the old session, then carry on in the new one
            pendingLastIndex = -1;
            pendingControl = MoldUdp64.END_OF_SESSION_COUNT;
            builder.control(session, nextSequence, MoldUdp64.END_OF_SESSION_COUNT);
            trySend(builder.retry(), nowNs);
            work++;
        }
        else if (session != null && nowNs - lastSendNs >= config.heartbeatIntervalNs())
        {
            pendingLastIndex = -1;
            pendingControl = MoldUdp64.HEARTBEAT_COUNT;
            builder.control(session, nextSequence, MoldUdp64.HEARTBEAT_COUNT);
            trySend(builder.retry(), nowNs);
            work++;
        }
        return work;
    }

    @Override
    public boolean onRecord(final int day, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        if (day != this.day)
        {
            if (this.day < 0)
            {
                startSession(day);
            }
            else
            {
                if (builder.count() == 0)
                {
                    nextDay = day;
                }
                return false;
            }
        }
        if (builder.count() == 0)
        {
            if (!builder.canEverFit(length))
            {
                errors.report("record " + day + "/" + sequence + " of " + length + " bytes cannot fit a UDP packet", null);
                counters.oversizeSkipped++;
                nextSequence = sequence + 1;
                return true;
            }
            builder.begin(session, sequence);
        }
        if (!builder.add(buffer, offset, length))
        {
            return false;
        }
        lastIndexInPacket = Partition.index(day, sequence);
        nextSequence = sequence + 1;
        return true;
    }

    private void startSession(final int newDay)
    {
        day = newDay;
        session = MoldUdp64.session(config.partitionCode(), newDay);
        nextSequence = 1;
        builder.begin(session, 1);
    }

    private boolean trySend(final ByteBuffer packet, final long nowNs)
    {
        try
        {
            if (!sink.send(packet))
            {
                pending = true;
                counters.sendBackPressured++;
                return false;
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            pending = true;
            counters.sendFailures++;
            errors.report("send failed on " + config.partitionDir().getFileName() + " to " + config.destination(), ex);
            return false;
        }
        pending = false;
        lastSendNs = nowNs;
        counters.packetsSent++;
        if (pendingLastIndex >= 0)
        {
            position.set(pendingLastIndex);
            pendingLastIndex = -1;
        }
        if (pendingControl == MoldUdp64.END_OF_SESSION_COUNT)
        {
            counters.endOfSessions++;
            startSession(nextDay);
            nextDay = -1;
        }
        else if (pendingControl == MoldUdp64.HEARTBEAT_COUNT)
        {
            counters.heartbeats++;
        }
        pendingControl = -1;
        builder.begin(session, nextSequence);
        return true;
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(tailer, sink, position);
    }
}
