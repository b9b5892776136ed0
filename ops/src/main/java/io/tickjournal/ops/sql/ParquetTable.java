package io.tickjournal.ops.sql;

import io.tickjournal.journal.Records;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.FeatureSnapshotDecoder;
import io.tickjournal.journal.sbe.TopOfBookDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * The Parquet tables of the export, one per kind of record, with the same names and rows as the QuestDB
 * tables ({@link QuestDbSchema}): {@code trades}, {@code top_of_book}, {@code book_levels} (one row per
 * level of a snapshot or delta), {@code venue_status} and {@code features} (one row per feature value).
 * <p>
 * Each table is a list of {@link Column}s that both declares the Parquet schema and fills a row, so the two
 * cannot disagree. Every table starts with the same columns: {@code seq} (the record's sequence in its
 * day), {@code ts} = receive time as {@code TIMESTAMP(NANOS, UTC)} and {@code receive_time_ns} as INT64,
 * {@code event_ts}/{@code event_time_ns} likewise, venue, instrument id, symbol, canonical, kind,
 * {@code venue_seq}, flags. The journal partition and the trading day are not columns: they are the
 * Hive-style folder names ({@code partition=.../day=...}) engines turn into columns.
 * <p>
 * Decimals are {@code DECIMAL(38, 18)} ({@link ParquetDecimal}) with the exact mantissa and exponent beside
 * them ({@code *_m} INT64, {@code *_e} INT32), as in QuestDB. Absent values are nulls.
 */
public enum ParquetTable
{
    /** One row per trade. */
    TRADES("trades", trades()),
    /** One row per top-of-book record. */
    TOP_OF_BOOK("top_of_book", topOfBook()),
    /** One row per level of a book snapshot or delta. */
    BOOK_LEVELS("book_levels", bookLevels()),
    /** One row per venue status (gap, resync, malformed frame, ...). */
    VENUE_STATUS("venue_status", venueStatus()),
    /** One row per value of a feature snapshot. */
    FEATURES("features", features());

    private final String tableName;
    private final Column[] columns;
    private final MessageType schema;

    ParquetTable(final String tableName, final List<Column> columns)
    {
        this.tableName = tableName;
        this.columns = columns.toArray(new Column[0]);
        final List<Type> fields = new ArrayList<>();
        for (final Column column : columns)
        {
            fields.add(column.type());
        }
        this.schema = new MessageType(tableName, fields);
    }

    /**
     * @return the folder and table name, e.g. {@code top_of_book}.
     */
    public String tableName()
    {
        return tableName;
    }

    /**
     * @return the Parquet schema of the table's files.
     */
    public MessageType schema()
    {
        return schema;
    }

    /**
     * The table a record goes to.
     *
     * @param templateId the record's SBE template id.
     * @return its table, or null for records that are not exported (definitions, mark prices, raw frames).
     */
    public static ParquetTable of(final int templateId)
    {
        return switch (templateId)
        {
            case TradeDecoder.TEMPLATE_ID -> TRADES;
            case TopOfBookDecoder.TEMPLATE_ID -> TOP_OF_BOOK;
            case BookSnapshotDecoder.TEMPLATE_ID, BookDeltaDecoder.TEMPLATE_ID -> BOOK_LEVELS;
            case VenueStatusDecoder.TEMPLATE_ID -> VENUE_STATUS;
            case FeatureSnapshotDecoder.TEMPLATE_ID -> FEATURES;
            default -> null;
        };
    }

    /**
     * How many rows a record makes in its table.
     *
     * @param record a decoded record of this table.
     * @return one, or one per level (book) or value (features).
     */
    public int rowsOf(final TypedRecord record)
    {
        return this == BOOK_LEVELS || this == FEATURES ? record.levelCount() : 1;
    }

    /**
     * Write one row as one Parquet record.
     *
     * @param consumer the writer's record consumer.
     * @param row      the row.
     * @param decimal  16 reused bytes for decimals (Parquet copies a reused array where it keeps one).
     */
    void write(final RecordConsumer consumer, final Row row, final byte[] decimal)
    {
        consumer.startMessage();
        for (int i = 0; i < columns.length; i++)
        {
            columns[i].write(consumer, i, row, decimal);
        }
        consumer.endMessage();
    }

    /** The row being written: a record, its sequence in its day, and which level or value of it. */
    public static final class Row
    {
        /** Sequence of the record in its day. */
        public long seq;
        /** The decoded record. */
        public TypedRecord record;
        /** Level (book) or value (features) index within the record; 0 otherwise. */
        public int level;
    }

    /** One column: its Parquet type and how a row fills it. */
    static final class Column
    {
        enum Kind
        {
            INT64, INT32, TIMESTAMP_NS, STRING, DECIMAL
        }

        final String name;
        final Kind kind;
        final boolean required;
        final ToLongFunction<Row> value;
        final ToIntFunction<Row> exponent;
        final Function<Row, String> text;

        private Column(
            final String name, final Kind kind, final boolean required, final ToLongFunction<Row> value,
            final ToIntFunction<Row> exponent, final Function<Row, String> text)
        {
            this.name = name;
            this.kind = kind;
            this.required = required;
            this.value = value;
            this.exponent = exponent;
            this.text = text;
        }

        Type type()
        {
            final Types.PrimitiveBuilder<? extends Type> builder = switch (kind)
            {
                case INT64 -> required ? Types.required(PrimitiveTypeName.INT64) : Types.optional(PrimitiveTypeName.INT64);
                case INT32 -> required ? Types.required(PrimitiveTypeName.INT32) : Types.optional(PrimitiveTypeName.INT32);
                case TIMESTAMP_NS -> (required ? Types.required(PrimitiveTypeName.INT64) : Types.optional(PrimitiveTypeName.INT64))
                    .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.NANOS));
                case STRING -> (required ? Types.required(PrimitiveTypeName.BINARY) : Types.optional(PrimitiveTypeName.BINARY))
                    .as(LogicalTypeAnnotation.stringType());
                case DECIMAL -> (required ? Types.required(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) :
                    Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)).length(ParquetDecimal.BYTES)
                    .as(LogicalTypeAnnotation.decimalType(ParquetDecimal.SCALE, ParquetDecimal.PRECISION));
            };
            return builder.named(name);
        }

        void write(final RecordConsumer consumer, final int index, final Row row, final byte[] decimal)
        {
            if (kind == Kind.STRING)
            {
                final String s = text.apply(row);
                if (s == null || (s.isEmpty() && !required))
                {
                    absent(row);
                    return;
                }
                consumer.startField(name, index);
                consumer.addBinary(Binary.fromString(s));
                consumer.endField(name, index);
                return;
            }
            final long v = value.applyAsLong(row);
            if (v == Records.NULL_LONG)
            {
                absent(row);
                return;
            }
            consumer.startField(name, index);
            switch (kind)
            {
                case INT32 -> consumer.addInteger((int)v);
                case DECIMAL ->
                {
                    ParquetDecimal.unscaled(v, exponent.applyAsInt(row), decimal);
                    consumer.addBinary(Binary.fromReusedByteArray(decimal));
                }
                default -> consumer.addLong(v);
            }
            consumer.endField(name, index);
        }

        private void absent(final Row row)
        {
            if (required)
            {
                throw new IllegalStateException("record " + row.seq + " (" + row.record.type + ") has no " + name);
            }
        }

        static Column int64(final String name, final boolean required, final ToLongFunction<Row> value)
        {
            return new Column(name, Kind.INT64, required, value, null, null);
        }

        static Column int32(final String name, final ToIntFunction<Row> value)
        {
            return new Column(name, Kind.INT32, true, row -> value.applyAsInt(row), null, null);
        }

        static Column timestamp(final String name, final boolean required, final ToLongFunction<Row> value)
        {
            return new Column(name, Kind.TIMESTAMP_NS, required, value, null, null);
        }

        static Column string(final String name, final boolean required, final Function<Row, String> text)
        {
            return new Column(name, Kind.STRING, required, null, null, text);
        }

        static Column decimal(
            final String name, final boolean required, final ToLongFunction<Row> mantissa, final ToIntFunction<Row> exponent)
        {
            return new Column(name, Kind.DECIMAL, required, mantissa, exponent, null);
        }
    }

    private static List<Column> common()
    {
        final List<Column> columns = new ArrayList<>();
        columns.add(Column.int64("seq", true, row -> row.seq));
        columns.add(Column.timestamp("ts", true, row -> row.record.receiveTimeNs));
        columns.add(Column.int64("receive_time_ns", true, row -> row.record.receiveTimeNs));
        columns.add(Column.timestamp("event_ts", false, row -> row.record.eventTimeNs));
        columns.add(Column.int64("event_time_ns", false, row -> row.record.eventTimeNs));
        columns.add(Column.string("venue", true, row -> Venues.name(row.record.venueId)));
        columns.add(Column.int32("instrument_id", row -> row.record.instrumentId));
        columns.add(Column.string("symbol", false, row -> row.record.symbol));
        columns.add(Column.string("canonical", false, row -> row.record.canonical));
        columns.add(Column.string("kind", false, row -> row.record.kind));
        columns.add(Column.int64("venue_seq", false, row -> row.record.venueSeq));
        columns.add(Column.int32("flags", row -> row.record.flags));
        return columns;
    }

    private static List<Column> trades()
    {
        final List<Column> columns = common();
        columns.add(Column.decimal("price", true, row -> row.record.price, row -> row.record.priceExponent));
        columns.add(Column.decimal("size", true, row -> row.record.size, row -> row.record.sizeExponent));
        columns.add(Column.int64("price_m", true, row -> row.record.price));
        columns.add(Column.int32("price_e", row -> row.record.priceExponent));
        columns.add(Column.int64("size_m", true, row -> row.record.size));
        columns.add(Column.int32("size_e", row -> row.record.sizeExponent));
        columns.add(Column.string("side", true, row -> row.record.side));
        columns.add(Column.string("trade_kind", false, row -> row.record.tradeKind));
        columns.add(Column.timestamp("trade_ts", false, row -> row.record.tradeTimeNs));
        columns.add(Column.int64("trade_time_ns", false, row -> row.record.tradeTimeNs));
        return columns;
    }

    private static List<Column> topOfBook()
    {
        final List<Column> columns = common();
        columns.add(Column.decimal("bid_price", false, row -> row.record.bidPrice, row -> row.record.priceExponent));
        columns.add(Column.decimal("bid_size", false, row -> row.record.bidSize, row -> row.record.sizeExponent));
        columns.add(Column.decimal("ask_price", false, row -> row.record.askPrice, row -> row.record.priceExponent));
        columns.add(Column.decimal("ask_size", false, row -> row.record.askSize, row -> row.record.sizeExponent));
        columns.add(Column.int64("bid_price_m", false, row -> row.record.bidPrice));
        columns.add(Column.int64("bid_size_m", false, row -> row.record.bidSize));
        columns.add(Column.int64("ask_price_m", false, row -> row.record.askPrice));
        columns.add(Column.int64("ask_size_m", false, row -> row.record.askSize));
        columns.add(Column.int32("price_e", row -> row.record.priceExponent));
        columns.add(Column.int32("size_e", row -> row.record.sizeExponent));
        return columns;
    }

    private static List<Column> bookLevels()
    {
        final List<Column> columns = common();
        columns.add(Column.string("record_type", true,
            row -> row.record.templateId == BookSnapshotDecoder.TEMPLATE_ID ? "snapshot" : "delta"));
        columns.add(Column.int64("first_update_id", false, row -> row.record.firstUpdateId));
        columns.add(Column.int64("prev_update_id", false, row -> row.record.prevUpdateId));
        columns.add(Column.string("side", true, row -> row.record.levelSide(row.level) == TypedRecord.BID ? "bid" : "ask"));
        columns.add(Column.int32("level", row -> row.record.levelIndex(row.level)));
        columns.add(Column.decimal("price", true, row -> row.record.levelPrice(row.level), row -> row.record.priceExponent));
        columns.add(Column.decimal("size", true, row -> row.record.levelSize(row.level), row -> row.record.levelExponent(row.level)));
        columns.add(Column.int64("price_m", true, row -> row.record.levelPrice(row.level)));
        columns.add(Column.int32("price_e", row -> row.record.priceExponent));
        columns.add(Column.int64("size_m", true, row -> row.record.levelSize(row.level)));
        columns.add(Column.int32("size_e", row -> row.record.levelExponent(row.level)));
        return columns;
    }

    private static List<Column> venueStatus()
    {
        final List<Column> columns = common();
        columns.add(Column.string("status", true, row -> row.record.status));
        columns.add(Column.string("stream", false, row -> row.record.stream));
        columns.add(Column.int32("connection", row -> row.record.connectionId));
        columns.add(Column.int64("expected_seq", false, row -> row.record.expectedSeq));
        columns.add(Column.int64("received_seq", false, row -> row.record.receivedSeq));
        columns.add(Column.string("detail", false, row -> row.record.detail));
        return columns;
    }

    private static List<Column> features()
    {
        final List<Column> columns = common();
        columns.add(Column.int32("feature_id", row -> row.record.levelIndex(row.level)));
        columns.add(Column.decimal("value", true, row -> row.record.levelSize(row.level), row -> row.record.levelExponent(row.level)));
        columns.add(Column.int64("value_m", true, row -> row.record.levelSize(row.level)));
        columns.add(Column.int32("value_e", row -> row.record.levelExponent(row.level)));
        return columns;
    }
}
