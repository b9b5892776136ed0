package io.tickjournal.ops.sql;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.TradingDay;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Exports journal days to Parquet in a Hive-style layout an engine reads as it is:
 * {@code OUT/<table>/partition=<partition>/day=<yyyy-MM-dd>/part-0.parquet}, one file per table
 * ({@link ParquetTable}), journal partition and trading day, each row in (day, sequence) order.
 * <p>
 * A (partition, day) is read from its first record, with a fresh {@link TypedRecord}, so its files depend on
 * that day's records alone (each day begins with its instrument definitions): exporting the same journal
 * twice gives byte-equal files, whatever range each export covered. A folder that already holds a
 * (partition, day) being exported is refused, naming it, unless {@code overwrite}, which deletes exactly the
 * folders of the (partition, day)s being exported and nothing else; other days in the same output stay.
 * Each file appears by an atomic rename when whole.
 * <p>
 * A reader of the journal like any tailer: it never slows a writer. One thread; allocates (a tool, not the
 * tick path).
 */
public final class ParquetExporter
{
    /** Name of each file in its (partition, day) folder. */
    public static final String FILE_NAME = "part-0.parquet";
    /** Records between progress reports. */
    private static final int PROGRESS_EVERY = 4096;

    private final Path out;
    private final boolean overwrite;
    private final LongConsumer progress;

    /** What an export wrote. */
    public static final class Summary
    {
        /** Records read from the journal. */
        public long records;
        /** Rows written per table. */
        public final Map<ParquetTable, Long> rows = new EnumMap<>(ParquetTable.class);
        /** Files written per table. */
        public final Map<ParquetTable, Integer> files = new EnumMap<>(ParquetTable.class);
        /** Bytes written. */
        public long bytes;
    }

    /**
     * @param out       the output folder (created when missing).
     * @param overwrite replace the (partition, day)s of this export that the folder already holds.
     * @param progress  told the records read so far, every few thousand records.
     */
    public ParquetExporter(final Path out, final boolean overwrite, final LongConsumer progress)
    {
        this.out = out;
        this.overwrite = overwrite;
        this.progress = progress;
    }

    /**
     * The folder of one table's file for one (partition, day).
     *
     * @param out       the export's root.
     * @param table     the table.
     * @param partition journal partition name.
     * @param day       trading day.
     * @return e.g. {@code OUT/trades/partition=binance-spot/day=2026-11-30}.
     */
    public static Path folder(final Path out, final ParquetTable table, final String partition, final int day)
    {
        return out.resolve(table.tableName()).resolve("partition=" + partition).resolve("day=" + TradingDay.format(day));
    }

    /**
     * Export every (partition, day) of a plan.
     *
     * @param plan what to export (see {@link #plan}).
     * @return what was written.
     * @throws IllegalArgumentException when the output is a file, or already holds a (partition, day) of the
     *                                  plan and {@code overwrite} is off.
     * @throws IOException              when a file cannot be written.
     */
    public Summary export(final List<PartitionDay> plan) throws IOException
    {
        if (Files.exists(out) && !Files.isDirectory(out))
        {
            throw new IllegalArgumentException("--out " + out + " is a file, not a folder");
        }
        final List<Path> existing = new ArrayList<>();
        for (final PartitionDay pd : plan)
        {
            for (final ParquetTable table : ParquetTable.values())
            {
                final Path folder = folder(out, table, pd.partition(), pd.day());
                if (Files.exists(folder))
                {
                    existing.add(folder);
                }
            }
        }
        if (!existing.isEmpty() && !overwrite)
        {
            throw new IllegalArgumentException(out + " already holds " + existing.size() + " of the folders this export " +
                "writes (first: " + out.relativize(existing.get(0)) + "); pass --overwrite to replace them");
        }
        for (final Path folder : existing)
        {
            deleteTree(folder);
        }
        final Summary summary = new Summary();
        String openPartition = null;
        JournalTailer tailer = null;
        try
        {
            for (final PartitionDay pd : plan)
            {
                if (!pd.partition().equals(openPartition))
                {
                    if (tailer != null)
                    {
                        tailer.close();
                    }
                    tailer = JournalTailer.open(pd.dir(), null);
                    openPartition = pd.partition();
                }
                exportDay(tailer, pd, summary);
            }
        }
        finally
        {
            if (tailer != null)
            {
                tailer.close();
            }
        }
        progress.accept(summary.records);
        return summary;
    }

    private void exportDay(final JournalTailer tailer, final PartitionDay pd, final Summary summary) throws IOException
    {
        final DayExport day = new DayExport(pd, summary);
        try
        {
            if (tailer.moveTo(pd.day(), 1))
            {
                while (!day.finished && tailer.readOne(day::onRecord))
                {
                    if (summary.records % PROGRESS_EVERY == 0)
                    {
                        progress.accept(summary.records);
                    }
                }
            }
            day.commit();
        }
        catch (final UncheckedIOException ex)
        {
            throw ex.getCause();
        }
        finally
        {
            day.abort();
        }
    }

    /** The open files of one (partition, day). */
    private final class DayExport
    {
        final PartitionDay pd;
        final Summary summary;
        final TypedRecord typed = new TypedRecord();
        final ParquetTable.Row row = new ParquetTable.Row();
        final Map<ParquetTable, ParquetTableWriter> writers = new EnumMap<>(ParquetTable.class);
        boolean finished;

        DayExport(final PartitionDay pd, final Summary summary)
        {
            this.pd = pd;
            this.summary = summary;
            row.record = typed;
        }

        void onRecord(final int day, final long seq, final DirectBuffer buffer, final int offset, final int length)
        {
            if (day != pd.day())
            {
                finished = true;
                return;
            }
            summary.records++;
            typed.decode(buffer, offset);
            final ParquetTable table = ParquetTable.of(typed.templateId);
            final int rows = table == null ? 0 : table.rowsOf(typed);
            if (rows == 0)
            {
                return;
            }
            try
            {
                ParquetTableWriter writer = writers.get(table);
                if (writer == null)
                {
                    writer = new ParquetTableWriter(table, folder(out, table, pd.partition(), pd.day()).resolve(FILE_NAME));
                    writers.put(table, writer);
                }
                row.seq = seq;
                for (int i = 0; i < rows; i++)
                {
                    row.level = i;
                    writer.write(row);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(pd.partition() + " " + TradingDay.format(day) + " seq " + seq + ": " +
                    ex.getMessage(), ex);
            }
        }

        void commit() throws IOException
        {
            for (final Map.Entry<ParquetTable, ParquetTableWriter> entry : writers.entrySet())
            {
                final ParquetTableWriter writer = entry.getValue();
                summary.bytes += writer.commit();
                summary.rows.merge(entry.getKey(), writer.rows(), Long::sum);
                summary.files.merge(entry.getKey(), 1, Integer::sum);
            }
        }

        void abort()
        {
            for (final ParquetTableWriter writer : writers.values())
            {
                writer.abort();
            }
        }
    }

    private static void deleteTree(final Path folder) throws IOException
    {
        try (Stream<Path> walk = Files.walk(folder))
        {
            for (final Path path : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
