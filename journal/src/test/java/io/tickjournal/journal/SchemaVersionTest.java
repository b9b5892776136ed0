package io.tickjournal.journal;

import io.tickjournal.journal.sbe.InstrumentDefinitionDecoder;
import io.tickjournal.journal.sbe.InstrumentDefinitionEncoder;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schema version 2 added {@code priceGrouping} at the end of InstrumentDefinition's block, version 3
 * {@code bookDepth} after it; records of earlier versions (journals written before) stay valid and
 * readable: the validator accepts their shorter blocks, decoders read them at their own version (no
 * grouping, no depth), the formatter prints them as before, and a writer re-appends them at a day
 * roll byte for byte. The earlier versions' bytes are laid out here by hand from the schema's table,
 * not by the generated encoder.
 */
class SchemaVersionTest
{
    private static final long DAY_NS = 86_400_000_000_000L;
    private static final long T = 20_000 * DAY_NS + 3_600_000_000_000L;

    @TempDir
    Path dir;

    /** InstrumentDefinition as version 1 wrote it: header, 43-byte block, two ASCII var fields. */
    private static byte[] versionOneDefinition(final long receiveTimeNs, final String symbol, final String canonical)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[8 + 43 + 2 + symbol.length() + 2 + canonical.length()]);
        final ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        b.putShort(0, (short)43, le);                // blockLength
        b.putShort(2, (short)5, le);                 // templateId InstrumentDefinition
        b.putShort(4, (short)7301, le);              // schemaId
        b.putShort(6, (short)1, le);                 // version 1
        b.putLong(8, receiveTimeNs, le);             // receiveTimeNs
        b.putLong(16, Long.MIN_VALUE, le);           // eventTimeNs (null)
        b.putLong(24, Long.MIN_VALUE, le);           // venueSeq (null)
        b.putLong(32, Long.MIN_VALUE, le);           // rawIndex (null)
        b.putShort(40, (short)8, le);                // venueId (upbit)
        b.putShort(42, (short)0, le);                // flags
        b.putInt(44, 1, le);                         // instrumentId
        b.putByte(48, (byte)0);                      // marketKind SPOT
        b.putByte(49, (byte)0);                      // priceExponent
        b.putByte(50, (byte)-8);                     // sizeExponent
        int at = 51;
        for (final String text : List.of(symbol, canonical))
        {
            b.putShort(at, (short)text.length(), le);
            b.putBytes(at + 2, text.getBytes(StandardCharsets.US_ASCII));
            at += 2 + text.length();
        }
        return b.byteArray();
    }

    @Test
    void aVersionOneDefinitionIsValidAndReadsAsUngrouped()
    {
        final byte[] v1 = versionOneDefinition(T, "KRW-BTC", "BTC-KRW");
        final UnsafeBuffer buffer = new UnsafeBuffer(v1);
        assertEquals(RecordValidator.OK, RecordValidator.validate(buffer, 0, v1.length));

        final InstrumentDefinitionDecoder d = new InstrumentDefinitionDecoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
        assertEquals(MarketKind.SPOT, d.marketKind());
        assertEquals(0, d.priceExponent());
        assertEquals(-8, d.sizeExponent());
        assertEquals(InstrumentDefinitionDecoder.priceGroupingNullValue(), d.priceGrouping(), "a version 1 record has no grouping");
        assertEquals("KRW-BTC", d.venueSymbol());
        assertEquals("BTC-KRW", d.canonicalSymbol());
        assertEquals("InstrumentDefinition venue=8 instr=1 recv=" + T + " SPOT pexp=0 sexp=-8 symbol=KRW-BTC canonical=BTC-KRW",
            new RecordFormatter().format(buffer, 0, v1.length));
    }

    /** A version 2 record: the version 1 layout with the int64 grouping at the end of its 51-byte block. */
    @Test
    void aVersionTwoDefinitionIsValidAndReadsWithItsGroupingAndNoDepth()
    {
        final byte[] v1 = versionOneDefinition(T, "KRW-BTC", "BTC-KRW");
        final byte[] v2 = new byte[v1.length + 8];
        System.arraycopy(v1, 0, v2, 0, 51);
        System.arraycopy(v1, 51, v2, 59, v1.length - 51);
        final UnsafeBuffer buffer = new UnsafeBuffer(v2);
        buffer.putShort(0, (short)51, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(6, (short)2, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(51, 10_000, ByteOrder.LITTLE_ENDIAN); // priceGrouping: 10,000 won at exponent 0
        assertEquals(RecordValidator.OK, RecordValidator.validate(buffer, 0, v2.length));
        final InstrumentDefinitionDecoder d = new InstrumentDefinitionDecoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
        assertEquals(10_000, d.priceGrouping());
        assertEquals(InstrumentDefinitionDecoder.bookDepthNullValue(), d.bookDepth(), "a version 2 record has no depth");
        assertEquals("KRW-BTC", d.venueSymbol());
        assertEquals("InstrumentDefinition venue=8 instr=1 recv=" + T + " SPOT pexp=0 sexp=-8 grouping=10000 symbol=KRW-BTC canonical=BTC-KRW",
            new RecordFormatter().format(buffer, 0, v2.length));
    }

    @Test
    void aVersionThreeDefinitionCarriesItsGroupingAndDepthAndOtherBlockLengthsStayRefused()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final InstrumentDefinitionEncoder e = new InstrumentDefinitionEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        e.receiveTimeNs(T).eventTimeNs(Long.MIN_VALUE).venueSeq(Long.MIN_VALUE).rawIndex(Long.MIN_VALUE).venueId(8).flags(0)
            .instrumentId(1).marketKind(MarketKind.SPOT).priceExponent((byte)-1).sizeExponent((byte)-8).priceGrouping(100_000)
            .bookDepth(15).venueSymbol("KRW-BTC").canonicalSymbol("BTC-KRW");
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
        assertEquals(3, buffer.getShort(6, ByteOrder.LITTLE_ENDIAN), "written at schema version 3");
        assertEquals(53, buffer.getShort(0, ByteOrder.LITTLE_ENDIAN), "block 43 + the int64 grouping + the uint16 depth");
        assertEquals(RecordValidator.OK, RecordValidator.validate(buffer, 0, length));
        assertTrue(new RecordFormatter().format(buffer, 0, length).contains(" grouping=10000.0 depth=15 "),
            new RecordFormatter().format(buffer, 0, length));

        for (final int wrong : new int[] {42, 44, 50, 52, 54})
        {
            final UnsafeBuffer copy = new UnsafeBuffer(Arrays.copyOf(buffer.byteArray(), length));
            copy.putShort(0, (short)wrong, ByteOrder.LITTLE_ENDIAN);
            assertEquals(RecordValidator.WRONG_BLOCK_LENGTH, RecordValidator.encodedLength(copy, 0, length), "block " + wrong);
        }
    }

    @Test
    void aWriterJournalsVersionOneDefinitionsAndBeginsTheNextDayWithThemUnchanged()
    {
        final byte[] v1 = versionOneDefinition(T, "KRW-BTC", "BTC-KRW");
        final Path partition = dir.resolve("upbit");
        try (PartitionWriter writer = new PartitionWriter(partition))
        {
            assertTrue(writer.append(new UnsafeBuffer(v1), 0, v1.length) >= 0, RecordValidator.describe(writer.lastRejectReason()));
            final byte[] nextDay = versionOneDefinition(T + DAY_NS, "KRW-ETH", "ETH-KRW");
            final UnsafeBuffer eth = new UnsafeBuffer(nextDay);
            eth.putInt(44, 2, ByteOrder.LITTLE_ENDIAN);
            assertTrue(writer.append(eth, 0, nextDay.length) >= 0, RecordValidator.describe(writer.lastRejectReason()));
        }
        final List<byte[]> records = JournalRecords.readAll(partition);
        assertEquals(3, records.size(), "day 1: BTC; day 2: BTC re-appended, then ETH");
        final byte[] reappended = records.get(1);
        assertEquals(43, new UnsafeBuffer(reappended).getShort(0, ByteOrder.LITTLE_ENDIAN), "still a version 1 block");
        final byte[] expected = v1.clone();
        new UnsafeBuffer(expected).putLong(8, T + DAY_NS, ByteOrder.LITTLE_ENDIAN); // re-stamped with the new day's time
        assertTrue(Arrays.equals(expected, reappended), "the day's definitions begin it byte for byte but the time");
        assertTrue(JournalVerifier.verify(partition).ok(), JournalVerifier.verify(partition).problems().toString());
    }
}
