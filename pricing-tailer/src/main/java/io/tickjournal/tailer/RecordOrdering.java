package io.tickjournal.tailer;

import io.tickjournal.journal.RecordHandler;
import io.tickjournal.journal.RecordValidator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The ordering half of a sequencer: releases one partition's records strictly in (day, sequence)
 * order, holds what comes early, drops duplicates, and ends each day. Pure: no clock, no socket, no
 * recovery; {@link GapRecovery} reads {@link #hasGap()} and calls the few repair actions
 * ({@link #endDayAt(long, boolean)}, {@link #giveUp()}).
 * <p>
 * What it trusts (the tailer's trust boundary; every drop is counted in {@link SequencerCounters}):
 * <ul>
 * <li>a record is held or released only when {@link RecordValidator} accepts it; a bad one marks its
 * sequence as existing, so it is repaired like a loss;</li>
 * <li>a sequence at or beyond {@code nextSequence + window} is dropped and only remembered as a hint
 * that the tailer is behind: it is never a target to skip to;</li>
 * <li>a day ends on an end of session, or a heartbeat of the day once the following day is known,
 * or an in-order source moving on; never at a sequence below a record already known to exist;</li>
 * <li>the following day is {@code day + 1}, or a later day that has already begun by the tailer's
 * clock ({@link #clockDay(int)}) or that an in-order source moved on to.</li>
 * </ul>
 * <pre>
 * | state        | meaning                                                                  |
 * |==============|==========================================================================|
 * | day, nextSeq | the next record to release                                               |
 * | knownEnd     | every sequence below it is known to exist (released, held, announced)    |
 * | dayEndSeq    | the first sequence after the day (end of session), or UNKNOWN            |
 * | nextDay      | the following day once seen, its early records in the second ring        |
 * | dayEnded     | the day is complete and the following one not yet seen                  |
 * | farBehind    | something beyond the window was seen: recover, but skip nowhere          |
 * </pre>
 * One thread (the receiver's).
 */
public final class RecordOrdering
{
    /** No such sequence. */
    public static final long UNKNOWN = Long.MAX_VALUE;
    /** The tailer's clock has not been given: every session is outside it. */
    public static final int NO_CLOCK = Integer.MIN_VALUE;

    /** Released to the listener (and whatever was held behind it). */
    public static final int DELIVERED = 0;
    /** Held until the sequences before it arrive. */
    public static final int HELD = 1;
    /** Already released or held. */
    public static final int DUPLICATE = 2;
    /** Not a valid record: dropped, its sequence repaired like a loss. */
    public static final int INVALID = 3;
    /** At or beyond the reorder window: dropped. */
    public static final int BEYOND_WINDOW = 4;
    /** Of a day that neither is the current one nor follows it, or past the day's end: dropped. */
    public static final int OTHER_DAY = 5;
    /** No room to hold it (cannot happen inside the window; counted if it does). */
    public static final int OVERFLOW = 6;

    private final RecordHandler listener;
    private final SequencerCounters counters;
    private final int window;
    private final int startDay;
    private final long startSeq;
    private final UnsafeBuffer message = new UnsafeBuffer(0, 0);
    private PendingRing pending;
    private PendingRing nextPending;

    private int clockDay = NO_CLOCK;
    private int day = -1;
    private long nextSeq;
    private long knownEnd;
    private long dayEndSeq = UNKNOWN;
    private int nextDay = -1;
    private long nextDayKnownEnd = 1;
    private boolean dayEnded;
    private boolean farBehind;

    /**
     * @param listener receives records in order.
     * @param counters where drops and deliveries are counted.
     * @param window   the reorder window in sequences (a power of two: the rings' capacity).
     * @param startDay the first day to release (-1: the first day seen).
     * @param startSeq the first sequence of that day (1: the whole day; 0: join at the first record seen).
     */
    public RecordOrdering(
        final RecordHandler listener, final SequencerCounters counters, final int window, final int startDay,
        final long startSeq)
    {
        this.listener = listener;
        this.counters = counters;
        this.window = window;
        this.startDay = startDay;
        this.startSeq = startSeq;
        this.pending = new PendingRing(window, 64 << 20);
        this.nextPending = new PendingRing(window, 64 << 20);
    }

    /**
     * The tailer's trading day by its own clock; sessions more than one day from it are not trusted.
     *
     * @param day days since the epoch.
     */
    public void clockDay(final int day)
    {
        clockDay = day;
    }

    /**
     * @param sessionDay the day a packet's session names.
     * @return true when it is within one day of the tailer's clock.
     */
    public boolean nearClock(final int sessionDay)
    {
        return clockDay != NO_CLOCK && sessionDay >= clockDay - 1 && sessionDay <= clockDay + 1;
    }

    /**
     * One message.
     *
     * @param msgDay   its day.
     * @param seq      its sequence.
     * @param buffer   its bytes.
     * @param offset   where they start.
     * @param length   how many.
     * @param source   where it came from.
     * @return a verdict: {@link #DELIVERED}, {@link #HELD}, {@link #DUPLICATE}, {@link #INVALID},
     * {@link #BEYOND_WINDOW}, {@link #OTHER_DAY} or {@link #OVERFLOW}.
     */
    public int onMessage(
        final int msgDay, final long seq, final DirectBuffer buffer, final int offset, final int length,
        final RecordSource source)
    {
        if (day < 0)
        {
            if (RecordValidator.validate(buffer, offset, length) != RecordValidator.OK)
            {
                counters.invalid++;
                return INVALID;
            }
            begin(msgDay, seq);
        }
        if (msgDay > day && dayEnded && follows(msgDay, source))
        {
            startDay(msgDay);
        }
        if (msgDay < day || (msgDay == day && seq < nextSeq))
        {
            counters.duplicates++;
            return DUPLICATE;
        }
        return msgDay == day ? onCurrentDay(seq, buffer, offset, length, source) :
            onLaterDay(msgDay, seq, buffer, offset, length, source);
    }

    private int onCurrentDay(final long seq, final DirectBuffer buffer, final int offset, final int length, final RecordSource source)
    {
        if (dayEnded || seq >= dayEndSeq)
        {
            counters.contradictions++;
            return OTHER_DAY;
        }
        if (seq - nextSeq >= window)
        {
            counters.beyondWindow++;
            farBehind = true;
            return BEYOND_WINDOW;
        }
        if (RecordValidator.validate(buffer, offset, length) != RecordValidator.OK)
        {
            counters.invalid++;
            known(seq + 1);
            return INVALID;
        }
        if (source == RecordSource.LIVE)
        {
            // The live stream is inside the window again: what it holds now bounds the gap.
            farBehind = false;
        }
        if (seq == nextSeq)
        {
            deliver(seq, buffer, offset, length, source);
            drain();
            checkDayEnd();
            return DELIVERED;
        }
        final int put = pending.put(seq, buffer, offset, length);
        if (put > 0)
        {
            known(seq + 1);
            return HELD;
        }
        if (put == 0)
        {
            counters.duplicates++;
            return DUPLICATE;
        }
        counters.overflow++;
        return OVERFLOW;
    }

    private int onLaterDay(
        final int msgDay, final long seq, final DirectBuffer buffer, final int offset, final int length,
        final RecordSource source)
    {
        if (!follows(msgDay, source) || (nextDay >= 0 && msgDay != nextDay))
        {
            counters.otherDay++;
            return OTHER_DAY;
        }
        if (seq < 1 || seq - 1 >= window)
        {
            counters.beyondWindow++;
            return BEYOND_WINDOW;
        }
        if (RecordValidator.validate(buffer, offset, length) != RecordValidator.OK)
        {
            counters.invalid++;
            return INVALID;
        }
        nextDay = msgDay;
        final int put = nextPending.put(seq, buffer, offset, length);
        if (put > 0 && seq + 1 > nextDayKnownEnd)
        {
            nextDayKnownEnd = seq + 1;
        }
        if (source.inOrder())
        {
            // An in-order source moved on to a later day: the current day ends where it left it.
            endDayAt(nextSeq, true);
        }
        checkDayEnd();
        if (put > 0)
        {
            return HELD;
        }
        if (put == 0)
        {
            counters.duplicates++;
            return DUPLICATE;
        }
        counters.overflow++;
        return OVERFLOW;
    }

    /**
     * A heartbeat: the sender's next sequence of a day.
     *
     * @param hbDay  its day.
     * @param next   the sender's next sequence.
     * @param source {@link RecordSource#LIVE} for the multicast; an answer of the configured re-request
     *               server or replication source is authoritative: its journal holds exactly {@code next - 1}.
     */
    public void onHeartbeat(final int hbDay, final long next, final RecordSource source)
    {
        final boolean authoritative = source != RecordSource.LIVE;
        if (day < 0)
        {
            if (startSeq <= 0)
            {
                return;
            }
            // A joiner of an idle feed: the heartbeat names the day and how far it has gone.
            begin(hbDay, next);
        }
        if (hbDay == day)
        {
            if (dayEnded)
            {
                return;
            }
            if (next - nextSeq >= window)
            {
                counters.beyondWindow++;
                farBehind = true;
                return;
            }
            if (nextDay >= 0)
            {
                // The following day has begun, so this is where the current one ends.
                endDayAt(next, authoritative);
            }
            else if (authoritative && pending.count() == 0)
            {
                // The source holds exactly what is below next: hints above it were false.
                knownEnd = Math.max(nextSeq, next);
                farBehind = false;
            }
            else
            {
                known(next);
            }
            checkDayEnd();
        }
        else if (hbDay > day)
        {
            if (!follows(hbDay, source) || (nextDay >= 0 && hbDay != nextDay))
            {
                counters.otherDay++;
                return;
            }
            if (dayEnded)
            {
                startDay(hbDay);
                if (next - nextSeq < window)
                {
                    known(next);
                }
                return;
            }
            nextDay = hbDay;
            if (next > nextDayKnownEnd && next - 1 < window)
            {
                nextDayKnownEnd = next;
            }
            if (source.inOrder())
            {
                endDayAt(nextSeq, true);
                checkDayEnd();
            }
        }
    }

    /**
     * An end of session: the day ends before {@code end}.
     *
     * @param eosDay its day.
     * @param end    the first sequence after the day.
     * @param source where it came from.
     */
    public void onEndOfSession(final int eosDay, final long end, final RecordSource source)
    {
        if (day < 0 || eosDay < day)
        {
            return;
        }
        if (eosDay > day)
        {
            counters.otherDay++;
            return;
        }
        if (dayEnded)
        {
            return;
        }
        if (end - nextSeq >= window)
        {
            counters.beyondWindow++;
            farBehind = true;
            return;
        }
        endDayAt(end, source != RecordSource.LIVE);
        checkDayEnd();
    }

    /**
     * Learn where the current day ends. Refused (and counted) when it contradicts what is known: an
     * end below a record released or held, or (unless authoritative) below a sequence announced.
     *
     * @param end           the first sequence after the day.
     * @param authoritative from the local replica or an answer of a configured server.
     * @return true when accepted.
     */
    public boolean endDayAt(final long end, final boolean authoritative)
    {
        final long held = pending.count() > 0 ? pending.maxSeq() + 1 : nextSeq;
        final long floor = authoritative ? Math.max(nextSeq, held) : Math.max(knownEnd, held);
        if (end < floor || end - nextSeq >= window)
        {
            counters.contradictions++;
            return false;
        }
        dayEndSeq = end;
        knownEnd = end;
        farBehind = false;
        checkDayEnd();
        return true;
    }

    /**
     * Every source failed: skip to the first record held, or to the known end of the day; with
     * neither, drop the hints (nothing is skipped) and, if the following day has begun, leave this
     * day with its tail unknown. Counted either way.
     */
    public void giveUp()
    {
        final long target = pending.count() > 0 ? pending.minSeq() : dayEndSeq;
        if (target != UNKNOWN && target > nextSeq)
        {
            counters.unrecovered += target - nextSeq;
            nextSeq = target;
            drain();
            checkDayEnd();
            return;
        }
        farBehind = false;
        knownEnd = nextSeq;
        if (nextDay >= 0 && dayEndSeq == UNKNOWN)
        {
            counters.daysAbandoned++;
            startDay(nextDay);
        }
        else
        {
            counters.hintsDropped++;
        }
    }

    /** @return true while a gap is open: something is known to exist that has not been released. */
    public boolean hasGap()
    {
        if (day < 0 || dayEnded)
        {
            return false;
        }
        return nextSeq < knownEnd || farBehind || (nextDay >= 0 && dayEndSeq == UNKNOWN) ||
            (dayEndSeq != UNKNOWN && nextSeq < dayEndSeq);
    }

    /**
     * @return how many sequences the gap spans, for choosing a source: to the first record held or the
     * known end; the window when only far-ahead sequences were seen; 1 when only the day's end is missing.
     */
    public long gapSize()
    {
        if (pending.count() > 0)
        {
            return pending.minSeq() - nextSeq;
        }
        if (knownEnd > nextSeq)
        {
            return knownEnd - nextSeq;
        }
        return farBehind ? window : 1;
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

    /** @return every sequence below it is known to exist. */
    public long knownEnd()
    {
        return knownEnd;
    }

    /** @return the first sequence after the current day, or {@link #UNKNOWN}. */
    public long dayEndSequence()
    {
        return dayEndSeq;
    }

    /** @return the following day once seen, or -1. */
    public int nextDay()
    {
        return nextDay;
    }

    /** @return true when the day is complete and the following one not yet seen. */
    public boolean dayEnded()
    {
        return dayEnded;
    }

    /** @return messages held out of order (current day). */
    public int held()
    {
        return pending.count();
    }

    private boolean follows(final int laterDay, final RecordSource source)
    {
        return laterDay == day + 1 || (laterDay > day && (source.inOrder() || laterDay <= clockDay));
    }

    private void known(final long end)
    {
        if (end > knownEnd)
        {
            knownEnd = end;
        }
    }

    private void begin(final int firstDay, final long firstSeq)
    {
        day = startDay >= 0 ? startDay : firstDay;
        nextSeq = startSeq > 0 ? startSeq : (day == firstDay ? firstSeq : 1);
        knownEnd = nextSeq;
    }

    private void deliver(final long seq, final DirectBuffer buffer, final int offset, final int length, final RecordSource source)
    {
        nextSeq = seq + 1;
        known(nextSeq);
        counters.delivered++;
        switch (source)
        {
            case REREQUEST -> counters.recoveredByRerequest++;
            case REPLICA -> counters.recoveredFromReplica++;
            case TCP -> counters.recoveredByTcp++;
            default ->
            {
            }
        }
        listener.onRecord(day, seq, buffer, offset, length);
    }

    private void drain()
    {
        while (pending.count() > 0 && pending.has(nextSeq))
        {
            final long seq = nextSeq;
            message.wrap(pending.buffer(), pending.offsetOf(seq), pending.lengthOf(seq));
            // Removed before the listener sees it: a listener that throws cannot leave it stuck.
            pending.remove(seq);
            deliver(seq, message, 0, message.capacity(), RecordSource.LIVE);
        }
    }

    private void checkDayEnd()
    {
        if (!dayEnded && dayEndSeq != UNKNOWN && nextSeq >= dayEndSeq)
        {
            counters.daysCompleted++;
            if (nextDay >= 0)
            {
                startDay(nextDay);
            }
            else
            {
                dayEnded = true;
            }
        }
    }

    private void startDay(final int newDay)
    {
        day = newDay;
        nextSeq = 1;
        knownEnd = nextDayKnownEnd;
        nextDayKnownEnd = 1;
        dayEndSeq = UNKNOWN;
        nextDay = -1;
        dayEnded = false;
        farBehind = false;
        final PendingRing swap = pending;
        pending = nextPending;
        nextPending = swap;
        nextPending.clear();
        drain();
        checkDayEnd();
    }
}
