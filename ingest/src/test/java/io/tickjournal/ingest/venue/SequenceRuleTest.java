package io.tickjournal.ingest.venue;

import io.tickjournal.journal.Records;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each venue's sequencing rule as a table of cases from its documentation: (last applied, the
 * event's first / last / previous ids) to a verdict. {@code -} is an absent id.
 */
class SequenceRuleTest
{
    private static long id(final String text)
    {
        return "-".equals(text) ? Records.NULL_LONG : Long.parseLong(text);
    }

    private static int verdict(final String text)
    {
        return switch (text)
        {
            case "APPLY" -> SequenceRule.APPLY;
            case "DUPLICATE" -> SequenceRule.DUPLICATE;
            case "GAP" -> SequenceRule.GAP;
            case "RESET" -> SequenceRule.RESET;
            case "KEEPALIVE" -> SequenceRule.KEEPALIVE;
            default -> throw new IllegalArgumentException(text);
        };
    }

    @ParameterizedTest(name = "{0}.{1}(last {2}, U {3}, u {4}, pu {5}) = {6}: {7}")
    @CsvSource(delimiter = '|', textBlock = """
        # Binance spot: drop u <= last; apply when U <= last + 1; after a snapshot U <= id + 1 <= u.
        FIRST_LAST     | check | 100 | 101 | 105 | -   | APPLY     | next event starts at last + 1
        FIRST_LAST     | check | 100 | 99  | 105 | -   | APPLY     | overlapping the last applied
        FIRST_LAST     | check | 100 | 102 | 105 | -   | GAP       | update 101 was lost
        FIRST_LAST     | check | 100 | 95  | 100 | -   | DUPLICATE | ends at the last applied
        FIRST_LAST     | check | 100 | 90  | 99  | -   | DUPLICATE | older
        FIRST_LAST     | check | 100 | -   | 105 | -   | GAP       | no first id: cannot prove continuity
        FIRST_LAST     | join  | 100 | 95  | 100 | -   | DUPLICATE | u <= lastUpdateId is dropped
        FIRST_LAST     | join  | 100 | 98  | 103 | -   | APPLY     | straddles lastUpdateId + 1
        FIRST_LAST     | join  | 100 | 101 | 103 | -   | APPLY     | starts at lastUpdateId + 1
        FIRST_LAST     | join  | 100 | 102 | 105 | -   | GAP       | the snapshot is too old
        # Binance USD-M: pu == last applies; the join is U <= lastUpdateId <= u (pu is then older).
        PREV_CHAIN     | check | 120 | 121 | 130 | 120 | APPLY     | pu names the last applied
        PREV_CHAIN     | check | 120 | 125 | 130 | 119 | GAP       | pu names another event
        PREV_CHAIN     | check | 120 | 111 | 120 | 110 | DUPLICATE | the last applied again
        PREV_CHAIN     | check | 120 | 101 | 110 | 100 | DUPLICATE | older
        PREV_CHAIN     | join  | 115 | 101 | 110 | 100 | DUPLICATE | buffered u=110 is older than snapshot 115
        PREV_CHAIN     | join  | 115 | 111 | 120 | 110 | APPLY     | the USD-M join: U 111 <= 115 <= u 120, pu 110 != 115
        PREV_CHAIN     | join  | 115 | 110 | 115 | 109 | APPLY     | u == lastUpdateId straddles
        PREV_CHAIN     | join  | 115 | 116 | 120 | 115 | GAP       | starts after the snapshot: fetch another
        # OKX books: prevSeqId == last applies; seqId == prevSeqId is the empty keep-alive;
        # seqId < prevSeqId chaining on the last is the maintenance reset (applied, chaining resumes from it).
        PREV_CHAIN_OKX | check | 10  | -   | 15  | 10  | APPLY     | normal update
        PREV_CHAIN_OKX | check | 15  | -   | 15  | 15  | KEEPALIVE | empty update about every 60 s
        PREV_CHAIN_OKX | check | 15  | -   | 3   | 15  | APPLY     | sequence reset after maintenance
        PREV_CHAIN_OKX | check | 3   | -   | 5   | 3   | APPLY     | chaining resumes from the reset
        PREV_CHAIN_OKX | check | 15  | -   | 18  | 12  | GAP       | prevSeqId names a message never received
        PREV_CHAIN_OKX | check | 15  | -   | 15  | 10  | DUPLICATE | the last applied, again
        PREV_CHAIN_OKX | check | 15  | -   | 10  | 8   | DUPLICATE | older
        PREV_CHAIN_OKX | check | 3   | -   | 3   | 15  | DUPLICATE | the reset again (a rotation's other connection)
        PREV_CHAIN_OKX | check | 15  | -   | 3   | 20  | RESET     | a reset that does not chain: rejoin
        # Bybit: u rises by one; u == 1 is a reset.
        CONTIGUOUS     | check | 100 | -   | 101 | -   | APPLY     | next update
        CONTIGUOUS     | check | 100 | -   | 102 | -   | GAP       | update 101 was lost
        CONTIGUOUS     | check | 100 | -   | 100 | -   | DUPLICATE | the last applied again
        CONTIGUOUS     | check | 100 | -   | 50  | -   | DUPLICATE | older
        CONTIGUOUS     | check | 100 | -   | 1   | -   | RESET     | u == 1: service restart
        # Upbit, Bithumb: every message is a whole book.
        NONE           | check | 100 | -   | 7   | -   | APPLY     | whole book
        """)
    void verdicts(
        final SequenceRule rule, final String method, final String last, final String first, final String eventLast,
        final String prev, final String expected, final String why)
    {
        final int verdict = "join".equals(method) ?
            rule.join(id(last), id(first), id(eventLast), id(prev)) :
            rule.check(id(last), id(first), id(eventLast), id(prev));
        assertEquals(SequenceRule.describe(verdict(expected)), SequenceRule.describe(verdict), why);
    }

    /** Records what a {@link BookSync} asks of its feed. */
    private static final class Recorder implements BookSync.Output
    {
        final List<String> events = new ArrayList<>();

        @Override
        public void append(final DirectBuffer buffer, final int offset, final int length)
        {
            events.add("append " + buffer.getLong(offset));
        }

        @Override
        public void gap(final long expected, final long received, final String why)
        {
            events.add("gap " + expected + " " + received);
        }

        @Override
        public void reset(final String why)
        {
            events.add("reset");
        }

        @Override
        public void resynced(final long lastId)
        {
            events.add("resynced " + lastId);
        }

        @Override
        public void requestSnapshot()
        {
            events.add("snapshot?");
        }

        @Override
        public void duplicate()
        {
        }
    }

    private static MutableDirectBuffer record(final long tag)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[Records.MIN_LENGTH]);
        buffer.putLong(0, tag);
        return buffer;
    }

    @Test
    void theUsdmJoinAppliesTheLiveEventThatStraddlesTheSnapshot()
    {
        final Recorder out = new Recorder();
        final BookSync sync = new BookSync(SequenceRule.PREV_CHAIN, SnapshotSource.REST, out);
        sync.onDelta(record(110), 0, Records.MIN_LENGTH, 101, 110, 100);
        assertEquals(List.of("snapshot?"), out.events);
        out.events.clear();
        sync.onRestSnapshot(115);
        assertEquals(BookSync.State.JOINING, sync.state(), "buffered u=110 is older than the snapshot");
        sync.onDelta(record(120), 0, Records.MIN_LENGTH, 111, 120, 110);
        sync.onDelta(record(130), 0, Records.MIN_LENGTH, 121, 130, 120);
        assertEquals(List.of("append 120", "resynced 120", "append 130"), out.events, "no gap at the join");
        assertEquals(BookSync.State.LIVE, sync.state());
        assertEquals(130, sync.lastId());
    }

    @Test
    void okxKeepAliveAndMaintenanceResetKeepTheBookLive()
    {
        final Recorder out = new Recorder();
        final BookSync sync = new BookSync(SequenceRule.PREV_CHAIN_OKX, SnapshotSource.IN_STREAM, out);
        sync.onStreamSnapshot(record(10), 0, Records.MIN_LENGTH, 10);
        sync.onDelta(record(15), 0, Records.MIN_LENGTH, Records.NULL_LONG, 15, 10);
        sync.onDelta(record(-15), 0, Records.MIN_LENGTH, Records.NULL_LONG, 15, 15);
        sync.onDelta(record(3), 0, Records.MIN_LENGTH, Records.NULL_LONG, 3, 15);
        sync.onDelta(record(5), 0, Records.MIN_LENGTH, Records.NULL_LONG, 5, 3);
        assertEquals(List.of("append 10", "resynced 10", "append 15", "append 3", "append 5"), out.events);
        assertEquals(BookSync.State.LIVE, sync.state());
    }

    @Test
    void bybitResetSnapshotReplacesTheBookAndAGapRejoins()
    {
        final Recorder out = new Recorder();
        final BookSync sync = new BookSync(SequenceRule.CONTIGUOUS, SnapshotSource.IN_STREAM, out);
        sync.onDelta(record(99), 0, Records.MIN_LENGTH, Records.NULL_LONG, 99, Records.NULL_LONG);
        sync.onStreamSnapshot(record(100), 0, Records.MIN_LENGTH, 100);
        sync.onDelta(record(101), 0, Records.MIN_LENGTH, Records.NULL_LONG, 101, Records.NULL_LONG);
        sync.onStreamSnapshot(record(1), 0, Records.MIN_LENGTH, 1);
        sync.onDelta(record(2), 0, Records.MIN_LENGTH, Records.NULL_LONG, 2, Records.NULL_LONG);
        sync.onDelta(record(4), 0, Records.MIN_LENGTH, Records.NULL_LONG, 4, Records.NULL_LONG);
        sync.onDelta(record(5), 0, Records.MIN_LENGTH, Records.NULL_LONG, 5, Records.NULL_LONG);
        assertEquals(List.of("append 100", "resynced 100", "append 101", "reset", "append 1", "append 2", "gap 3 4", "snapshot?"),
            out.events, "a delta before the first snapshot is dropped; after the gap deltas wait for the next snapshot");
        assertEquals(BookSync.State.AWAITING_SNAPSHOT, sync.state());
    }
}
