package io.tickjournal.tailer;

import io.tickjournal.journal.RecordHandler;
import io.tickjournal.journal.wire.MoldUdp64;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;

/**
 * Orders one partition's MoldUDP64 stream: releases records strictly in (day, sequence) order,
 * drops duplicates, holds out-of-order messages, and repairs gaps with a non-blocking recovery
 * state machine stepped by {@link #poll(long)}:
 * <ol>
 * <li>wait {@code reorderWindow} for the gap to fill by itself (reordering);</li>
 * <li>read the range from the local replica journal when it holds it;</li>
 * <li>else re-request it from the bridge in capped chunks, with a progress timeout and retries;</li>
 * <li>for large gaps, or when re-requests stop making progress, replay it over TCP from the
 * replication source.</li>
 * </ol>
 * Live messages are held meanwhile and released in order once the gap is filled. Heartbeats
 * and end-of-session packets reveal losses at the tail and the end of each day. With no recovery
 * source left, a gap is skipped after {@code giveUp} and counted as unrecovered.
 * One thread (the receiver's).
 */
public final class Sequencer implements ReplicationClient.Handler
{
    /** Recovery knobs. */
    public record Settings(
        long reorderWindowNs, long rerequestTimeoutNs, int maxPerRequest, long tcpThreshold, int maxRetries,
        long tcpIdleTimeoutNs, long giveUpNs, int pendingCapacity)
    {
        /** @return defaults: 2 ms reorder window, 50 ms re-request timeout, 1024 per request, TCP above 5000. */
        public static Settings defaults()
        {
            return new Settings(2_000_000L, 50_000_000L, 1024, 5000, 3, 2_000_000_000L, 10_000_000_000L, 1 << 16);
        }
    }

    /** Sends MoldUDP64 re-requests. */
    @FunctionalInterface
    public interface Rerequester
    {
        /**
         * @param session  10 session bytes.
         * @param sequence first sequence wanted.
         * @param count    messages wanted.
         */
        void request(byte[] session, long sequence, int count);
    }

    /** Opens TCP replays. */
    @FunctionalInterface
    public interface TcpReplay
    {
        /**
         * @param partition partition name.
         * @param day       day.
         * @param sequence  first sequence.
         * @return the client.
         * @throws IOException when it cannot connect.
         */
        ReplicationClient open(String partition, int day, long sequence) throws IOException;
    }

    private static final int IDLE = 0;
    private static final int WAITING = 1;
    private static final int FROM_REPLICA = 2;
    private static final int AWAITING_REREQUEST = 3;
    private static final int TCP = 4;
    private static final long UNKNOWN = Long.MAX_VALUE;

    private final String partitionCode;
    private final String partition;
    private final RecordHandler listener;
    private final ReplicaReader replica;
    private final Rerequester rerequester;
    private final TcpReplay tcpReplay;
    private final Settings settings;
    private final SequencerCounters counters = new SequencerCounters();
    private final UnsafeBuffer message = new UnsafeBuffer(0, 0);
    private PendingRing pending;
    private PendingRing nextPending;
    private final byte[] cachedSession = new byte[MoldUdp64.SESSION_LENGTH];
    private int cachedDay = -1;
    private final byte[] currentSession = new byte[MoldUdp64.SESSION_LENGTH];

    private int day = -1;
    private long nextSeq;
    private long highestKnown;
    private long dayEndSeq = UNKNOWN;
    private int nextDay = -1;
    private boolean awaitingDay;
    private final int startDay;
    private final long startSeq;

    private int state = IDLE;
    private long gapStartNs;
    private long deadlineNs;
    private long markSeq;
    private int retries;
    private long lastProgressNs;
    private ReplicationClient tcp;
    private int recoverySource;

    /**
     * @param partitionCode the 2-character code in the sessions.
     * @param partition     the partition's name (for TCP replay).
     * @param listener      receives records in order.
     * @param replica       the local replica, or null.
     * @param rerequester   re-request sender, or null.
     * @param tcpReplay     TCP replay opener, or null.
     * @param settings      recovery knobs.
     * @param startDay      the first day to release (-1: the first day seen).
     * @param startSeq      the first sequence of that day to release (1: the whole day, recovering what
     *                      came before joining; 0: join live at the first message seen).
     */
    public Sequencer(
        final String partitionCode, final String partition, final RecordHandler listener, final ReplicaReader replica,
        final Rerequester rerequester, final TcpReplay tcpReplay, final Settings settings, final int startDay,
        final long startSeq)
    {
        this.partitionCode = partitionCode;
        this.partition = partition;
        this.listener = listener;
        this.replica = replica;
        this.rerequester = rerequester;
        this.tcpReplay = tcpReplay;
        this.settings = settings;
        this.pending = new PendingRing(settings.pendingCapacity(), 64 << 20);
        this.nextPending = new PendingRing(settings.pendingCapacity(), 64 << 20);
        this.startDay = startDay;
        this.startSeq = startSeq;
    }

    /** @return the code this sequencer serves. */
    public String partitionCode()
    {
        return partitionCode;
    }

    /** @return its counters. */
    public SequencerCounters counters()
    {
        return counters;
    }

    /** @return the day being released, or -1 before the first message. */
    public int day()
    {
        return day;
    }

    /** @return the next sequence to release. */
    public long nextSequence()
    {
        return nextSeq;
    }

    /** @return true while a gap is open. */
    public boolean recovering()
    {
        return state != IDLE;
    }

    /**
     * One validated MoldUDP64 packet of this partition.
     *
     * @param packet       the packet.
     * @param offset       where it starts.
     * @param count        its message count (validated).
     * @param fromRerequest it came on the re-request socket.
     * @param nowNs        now.
     */
    public void onPacket(final DirectBuffer packet, final int offset, final int count, final boolean fromRerequest, final long nowNs)
    {
        final int packetDay = dayOf(packet, offset);
        if (packetDay < 0)
        {
            return;
        }
        final long sequence = MoldUdp64.sequence(packet, offset);
        if (count == MoldUdp64.HEARTBEAT_COUNT)
        {
            counters.heartbeats++;
            onHeartbeat(packetDay, sequence);
            return;
        }
        if (count == MoldUdp64.END_OF_SESSION_COUNT)
        {
            onEndOfSession(packetDay, sequence);
            return;
        }
        int position = offset + MoldUdp64.HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            final int length = packet.getShort(position, MoldUdp64.ORDER) & 0xFFFF;
            position += MoldUdp64.MESSAGE_LENGTH_FIELD;
            counters.messages++;
            onMessage(packetDay, sequence + i, packet, position, length, fromRerequest ? SOURCE_REREQUEST : SOURCE_LIVE);
            position += length;
        }
    }

    private static final int SOURCE_LIVE = 0;
    private static final int SOURCE_REREQUEST = 1;
    private static final int SOURCE_REPLICA = 2;
    private static final int SOURCE_TCP = 3;

    private int dayOf(final DirectBuffer packet, final int offset)
    {
        if (cachedDay >= 0 && MoldUdp64.sessionEquals(packet, offset, cachedSession))
        {
            return cachedDay;
        }
        final int day = MoldUdp64.day(packet, offset);
        if (day < 0)
        {
            return -1;
        }
        packet.getBytes(offset, cachedSession);
        cachedDay = day;
        return cachedDay;
    }

    private void begin(final int firstDay, final long firstSeq)
    {
        day = startDay >= 0 ? startDay : firstDay;
        nextSeq = startSeq > 0 ? startSeq : (day == firstDay ? firstSeq : 1);
        highestKnown = nextSeq;
        session(day);
    }

    private void session(final int newDay)
    {
        final byte[] s = MoldUdp64.session(partitionCode, newDay);
        System.arraycopy(s, 0, currentSession, 0, s.length);
    }

    private void onMessage(
        final int msgDay, final long seq, final DirectBuffer buffer, final int offset, final int length, final int source)
    {
        if (day < 0)
        {
            begin(msgDay, seq);
        }
        if (awaitingDay && msgDay > day)
        {
            startDay(msgDay);
        }
        if (msgDay < day || (msgDay == day && seq < nextSeq))
        {
            counters.duplicates++;
            return;
        }
        if (msgDay == day)
        {
            if (seq == nextSeq)
            {
                deliver(seq, buffer, offset, length, source);
                drain();
            }
            else
            {
                final int put = pending.put(seq, buffer, offset, length);
                if (put == 0)
                {
                    counters.duplicates++;
                }
                else if (put < 0)
                {
                    counters.overflow++;
                }
                if (seq + 1 > highestKnown)
                {
                    highestKnown = seq + 1;
                }
            }
        }
        else
        {
            if (source == SOURCE_REPLICA || source == SOURCE_TCP)
            {
                // An in-order source moved on to a later day: the current day ends here.
                dayEndSeq = nextSeq;
            }
            if (nextDay < 0 || msgDay == nextDay)
            {
                nextDay = msgDay;
                if (nextPending.put(seq, buffer, offset, length) < 0)
                {
                    counters.overflow++;
                }
            }
            else
            {
                counters.overflow++;
            }
        }
        checkDayEnd();
    }

    private void deliver(final long seq, final DirectBuffer buffer, final int offset, final int length, final int source)
    {
        listener.onRecord(day, seq, buffer, offset, length);
        nextSeq = seq + 1;
        if (nextSeq > highestKnown)
        {
            highestKnown = nextSeq;
        }
        counters.delivered++;
        switch (source)
        {
            case SOURCE_REREQUEST -> counters.recoveredByRerequest++;
            case SOURCE_REPLICA -> counters.recoveredFromReplica++;
            case SOURCE_TCP -> counters.recoveredByTcp++;
            default ->
            {
            }
        }
    }

    private void drain()
    {
        while (pending.count() > 0 && pending.has(nextSeq))
        {
            final long seq = nextSeq;
            message.wrap(pending.buffer(), pending.offsetOf(seq), pending.lengthOf(seq));
            deliver(seq, message, 0, message.capacity(), SOURCE_LIVE);
            pending.remove(seq);
        }
    }

    private void checkDayEnd()
    {
        if (dayEndSeq != UNKNOWN && nextSeq >= dayEndSeq)
        {
            counters.daysCompleted++;
            if (nextDay >= 0)
            {
                startDay(nextDay);
            }
            else
            {
                awaitingDay = true;
                dayEndSeq = UNKNOWN;
            }
        }
    }

    private void startDay(final int newDay)
    {
        day = newDay;
        nextSeq = 1;
        highestKnown = 1;
        dayEndSeq = UNKNOWN;
        nextDay = -1;
        awaitingDay = false;
        session(newDay);
        final PendingRing swap = pending;
        pending = nextPending;
        nextPending = swap;
        nextPending.clear();
        if (pending.count() > 0)
        {
            highestKnown = Math.max(highestKnown, pending.minSeq() + 1);
        }
        drain();
        checkDayEnd();
    }

    @Override
    public void onHeartbeat(final int hbDay, final long sequence)
    {
        if (day < 0)
        {
            if (startSeq <= 0)
            {
                return;
            }
            // A joiner of an idle feed: the heartbeat names the day and how far it has gone.
            begin(hbDay, sequence);
        }
        if (hbDay == day)
        {
            if (sequence > highestKnown)
            {
                highestKnown = sequence;
            }
            if (nextDay >= 0)
            {
                dayEndSeq = sequence;
            }
            checkDayEnd();
        }
        else if (hbDay > day && nextDay < 0 && !awaitingDay)
        {
            nextDay = hbDay;
        }
        else if (hbDay > day && awaitingDay)
        {
            startDay(hbDay);
        }
    }

    private void onEndOfSession(final int eosDay, final long sequence)
    {
        if (day < 0)
        {
            return;
        }
        if (eosDay == day)
        {
            dayEndSeq = sequence;
            if (sequence > highestKnown)
            {
                highestKnown = sequence;
            }
            checkDayEnd();
        }
    }

    @Override
    public void onRecord(final int recDay, final long sequence, final UnsafeBuffer buffer, final int offset, final int length)
    {
        onMessage(recDay, sequence, buffer, offset, length, recoverySource);
    }

    private boolean hasGap()
    {
        if (day < 0 || awaitingDay)
        {
            return false;
        }
        return nextSeq < highestKnown || (nextDay >= 0 && dayEndSeq == UNKNOWN) || (dayEndSeq != UNKNOWN && nextSeq < dayEndSeq);
    }

    private long gapEnd()
    {
        final long pendingMin = pending.minSeq();
        if (pendingMin != Long.MAX_VALUE)
        {
            return pendingMin;
        }
        if (dayEndSeq != UNKNOWN)
        {
            return dayEndSeq;
        }
        return nextSeq < highestKnown ? highestKnown : nextSeq + settings.maxPerRequest();
    }

    /**
     * Step recovery.
     *
     * @param nowNs now.
     * @return work done.
     */
    public int poll(final long nowNs)
    {
        if (!hasGap())
        {
            if (state != IDLE)
            {
                final long took = nowNs - gapStartNs;
                counters.repairs++;
                counters.lastRepairNs = took;
                counters.totalRepairNs += took;
                if (took > counters.maxRepairNs)
                {
                    counters.maxRepairNs = took;
                }
                closeTcp();
                state = IDLE;
                retries = 0;
            }
            return 0;
        }
        switch (state)
        {
            case IDLE:
                state = WAITING;
                gapStartNs = nowNs;
                counters.gaps++;
                return 1;
            case WAITING:
                if (nowNs - gapStartNs < settings.reorderWindowNs())
                {
                    return 0;
                }
                return attempt(nowNs);
            case FROM_REPLICA:
                return attempt(nowNs);
            case AWAITING_REREQUEST:
                if (nextSeq > markSeq)
                {
                    retries = 0;
                    return attempt(nowNs);
                }
                if (nowNs > deadlineNs)
                {
                    retries++;
                    return attempt(nowNs);
                }
                return 0;
            case TCP:
                return pollTcp(nowNs);
            default:
                return 0;
        }
    }

    private int attempt(final long nowNs)
    {
        final long end = gapEnd();
        if (replica != null)
        {
            recoverySource = SOURCE_REPLICA;
            final int limit = (int)Math.min(1024, Math.max(1, end - nextSeq));
            final int n = replica.read(day, nextSeq, limit, this);
            if (n > 0)
            {
                state = FROM_REPLICA;
                lastProgressNs = nowNs;
                return n;
            }
            if (replica.lastDay() > day)
            {
                // The replica moved past this day: it ends where the replica's copy ends.
                dayEndSeq = replica.recordsInDay(day) + 1;
                checkDayEnd();
                if (!hasGap())
                {
                    return 1;
                }
            }
        }
        final long size = end - nextSeq;
        if (tcpReplay != null && (size > settings.tcpThreshold() || retries >= settings.maxRetries()))
        {
            try
            {
                tcp = tcpReplay.open(partition, day, nextSeq);
                counters.tcpReplays++;
                state = TCP;
                lastProgressNs = nowNs;
                markSeq = nextSeq;
                return 1;
            }
            catch (final IOException ex)
            {
                tcp = null;
            }
        }
        if (rerequester != null && retries < settings.maxRetries() * 2)
        {
            rerequester.request(currentSession, nextSeq, (int)Math.max(1, Math.min(size, settings.maxPerRequest())));
            counters.rerequests++;
            state = AWAITING_REREQUEST;
            deadlineNs = nowNs + settings.rerequestTimeoutNs();
            markSeq = nextSeq;
            return 1;
        }
        if (nowNs - gapStartNs > settings.giveUpNs())
        {
            skipGap();
            return 1;
        }
        state = WAITING;
        return 0;
    }

    private int pollTcp(final long nowNs)
    {
        recoverySource = SOURCE_TCP;
        final long before = nextSeq;
        final int beforeDay = day;
        final int n = tcp.poll(this, 4096);
        if (nextSeq != before || day != beforeDay || n > 0)
        {
            lastProgressNs = nowNs;
        }
        if (tcp.state() != ReplicationClient.OPEN || nowNs - lastProgressNs > settings.tcpIdleTimeoutNs())
        {
            closeTcp();
            retries = 0;
            state = WAITING;
            gapStartNs = Math.min(gapStartNs, nowNs - settings.reorderWindowNs());
            if (nowNs - gapStartNs > settings.giveUpNs() && rerequester == null && replica == null)
            {
                skipGap();
            }
        }
        return n;
    }

    private void skipGap()
    {
        final long end = gapEnd();
        if (end == UNKNOWN || end <= nextSeq)
        {
            return;
        }
        counters.unrecovered += end - nextSeq;
        nextSeq = end;
        drain();
        checkDayEnd();
        state = WAITING;
    }

    private void closeTcp()
    {
        if (tcp != null)
        {
            tcp.close();
            tcp = null;
        }
    }

    /** Close any recovery connection. */
    public void close()
    {
        closeTcp();
    }
}
