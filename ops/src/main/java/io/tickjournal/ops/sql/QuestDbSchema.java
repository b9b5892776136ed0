package io.tickjournal.ops.sql;

import java.util.List;

/**
 * The QuestDB tables the loader fills, one per kind of record.
 * <p>
 * Every table: designated timestamp {@code ts} = the record's receive time (QuestDB keeps microseconds;
 * the exact ns are in {@code receive_time_ns}), the venue's time in {@code event_ts} and
 * {@code event_time_ns}, partitioned by day, and deduplicated on the record's place in the journal
 * ({@code journal_partition, day, seq}, plus the level's side and index, or the feature id, where one record
 * makes several rows), so loading a record twice, or resuming after a crash, upserts instead of
 * duplicating. Prices and sizes are kept exactly as mantissa ({@code *_m}) and exponent ({@code *_e})
 * and, for SQL convenience, as a {@code DOUBLE} beside them.
 * <p>
 * {@code book_levels} is the one table with many rows per record (a 20-level delta is 20 rows), so it is kept
 * narrow: the level, the record's place in the journal, venue, symbol and record type; what a book record says
 * once (instrument, times, the venue's update ids, flags, level counts) is one row of {@code book_updates}, joined on
 * {@code (journal_partition, day, seq)}. The line protocol costs QuestDB time per column sent, and the wide
 * level row (every common column repeated on each level) halved the loading rate.
 *
 * <pre>
 * | table        | one row per                         | dedup keys                                  |
 * |--------------|-------------------------------------|---------------------------------------------|
 * | trades       | trade                               | ts, journal_partition, day, seq                     |
 * | top_of_book  | top-of-book record                  | ts, journal_partition, day, seq                     |
 * | book_updates | book snapshot or delta (its header) | ts, journal_partition, day, seq                     |
 * | book_levels  | level of a snapshot or delta        | ts, journal_partition, day, seq, side, level        |
 * | venue_status | venue status (gap, resync, ...)     | ts, journal_partition, day, seq                     |
 * | features     | value of a feature snapshot         | ts, journal_partition, day, seq, feature_id         |
 * </pre>
 */
public final class QuestDbSchema
{
    /** Tables the loader writes. */
    public static final List<String> TABLES = List.of("trades", "top_of_book", "book_updates", "book_levels", "venue_status", "features");

    private static final String COMMON = "ts TIMESTAMP, journal_partition SYMBOL, day SYMBOL, seq LONG, venue SYMBOL, " +
        "instrument_id INT, symbol SYMBOL, canonical SYMBOL, kind SYMBOL, event_ts TIMESTAMP, receive_time_ns LONG, " +
        "event_time_ns LONG, venue_seq LONG, flags INT";

    private static final String WAL = ") TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(ts, journal_partition, day, seq";

    private QuestDbSchema()
    {
    }

    /**
     * The statements that create the tables when missing.
     *
     * @return DDL, one statement each.
     */
    public static List<String> ddl()
    {
        return List.of(
            "CREATE TABLE IF NOT EXISTS trades (" + COMMON + ", price DOUBLE, size DOUBLE, price_m LONG, price_e INT, " +
                "size_m LONG, size_e INT, side SYMBOL, trade_kind SYMBOL, trade_time_ns LONG" + WAL + ")",
            "CREATE TABLE IF NOT EXISTS top_of_book (" + COMMON + ", bid_price DOUBLE, bid_size DOUBLE, ask_price DOUBLE, " +
                "ask_size DOUBLE, bid_price_m LONG, bid_size_m LONG, ask_price_m LONG, ask_size_m LONG, price_e INT, size_e INT" +
                WAL + ")",
            "CREATE TABLE IF NOT EXISTS book_updates (" + COMMON + ", record_type SYMBOL, first_update_id LONG, " +
                "prev_update_id LONG, bid_levels INT, ask_levels INT" + WAL + ")",
            "CREATE TABLE IF NOT EXISTS book_levels (ts TIMESTAMP, journal_partition SYMBOL, day SYMBOL, seq LONG, venue SYMBOL, " +
                "symbol SYMBOL, record_type SYMBOL, side SYMBOL, level INT, price DOUBLE, size DOUBLE, price_m LONG, price_e INT, " +
                "size_m LONG, size_e INT" + WAL + ", side, level)",
            "CREATE TABLE IF NOT EXISTS venue_status (" + COMMON + ", status SYMBOL, stream SYMBOL, connection INT, " +
                "expected_seq LONG, received_seq LONG, detail VARCHAR" + WAL + ")",
            "CREATE TABLE IF NOT EXISTS features (" + COMMON + ", feature_id INT, value DOUBLE, value_m LONG, value_e INT" +
                WAL + ", feature_id)");
    }

    /**
     * Create the tables that are missing.
     *
     * @param db where.
     */
    public static void create(final QuestDb db)
    {
        for (final String statement : ddl())
        {
            db.exec(statement);
        }
    }
}
