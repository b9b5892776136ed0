package io.tickjournal.journal;

import io.tickjournal.journal.gen.SyntheticMarket;
import io.tickjournal.journal.sbe.InstrumentDefinitionDecoder;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import io.tickjournal.journal.sbe.RawFrameDecoder;
import io.tickjournal.journal.sbe.RawFrameEncoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionTest
{
    static final int DAY = TradingDay.parse("2026-11-25");
    static final long DAY_START_NS = TradingDay.startNs(DAY);

    @TempDir
    Path root;

    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
    private final SyntheticMarket market = new SyntheticMarket(42, 1, 7, 3_500_000, 1_000_000L);

    /** Sequence, template, receive time of every record, in order. */
    record Seen(int day, long sequence, int templateId, long receiveTimeNs)
    {
    }

    private List<Seen> readAll(final JournalTailer tailer)
    {
        final List<Seen> seen = new ArrayList<>();
        tailer.poll((day, seq, b, o, l) -> seen.add(new Seen(day, seq, Records.templateId(b, o), Records.receiveTimeNs(b, o))),
            Integer.MAX_VALUE);
        return seen;
    }

    @Test
    void shouldNumberRecordsDenselyFromOneEachDayAcrossTheRollAndBeginEachDayWithDefinitions()
    {
        final Path dir = root.resolve("binance-spot");
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            long t = DAY_START_NS + 86_000 * 1_000_000_000L; // 23:53:20 UTC
            assertTrue(writer.append(buffer, 0, market.encodeDefinition(buffer, 0, t, "BTCUSDT", "BTC-USDT")) > 0);
            for (int i = 0; i < 1000; i++)
            {
                t += 1_000_000_000L; // one a second: 400 before midnight, 600 after
                final int len = i % 3 == 0 ? market.encodeDelta(buffer, 0, t, 10) : market.encodeTrade(buffer, 0, t);
                final long index = writer.append(buffer, 0, len);
                assertTrue(index >= 0);
                assertEquals(TradingDay.ofEpochNs(t), Partition.day(index));
            }
        }

        try (JournalTailer tailer = JournalTailer.open(dir, null))
        {
            final List<Seen> seen = readAll(tailer);
            // day 1: definition + 399 records (the 400th lands on 00:00:00 of the next day); day 2: definition + 601
            assertEquals(1 + 1000 + 1, seen.size());
            long expected = 1;
            int day = DAY;
            for (final Seen s : seen)
            {
                if (s.day() != day)
                {
                    assertEquals(day + 1, s.day(), "days follow one another");
                    day = s.day();
                    expected = 1;
                }
                assertEquals(expected++, s.sequence(), "dense from 1 in " + TradingDay.format(day));
                assertEquals(TradingDay.ofEpochNs(s.receiveTimeNs()), s.day(), "receive time names the day");
            }
            assertEquals(DAY + 1, day);
            assertEquals(InstrumentDefinitionDecoder.TEMPLATE_ID, seen.get(0).templateId());
            final Seen firstOfDay2 = seen.stream().filter(s -> s.day() == DAY + 1).findFirst().orElseThrow();
            assertEquals(1, firstOfDay2.sequence());
            assertEquals(InstrumentDefinitionDecoder.TEMPLATE_ID, firstOfDay2.templateId(), "each day begins with definitions");
            assertEquals(400, Partition.recordsInDay(tailer.queue(), DAY));
            assertEquals(602, Partition.recordsInDay(tailer.queue(), DAY + 1));
        }
    }

    @Test
    void shouldMoveToDayAndSequenceAndSeekByReceiveTime()
    {
        final Path dir = root.resolve("p");
        final long[] times = new long[3000];
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            writer.append(buffer, 0, market.encodeDefinition(buffer, 0, DAY_START_NS, "BTCUSDT", "BTC-USDT"));
            long t = DAY_START_NS + 1;
            for (int i = 0; i < times.length; i++)
            {
                t += (i % 7) * 1_000_000L; // repeats of the same time, as bursts give
                times[i] = t;
                writer.append(buffer, 0, market.encodeTrade(buffer, 0, t));
            }
        }
        try (JournalTailer tailer = JournalTailer.open(dir, null))
        {
            assertTrue(tailer.moveTo(DAY, 101));
            final long[] got = new long[2];
            tailer.readOne((d, s, b, o, l) ->
            {
                got[0] = s;
                got[1] = Records.receiveTimeNs(b, o);
            });
            assertEquals(101, got[0]);
            assertEquals(times[99], got[1]);
            assertFalse(tailer.moveTo(DAY, 5000));
            assertFalse(tailer.moveTo(DAY + 3, 1));

            for (final int probe : new int[]{0, 1, 7, 500, 1234, 2999})
            {
                final long target = times[probe];
                assertTrue(tailer.seekReceiveTime(target));
                tailer.readOne((d, s, b, o, l) ->
                {
                    got[0] = s;
                    got[1] = Records.receiveTimeNs(b, o);
                });
                int first = probe;
                while (first > 0 && times[first - 1] == target)
                {
                    first--;
                }
                assertEquals(target, got[1]);
                assertEquals(first + 2, got[0], "lower bound: first record at that time (seq = index + 2 after the definition)");
            }
            assertTrue(tailer.seekReceiveTime(times[10] + 1));
            tailer.readOne((d, s, b, o, l) -> got[1] = Records.receiveTimeNs(b, o));
            assertTrue(got[1] > times[10]);
            assertTrue(tailer.seekReceiveTime(DAY_START_NS - 5_000_000_000L), "before the journal: the start");
            assertFalse(tailer.seekReceiveTime(times[2999] + 1), "after the last record: at the end");
        }
    }

    @Test
    void shouldResumeNamedTailerAfterRestart()
    {
        final Path dir = root.resolve("p");
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            for (int i = 0; i < 100; i++)
            {
                writer.append(buffer, 0, market.encodeTrade(buffer, 0, DAY_START_NS + i));
            }
        }
        try (JournalTailer tailer = JournalTailer.open(dir, "bridge"))
        {
            assertEquals(40, tailer.poll((d, s, b, o, l) -> { }, 40));
        }
        try (JournalTailer tailer = JournalTailer.open(dir, "bridge"))
        {
            final long[] first = {0};
            tailer.readOne((d, s, b, o, l) -> first[0] = s);
            assertEquals(41, first[0], "named tailer resumes after the last record it read");
        }
        try (JournalTailer tailer = JournalTailer.open(dir, "other"))
        {
            final long[] first = {0};
            tailer.readOne((d, s, b, o, l) -> first[0] = s);
            assertEquals(1, first[0], "another name starts at the beginning");
        }
    }

    @Test
    void shouldTraceNormalizedRecordToTheRawFrameBehindIt()
    {
        final Path dir = root.resolve("binance-spot");
        final byte[] frame = "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"p\":\"0.001\"}".getBytes(StandardCharsets.US_ASCII);
        final long t = DAY_START_NS + 123;
        final long rawIndex;
        try (PartitionWriter raw = new PartitionWriter(Partition.rawDir(dir));
            PartitionWriter normalized = new PartitionWriter(dir))
        {
            final RawFrameEncoder encoder = new RawFrameEncoder();
            encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                .receiveTimeNs(t).eventTimeNs(Records.NULL_LONG).venueSeq(Records.NULL_LONG).rawIndex(Records.NULL_LONG)
                .venueId(1).flags(0).instrumentId(0).connectionId(3)
                .putPayload(new UnsafeBuffer(frame), 0, frame.length);
            rawIndex = raw.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
            assertTrue(rawIndex >= 0);
            final int len = market.encodeTrade(buffer, 0, t);
            buffer.putLong(Records.RAW_INDEX_OFFSET, rawIndex, Records.ORDER);
            assertTrue(normalized.append(buffer, 0, len) >= 0);
        }

        final AtomicReference<byte[]> traced = new AtomicReference<>();
        try (JournalTailer normalized = JournalTailer.open(dir, null);
            JournalTailer raw = JournalTailer.open(Partition.rawDir(dir), null))
        {
            final long[] link = {0};
            normalized.readOne((d, s, b, o, l) ->
            {
                assertEquals(TradeDecoder.TEMPLATE_ID, Records.templateId(b, o));
                link[0] = Records.rawIndex(b, o);
            });
            assertEquals(rawIndex, link[0]);
            assertTrue(raw.moveToIndex(link[0]));
            raw.readOne((d, s, b, o, l) ->
            {
                final RawFrameDecoder decoder = new RawFrameDecoder();
                decoder.wrapAndApplyHeader(b, o, new io.tickjournal.journal.sbe.MessageHeaderDecoder());
                assertEquals(t, decoder.receiveTimeNs());
                final byte[] bytes = new byte[decoder.payloadLength()];
                decoder.getPayload(bytes, 0, bytes.length);
                traced.set(bytes);
            });
        }
        assertNotNull(traced.get());
        assertArrayEquals(frame, traced.get(), "the exact received bytes");
    }

    @Test
    void shouldRefuseInvalidRecordWholeAndStayReadable()
    {
        final Path dir = root.resolve("p");
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            final int len = market.encodeDelta(buffer, 0, DAY_START_NS + 1, 10);
            assertTrue(writer.append(buffer, 0, len) >= 0);
            assertEquals(PartitionWriter.REJECTED, writer.append(buffer, 0, len - 5), "truncated group");
            assertEquals(RecordValidator.TRUNCATED, writer.lastRejectReason());
            assertEquals(PartitionWriter.REJECTED, writer.append(buffer, 0, len + 3), "trailing bytes");
            assertEquals(RecordValidator.TRAILING_BYTES, writer.lastRejectReason());
            buffer.putShort(2, (short)999, Records.ORDER);
            assertEquals(PartitionWriter.REJECTED, writer.append(buffer, 0, len), "unknown template");
            assertEquals(RecordValidator.UNKNOWN_TEMPLATE, writer.lastRejectReason());
            assertEquals(3, writer.rejectedCount());
            assertTrue(writer.append(buffer, 0, market.encodeTrade(buffer, 0, DAY_START_NS + 2)) >= 0);
        }
        try (JournalTailer tailer = JournalTailer.open(dir, null))
        {
            final List<Seen> seen = readAll(tailer);
            assertEquals(2, seen.size());
            assertEquals(2, seen.get(1).sequence());
        }
    }

    @Test
    void shouldRefuseASecondAppendingThread() throws Exception
    {
        try (PartitionWriter writer = new PartitionWriter(root.resolve("p")))
        {
            writer.append(buffer, 0, market.encodeTrade(buffer, 0, DAY_START_NS + 1));
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final ExpandableDirectByteBuffer other = new ExpandableDirectByteBuffer(256);
            final int len = new SyntheticMarket(1, 1, 7, 100, 1).encodeTrade(other, 0, DAY_START_NS + 2);
            final Thread thread = new Thread(() ->
            {
                try
                {
                    writer.append(other, 0, len);
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
            }, "intruder");
            thread.start();
            thread.join();
            assertTrue(failure.get() instanceof IllegalStateException, String.valueOf(failure.get()));
            assertTrue(failure.get().getMessage().contains("one writer per partition"));
        }
    }

    @Test
    void shouldRejectGarbageWithoutReadingPastTheLimit()
    {
        final UnsafeBuffer garbage = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < 64; i++)
        {
            garbage.putByte(i, (byte)(i * 37));
        }
        assertTrue(RecordValidator.validate(garbage, 0, 64) < 0);
        assertEquals(RecordValidator.TOO_SHORT, RecordValidator.validate(garbage, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> TradingDay.parse("2026-13-45"));
    }
}
