package io.tickjournal.tailer;

import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.RecordHandler;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.wire.MoldUdp64;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sequencer on a manual clock: ordering (deliver, hold, duplicate, day end), every recovery
 * transition, and what it must not trust on the wire. Expected records are the bytes the test
 * generated, never what the sequencer says.
 */
class SequencerTest
{
    private static final int DAY = TradingDay.parse("2026-11-24");
    private static final List<byte[]> RECORDS = Wire.records(64, 11, TradingDay.startNs(DAY));
    private static final List<byte[]> NEXT_DAY = Wire.records(16, 12, TradingDay.startNs(DAY + 1));
    private static final Sequencer.Settings SETTINGS = Sequencer.Settings.defaults();
    private static final byte[] SECRET = "s".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path root;

    private long nowNs = 1_000_000_000L;
    private final Released released = new Released();
    private final List<long[]> requests = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();

    /** What reached the listener; it reads each record's header as the books do. */
    static final class Released implements RecordHandler
    {
        final List<String> keys = new ArrayList<>();
        final List<byte[]> bytes = new ArrayList<>();

        @Override
        public void onRecord(final int day, final long sequence, final DirectBuffer buffer, final int offset, final int length)
        {
            Records.templateId(buffer, offset);
            keys.add(day + "/" + sequence);
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            bytes.add(copy);
        }
    }

    private Sequencer sequencer(final ReplicaReader replica, final boolean rerequest, final Sequencer.TcpReplay tcp)
    {
        final Sequencer sequencer = new Sequencer("BS", "binance-spot", released, replica,
            rerequest ? (session, sequence, count) ->
            {
                assertEquals(DAY, MoldUdp64.day(session));
                requests.add(new long[]{sequence, count});
            } : null,
            tcp, SETTINGS, -1, 1, errors::add);
        sequencer.clockDay(DAY);
        return sequencer;
    }

    private static byte[] record(final long sequence)
    {
        return RECORDS.get((int)sequence - 1);
    }

    private static UnsafeBuffer data(final int day, final long first, final int count)
    {
        final List<byte[]> source = day == DAY ? RECORDS : NEXT_DAY;
        final byte[][] messages = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            messages[i] = source.get((int)first - 1 + i);
        }
        return Wire.packet("BS", day, first, messages);
    }

    private boolean live(final Sequencer sequencer, final UnsafeBuffer datagram)
    {
        return sequencer.onDatagram(datagram, 0, datagram.capacity(), false, nowNs);
    }

    private void answer(final Sequencer sequencer, final UnsafeBuffer datagram)
    {
        sequencer.onDatagram(datagram, 0, datagram.capacity(), true, nowNs);
    }

    private int pollAfter(final Sequencer sequencer, final long elapsedNs)
    {
        nowNs += elapsedNs;
        return sequencer.poll(nowNs);
    }

    private void run(final Sequencer sequencer, final long forNs)
    {
        final long end = nowNs + forNs;
        while (nowNs < end)
        {
            pollAfter(sequencer, 1_000_000L);
        }
    }

    private static List<String> keys(final int day, final long from, final long to)
    {
        final List<String> keys = new ArrayList<>();
        for (long s = from; s <= to; s++)
        {
            keys.add(day + "/" + s);
        }
        return keys;
    }

    private static List<String> concat(final List<String> a, final List<String> b)
    {
        final List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private void assertReleasedBytes()
    {
        for (int i = 0; i < released.keys.size(); i++)
        {
            final String[] key = released.keys.get(i).split("/");
            final int day = Integer.parseInt(key[0]);
            final int sequence = Integer.parseInt(key[1]);
            assertArrayEquals((day == DAY ? RECORDS : NEXT_DAY).get(sequence - 1), released.bytes.get(i), released.keys.get(i));
        }
    }

    private Path replica(final int[] days, final int[] counts)
    {
        final Path dir = root.resolve("replica");
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            for (int d = 0; d < days.length; d++)
            {
                for (int s = 1; s <= counts[d]; s++)
                {
                    final byte[] bytes = (days[d] == DAY ? RECORDS : NEXT_DAY).get(s - 1);
                    assertTrue(writer.appendReplica(days[d], s, new UnsafeBuffer(bytes), 0, bytes.length) >= 0);
                }
            }
        }
        return dir;
    }

    @Test
    void shouldReleaseInOrderHoldWhatComesEarlyAndDropDuplicates()
    {
        final Sequencer sequencer = sequencer(null, false, null);
        live(sequencer, data(DAY, 1, 1));
        live(sequencer, data(DAY, 3, 2));
        assertEquals(keys(DAY, 1, 1), released.keys);
        live(sequencer, data(DAY, 2, 1));
        live(sequencer, data(DAY, 2, 2));
        live(sequencer, data(DAY, 1, 1));

        assertEquals(keys(DAY, 1, 4), released.keys);
        assertReleasedBytes();
        assertEquals(3, sequencer.counters().duplicates);
        assertEquals(0, sequencer.ordering().held());
        assertEquals(0, sequencer.poll(nowNs), "no gap, no work");
        assertEquals(GapRecovery.State.IDLE, sequencer.recoveryState());
    }

    @Test
    void shouldWalkEveryRecoveryTransitionFromReorderWaitThroughReplicaReRequestAndTcp() throws IOException
    {
        try (ReplicaReader replica = new ReplicaReader(replica(new int[]{DAY}, new int[]{3}));
            ScriptedReplicationSource source = new ScriptedReplicationSource(DAY, RECORDS.subList(0, 10)))
        {
            final InetSocketAddress address = source.address();
            final Sequencer sequencer = sequencer(replica, true,
                (partition, day, sequence, buffer) -> new ReplicationClient(address, partition, day, sequence, SECRET, buffer));
            live(sequencer, data(DAY, 1, 1));
            live(sequencer, data(DAY, 10, 1));
            assertEquals(GapRecovery.State.IDLE, sequencer.recoveryState());

            pollAfter(sequencer, 0);
            assertEquals(GapRecovery.State.REORDER_WAIT, sequencer.recoveryState(), "a gap opens");
            assertEquals(1, sequencer.counters().gaps);
            pollAfter(sequencer, 1_000_000L);
            assertEquals(GapRecovery.State.REORDER_WAIT, sequencer.recoveryState(), "inside the reorder window");

            pollAfter(sequencer, 2_000_000L);
            assertEquals(GapRecovery.State.REPLICA, sequencer.recoveryState());
            assertEquals(keys(DAY, 1, 3), released.keys, "the replica holds 2 and 3");

            pollAfter(sequencer, 1_000_000L);
            assertEquals(GapRecovery.State.REREQUEST, sequencer.recoveryState(), "the replica has no more");
            assertArrayEquals(new long[]{4, 6}, requests.get(0), "from 4 up to the record held");
            pollAfter(sequencer, 10_000_000L);
            assertEquals(GapRecovery.State.REREQUEST, sequencer.recoveryState());

            answer(sequencer, data(DAY, 4, 2));
            pollAfter(sequencer, 1_000_000L);
            assertEquals(GapRecovery.State.REREQUEST, sequencer.recoveryState());
            assertArrayEquals(new long[]{6, 4}, requests.get(1), "progress: the next chunk");
            for (int timeout = 1; timeout <= SETTINGS.maxRetries(); timeout++)
            {
                pollAfter(sequencer, SETTINGS.rerequestTimeoutNs() + 1);
            }
            assertEquals(GapRecovery.State.TCP, sequencer.recoveryState(), "after maxRetries unanswered re-requests");
            assertEquals(1 + 1 + SETTINGS.maxRetries() - 1, requests.size());

            for (int i = 0; i < 5_000 && sequencer.recoveryState() != GapRecovery.State.IDLE; i++)
            {
                source.doWork();
                pollAfter(sequencer, 100_000L);
            }
            assertEquals(GapRecovery.State.IDLE, sequencer.recoveryState(), sequencer.counters().toString());
            assertEquals(keys(DAY, 1, 10), released.keys);
            assertReleasedBytes();
            final SequencerCounters c = sequencer.counters();
            assertEquals(2, c.recoveredFromReplica, c.toString());
            assertEquals(2, c.recoveredByRerequest, c.toString());
            assertEquals(4, c.recoveredByTcp, c.toString());
            assertEquals(1, c.repairs);
            assertEquals(0, c.unrecovered);
            assertEquals(1, source.connections);
        }
    }

    @Test
    void shouldGiveUpOnlyAfterEverySourceFailedAndSkipToTheFirstRecordHeld()
    {
        final Sequencer sequencer = sequencer(null, true, null);
        live(sequencer, data(DAY, 1, 1));
        live(sequencer, data(DAY, 5, 2));
        run(sequencer, SETTINGS.giveUpNs() - 10_000_000L);
        assertEquals(keys(DAY, 1, 1), released.keys, "not yet");
        assertEquals(2 * SETTINGS.maxRetries(), requests.size(), "re-requests are bounded");
        assertTrue(Arrays.stream(requests.toArray(new long[0][])).allMatch(r -> r[0] == 2 && r[1] == 3));
        run(sequencer, 20_000_000L);
        assertEquals(concat(keys(DAY, 1, 1), keys(DAY, 5, 6)), released.keys);
        assertEquals(3, sequencer.counters().unrecovered);
        assertEquals(0, sequencer.counters().repairs, "a give-up is not a repair");
        assertEquals(GapRecovery.State.IDLE, sequencer.recoveryState());
    }

    @Test
    void shouldRollTheDayWithOutOfOrderRecordsPendingOnBothDays()
    {
        final Sequencer sequencer = sequencer(null, false, null);
        live(sequencer, data(DAY, 1, 1));
        live(sequencer, data(DAY, 3, 1));
        live(sequencer, Wire.endOfSession("BS", DAY, 5));
        live(sequencer, data(DAY + 1, 2, 1));
        live(sequencer, Wire.heartbeat("BS", DAY + 1, 3));
        assertEquals(DAY, sequencer.day(), "the day ends when its records are all out, not before");
        live(sequencer, data(DAY, 2, 1));
        assertEquals(keys(DAY, 1, 3), released.keys);
        live(sequencer, data(DAY, 4, 1));
        assertEquals(DAY + 1, sequencer.day());
        assertEquals(keys(DAY, 1, 4), released.keys, "the next day's 2 waits for its 1");
        live(sequencer, data(DAY + 1, 1, 1));

        assertEquals(concat(keys(DAY, 1, 4), keys(DAY + 1, 1, 2)), released.keys);
        assertReleasedBytes();
        assertEquals(1, sequencer.counters().daysCompleted);
        pollAfter(sequencer, 0);
        assertEquals(GapRecovery.State.IDLE, sequencer.recoveryState());
    }

    @Test
    void shouldDropAPacketClaimingSequence2Pow62AndNeverSkipToIt()
    {
        final Sequencer sequencer = sequencer(null, false, null);
        live(sequencer, data(DAY, 1, 1));
        live(sequencer, Wire.packet("BS", DAY, 1L << 62, record(9)));
        live(sequencer, Wire.heartbeat("BS", DAY, 1L << 62));
        live(sequencer, Wire.endOfSession("BS", DAY, 1L << 62));
        assertEquals(3, sequencer.counters().beyondWindow);
        assertEquals(0, sequencer.ordering().held());

        run(sequencer, 2 * SETTINGS.giveUpNs());
        assertEquals(2, sequencer.nextSequence(), "nothing skipped");
        assertEquals(0, sequencer.counters().unrecovered);
        live(sequencer, data(DAY, 2, 2));
        assertEquals(keys(DAY, 1, 3), released.keys);

        // the window's edge: the last sequence inside it is held, the first outside is not
        live(sequencer, Wire.packet("BS", DAY, 4 + SETTINGS.pendingCapacity() - 1, record(5)));
        live(sequencer, Wire.packet("BS", DAY, 4 + SETTINGS.pendingCapacity(), record(5)));
        assertEquals(1, sequencer.ordering().held());
        assertEquals(4, sequencer.counters().beyondWindow);
    }

    @Test
    void shouldDropASessionForAnotherDayAndEndADayOnlyWhenTheFollowingDayIsKnown()
    {
        final Sequencer sequencer = sequencer(null, false, null);
        live(sequencer, data(DAY, 1, 3));
        live(sequencer, Wire.heartbeat("BS", TradingDay.parse("2099-12-31"), 1));
        live(sequencer, Wire.packet("BS", TradingDay.parse("2099-12-31"), 4, record(4)));
        live(sequencer, Wire.heartbeat("BS", DAY - 2, 10));
        live(sequencer, Wire.heartbeat("BS", DAY, 4));
        live(sequencer, data(DAY, 4, 2));
        assertEquals(keys(DAY, 1, 5), released.keys, "the future session ended nothing");
        assertEquals(3, sequencer.counters().otherDay);
        assertEquals(0, sequencer.counters().daysCompleted);

        // the following day's heartbeat does not end the day by itself ...
        live(sequencer, Wire.heartbeat("BS", DAY + 1, 1));
        live(sequencer, data(DAY, 6, 1));
        assertEquals(DAY, sequencer.day());
        assertEquals(keys(DAY, 1, 6), released.keys);
        // ... a heartbeat of the day, once the following day is known, does
        live(sequencer, Wire.heartbeat("BS", DAY, 7));
        assertEquals(DAY + 1, sequencer.day());
        assertEquals(1, sequencer.counters().daysCompleted);
    }

    @Test
    void shouldRefuseEverySessionUntilItKnowsItsOwnDay()
    {
        final Sequencer sequencer = new Sequencer("BS", "binance-spot", released, null, null, null, SETTINGS, -1, 1, errors::add);
        live(sequencer, data(DAY, 1, 2));
        assertEquals(List.of(), released.keys);
        assertEquals(1, sequencer.counters().otherDay);
        sequencer.clockDay(DAY + 1);
        live(sequencer, data(DAY, 1, 2));
        assertEquals(keys(DAY, 1, 2), released.keys, "yesterday is within one day");
    }

    @Test
    void shouldDropFramingThatOverrunsTheDatagram()
    {
        final Sequencer sequencer = sequencer(null, false, null);
        final UnsafeBuffer countTooHigh = data(DAY, 1, 1);
        countTooHigh.putShort(MoldUdp64.COUNT_OFFSET, (short)3, MoldUdp64.ORDER);
        final UnsafeBuffer lengthPastEnd = data(DAY, 1, 1);
        lengthPastEnd.putShort(MoldUdp64.HEADER_LENGTH, (short)5000, MoldUdp64.ORDER);
        final UnsafeBuffer maxCountNoMessages = Wire.heartbeat("BS", DAY, 1);
        maxCountNoMessages.putShort(MoldUdp64.COUNT_OFFSET, (short)MoldUdp64.MAX_MESSAGES, MoldUdp64.ORDER);
        final UnsafeBuffer heartbeatWithTail = new UnsafeBuffer(Arrays.copyOf(Wire.heartbeat("BS", DAY, 1).byteArray(), 25));

        assertFalse(live(sequencer, countTooHigh));
        assertFalse(live(sequencer, lengthPastEnd));
        assertFalse(live(sequencer, maxCountNoMessages));
        assertFalse(live(sequencer, heartbeatWithTail));
        assertEquals(4, sequencer.counters().malformed);
        assertEquals(0, sequencer.counters().messages);
        assertEquals(-1, sequencer.day(), "nothing began");

        assertTrue(live(sequencer, data(DAY, 1, 1)));
        assertEquals(keys(DAY, 1, 1), released.keys);
    }

    @Test
    void shouldRepairAnInvalidRecordLikeALossInsteadOfReleasingIt()
    {
        final Sequencer sequencer = sequencer(null, true, null);
        final byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte)7);
        live(sequencer, Wire.packet("BS", DAY, 1, garbage));
        live(sequencer, data(DAY, 1, 1));
        live(sequencer, Wire.packet("BS", DAY, 2, garbage));
        live(sequencer, data(DAY, 3, 1));
        assertEquals(keys(DAY, 1, 1), released.keys, "garbage took no slot");
        assertEquals(2, sequencer.counters().invalid);

        pollAfter(sequencer, 0);
        pollAfter(sequencer, SETTINGS.reorderWindowNs());
        assertArrayEquals(new long[]{2, 1}, requests.get(0));
        answer(sequencer, data(DAY, 2, 1));
        pollAfter(sequencer, 1_000_000L);

        assertEquals(keys(DAY, 1, 3), released.keys);
        assertReleasedBytes();
        assertEquals(1, sequencer.counters().recoveredByRerequest);
        assertEquals(1, sequencer.counters().repairs);
    }

    @Test
    void shouldNeitherThrowNorStickOnAZeroLengthMessageOutOfOrder()
    {
        final Sequencer sequencer = sequencer(null, true, null);
        live(sequencer, data(DAY, 1, 1));
        live(sequencer, Wire.packet("BS", DAY, 3, new byte[0]));
        live(sequencer, data(DAY, 2, 1));
        assertEquals(keys(DAY, 1, 2), released.keys);
        assertEquals(1, sequencer.counters().invalid);

        pollAfter(sequencer, 0);
        pollAfter(sequencer, SETTINGS.reorderWindowNs());
        assertArrayEquals(new long[]{3, 1}, requests.get(0));
        answer(sequencer, data(DAY, 3, 1));
        live(sequencer, data(DAY, 5, 1));
        live(sequencer, data(DAY, 4, 1));
        assertEquals(keys(DAY, 1, 5), released.keys, "later records flow");
        assertReleasedBytes();
    }

    @Test
    void shouldMoveToTheNextDayWhenTheEndOfSessionIsLostAndTheServerIsSilent()
    {
        final Sequencer sequencer = sequencer(null, true, null);
        live(sequencer, data(DAY, 1, 3));
        live(sequencer, Wire.heartbeat("BS", DAY + 1, 3));
        live(sequencer, data(DAY + 1, 1, 2));
        assertEquals(DAY, sequencer.day());

        run(sequencer, SETTINGS.giveUpNs() + 50_000_000L);
        assertEquals(DAY + 1, sequencer.day(), sequencer.counters().toString());
        assertEquals(concat(keys(DAY, 1, 3), keys(DAY + 1, 1, 2)), released.keys);
        assertReleasedBytes();
        final SequencerCounters c = sequencer.counters();
        assertEquals(1, c.daysAbandoned, c.toString());
        assertEquals(0, c.unrecovered, "no sequence was invented");
        assertEquals(2 * SETTINGS.maxRetries(), requests.size(), "re-requests are bounded: " + c);
        assertTrue(requests.stream().allMatch(r -> r[0] == 4 && r[1] == 1), "asked for the day's tail, no invented range");

        run(sequencer, 5 * SETTINGS.giveUpNs());
        assertEquals(GapRecovery.State.IDLE, sequencer.recoveryState());
        assertEquals(2 * SETTINGS.maxRetries(), requests.size(), "and nothing more once on the next day");
    }

    @Test
    void shouldLearnALostEndOfSessionFromTheServersAnswer()
    {
        final Sequencer sequencer = sequencer(null, true, null);
        live(sequencer, data(DAY, 1, 3));
        live(sequencer, data(DAY + 1, 1, 2));
        pollAfter(sequencer, 0);
        pollAfter(sequencer, SETTINGS.reorderWindowNs());
        assertArrayEquals(new long[]{4, 1}, requests.get(0));
        answer(sequencer, Wire.heartbeat("BS", DAY, 4));
        pollAfter(sequencer, 1_000_000L);

        assertEquals(concat(keys(DAY, 1, 3), keys(DAY + 1, 1, 2)), released.keys);
        assertEquals(1, sequencer.counters().daysCompleted);
        assertEquals(1, sequencer.counters().repairs);
        assertEquals(GapRecovery.State.IDLE, sequencer.recoveryState());
    }

    @Test
    void shouldNotEndADayTheReplicaNeverHeld()
    {
        try (ReplicaReader replica = new ReplicaReader(replica(new int[]{DAY + 1}, new int[]{3})))
        {
            final Sequencer sequencer = sequencer(replica, true, null);
            live(sequencer, data(DAY, 1, 1));
            live(sequencer, data(DAY, 3, 1));
            pollAfter(sequencer, 0);
            pollAfter(sequencer, SETTINGS.reorderWindowNs());
            assertEquals(DAY, sequencer.day());
            assertEquals(0, sequencer.counters().daysCompleted);
            assertEquals(GapRecovery.State.REREQUEST, sequencer.recoveryState());
            answer(sequencer, data(DAY, 2, 1));
            pollAfter(sequencer, 1_000_000L);

            assertEquals(keys(DAY, 1, 3), released.keys);
            assertEquals(0, sequencer.counters().daysCompleted);
            assertEquals(0, sequencer.counters().recoveredFromReplica);
        }
    }

    @Test
    void shouldEndTheDayWhereAReplicaThatHeldItMovedOn()
    {
        try (ReplicaReader replica = new ReplicaReader(replica(new int[]{DAY, DAY + 1}, new int[]{3, 1})))
        {
            final Sequencer sequencer = sequencer(replica, false, null);
            live(sequencer, data(DAY, 1, 3));
            live(sequencer, Wire.heartbeat("BS", DAY + 1, 2));
            run(sequencer, 10_000_000L);

            assertEquals(concat(keys(DAY, 1, 3), keys(DAY + 1, 1, 1)), released.keys, sequencer.counters().toString());
            assertReleasedBytes();
            assertEquals(1, sequencer.counters().daysCompleted);
            assertEquals(0, sequencer.counters().daysAbandoned);
            assertEquals(GapRecovery.State.IDLE, sequencer.recoveryState());
        }
    }

    @Test
    void shouldBackOffTcpReconnectsWithJitterAndLogEachDistinctErrorOnce()
    {
        final DistinctErrorLog log = new DistinctErrorLog(new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)), () -> 0L);
        final List<Long> opens = new ArrayList<>();
        final Sequencer sequencer = new Sequencer("BS", "binance-spot", released, null, null, (partition, day, sequence, buffer) ->
        {
            opens.add(nowNs);
            throw new IOException("Connection refused");
        }, SETTINGS, -1, 1, log::record);
        sequencer.clockDay(DAY);
        live(sequencer, data(DAY, 1, 1));
        live(sequencer, data(DAY, 9, 1));
        run(sequencer, 3_000_000_000L);

        assertTrue(opens.size() >= 4 && opens.size() <= 6, "opens " + opens.size());
        long backoffNs = TcpPoller.MIN_BACKOFF_NS;
        for (int i = 1; i < opens.size(); i++)
        {
            final long waitedNs = opens.get(i) - opens.get(i - 1);
            assertTrue(waitedNs >= backoffNs / 2 && waitedNs <= backoffNs + 1_000_000L, i + ": waited " + waitedNs);
            backoffNs = Math.min(TcpPoller.MAX_BACKOFF_NS, 2 * backoffNs);
        }
        final long[] observations = {0};
        final int distinct = ErrorLogReader.read(log.buffer(), (count, first, last, text) -> observations[0] += count);
        assertEquals(1, distinct);
        assertEquals(opens.size(), observations[0]);
        assertEquals(opens.size(), sequencer.counters().tcpFailures);

        run(sequencer, SETTINGS.giveUpNs());
        assertEquals(List.of(DAY + "/1", DAY + "/9"), released.keys, "given up to the record held");
    }

    @Test
    void shouldReconnectARefusedReplayOnlyAfterItsBackOff() throws IOException
    {
        final int port;
        try (ServerSocketChannel closed = ServerSocketChannel.open())
        {
            closed.bind(new InetSocketAddress("127.0.0.1", 0));
            port = ((InetSocketAddress)closed.getLocalAddress()).getPort();
        }
        final InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", port);
        final int[] opens = {0};
        final Sequencer sequencer = sequencer(null, false, (partition, day, sequence, buffer) ->
        {
            opens[0]++;
            return new ReplicationClient(nobody, partition, day, sequence, SECRET, buffer);
        });
        live(sequencer, data(DAY, 1, 1));
        live(sequencer, Wire.packet("BS", DAY, 9_000, record(9)));
        for (int i = 0; i < 500; i++)
        {
            pollAfter(sequencer, 1_000_000L);
        }
        assertTrue(opens[0] >= 2 && opens[0] <= 4, "opens in 0.5 s: " + opens[0]);
        assertEquals(opens[0], sequencer.counters().tcpFailures);
        assertTrue(errors.size() == opens[0], errors.toString());
    }

    @Test
    void shouldCloseTheGapOnceLiveRecordsFallInsideTheWindowAgain()
    {
        try (ReplicaReader replica = new ReplicaReader(replica(new int[]{DAY}, new int[]{4})))
        {
            final Sequencer sequencer = sequencer(replica, false, null);
            live(sequencer, Wire.heartbeat("BS", DAY, 1 + SETTINGS.pendingCapacity() + 10));
            assertEquals(1, sequencer.counters().beyondWindow, "a claim far ahead: a reason to recover, not a target");
            live(sequencer, data(DAY, 3, 2));
            run(sequencer, 10_000_000L);

            assertEquals(keys(DAY, 1, 4), released.keys);
            assertEquals(GapRecovery.State.IDLE, sequencer.recoveryState(), "the live stream is within reach: repaired");
            assertEquals(1, sequencer.counters().repairs);
            assertEquals(0, sequencer.counters().hintsDropped);
        }
    }
}
