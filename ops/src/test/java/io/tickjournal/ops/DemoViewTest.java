package io.tickjournal.ops;

import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.decimal.Decimals;
import io.tickjournal.journal.sbe.BookSnapshotEncoder;
import io.tickjournal.journal.sbe.InstrumentDefinitionEncoder;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import io.tickjournal.journal.sbe.Side;
import io.tickjournal.journal.sbe.TradeEncoder;
import io.tickjournal.journal.sbe.TradeKind;
import io.tickjournal.tailer.FeatureEngine;
import org.HdrHistogram.Histogram;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's live view as the demo renders it ({@link DemoView} over {@link DemoCommand.Row}s fed by
 * a real {@link FeatureEngine}, named by {@link DemoCommand#rowName}), with every venue the demo runs:
 * it fits 120x40 with counters and values far wider than a short run shows, every venue is in it,
 * and the cross-venue best bid and ask are marked on the venues that hold them.
 */
class DemoViewTest
{
    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private long sequence;

    @Test
    void theViewOfAllNineFeedsFits120By40AndNamesEveryVenue()
    {
        final List<SimulatedVenue> venues = SimulatedVenue.DEFAULT;
        assertEquals(9, venues.size(), "the demo runs every venue by default");
        final Map<String, DemoCommand.Row> rows = rows(venues, 1);
        final DemoView view = new DemoView(venues, 0.002);

        final List<String> frame = view.render(wide(venues.size(), 1), wide(venues.size(), 2), 123_456_000_000_000L, latency(),
            rows.values(), longEvents());

        assertFits(frame);
        final String text = String.join("\n", frame);
        // No stage line was cut at the right edge: each ends with its last number.
        assertTrue(text.contains("rotations 9,999\n"), text);
        assertTrue(text.contains(" slowest 123.46 s\n"), text);
        assertTrue(text.contains("loss injected 0.20%\n"), text);
        assertTrue(text.contains(" max 21.14 s (2)\n"), text);
        assertTrue(text.contains("bithumb 49,382,716\n"), "the last venue's rate ends its line: " + text);
        for (final SimulatedVenue venue : venues)
        {
            assertTrue(text.contains(venue.label() + " "), "frames/s of " + venue.label() + ":\n" + text);
            assertEquals(2, frame.stream().filter(l -> Venues.name(venue.venueId()).equals(venueOf(l))).count(),
                "both instruments of " + venue.partition() + " in the table:\n" + text);
        }
        assertTrue(text.contains("recent events:"), text);
    }

    @Test
    void theBestBidAndAskAcrossVenuesAreMarkedOnTheirVenuesAndACrossedInstrumentSaysSo()
    {
        final List<SimulatedVenue> venues = SimulatedVenue.DEFAULT;
        // okx-spot's BTC-USDT bid is raised above binance-spot's ask: the group is crossed, okx holds the best bid.
        final Map<String, DemoCommand.Row> rows = rows(venues, 1);
        final List<String> frame = new DemoView(venues, 0).render(wide(venues.size(), 1), wide(venues.size(), 2), 1, null,
            rows.values(), List.of());
        assertFits(frame);

        final String okx = only(frame, " okx-spot ", "BTC");
        final String binance = only(frame, " binance-spot ", "BTC");
        final String bybit = only(frame, " bybit-spot ", "BTC");
        final List<String> spotBtc = List.of(binance, bybit, okx);
        // Independently: the highest bid and the lowest ask among the three rows' own numbers.
        final String bestBidRow = spotBtc.stream().max((a, b) -> bid(a).compareTo(bid(b))).orElseThrow();
        final String bestAskRow = spotBtc.stream().min((a, b) -> ask(a).compareTo(ask(b))).orElseThrow();
        assertEquals(okx, bestBidRow);
        assertTrue(bid(okx).compareTo(ask(bestAskRow)) >= 0, "the fixture crosses BTC-USDT");
        for (final String row : spotBtc)
        {
            assertEquals(row == bestBidRow, field(row, 2).endsWith("*"), "best bid marked only on its venue: " + row);
            assertEquals(row == bestAskRow, field(row, 3).endsWith("*"), "best ask marked only on its venue: " + row);
        }
        final int first = frame.indexOf(binance);
        assertTrue(frame.get(first).startsWith("BTC-USDT "), frame.get(first));
        assertTrue(frame.get(first + 1).startsWith("  crossed"), "a crossed group says so under its name:\n" + frame);
        final String usd = only(frame, " coinbase ", "BTC-USD");
        assertTrue(!field(usd, 2).endsWith("*") && !field(usd, 3).endsWith("*"), "a single venue is not marked: " + usd);
    }

    @Test
    void moreInstrumentsThanLinesArePagedAndEveryRowIsShownWithinAFewPages()
    {
        final List<SimulatedVenue> venues = SimulatedVenue.DEFAULT;
        final Map<String, DemoCommand.Row> rows = rows(venues, 3);
        assertEquals(54, rows.size());
        final DemoView view = new DemoView(venues, 0.002);
        final Set<String> seen = new HashSet<>();
        for (int frame = 0; frame < 4 * DemoView.PAGE_SECONDS; frame++)
        {
            final List<String> lines = view.render(wide(venues.size(), 1), wide(venues.size(), 2), frame, latency(), rows.values(),
                longEvents());
            assertFits(lines);
            for (final String line : lines)
            {
                final String venue = venueOf(line);
                if (venue != null)
                {
                    seen.add(venue + " " + field(line, 2));
                }
            }
            if (frame == 0)
            {
                assertTrue(String.join("\n", lines).contains("page 1/"), String.join("\n", lines));
            }
        }
        // Every (venue, bid) pair of every instrument appeared on some page: 54 rows, distinct bids per row.
        assertEquals(54, seen.size(), seen.toString());
    }

    @Test
    void wideNumbersAreRoundedIntoTheirColumnNeverCut()
    {
        assertEquals("65000.31", DemoView.fit("65000.31", 10));
        assertEquals("95000000.1", DemoView.fit("95000000.12345678", 10));
        assertEquals("0.00000116", DemoView.fit("0.000001158", 10));
        assertEquals("-0.4485", DemoView.fit("-0.448544", 7));
        assertEquals("1.2E-9", DemoView.fit("0.0000000012", 7));
        assertEquals("9.5E+7", DemoView.fit("95000000", 7));
        assertEquals("1000000", DemoView.fit("999999.97", 7));
        assertEquals("-", DemoView.fit("-", 7));
    }

    private static void assertFits(final List<String> lines)
    {
        final String text = String.join("\n", lines);
        assertTrue(lines.size() <= 40, lines.size() + " lines:\n" + text);
        for (final String line : lines)
        {
            assertTrue(line.length() <= 120, line.length() + " columns: " + line);
        }
    }

    /** The venue of a table row (its second column), or null for any other line. */
    private static String venueOf(final String line)
    {
        if (line.length() < 27)
        {
            return null;
        }
        try
        {
            return Venues.name(Venues.id(line.substring(14, 26).trim()));
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    private static String only(final List<String> frame, final String venue, final String group)
    {
        String groupName = "";
        String found = null;
        for (final String line : frame)
        {
            if (!line.startsWith(" ") && line.indexOf(' ') > 0)
            {
                groupName = line.substring(0, line.indexOf(' '));
            }
            if (line.contains(venue) && groupName.equals(group.equals("BTC") ? "BTC-USDT" : group))
            {
                assertEquals(null, found, "one row of " + venue + " in " + group);
                found = line;
            }
        }
        assertTrue(found != null, venue + " in " + group + ":\n" + String.join("\n", frame));
        return found;
    }

    /** A table row's value field: 2 is the bid, 3 the ask (after instrument and venue; a row under its group's first has no name). */
    private static String field(final String row, final int index)
    {
        final String[] parts = row.substring(14).trim().split("\\s+");
        return parts[index - 1];
    }

    private static BigDecimal bid(final String row)
    {
        return new BigDecimal(field(row, 2).replace("*", ""));
    }

    private static BigDecimal ask(final String row)
    {
        return new BigDecimal(field(row, 3).replace("*", ""));
    }

    /**
     * Rows as the demo fills them: a real feature engine over a definition, a book and a few trades
     * per instrument of every venue (at the venue's own exponents), {@code perVenue} instruments per
     * canonical pair.
     */
    private Map<String, DemoCommand.Row> rows(final List<SimulatedVenue> venues, final int copies)
    {
        final Map<String, DemoCommand.Row> rows = new LinkedHashMap<>();
        final FeatureEngine engine = new FeatureEngine(new long[] {1_000, 10_000, 60_000}, 5, 5000);
        engine.addListener((instrument, features, day, seq, time) ->
            rows.computeIfAbsent(DemoCommand.rowName(instrument), DemoCommand.Row::new).write(features));
        final long t0 = 1_780_000_000_000_000_000L;
        int n = 0;
        for (final SimulatedVenue venue : venues)
        {
            for (int copy = 0; copy < copies; copy++)
            {
                for (final InstrumentSpec spec : venue.instruments())
                {
                    n++;
                    final int id = spec.instrumentId() + 10 * copy;
                    final String canonical = copy == 0 ? spec.canonicalSymbol() : "XYZ".charAt(copy) + spec.canonicalSymbol().substring(1);
                    final boolean krw = canonical.contains("-KRW");
                    final long unit = Decimals.pow10(-spec.priceExponent());
                    long mid = (canonical.substring(1).startsWith("TC") ? (krw ? 95_000_000 : 65_000) : (krw ? 5_100_000 : 3_450)) * unit + n;
                    if (venue.venueId() == Venues.OKX_SPOT && canonical.equals("BTC-USDT"))
                    {
                        mid += 100 * unit; // crosses the other spot venues' asks
                    }
                    definition(engine, venue.venueId(), id, t0, spec, canonical);
                    snapshot(engine, venue.venueId(), id, t0 + 1, spec, mid - unit / 100 - 1, mid + unit / 100 + 1);
                    for (int i = 0; i < 5; i++)
                    {
                        trade(engine, venue.venueId(), id, t0 + 2 + i, spec, mid + i, i);
                    }
                }
            }
        }
        return rows;
    }

    private void definition(
        final FeatureEngine engine, final int venue, final int id, final long t, final InstrumentSpec spec, final String canonical)
    {
        final InstrumentDefinitionEncoder d = new InstrumentDefinitionEncoder().wrapAndApplyHeader(buffer, 0, header);
        d.receiveTimeNs(t).eventTimeNs(t).venueSeq(Records.NULL_LONG).rawIndex(Records.NULL_LONG).venueId(venue).flags(0)
            .instrumentId(id).marketKind(spec.marketKind()).priceExponent((byte)spec.priceExponent())
            .sizeExponent((byte)spec.sizeExponent()).priceGrouping(0).bookDepth(0).venueSymbol(spec.venueSymbol()).canonicalSymbol(canonical);
        engine.onRecord(1, ++sequence, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + d.encodedLength());
    }

    private void snapshot(
        final FeatureEngine engine, final int venue, final int id, final long t, final InstrumentSpec spec, final long bid,
        final long ask)
    {
        final BookSnapshotEncoder s = new BookSnapshotEncoder().wrapAndApplyHeader(buffer, 0, header);
        s.receiveTimeNs(t).eventTimeNs(t).venueSeq(1).rawIndex(Records.NULL_LONG).venueId(venue).flags(0).instrumentId(id)
            .priceExponent((byte)spec.priceExponent()).sizeExponent((byte)spec.sizeExponent());
        final long size = Decimals.pow10(-spec.sizeExponent());
        final BookSnapshotEncoder.BidsEncoder bids = s.bidsCount(5);
        for (int i = 0; i < 5; i++)
        {
            bids.next().price(bid - i).size(size + 7 * i);
        }
        final BookSnapshotEncoder.AsksEncoder asks = s.asksCount(5);
        for (int i = 0; i < 5; i++)
        {
            asks.next().price(ask + i).size(size + 3 * i);
        }
        engine.onRecord(1, ++sequence, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + s.encodedLength());
    }

    private void trade(
        final FeatureEngine engine, final int venue, final int id, final long t, final InstrumentSpec spec, final long price,
        final int i)
    {
        final TradeEncoder trade = new TradeEncoder().wrapAndApplyHeader(buffer, 0, header);
        final TradeKind kind = venue == Venues.BINANCE_USDM ? TradeKind.AGG_TRADE : TradeKind.TRADE;
        trade.receiveTimeNs(t).eventTimeNs(t).venueSeq(100 + i).rawIndex(Records.NULL_LONG).venueId(venue).flags(0).instrumentId(id)
            .priceMantissa(price).sizeMantissa(Decimals.pow10(-spec.sizeExponent()) / 1000 * (i + 1)).tradeTimeNs(t)
            .priceExponent((byte)spec.priceExponent()).sizeExponent((byte)spec.sizeExponent())
            .aggressor(i % 2 == 0 ? Side.BUY : Side.SELL).kind(kind);
        engine.onRecord(1, ++sequence, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength());
    }

    /**
     * Counters as a demo left running for a day or two could show (near a billion records, thousands
     * of gaps), divided by {@code divisor} (the second before).
     */
    private static DemoCommand.Snapshot wide(final int venues, final long divisor)
    {
        final DemoCommand.Snapshot s = new DemoCommand.Snapshot(venues);
        final long big = 987_654_321L / divisor;
        s.simFrames = big;
        s.ingestFrames = big;
        s.ingestRecords = big;
        s.malformed = 12_345 / divisor;
        s.badValues = 12_345 / divisor;
        s.bookGaps = 99_999 / divisor;
        s.resyncs = 99_999 / divisor;
        s.rotations = 9_999 / divisor;
        s.packets = big / 3;
        s.messages = big;
        s.delivered = big;
        s.gaps = 9_999 / divisor;
        s.repairs = 9_999 / divisor;
        s.fromReplica = 99_999 / divisor;
        s.byRerequest = 999_999 / divisor;
        s.byTcp = 9_999 / divisor;
        s.maxRepairNs = 123_456_789_000L;
        s.replicated = big;
        for (int i = 0; i < venues; i++)
        {
            s.perVenueFrames[i] = 98_765_432L / divisor;
        }
        return s;
    }

    private static Histogram latency()
    {
        final Histogram h = new Histogram(3_600_000_000_000L, 3);
        h.recordValue(850_000);
        h.recordValue(21_135_400_000L);
        return h;
    }

    private static List<String> longEvents()
    {
        final List<String> events = new ArrayList<>();
        for (int i = 0; i < 9; i++)
        {
            events.add("fault: dropped a KRW-BTC book event at bithumb (expect a gap, then a resync of that book only) and a very " +
                "long tail that a role might log, with a path /work/somewhere/deep/inside/a/journal/partition/" + i);
        }
        return events;
    }
}
