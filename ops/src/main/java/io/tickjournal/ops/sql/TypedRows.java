package io.tickjournal.ops.sql;

import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.decimal.Decimals;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.FeatureSnapshotDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;

/**
 * Writes {@link TypedRecord}s as typed CSV or JSON lines: one column per field, times both as ISO text
 * and as ns, decimals as exact text (never floats). A book record is one CSV row per level (an array
 * in JSON lines), a feature snapshot one CSV row per feature value (an array in JSON lines).
 * <p>
 * Absent values are empty in CSV and {@code null} in JSON lines. Allocates; a tool, not the tick path.
 */
public final class TypedRows
{
    /** The CSV columns, in order (JSON lines uses the same names, minus the per-level ones). */
    public static final List<String> COLUMNS = List.of(
        "partition", "day", "seq", "receive_time", "receive_time_ns", "event_time", "event_time_ns",
        "venue", "instrument_id", "symbol", "canonical", "kind", "type", "flags", "venue_seq",
        "price", "size", "side", "trade_kind", "trade_time_ns", "trade_id",
        "update_id", "first_update_id", "prev_update_id", "book_side", "level", "level_price", "level_size",
        "bid_price", "bid_size", "ask_price", "ask_size",
        "mark_price", "index_price", "funding_rate", "next_funding_time_ns",
        "status", "stream", "connection", "expected_seq", "received_seq", "detail",
        "feature_id", "feature_value");

    private static final int LEVEL_COLUMNS_FROM = COLUMNS.indexOf("book_side");
    private static final int FEATURE_COLUMNS_FROM = COLUMNS.indexOf("feature_id");

    private final PrintStream out;
    private final boolean csv;
    private final String[] values = new String[COLUMNS.size()];

    /**
     * @param out destination.
     * @param csv CSV when true, JSON lines when false.
     */
    public TypedRows(final PrintStream out, final boolean csv)
    {
        this.out = out;
        this.csv = csv;
    }

    /** Print the CSV header (nothing for JSON lines). */
    public void header()
    {
        if (csv)
        {
            out.println(String.join(",", COLUMNS));
        }
    }

    /**
     * Write one record.
     *
     * @param partition partition name.
     * @param day       trading day of the record.
     * @param seq       sequence of the record in its day.
     * @param r         the decoded record.
     */
    public void write(final String partition, final int day, final long seq, final TypedRecord r)
    {
        java.util.Arrays.fill(values, null);
        int c = 0;
        values[c++] = partition;
        values[c++] = TradingDay.format(day);
        values[c++] = Long.toString(seq);
        values[c++] = iso(r.receiveTimeNs);
        values[c++] = Long.toString(r.receiveTimeNs);
        values[c++] = iso(r.eventTimeNs);
        values[c++] = integer(r.eventTimeNs);
        values[c++] = Venues.name(r.venueId);
        values[c++] = Integer.toString(r.instrumentId);
        values[c++] = r.symbol;
        values[c++] = text(r.canonical);
        values[c++] = text(r.kind);
        values[c++] = r.type;
        values[c++] = Integer.toString(r.flags);
        values[c++] = integer(r.venueSeq);
        final boolean isTrade = r.templateId == TradeDecoder.TEMPLATE_ID;
        final boolean isBook = r.templateId == BookSnapshotDecoder.TEMPLATE_ID || r.templateId == BookDeltaDecoder.TEMPLATE_ID;
        values[c++] = isTrade ? decimal(r.price, r.priceExponent) : null;
        values[c++] = isTrade ? decimal(r.size, r.sizeExponent) : null;
        values[c++] = text(r.side);
        values[c++] = text(r.tradeKind);
        values[c++] = integer(r.tradeTimeNs);
        values[c++] = isTrade ? integer(r.venueSeq) : null;
        values[c++] = isBook ? integer(r.venueSeq) : null;
        values[c++] = integer(r.firstUpdateId);
        values[c++] = integer(r.prevUpdateId);
        c += 4;
        values[c++] = decimal(r.bidPrice, r.priceExponent);
        values[c++] = decimal(r.bidSize, r.sizeExponent);
        values[c++] = decimal(r.askPrice, r.priceExponent);
        values[c++] = decimal(r.askSize, r.sizeExponent);
        final boolean isMark = r.templateId == io.tickjournal.journal.sbe.MarkPriceDecoder.TEMPLATE_ID;
        values[c++] = isMark ? decimal(r.price, r.priceExponent) : null;
        values[c++] = isMark ? decimal(r.indexPrice, r.priceExponent) : null;
        values[c++] = isMark ? decimal(r.fundingRate, r.fundingRateExponent) : null;
        values[c++] = integer(r.nextFundingTimeNs);
        values[c++] = text(r.status);
        values[c++] = text(r.stream);
        values[c++] = r.status.isEmpty() ? null : Integer.toString(r.connectionId);
        values[c++] = integer(r.expectedSeq);
        values[c++] = integer(r.receivedSeq);
        values[c] = text(r.detail);
        if (csv)
        {
            writeCsv(r, isBook);
        }
        else
        {
            writeJson(r, isBook);
        }
    }

    private void writeCsv(final TypedRecord r, final boolean isBook)
    {
        final boolean isFeature = r.templateId == FeatureSnapshotDecoder.TEMPLATE_ID;
        if (r.levelCount() == 0 || !(isBook || isFeature))
        {
            csvLine();
            return;
        }
        for (int i = 0; i < r.levelCount(); i++)
        {
            if (isBook)
            {
                values[LEVEL_COLUMNS_FROM] = r.levelSide(i) == TypedRecord.BID ? "bid" : "ask";
                values[LEVEL_COLUMNS_FROM + 1] = Integer.toString(r.levelIndex(i));
                values[LEVEL_COLUMNS_FROM + 2] = Decimals.toString(r.levelPrice(i), r.priceExponent);
                values[LEVEL_COLUMNS_FROM + 3] = Decimals.toString(r.levelSize(i), r.levelExponent(i));
            }
            else
            {
                values[FEATURE_COLUMNS_FROM] = Integer.toString(r.levelIndex(i));
                values[FEATURE_COLUMNS_FROM + 1] = Decimals.toString(r.levelSize(i), r.levelExponent(i));
            }
            csvLine();
        }
    }

    private void csvLine()
    {
        final StringBuilder line = new StringBuilder(256);
        for (int i = 0; i < values.length; i++)
        {
            if (i > 0)
            {
                line.append(',');
            }
            final String v = values[i];
            if (v != null)
            {
                line.append(v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 ?
                    "\"" + v.replace("\"", "\"\"") + "\"" : v);
            }
        }
        out.println(line);
    }

    private void writeJson(final TypedRecord r, final boolean isBook)
    {
        final StringBuilder line = new StringBuilder(512).append('{');
        for (int i = 0; i < LEVEL_COLUMNS_FROM; i++)
        {
            field(line, i);
        }
        for (int i = LEVEL_COLUMNS_FROM + 4; i < FEATURE_COLUMNS_FROM; i++)
        {
            field(line, i);
        }
        if (isBook)
        {
            levels(line.append(",\"bids\":["), r, TypedRecord.BID).append(']');
            levels(line.append(",\"asks\":["), r, TypedRecord.ASK).append(']');
        }
        if (r.templateId == FeatureSnapshotDecoder.TEMPLATE_ID)
        {
            line.append(",\"features\":[");
            for (int i = 0; i < r.levelCount(); i++)
            {
                line.append(i == 0 ? "" : ",").append("{\"id\":").append(r.levelIndex(i)).append(",\"value\":\"");
                Decimals.appendTo(line, r.levelSize(i), r.levelExponent(i)).append("\"}");
            }
            line.append(']');
        }
        out.println(line.append('}'));
    }

    private StringBuilder levels(final StringBuilder line, final TypedRecord r, final byte side)
    {
        boolean first = true;
        for (int i = 0; i < r.levelCount(); i++)
        {
            if (r.levelSide(i) == side)
            {
                line.append(first ? "" : ",").append("{\"level\":").append(r.levelIndex(i)).append(",\"price\":\"");
                Decimals.appendTo(line, r.levelPrice(i), r.priceExponent).append("\",\"size\":\"");
                Decimals.appendTo(line, r.levelSize(i), r.levelExponent(i)).append("\"}");
                first = false;
            }
        }
        return line;
    }

    private void field(final StringBuilder line, final int i)
    {
        line.append(i == 0 ? "" : ",").append('"').append(COLUMNS.get(i)).append("\":");
        final String v = values[i];
        if (v == null)
        {
            line.append("null");
        }
        else if (NUMERIC[i])
        {
            line.append(v);
        }
        else
        {
            json(line, v);
        }
    }

    private static final boolean[] NUMERIC = new boolean[COLUMNS.size()];

    static
    {
        for (final String name : List.of("seq", "receive_time_ns", "event_time_ns", "instrument_id", "flags", "venue_seq",
            "trade_time_ns", "trade_id", "update_id", "first_update_id", "prev_update_id", "level", "next_funding_time_ns",
            "connection", "expected_seq", "received_seq", "feature_id"))
        {
            NUMERIC[COLUMNS.indexOf(name)] = true;
        }
    }

    private static void json(final StringBuilder b, final String value)
    {
        b.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char ch = value.charAt(i);
            switch (ch)
            {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(ch < 32 ? String.format("\\u%04x", (int)ch) : String.valueOf(ch));
            }
        }
        b.append('"');
    }

    private static String text(final String value)
    {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String integer(final long value)
    {
        return value == Records.NULL_LONG ? null : Long.toString(value);
    }

    private static String decimal(final long mantissa, final int exponent)
    {
        return mantissa == Records.NULL_LONG ? null : Decimals.toString(mantissa, exponent);
    }

    /**
     * ISO-8601 UTC text of a time in ns, or null when absent.
     *
     * @param ns ns since epoch or {@link Records#NULL_LONG}.
     * @return e.g. {@code 2026-11-20T01:00:00.000000001Z}.
     */
    public static String iso(final long ns)
    {
        return ns == Records.NULL_LONG ? null :
            Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L)).toString();
    }
}
