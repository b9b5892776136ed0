package io.tickjournal.journal;

import io.tickjournal.journal.gen.SyntheticMarket;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalVerifierTest
{
    static final int DAY = TradingDay.parse("2026-11-25");
    static final long MARKER = 0x7E57_C0DE_0000_0000L;

    @TempDir
    Path root;
    Path dir;

    @BeforeEach
    void writeTwoDays()
    {
        dir = root.resolve("p");
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final SyntheticMarket market = new SyntheticMarket(42, 1, 7, 3_500_000, 1_000_000L);
        final long t0 = TradingDay.startNs(DAY);
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            for (int i = 1; i <= 5000; i++)
            {
                final int len = market.encodeDelta(buffer, 0, t0 + i, 10);
                buffer.putLong(Records.VENUE_SEQ_OFFSET, MARKER + i, Records.ORDER); // findable in the file
                writer.append(buffer, 0, len);
            }
            for (int i = 0; i < 100; i++)
            {
                writer.append(buffer, 0, market.encodeTrade(buffer, 0, TradingDay.startNs(DAY + 1) + i));
            }
        }
    }

    private Path day1()
    {
        return dir.resolve("20261125F.cq4");
    }

    /** Byte offset of the Chronicle excerpt header in front of record {@code i} of day 1, found by its marker. */
    private long excerptOffsetOf(final int i) throws Exception
    {
        try (FileChannel channel = FileChannel.open(day1(), StandardOpenOption.READ))
        {
            final MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(channel.size(), 64 << 20));
            map.order(ByteOrder.LITTLE_ENDIAN);
            for (int p = 0; p + 8 <= map.limit(); p += 4)
            {
                if (map.getLong(p) == MARKER + i)
                {
                    return p - Records.VENUE_SEQ_OFFSET - 4;
                }
            }
        }
        throw new AssertionError("marker " + i + " not found");
    }

    @Test
    void shouldPassAnIntactJournal()
    {
        final JournalVerifier.Report report = JournalVerifier.verify(dir);
        assertTrue(report.ok(), report.problems().toString());
        assertEquals(2, report.days().size());
        assertEquals(5000, report.days().get(0).records());
        assertTrue(report.days().get(0).closed());
        assertEquals(100, report.days().get(1).records());
        assertEquals(5100, report.records());
    }

    @Test
    void shouldNameWhereATruncatedFileBreaks() throws Exception
    {
        final long offset1336 = excerptOffsetOf(1336);
        final long cut = offset1336 + 20; // inside record 1336
        try (RandomAccessFile raf = new RandomAccessFile(day1().toFile(), "rw"))
        {
            raf.setLength(cut);
        }
        final JournalVerifier.Report report = JournalVerifier.verify(dir);
        assertFalse(report.ok());
        final JournalVerifier.Problem first = report.problems().get(0);
        assertEquals("20261125F.cq4", first.file());
        assertEquals(1336, first.sequence());
        assertEquals(offset1336, first.byteOffset());
        assertTrue(first.reason().contains("truncated"), first.reason());
        assertEquals(1335, report.days().get(0).records());
        assertTrue(report.problems().stream().anyMatch(p -> p.reason().contains("no end-of-cycle marker")));
    }

    @Test
    void shouldNameTheRecordThatDoesNotDecode() throws Exception
    {
        final long at = excerptOffsetOf(2500);
        try (FileChannel channel = FileChannel.open(day1(), StandardOpenOption.WRITE))
        {
            final ByteBuffer junk = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short)12345).flip();
            channel.write(junk, at + 4 + 4); // the SBE schema id of record 2500
        }
        final JournalVerifier.Report report = JournalVerifier.verify(dir);
        assertEquals(1, report.problems().size(), report.problems().toString());
        final JournalVerifier.Problem problem = report.problems().get(0);
        assertEquals(2500, problem.sequence());
        assertEquals(at, problem.byteOffset());
        assertTrue(problem.reason().contains("not this schema's id"), problem.reason());
        assertEquals(5000, report.days().get(0).records(), "framing intact: the scan goes on past the bad record");
    }
}
