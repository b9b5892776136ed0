package io.tickjournal.ops.sql;

import io.questdb.client.Sender;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.decimal.Decimals;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.FeatureSnapshotDecoder;
import io.tickjournal.journal.sbe.TopOfBookDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.VenueStatusDecoder;

import java.time.temporal.ChronoUnit;

/**
 * A journal record as the rows of {@link QuestDbSchema}'s tables, written into a line-protocol request: the one
 * place that knows which column gets which field. Rows carry the record's place in the journal (partition,
 * day, seq) that the tables deduplicate on; the designated timestamp is the receive time.
 */
final class QuestDbRows
{
    private QuestDbRows()
    {
    }

    /**
     * Write the rows of one record.
     *
     * @param sender    the request being built.
     * @param partition the journal partition's name.
     * @param day       its trading day as text.
     * @param seq       the record's sequence in the day.
     * @param r         the decoded record.
     * @return rows written (0 for records no table holds: definitions, mark prices).
     */
    static int write(final Sender sender, final String partition, final String day, final long seq, final TypedRecord r)
    {
        switch (r.templateId)
        {
            case TradeDecoder.TEMPLATE_ID:
                symbols(sender, partition, day, "trades", r).symbol("side", r.side).symbol("trade_kind", r.tradeKind);
                columns(sender, seq, r);
                sender.doubleColumn("price", toDouble(r.price, r.priceExponent))
                    .doubleColumn("size", toDouble(r.size, r.sizeExponent))
                    .longColumn("price_m", r.price).longColumn("price_e", r.priceExponent)
                    .longColumn("size_m", r.size).longColumn("size_e", r.sizeExponent);
                if (r.tradeTimeNs != Records.NULL_LONG)
                {
                    sender.longColumn("trade_time_ns", r.tradeTimeNs);
                }
                sender.at(r.receiveTimeNs, ChronoUnit.NANOS);
                return 1;
            case TopOfBookDecoder.TEMPLATE_ID:
                symbols(sender, partition, day, "top_of_book", r);
                columns(sender, seq, r);
                decimal(sender, "bid_price", r.bidPrice, r.priceExponent);
                decimal(sender, "bid_size", r.bidSize, r.sizeExponent);
                decimal(sender, "ask_price", r.askPrice, r.priceExponent);
                decimal(sender, "ask_size", r.askSize, r.sizeExponent);
                sender.longColumn("price_e", r.priceExponent).longColumn("size_e", r.sizeExponent);
                sender.at(r.receiveTimeNs, ChronoUnit.NANOS);
                return 1;
            case BookSnapshotDecoder.TEMPLATE_ID:
            case BookDeltaDecoder.TEMPLATE_ID:
            {
                final String recordType = r.templateId == BookSnapshotDecoder.TEMPLATE_ID ? "snapshot" : "delta";
                int bids = 0;
                for (int i = 0; i < r.levelCount(); i++)
                {
                    bids += r.levelSide(i) == TypedRecord.BID ? 1 : 0;
                }
                symbols(sender, partition, day, "book_updates", r).symbol("record_type", recordType);
                columns(sender, seq, r);
                if (r.firstUpdateId != Records.NULL_LONG)
                {
                    sender.longColumn("first_update_id", r.firstUpdateId);
                }
                if (r.prevUpdateId != Records.NULL_LONG)
                {
                    sender.longColumn("prev_update_id", r.prevUpdateId);
                }
                sender.longColumn("bid_levels", bids).longColumn("ask_levels", r.levelCount() - bids)
                    .at(r.receiveTimeNs, ChronoUnit.NANOS);
                final String venue = Venues.name(r.venueId);
                for (int i = 0; i < r.levelCount(); i++)
                {
                    sender.table("book_levels").symbol("journal_partition", partition).symbol("day", day)
                        .symbol("venue", venue);
                    if (!r.symbol.isEmpty())
                    {
                        sender.symbol("symbol", r.symbol);
                    }
                    sender.symbol("record_type", recordType).symbol("side", r.levelSide(i) == TypedRecord.BID ? "bid" : "ask")
                        .longColumn("seq", seq).longColumn("level", r.levelIndex(i))
                        .doubleColumn("price", toDouble(r.levelPrice(i), r.priceExponent))
                        .doubleColumn("size", toDouble(r.levelSize(i), r.levelExponent(i)))
                        .longColumn("price_m", r.levelPrice(i)).longColumn("price_e", r.priceExponent)
                        .longColumn("size_m", r.levelSize(i)).longColumn("size_e", r.levelExponent(i))
                        .at(r.receiveTimeNs, ChronoUnit.NANOS);
                }
                return 1 + r.levelCount();
            }
            case VenueStatusDecoder.TEMPLATE_ID:
                symbols(sender, partition, day, "venue_status", r).symbol("status", r.status);
                if (!r.stream.isEmpty())
                {
                    sender.symbol("stream", r.stream);
                }
                columns(sender, seq, r);
                sender.longColumn("connection", r.connectionId);
                if (r.expectedSeq != Records.NULL_LONG)
                {
                    sender.longColumn("expected_seq", r.expectedSeq);
                }
                if (r.receivedSeq != Records.NULL_LONG)
                {
                    sender.longColumn("received_seq", r.receivedSeq);
                }
                sender.stringColumn("detail", r.detail).at(r.receiveTimeNs, ChronoUnit.NANOS);
                return 1;
            case FeatureSnapshotDecoder.TEMPLATE_ID:
                for (int i = 0; i < r.levelCount(); i++)
                {
                    symbols(sender, partition, day, "features", r);
                    columns(sender, seq, r);
                    sender.longColumn("feature_id", r.levelIndex(i))
                        .doubleColumn("value", toDouble(r.levelSize(i), r.levelExponent(i)))
                        .longColumn("value_m", r.levelSize(i)).longColumn("value_e", r.levelExponent(i))
                        .at(r.receiveTimeNs, ChronoUnit.NANOS);
                }
                return r.levelCount();
            default:
                return 0;
        }
    }

    private static Sender symbols(
        final Sender sender, final String partition, final String day, final String table, final TypedRecord r)
    {
        sender.table(table).symbol("journal_partition", partition).symbol("day", day).symbol("venue", Venues.name(r.venueId));
        if (!r.symbol.isEmpty())
        {
            sender.symbol("symbol", r.symbol);
        }
        if (!r.canonical.isEmpty())
        {
            sender.symbol("canonical", r.canonical);
        }
        if (!r.kind.isEmpty())
        {
            sender.symbol("kind", r.kind);
        }
        return sender;
    }

    private static void columns(final Sender sender, final long seq, final TypedRecord r)
    {
        sender.longColumn("seq", seq).longColumn("instrument_id", r.instrumentId).longColumn("receive_time_ns", r.receiveTimeNs)
            .longColumn("flags", r.flags);
        if (r.eventTimeNs != Records.NULL_LONG)
        {
            sender.timestampColumn("event_ts", r.eventTimeNs, ChronoUnit.NANOS).longColumn("event_time_ns", r.eventTimeNs);
        }
        if (r.venueSeq != Records.NULL_LONG)
        {
            sender.longColumn("venue_seq", r.venueSeq);
        }
    }

    private static void decimal(final Sender sender, final String name, final long mantissa, final int exponent)
    {
        if (mantissa != Records.NULL_LONG)
        {
            sender.doubleColumn(name, toDouble(mantissa, exponent)).longColumn(name + "_m", mantissa);
        }
    }

    /**
     * The nearest double to mantissa * 10^exponent (one correctly rounded division while both fit in 53 bits),
     * for SQL convenience only: the exact value is in the {@code _m}/{@code _e} columns.
     */
    static double toDouble(final long mantissa, final int exponent)
    {
        if (exponent >= 0)
        {
            return (double)mantissa * Decimals.pow10(Math.min(exponent, Decimals.MAX_POW10));
        }
        return (double)mantissa / Decimals.pow10(Math.min(-exponent, Decimals.MAX_POW10));
    }
}
