package io.tickjournal.ingest;

import io.tickjournal.journal.JournalVerifier;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.Tmpfs;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.gen.SyntheticMarket;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.StreamKind;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A feed's journal on a 20 MiB tmpfs the test mounts: when the disk fills it journals JOURNAL_PAUSED
 * (saying how much was free), drops and counts records, and when space returns journals
 * JOURNAL_RESUMED with the count and a BOOK_RESET per instrument, then appends again; the journal
 * verifies and holds exactly the records that were accepted.
 */
class FeedJournalDiskFullTest
{
    private static final int DAY = TradingDay.parse("2026-11-25");

    @TempDir
    Path root;

    @Test
    void aFullDiskPausesTheFeedJournalWithAStatusAndResumesWithTheCountOfDroppedRecords() throws Exception
    {
        final Tmpfs tmpfs = Tmpfs.mount(root.resolve("mnt"), 20);
        assumeTrue(tmpfs != null, "this machine does not let the test mount a tmpfs: " + Tmpfs.whyNot);
        try (tmpfs)
        {
            final Path dir = tmpfs.dir().resolve("binance-spot");
            final SyntheticMarket market = new SyntheticMarket(5, Venues.BINANCE_SPOT, 7, 6_500_000, 1_000_000L);
            final byte[] frame = "{\"e\":\"trade\",\"padding\":\"................................................\"}"
                .getBytes(StandardCharsets.US_ASCII);
            long t = TradingDay.startNs(DAY) + 1;
            long accepted = 0;
            long refused = 0;
            final Path filler;
            try (FeedJournal journal = new FeedJournal(dir, Venues.BINANCE_SPOT))
            {
                journal.define(new InstrumentSpec(7, "BTCUSDT", "BTC-USDT", MarketKind.SPOT, -8, -8), 0, t);
                accepted++;
                filler = tmpfs.fill("filler", 12 << 20);
                for (int i = 0; i < 200_000 && refused < 500; i++)
                {
                    t += 1000;
                    journal.appendRaw(1, t, frame, 0, frame.length);
                    final int length = market.encodeTrade(journal.recordBuffer(), 0, t);
                    if (journal.append(journal.recordBuffer(), 0, length) == PartitionWriter.REJECTED)
                    {
                        refused++;
                    }
                    else
                    {
                        assertEquals(0, refused, "nothing is appended once paused");
                        accepted++;
                    }
                }
                assertTrue(journal.paused(), "the disk filled after " + accepted + " records");
                assertTrue(journal.droppedForSpace() >= refused);
                assertEquals(0, journal.rejected(), "a full disk is not a bad record");

                Files.delete(filler);
                t += PartitionWriter.PAUSED_CHECK_INTERVAL_NS;
                for (int i = 0; i < 1000; i++)
                {
                    t += 1000;
                    final int length = market.encodeTrade(journal.recordBuffer(), 0, t);
                    assertTrue(journal.append(journal.recordBuffer(), 0, length) >= 0, "resumed");
                    accepted++;
                }
                assertTrue(!journal.paused());
            }
            final JournalVerifier.Report report = JournalVerifier.verify(dir);
            assertTrue(report.ok(), report.problems().toString());
            final List<UnsafeBuffer> records = JournalContents.read(dir);
            final List<String> statuses = new ArrayList<>();
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            final VenueStatusDecoder status = new VenueStatusDecoder();
            for (final UnsafeBuffer r : JournalContents.ofTemplate(records, VenueStatusDecoder.TEMPLATE_ID))
            {
                status.wrapAndApplyHeader(r, 0, header);
                statuses.add(status.status() + "/" + status.stream() + "/" + Records.instrumentId(r, 0) + " " + status.detail());
            }
            assertEquals(3, statuses.size(), statuses.toString());
            assertTrue(statuses.get(0).startsWith("JOURNAL_PAUSED/NONE/0 journal paused: binance-spot") &&
                statuses.get(0).contains("MiB free, reserve 2.0 MiB"), statuses.get(0));
            assertTrue(statuses.get(1).startsWith("JOURNAL_RESUMED/NONE/0") && statuses.get(1).contains(" records and frames were dropped"),
                statuses.get(1));
            assertEquals("BOOK_RESET/" + StreamKind.BOOK + "/7", statuses.get(2).substring(0, statuses.get(2).indexOf(' ')));
            assertEquals(accepted + 3, records.size(), "the accepted records and the three statuses, nothing else");
            final String resumed = statuses.get(1);
            final long droppedSaid = Long.parseLong(resumed.substring(resumed.indexOf("; ") + 2, resumed.indexOf(" records and")));
            assertTrue(droppedSaid >= refused, resumed + " vs " + refused + " refused normalized records");
        }
    }
}
