package io.tickjournal.ingest.venue;

import io.tickjournal.journal.Records;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One instrument's book integrity, for every venue: buffer, join, check every event with the
 * venue's {@link SequenceRule}, and resync only this instrument. The journal then holds exactly
 * the book this machine keeps: after a gap GAP_DETECTED and BOOK_RESET, then the snapshot, the
 * buffered events that apply (flagged deferred), RESYNCED, then live events; a reader rebuilds
 * the book from the journal alone.
 * <pre>
 *            first delta (REST)                snapshot (REST)            straddling event
 *   IDLE ─────────────────────────► AWAITING ───────────────► JOINING ─────────────────► LIVE
 *     │  in-stream snapshot            ▲  ▲                      │ snapshot too old          │
 *     └────────────────────────────────┼──┼──────────────────────┘ (refetch)                │
 *                                      │  └── gap / reset / checksum mismatch ◄────────────┘
 *                                      └───── in-stream snapshot ─► LIVE
 * </pre>
 * JOINING exists because a REST snapshot's id usually falls inside a later event's range: the
 * first event after it is judged by the join rule (Binance USD-M {@code U <= id <= u}), never by
 * the live rule ({@code pu == id}), which would report a gap on every join.
 * <p>
 * Records are encoded by the caller; deltas that wait for a snapshot are copied into this
 * machine's buffer and appended, flagged {@link Records#FLAG_DEFERRED}, when it applies.
 * The feed's thread only.
 */
public final class BookSync
{
    /** States of the book. */
    public enum State
    {
        /** Nothing received yet. */
        IDLE,
        /** Waiting for a snapshot (REST deltas are buffered meanwhile; in-stream deltas are dropped). */
        AWAITING_SNAPSHOT,
        /** A REST snapshot was journaled; the first event after it must straddle it. */
        JOINING,
        /** Joined: every event is checked with the live rule. */
        LIVE
    }

    /** What the machine asks of its feed. */
    public interface Output
    {
        /**
         * Append an encoded record to the journal.
         *
         * @param buffer the record.
         * @param offset where it starts.
         * @param length its length.
         */
        void append(DirectBuffer buffer, int offset, int length);

        /**
         * Journal a book gap and reset (GAP_DETECTED and BOOK_RESET for the BOOK stream).
         *
         * @param expected id expected.
         * @param received id received.
         * @param why      the rule that failed.
         */
        void gap(long expected, long received, String why);

        /**
         * Journal that the book was reset by the venue (BOOK_RESET for the BOOK stream).
         *
         * @param why what the venue did.
         */
        void reset(String why);

        /**
         * Journal that the book is whole again (RESYNCED).
         *
         * @param lastId the last id applied.
         */
        void resynced(long lastId);

        /** Ask for a snapshot: a REST request, or resubscribing the book stream. */
        void requestSnapshot();

        /** An event was dropped as already applied or buffered (counted). */
        void duplicate();
    }

    private static final int MAX_BUFFERED = 4096;

    private final SequenceRule rule;
    private final SnapshotSource source;
    private final Output output;
    private State state = State.IDLE;
    private long lastId = Records.NULL_LONG;
    private boolean everLive;
    private final ExpandableArrayBuffer records = new ExpandableArrayBuffer(64 * 1024);
    private final int[] offsets = new int[MAX_BUFFERED];
    private final int[] lengths = new int[MAX_BUFFERED];
    private final long[] firstIds = new long[MAX_BUFFERED];
    private final long[] lastIds = new long[MAX_BUFFERED];
    private final long[] prevIds = new long[MAX_BUFFERED];
    private int count;
    private int used;
    private long duplicates;

    /**
     * @param rule   the venue's sequence rule.
     * @param source where snapshots come from.
     * @param output the feed.
     */
    public BookSync(final SequenceRule rule, final SnapshotSource source, final Output output)
    {
        this.rule = rule;
        this.source = source;
        this.output = output;
    }

    /** @return the state. */
    public State state()
    {
        return state;
    }

    /** @return the last update id applied, or null. */
    public long lastId()
    {
        return lastId;
    }

    /** @return events dropped as already applied or buffered. */
    public long duplicates()
    {
        return duplicates;
    }

    /** @return events buffered while waiting for a snapshot. */
    public int buffered()
    {
        return count;
    }

    /**
     * A delta arrived, already encoded.
     *
     * @param record its record.
     * @param offset where it starts.
     * @param length its length.
     * @param first  first id.
     * @param last   last id.
     * @param prev   previous id.
     */
    public void onDelta(
        final MutableDirectBuffer record, final int offset, final int length, final long first, final long last, final long prev)
    {
        switch (state)
        {
            case IDLE:
            case AWAITING_SNAPSHOT:
                if (source == SnapshotSource.REST)
                {
                    buffer(record, offset, length, first, last, prev);
                    if (state == State.IDLE)
                    {
                        state = State.AWAITING_SNAPSHOT;
                        output.requestSnapshot();
                    }
                }
                else
                {
                    duplicate();
                }
                return;
            case JOINING:
            {
                final int verdict = rule.join(lastId, first, last, prev);
                if (verdict == SequenceRule.DUPLICATE)
                {
                    duplicate();
                    return;
                }
                if (verdict != SequenceRule.APPLY)
                {
                    // The snapshot is older than the stream: fetch another, keeping this event.
                    state = State.AWAITING_SNAPSHOT;
                    count = 0;
                    used = 0;
                    buffer(record, offset, length, first, last, prev);
                    output.requestSnapshot();
                    return;
                }
                output.append(record, offset, length);
                lastId = last;
                goLive();
                return;
            }
            case LIVE:
            default:
                live(record, offset, length, first, last, prev);
        }
    }

    private void live(
        final MutableDirectBuffer record, final int offset, final int length, final long first, final long last, final long prev)
    {
        final int verdict = rule.check(lastId, first, last, prev);
        switch (verdict)
        {
            case SequenceRule.APPLY:
                output.append(record, offset, length);
                lastId = last;
                return;
            case SequenceRule.DUPLICATE:
            case SequenceRule.KEEPALIVE:
                if (verdict == SequenceRule.DUPLICATE)
                {
                    duplicate();
                }
                return;
            case SequenceRule.RESET:
                output.reset("the venue reset the sequence (" + prev + " -> " + last + ")");
                rejoin(record, offset, length, first, last, prev);
                return;
            case SequenceRule.GAP:
            default:
                output.gap(rule.expected(lastId), rule.received(first, last, prev), rule.gapDescription());
                rejoin(record, offset, length, first, last, prev);
        }
    }

    private void rejoin(
        final MutableDirectBuffer record, final int offset, final int length, final long first, final long last, final long prev)
    {
        state = State.AWAITING_SNAPSHOT;
        lastId = Records.NULL_LONG;
        count = 0;
        used = 0;
        if (source == SnapshotSource.REST)
        {
            // The event that showed the gap is the first of the new join.
            buffer(record, offset, length, first, last, prev);
        }
        output.requestSnapshot();
    }

    /**
     * Events were lost outside the venue's sequence (the journal was paused for disk space, and its
     * BOOK_RESET is journaled): rejoin from a fresh snapshot, with no gap status of its own.
     */
    public void rejoin()
    {
        if (state == State.IDLE)
        {
            return;
        }
        state = State.AWAITING_SNAPSHOT;
        lastId = Records.NULL_LONG;
        count = 0;
        used = 0;
        output.requestSnapshot();
    }

    /**
     * The local book no longer matches the venue's (a checksum mismatch): rejoin.
     *
     * @param why what did not match.
     */
    public void invalidate(final String why)
    {
        if (state == State.LIVE || state == State.JOINING)
        {
            output.gap(lastId, lastId, why);
            state = State.AWAITING_SNAPSHOT;
            lastId = Records.NULL_LONG;
            count = 0;
            used = 0;
            output.requestSnapshot();
        }
    }

    /**
     * A snapshot from the stream (Bybit, OKX, Coinbase) or every message (Upbit, Bithumb), already
     * encoded; it replaces the book.
     *
     * @param record its record.
     * @param offset where it starts.
     * @param length its length.
     * @param id     its update id (or null).
     */
    public void onStreamSnapshot(final MutableDirectBuffer record, final int offset, final int length, final long id)
    {
        if (state == State.LIVE && source == SnapshotSource.IN_STREAM && id == 1 && rule == SequenceRule.CONTIGUOUS)
        {
            output.reset("the venue sent a reset snapshot (u = 1)");
        }
        output.append(record, offset, length);
        lastId = id;
        count = 0;
        used = 0;
        if (state != State.LIVE)
        {
            goLive();
        }
    }

    /**
     * Whether a REST snapshot with this id can be joined now, checked before it is journaled.
     *
     * @param snapshotId its last update id.
     * @return false when it is older than the first buffered event (fetch another, as Binance documents).
     */
    public boolean snapshotUsable(final long snapshotId)
    {
        return count == 0 || snapshotId >= firstIds[0] - 1;
    }

    /**
     * A REST snapshot was journaled (the caller appended it): apply what was buffered.
     *
     * @param snapshotId its last update id.
     */
    public void onRestSnapshot(final long snapshotId)
    {
        lastId = snapshotId;
        state = State.JOINING;
        final int n = count;
        count = 0;
        for (int i = 0; i < n; i++)
        {
            final int at = offsets[i];
            records.putShort(at + Records.FLAGS_OFFSET,
                (short)(records.getShort(at + Records.FLAGS_OFFSET, Records.ORDER) | Records.FLAG_DEFERRED), Records.ORDER);
            if (state == State.JOINING)
            {
                final int verdict = rule.join(lastId, firstIds[i], lastIds[i], prevIds[i]);
                if (verdict == SequenceRule.DUPLICATE)
                {
                    duplicate();
                    continue;
                }
                if (verdict != SequenceRule.APPLY)
                {
                    state = State.AWAITING_SNAPSHOT;
                    lastId = Records.NULL_LONG;
                    used = 0;
                    output.requestSnapshot();
                    return;
                }
                output.append(records, at, lengths[i]);
                lastId = lastIds[i];
                state = State.LIVE;
                continue;
            }
            final int verdict = rule.check(lastId, firstIds[i], lastIds[i], prevIds[i]);
            if (verdict == SequenceRule.DUPLICATE || verdict == SequenceRule.KEEPALIVE)
            {
                duplicate();
                continue;
            }
            if (verdict != SequenceRule.APPLY)
            {
                // The buffer itself has a hole: start over.
                output.gap(rule.expected(lastId), rule.received(firstIds[i], lastIds[i], prevIds[i]),
                    "gap inside the buffered events");
                state = State.AWAITING_SNAPSHOT;
                lastId = Records.NULL_LONG;
                used = 0;
                output.requestSnapshot();
                return;
            }
            output.append(records, at, lengths[i]);
            lastId = lastIds[i];
        }
        used = 0;
        if (state == State.LIVE)
        {
            state = State.JOINING;
            goLive();
        }
        // Still JOINING: no buffered event reached the snapshot yet; the next live one is judged by the join rule.
    }

    /** The snapshot request failed or was refused: the next delta (or the timer) asks again. */
    public void onSnapshotFailed()
    {
        if (state != State.LIVE)
        {
            state = count > 0 ? State.AWAITING_SNAPSHOT : State.IDLE;
        }
    }

    /** The connection that carried the book closed: the book must rejoin on the next connection. */
    public void onStreamLost()
    {
        if (source != SnapshotSource.REST)
        {
            state = State.IDLE;
            lastId = Records.NULL_LONG;
            count = 0;
            used = 0;
        }
    }

    private void duplicate()
    {
        duplicates++;
        output.duplicate();
    }

    private void goLive()
    {
        state = State.LIVE;
        everLive = true;
        output.resynced(lastId);
    }

    /** @return whether the book was ever whole. */
    public boolean everLive()
    {
        return everLive;
    }

    private void buffer(
        final MutableDirectBuffer record, final int offset, final int length, final long first, final long last, final long prev)
    {
        if (count > 0 && last <= lastIds[count - 1])
        {
            // Delivered again (the other connection of a rotation, or a venue repeat): buffer it once.
            duplicate();
            return;
        }
        if (count == MAX_BUFFERED)
        {
            // A snapshot this slow: keep the newest events only; the join refetches if they no longer reach it.
            count = 0;
            used = 0;
        }
        records.putBytes(used, record, offset, length);
        offsets[count] = used;
        lengths[count] = length;
        firstIds[count] = first;
        lastIds[count] = last;
        prevIds[count] = prev;
        used += length;
        count++;
    }
}
