package io.tickjournal.ops;

import org.HdrHistogram.Histogram;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's live view: one frame of text a second that fits a {@value #WIDTH}x{@value #HEIGHT}
 * terminal with every feed the demo runs (nine by default).
 * <p>
 * Laid out for a trader watching it: the pipeline's stages first (one line each, the per-venue
 * frame rates wrapped under the venues line; per second and in total: frames received, records
 * journaled, multicast, copied to the replica and delivered in order by the tailer), then one table row per instrument and venue,
 * grouped by instrument (spot and perpetual apart, as the cross-venue features group them), so
 * the venues of one instrument sit under each other and their prices can be compared down a
 * column. The best bid and ask across an instrument's venues are marked in place ({@code *} on
 * the venue that holds each, from the rows shown: each venue's latest whole book) instead of a
 * section of their own, and a group whose best bid reaches its best ask says {@code crossed}
 * under its name. Wide numbers are rounded for display only (exact values stay in
 * the journal and the feature partition), so no column grows past its width. When the instruments
 * need more rows than the terminal has, the table pages by instrument group, a page every
 * {@value #PAGE_SECONDS} frames; every line is cut at {@value #WIDTH} columns as a last guard.
 * <p>
 * Rendering is a function of its arguments and the frame count: the demo calls it once a second
 * on its view thread; tests call it with any counters and rows. Not thread safe.
 */
final class DemoView
{
    /** Terminal columns the view fits. */
    static final int WIDTH = 120;
    /** Terminal lines the view fits. */
    static final int HEIGHT = 40;
    /** Frames (seconds in the demo) a page of the instrument table stays before the next. */
    static final int PAGE_SECONDS = 5;
    /** Recent events shown at the bottom. */
    static final int RECENT_EVENTS = 4;

    private static final String NOTES_INDENT = " ".repeat(30);
    private static final String ROW_FORMAT = "%-13s %-12s %11s %11s %7s %11s %7s %11s %7s %10s %6s";
    private static final int[] VALUE_WIDTHS = {10, 10, 7, 11, 7, 11, 7, 10, 6};

    private final List<SimulatedVenue> venues;
    private final double loss;
    private long frames;

    /**
     * @param venues the venues the demo runs, in the order of its counters.
     * @param loss   the packet loss injected between bridge and tailer (a fraction).
     */
    DemoView(final List<SimulatedVenue> venues, final double loss)
    {
        this.venues = List.copyOf(venues);
        this.loss = loss;
    }

    /**
     * One frame of the view.
     *
     * @param s         the counters now.
     * @param p         the counters a second ago.
     * @param elapsedNs time since the demo started.
     * @param latency   frame-received to features-out latencies of the last second (may be empty).
     * @param rows      one per instrument and venue (named {@code <venue> <canonical>[-KIND]}).
     * @param recent    the latest events, oldest first (the last {@value #RECENT_EVENTS} are shown).
     * @return the lines, each at most {@value #WIDTH} columns, at most {@value #HEIGHT} of them.
     */
    List<String> render(
        final DemoCommand.Snapshot s, final DemoCommand.Snapshot p, final long elapsedNs, final Histogram latency,
        final Collection<DemoCommand.Row> rows, final List<String> recent)
    {
        final List<String> lines = new ArrayList<>(HEIGHT);
        lines.add(String.format("tickjournal demo  %d s  %d feeds  (Ctrl-C to stop)", elapsedNs / 1_000_000_000L, venues.size()));
        stages(lines, s, p, latency);

        final List<String> events = new ArrayList<>();
        final List<String> last = recent.subList(Math.max(0, recent.size() - RECENT_EVENTS), recent.size());
        if (!last.isEmpty())
        {
            events.add("");
            events.add("recent events:");
            last.forEach(line -> events.add("  " + line));
        }

        final List<List<String>> groups = table(rows);
        // The table gets what the stages, its header, its legend and the events leave.
        final int capacity = Math.max(1, HEIGHT - lines.size() - 3 - events.size());
        final List<List<String>> pages = pages(groups, capacity);
        final int page = (int)((frames++ / PAGE_SECONDS) % pages.size());
        lines.add("");
        lines.add(String.format(ROW_FORMAT, "instrument", "venue", "bid", "ask", "spread", "microprice", "imb", "vwap 10s",
            "tfi 10s", "rv 10s", "trades").stripTrailing());
        lines.addAll(pages.get(page));
        lines.add("* best bid / ask of an instrument across its venues (each venue's latest whole book)" +
            (pages.size() > 1 ? String.format("   page %d/%d", page + 1, pages.size()) : ""));
        lines.addAll(events);

        final List<String> fitted = new ArrayList<>(lines.size());
        for (final String line : lines)
        {
            fitted.add(line.length() > WIDTH ? line.substring(0, WIDTH) : line);
        }
        return fitted;
    }

    private void stages(final List<String> lines, final DemoCommand.Snapshot s, final DemoCommand.Snapshot p, final Histogram latency)
    {
        lines.add(String.format("%-7s %9s %11s %s", "stage", "/s", "total", "notes"));
        final StringBuilder rates = new StringBuilder("frames/s");
        boolean first = true;
        for (int i = 0; i < venues.size(); i++)
        {
            final String one = String.format("  %s %,d", venues.get(i).label(), s.perVenueFrames[i] - p.perVenueFrames[i]);
            final String prefix = first ? String.format("%-7s %,9d %,11d ", "venues", s.simFrames - p.simFrames, s.simFrames) :
                NOTES_INDENT;
            if (prefix.length() + rates.length() + one.length() > WIDTH)
            {
                lines.add(prefix + rates);
                rates.setLength(0);
                rates.append("        ");
                first = false;
            }
            rates.append(one);
        }
        lines.add((first ? String.format("%-7s %,9d %,11d ", "venues", s.simFrames - p.simFrames, s.simFrames) : NOTES_INDENT) +
            rates);
        lines.add(stage("ingest", s.ingestRecords - p.ingestRecords, s.ingestRecords, String.format(
            "malformed %,d, bad values %,d, book gaps %,d, resyncs %,d, rotations %,d", s.malformed, s.badValues,
            s.bookGaps, s.resyncs, s.rotations)));
        lines.add(stage("bridge", s.messages - p.messages, s.messages, String.format("multicast in %,d packets; loss injected %.2f%%",
            s.packets, loss * 100)));
        lines.add(stage("replica", s.replicated - p.replicated, s.replicated, "copied to the replica"));
        lines.add(stage("tailer", s.delivered - p.delivered, s.delivered, String.format(
            "gaps %,d repaired %,d (replica %,d re-request %,d tcp %,d) slowest %s", s.gaps, s.repairs,
            s.fromReplica, s.byRerequest, s.byTcp, duration(s.maxRepairNs))));
        if (latency != null && latency.getTotalCount() > 0)
        {
            lines.add(String.format("%-7s frame received -> features out: p50 %s  p99 %s  p99.9 %s  max %s (%,d)", "latency",
                duration(latency.getValueAtPercentile(50)), duration(latency.getValueAtPercentile(99)),
                duration(latency.getValueAtPercentile(99.9)), duration(latency.getMaxValue()), latency.getTotalCount()));
        }
    }

    private static String stage(final String name, final long perSecond, final long total, final String notes)
    {
        return String.format("%-7s %,9d %,11d %s", name, perSecond, total, notes);
    }

    /** A duration at a width that stays short: µs below a millisecond, ms below a second, then s. */
    static String duration(final long ns)
    {
        if (ns < 1_000_000L)
        {
            return (ns / 1_000) + " us";
        }
        return ns < 1_000_000_000L ? String.format("%.1f ms", ns / 1e6) : String.format("%.2f s", ns / 1e9);
    }

    /** The table's rows, one list per instrument group (its venues under each other), groups in name order. */
    private static List<List<String>> table(final Collection<DemoCommand.Row> rows)
    {
        final Map<String, Map<String, String[]>> groups = new TreeMap<>();
        for (final DemoCommand.Row row : rows)
        {
            final int space = row.name.indexOf(' ');
            final String venue = space < 0 ? row.name : row.name.substring(0, space);
            final String instrument = space < 0 ? "" : row.name.substring(space + 1);
            groups.computeIfAbsent(instrument, k -> new TreeMap<>()).put(venue, row.read());
        }
        final List<List<String>> out = new ArrayList<>(groups.size());
        groups.forEach((instrument, members) ->
        {
            // The marks come from the rows as shown (each venue's latest whole book), so they always agree with them.
            BigDecimal bestBid = null;
            BigDecimal bestAsk = null;
            for (final String[] v : members.values())
            {
                final BigDecimal bid = number(v[0]);
                final BigDecimal ask = number(v[1]);
                bestBid = bid != null && (bestBid == null || bid.compareTo(bestBid) > 0) ? bid : bestBid;
                bestAsk = ask != null && (bestAsk == null || ask.compareTo(bestAsk) < 0) ? ask : bestAsk;
            }
            final boolean several = members.size() > 1;
            final boolean crossed = several && bestBid != null && bestAsk != null && bestBid.compareTo(bestAsk) >= 0;
            final List<String> lines = new ArrayList<>(members.size());
            int i = 0;
            for (final Map.Entry<String, String[]> member : members.entrySet())
            {
                final String[] v = member.getValue();
                final BigDecimal bid = number(v[0]);
                final BigDecimal ask = number(v[1]);
                final String bidMark = several && bid != null && bid.compareTo(bestBid) == 0 ? "*" : " ";
                final String askMark = several && ask != null && ask.compareTo(bestAsk) == 0 ? "*" : " ";
                final String name = i == 0 ? clip(instrument, 13) : i == 1 && crossed ? "  crossed" : "";
                lines.add(String.format(ROW_FORMAT, name, clip(member.getKey(), 12), fit(v[0], VALUE_WIDTHS[0]) + bidMark,
                    fit(v[1], VALUE_WIDTHS[1]) + askMark, fit(v[3], VALUE_WIDTHS[2]), fit(v[4], VALUE_WIDTHS[3]),
                    fit(v[5], VALUE_WIDTHS[4]), fit(v[6], VALUE_WIDTHS[5]), fit(v[7], VALUE_WIDTHS[6]), fit(v[8], VALUE_WIDTHS[7]),
                    fit(v[9], VALUE_WIDTHS[8])).stripTrailing());
                i++;
            }
            out.add(lines);
        });
        return out;
    }

    private static String clip(final String text, final int width)
    {
        return text.length() <= width ? text : text.substring(0, width);
    }

    private static BigDecimal number(final String text)
    {
        try
        {
            return new BigDecimal(text);
        }
        catch (final NumberFormatException ex)
        {
            return null; // "-": not known yet
        }
    }

    /** Groups onto pages of at most {@code capacity} rows; a group larger than a page is split. */
    private static List<List<String>> pages(final List<List<String>> groups, final int capacity)
    {
        final List<List<String>> pages = new ArrayList<>();
        List<String> page = new ArrayList<>(capacity);
        for (final List<String> group : groups)
        {
            if (!page.isEmpty() && page.size() + group.size() > capacity)
            {
                pages.add(page);
                page = new ArrayList<>(capacity);
            }
            for (final String line : group)
            {
                if (page.size() == capacity)
                {
                    pages.add(page);
                    page = new ArrayList<>(capacity);
                }
                page.add(line);
            }
        }
        pages.add(page);
        return pages;
    }

    /**
     * A decimal within {@code width} characters: fewer fraction digits (rounded half even), or
     * two significant digits in scientific form when the integer part alone is too wide or the
     * rounding would show a non-zero value as zero. Display only.
     *
     * @param text  a plain decimal, or anything else (returned as it is when it fits).
     * @param width the column width.
     * @return text of at most {@code width} characters.
     */
    static String fit(final String text, final int width)
    {
        if (text.length() <= width)
        {
            return text;
        }
        final BigDecimal value;
        try
        {
            value = new BigDecimal(text);
        }
        catch (final NumberFormatException ex)
        {
            return text.substring(0, width);
        }
        final int integerDigits = value.precision() - value.scale();
        final int sign = value.signum() < 0 ? 1 : 0;
        if (integerDigits <= width - sign)
        {
            final int scale = Math.max(0, width - sign - Math.max(1, integerDigits) - 1);
            final BigDecimal rounded = value.setScale(scale, RoundingMode.HALF_EVEN);
            final String plain = rounded.toPlainString();
            if (plain.length() <= width && (rounded.signum() != 0 || value.signum() == 0))
            {
                return plain;
            }
        }
        final String scientific = value.round(new MathContext(2, RoundingMode.HALF_EVEN)).toString();
        return scientific.length() <= width ? scientific : text.substring(0, width);
    }
}
