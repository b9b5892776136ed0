package io.tickjournal.ingest;

import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a whole partition back as copies of its records (tests). */
public final class JournalContents
{
    private JournalContents()
    {
    }

    /**
     * @param dir a partition.
     * @return every record, in order, each in its own buffer.
     */
    public static List<UnsafeBuffer> read(final Path dir)
    {
        final List<UnsafeBuffer> records = new ArrayList<>();
        for (final byte[] bytes : io.tickjournal.journal.JournalRecords.readAll(dir))
        {
            records.add(new UnsafeBuffer(bytes));
        }
        return records;
    }

    /**
     * @param records      records.
     * @param instrumentId an instrument, or -1 for every VenueStatus (each then followed by ":" and its instrument).
     * @return the VenueStatus kinds journaled for it, in order.
     */
    public static List<String> statuses(final List<UnsafeBuffer> records, final int instrumentId)
    {
        final List<String> out = new ArrayList<>();
        final VenueStatusDecoder status = new VenueStatusDecoder();
        for (final UnsafeBuffer r : ofTemplate(records, VenueStatusDecoder.TEMPLATE_ID))
        {
            status.wrapAndApplyHeader(r, 0, new MessageHeaderDecoder());
            if (instrumentId < 0 || status.instrumentId() == instrumentId)
            {
                out.add(status.status().name() + (instrumentId < 0 ? ":" + status.instrumentId() : ""));
            }
        }
        return out;
    }

    /**
     * @param records records.
     * @param templateId a template.
     * @return those of that template.
     */
    public static List<UnsafeBuffer> ofTemplate(final List<UnsafeBuffer> records, final int templateId)
    {
        final List<UnsafeBuffer> out = new ArrayList<>();
        for (final UnsafeBuffer r : records)
        {
            if (Records.templateId(r, 0) == templateId)
            {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The book of one instrument rebuilt from the journal's records alone (snapshots replace,
     * deltas update, size 0 removes), as exact decimals at the exponents each record carries: an
     * independent reader of the journal for tests that compare it with the venue's book.
     *
     * @param records      records, in journal order.
     * @param instrumentId the instrument.
     * @return {@code "bids"} and {@code "asks"}, price to size.
     */
    public static java.util.Map<String, java.util.Map<java.math.BigDecimal, java.math.BigDecimal>> book(
        final List<UnsafeBuffer> records, final int instrumentId)
    {
        final java.util.TreeMap<java.math.BigDecimal, java.math.BigDecimal> bids = new java.util.TreeMap<>();
        final java.util.TreeMap<java.math.BigDecimal, java.math.BigDecimal> asks = new java.util.TreeMap<>();
        final io.tickjournal.journal.sbe.MessageHeaderDecoder header = new io.tickjournal.journal.sbe.MessageHeaderDecoder();
        final io.tickjournal.journal.sbe.BookSnapshotDecoder snapshot = new io.tickjournal.journal.sbe.BookSnapshotDecoder();
        final io.tickjournal.journal.sbe.BookDeltaDecoder delta = new io.tickjournal.journal.sbe.BookDeltaDecoder();
        for (final UnsafeBuffer r : records)
        {
            if (Records.instrumentId(r, 0) != instrumentId)
            {
                continue;
            }
            final int template = Records.templateId(r, 0);
            if (template == io.tickjournal.journal.sbe.BookSnapshotDecoder.TEMPLATE_ID)
            {
                snapshot.wrapAndApplyHeader(r, 0, header);
                final int pe = snapshot.priceExponent();
                final int se = snapshot.sizeExponent();
                bids.clear();
                asks.clear();
                snapshot.bids().forEach(l -> level(bids, l.price(), pe, l.size(), se));
                snapshot.asks().forEach(l -> level(asks, l.price(), pe, l.size(), se));
            }
            else if (template == io.tickjournal.journal.sbe.BookDeltaDecoder.TEMPLATE_ID)
            {
                delta.wrapAndApplyHeader(r, 0, header);
                final int pe = delta.priceExponent();
                final int se = delta.sizeExponent();
                delta.bids().forEach(l -> level(bids, l.price(), pe, l.size(), se));
                delta.asks().forEach(l -> level(asks, l.price(), pe, l.size(), se));
            }
        }
        return java.util.Map.of("bids", bids, "asks", asks);
    }

    private static void level(
        final java.util.TreeMap<java.math.BigDecimal, java.math.BigDecimal> side, final long price, final int priceExponent,
        final long size, final int sizeExponent)
    {
        final java.math.BigDecimal p = java.math.BigDecimal.valueOf(price, -priceExponent).stripTrailingZeros();
        if (size == 0)
        {
            side.remove(p);
        }
        else
        {
            side.put(p, java.math.BigDecimal.valueOf(size, -sizeExponent).stripTrailingZeros());
        }
    }
}
