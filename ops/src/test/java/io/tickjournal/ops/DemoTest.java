package io.tickjournal.ops;

import io.tickjournal.journal.JournalRecords;
import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.FeatureSnapshotDecoder;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.tailer.FeatureIds;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo end to end for 60 s with its defaults: all nine feeds (Binance spot and USD-M, Bybit spot
 * and linear, OKX spot and swap, Coinbase, Upbit, Bithumb), venue faults on (a book gap at each
 * gap venue every 10 s, a shutdown notice at each futures venue every 30 s) and packet loss between
 * bridge and tailer; simulators, ingest, bridge, replication and the tailer in one process. When it
 * stops:
 * <ul>
 * <li>the tailer has delivered every journaled record (the demo waits on the tailer's counter);</li>
 * <li>{@code verify} passes every journal: each feed's normalized and raw partitions, books rebuilt;</li>
 * <li>for each venue, the tailer's live feature partition, taken for that venue's instruments, equals a
 *     {@code backfill} of that venue's journal alone, record for record (input position, time, flags
 *     and every feature value) except the cross-venue features, which by definition depend on the
 *     other venues (a one-venue backfill has only itself to compare with);</li>
 * <li>every frame of the live view fit 120x40 and named every venue;</li>
 * <li>QuestDB was filled live: the demo showed its URL, and {@code tickjournal sql} answers afterwards
 *     from the data beside the journal with every trade the journal holds, per partition.</li>
 * </ul>
 */
class DemoTest
{
    private static final int SECONDS = 60;

    @TempDir
    Path root;

    @Test
    void sixtySecondsOfAllNineFeedsWithFaultsVerifyAndEachVenuesLiveFeaturesEqualItsBackfill()
    {
        final Path dir = root.resolve("demo");
        final int firstDay = TradingDay.ofEpochNs(System.currentTimeMillis() * 1_000_000L);
        final Cli demo = Cli.run("demo", "--duration", Integer.toString(SECONDS), "--plain", "--dir", dir.toString());
        final int lastDay = TradingDay.ofEpochNs(System.currentTimeMillis() * 1_000_000L);
        assertEquals(0, demo.exit, demo.toString());

        final Matcher end = Pattern.compile("(\\d[\\d,]*\\d) records journaled, tailer delivered (\\d[\\d,]*\\d)").matcher(demo.out);
        assertTrue(end.find(), demo.out);
        assertTrue(Long.parseLong(end.group(1).replace(",", "")) > 50_000, "a minute of nine feeds: " + end.group(1));
        assertEquals(end.group(1), end.group(2), "every journaled record reached the tailer");
        assertTrue(demo.out.contains("fault: ") && demo.out.contains("announced a shutdown"), "faults were injected");
        assertLiveViewFits(demo.out);

        final Path journal = dir.resolve("journal");
        final Cli verify = Cli.run("verify", journal.toString());
        assertEquals(0, verify.exit, verify.toString());
        for (final SimulatedVenue venue : SimulatedVenue.ALL)
        {
            for (final String partition : List.of(venue.partition(), venue.partition() + ".raw"))
            {
                assertTrue(Pattern.compile("(?m)/" + Pattern.quote(partition) + ": OK, [\\d,]+ records").matcher(verify.out).find(),
                    partition + " verified:\n" + verify.out);
            }
        }
        assertEquals(SimulatedVenue.ALL.size(), count(verify.out, "  books rebuild cleanly"), verify.out);

        final List<byte[]> live = JournalRecords.readAll(dir.resolve("features"));
        int compared = 0;
        for (final SimulatedVenue venue : SimulatedVenue.ALL)
        {
            final Path out = root.resolve("backfill-" + venue.partition());
            final Cli backfill = Cli.run("backfill", "--journal", journal.toString(), "--partition", venue.partition(),
                "--from-day", TradingDay.format(firstDay), "--to-day", TradingDay.format(lastDay), "--out", out.toString());
            assertEquals(0, backfill.exit, backfill.toString());
            final List<String> expected = ownFeatures(JournalRecords.readAll(out), venue.venueId());
            final List<String> actual = ownFeatures(live, venue.venueId());
            assertTrue(expected.size() > 1_000, venue.partition() + " backfilled " + expected.size() + " feature sets");
            assertEquals(expected.size(), actual.size(), venue.partition() + ": feature sets live and backfilled");
            for (int i = 0; i < expected.size(); i++)
            {
                assertEquals(expected.get(i), actual.get(i), venue.partition() + " feature set " + i);
            }
            compared += expected.size();
        }
        assertEquals(live.size(), compared, "every live feature set belongs to one venue and was compared");

        assertTrue(demo.out.matches("(?s).*questdb: http://127\\.0\\.0\\.1:\\d+ \\(web console\\) is filled live; try: " +
            "\\./tickjournal sql --journal .*"), demo.out);
        assertTrue(demo.out.matches("(?s).*questdb http://\\S+: [\\d,]+ records loaded \\([\\d,]+ rows\\), 0 behind, following.*"),
            demo.out);
        final Map<String, Long> expectedTrades = new TreeMap<>();
        for (final SimulatedVenue venue : SimulatedVenue.ALL)
        {
            expectedTrades.put(venue.partition(), trades(journal.resolve(venue.partition())));
        }
        final Cli sql = Cli.run("sql", "--journal", journal.toString(), "--http-port", "0", "--pg-port", "0", "--format", "csv",
            "SELECT journal_partition, count() FROM trades ORDER BY journal_partition");
        assertEquals(0, sql.exit, sql.toString());
        final Map<String, Long> loadedTrades = new TreeMap<>();
        sql.out.lines().skip(1).forEach(line -> loadedTrades.put(line.split(",")[0], Long.parseLong(line.split(",")[1])));
        assertTrue(expectedTrades.values().stream().allMatch(n -> n > 0), expectedTrades.toString());
        assertEquals(expectedTrades, loadedTrades, sql.out);
    }

    /**
     * Every frame the demo printed ({@code --plain} prints them one after another, each starting with
     * its title) fits 120 columns and 40 lines; the last names every venue in its table.
     */
    private static void assertLiveViewFits(final String out)
    {
        final String view = out.substring(0, out.indexOf("\nstopped after "));
        final String[] frames = view.split("(?m)^(?=tickjournal demo  )");
        int checked = 0;
        for (final String frame : frames)
        {
            if (!frame.startsWith("tickjournal demo  "))
            {
                continue;
            }
            final List<String> lines = frame.lines().toList();
            assertTrue(lines.size() <= 40, lines.size() + " lines:\n" + frame);
            for (final String line : lines)
            {
                assertTrue(line.length() <= 120, line.length() + " columns: " + line);
            }
            checked++;
        }
        assertTrue(checked >= SECONDS - 5, checked + " frames, one a second");
        final String last = frames[frames.length - 1];
        for (final SimulatedVenue venue : SimulatedVenue.ALL)
        {
            final String name = Venues.name(venue.venueId());
            // A table row has the venue in its second column (after the 13-character instrument column).
            assertEquals(2, last.lines().filter(l -> l.length() > 26 && l.substring(14, 26).trim().equals(name)).count(),
                venue.partition() + "'s two instruments:\n" + last);
        }
    }

    /**
     * A venue's feature sets in order, each as text: its input's position, time, flags, instrument and
     * its features but the cross-venue ones.
     */
    private static List<String> ownFeatures(final List<byte[]> records, final int venueId)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final FeatureSnapshotDecoder snapshot = new FeatureSnapshotDecoder();
        final List<String> out = new ArrayList<>();
        for (final byte[] record : records)
        {
            snapshot.wrapAndApplyHeader(new UnsafeBuffer(record), 0, header);
            if (snapshot.venueId() != venueId)
            {
                continue;
            }
            final StringBuilder text = new StringBuilder(512).append(snapshot.rawIndex()).append(' ').append(snapshot.venueSeq())
                .append(' ').append(snapshot.receiveTimeNs()).append(' ').append(snapshot.flags()).append(' ')
                .append(snapshot.instrumentId()).append(':');
            for (final FeatureSnapshotDecoder.ValuesDecoder value : snapshot.values())
            {
                final int id = value.featureId();
                if (id < FeatureIds.CROSS_BID || id > FeatureIds.CROSS_ASK_VENUE)
                {
                    text.append(' ').append(id).append('=').append(value.mantissa()).append('e').append(value.exponent());
                }
            }
            out.add(text.toString());
        }
        return out;
    }

    private static long count(final String text, final String what)
    {
        long n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1))
        {
            n++;
        }
        return n;
    }

    /** Trades in a partition, counted by the SBE header's template id. */
    private static long trades(final Path partition)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final long[] count = {0};
        try (JournalTailer tailer = JournalTailer.open(partition, null))
        {
            while (tailer.readOne((d, s, b, o, l) -> count[0] += header.wrap(b, o).templateId() == TradeDecoder.TEMPLATE_ID ? 1 : 0))
            {
                // every record
            }
        }
        return count[0];
    }
}
