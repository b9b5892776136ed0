package io.tickjournal.tailer;

import io.tickjournal.journal.RecordHandler;
import io.tickjournal.journal.wire.MoldUdp64;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One partition's MoldUDP64 stream in (day, sequence) order: unpacks packets into a
 * {@link RecordOrdering} (deliver, hold, drop duplicates, end days: pure) and repairs its gaps with a
 * {@link GapRecovery} (an enum state machine with one poller per source: local replica, re-request,
 * TCP replay) stepped by {@link #poll(long)}.
 * <p>
 * The packet is the trust boundary's first line: framing that overruns the datagram is counted and
 * dropped, and so is a session that is not a real day or names a day more than one from the tailer's
 * clock ({@link #clockDay(int)}, which must be given before any packet is accepted). A heartbeat or
 * answer that came on the re-request socket is from the configured server (the receiver's socket is
 * connected to it) and is authoritative. One thread (the receiver's).
 */
public final class Sequencer
{
    /**
     * Recovery knobs.
     *
     * @param reorderWindowNs    how long a gap may fill by itself before any source is asked.
     * @param rerequestTimeoutNs how long a re-request waits for progress.
     * @param maxPerRequest      most messages asked for at once.
     * @param tcpThreshold       a larger gap goes to TCP replay first.
     * @param maxRetries         unanswered re-requests before TCP (and twice that before giving up on them).
     * @param tcpIdleTimeoutNs   a replay that makes no progress this long is closed.
     * @param giveUpNs           after this long with every source failing, the gap is given up.
     * @param pendingCapacity    the reorder window in sequences (a power of two).
     */
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
         * @param partition     partition name.
         * @param day           day.
         * @param sequence      first sequence.
         * @param receiveBuffer the direct buffer to receive into (reused by every replay of this sequencer).
         * @return the client.
         * @throws IOException when it cannot connect.
         */
        ReplicationClient open(String partition, int day, long sequence, ByteBuffer receiveBuffer) throws IOException;
    }

    private final String partitionCode;
    private final SequencerCounters counters = new SequencerCounters();
    private final RecordOrdering ordering;
    private final GapRecovery recovery;
    private final byte[] cachedSession = new byte[MoldUdp64.SESSION_LENGTH];
    private int cachedDay = -1;

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
     * @param errorHandler  where recovery failures go (a bounded distinct-error log).
     */
    public Sequencer(
        final String partitionCode, final String partition, final RecordHandler listener, final ReplicaReader replica,
        final Rerequester rerequester, final TcpReplay tcpReplay, final Settings settings, final int startDay,
        final long startSeq, final ErrorHandler errorHandler)
    {
        this.partitionCode = partitionCode;
        this.ordering = new RecordOrdering(listener, counters, settings.pendingCapacity(), startDay, startSeq);
        this.recovery = new GapRecovery(ordering, counters, settings,
            replica != null ? new ReplicaPoller(replica, ordering) : null,
            rerequester != null ? new RerequestPoller(rerequester, partitionCode, counters, settings.rerequestTimeoutNs()) : null,
            tcpReplay != null ? new TcpPoller(tcpReplay, partition, ordering, counters, errorHandler,
                settings.tcpIdleTimeoutNs(), System.identityHashCode(this)) : null);
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
        return ordering.day();
    }

    /** @return the next sequence to release. */
    public long nextSequence()
    {
        return ordering.nextSequence();
    }

    /** @return true while a gap is open. */
    public boolean recovering()
    {
        return recovery.state() != GapRecovery.State.IDLE;
    }

    /** @return where recovery stands. */
    public GapRecovery.State recoveryState()
    {
        return recovery.state();
    }

    /** @return the ordering (read it on this sequencer's thread). */
    public RecordOrdering ordering()
    {
        return ordering;
    }

    /**
     * The tailer's trading day by its clock: packets whose session is more than one day from it are
     * dropped. Until it is given, every packet is.
     *
     * @param day days since the epoch (UTC).
     */
    public void clockDay(final int day)
    {
        ordering.clockDay(day);
    }

    /**
     * One datagram of this partition, framing not yet checked: framing that overruns the datagram
     * (message counts or lengths past its end) is counted and dropped.
     *
     * @param datagram      the bytes.
     * @param offset        where they start.
     * @param length        the datagram's length.
     * @param fromRerequest it came on the re-request socket (from the configured server).
     * @param nowNs         now.
     * @return false when its framing was malformed.
     */
    public boolean onDatagram(
        final DirectBuffer datagram, final int offset, final int length, final boolean fromRerequest, final long nowNs)
    {
        final int count = MoldUdp64.validate(datagram, offset, length);
        if (count < 0)
        {
            counters.malformed++;
            return false;
        }
        onPacket(datagram, offset, count, fromRerequest, nowNs);
        return true;
    }

    /**
     * One MoldUDP64 packet of this partition whose framing the caller has checked
     * ({@link MoldUdp64#validate}, as the receiver does).
     *
     * @param packet        the packet.
     * @param offset        where it starts.
     * @param count         its message count (validated).
     * @param fromRerequest it came on the re-request socket (from the configured server).
     * @param nowNs         now.
     */
    public void onPacket(final DirectBuffer packet, final int offset, final int count, final boolean fromRerequest, final long nowNs)
    {
        final int packetDay = dayOf(packet, offset);
        if (packetDay < 0)
        {
            counters.malformed++;
            return;
        }
        if (!ordering.nearClock(packetDay))
        {
            counters.otherDay++;
            return;
        }
        final RecordSource source = fromRerequest ? RecordSource.REREQUEST : RecordSource.LIVE;
        final long sequence = MoldUdp64.sequence(packet, offset);
        if (count == MoldUdp64.HEARTBEAT_COUNT)
        {
            counters.heartbeats++;
            ordering.onHeartbeat(packetDay, sequence, source);
            return;
        }
        if (count == MoldUdp64.END_OF_SESSION_COUNT)
        {
            ordering.onEndOfSession(packetDay, sequence, source);
            return;
        }
        int position = offset + MoldUdp64.HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            final int length = packet.getShort(position, MoldUdp64.ORDER) & 0xFFFF;
            position += MoldUdp64.MESSAGE_LENGTH_FIELD;
            counters.messages++;
            ordering.onMessage(packetDay, sequence + i, packet, position, length, source);
            position += length;
        }
    }

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

    /**
     * Step recovery.
     *
     * @param nowNs now.
     * @return work done.
     */
    public int poll(final long nowNs)
    {
        return recovery.poll(nowNs);
    }

    /** Close any recovery connection. */
    public void close()
    {
        recovery.close();
    }
}
