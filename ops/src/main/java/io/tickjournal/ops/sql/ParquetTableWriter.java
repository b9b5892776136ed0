package io.tickjournal.ops.sql;

import org.apache.parquet.bytes.DirectByteBufferAllocator;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.RecordConsumer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Writes one Parquet file of one {@link ParquetTable} with parquet-java, the Apache reference writer, and no
 * Hadoop filesystem or configuration: {@link LocalOutputFile} and {@link PlainParquetConfiguration}, Snappy
 * through {@link CodecFactory#createDirectCodecFactory} (snappy-java, no Hadoop codec classes).
 * <p>
 * Rows go to a hidden file beside the target ({@code .part-0.parquet.tmp}; engines skip names starting with a
 * dot) that {@link #commit()} renames into place, so a reader never sees half a file and a crash leaves no
 * file that looks whole. The bytes depend only on the rows (parquet-java stamps no time), so the same rows
 * make the same file.
 * <p>
 * One thread; not reusable after {@link #commit()} or {@link #abort()}.
 */
final class ParquetTableWriter implements AutoCloseable
{
    /** Row group size: big enough for engines to skip by statistics, small enough for a 1 GiB heap with five open. */
    static final int ROW_GROUP_BYTES = 64 * 1024 * 1024;
    /** Parquet's default page size; also sizes the codec's buffers. */
    static final int PAGE_BYTES = 1024 * 1024;

    private final Path target;
    private final Path temporary;
    private final CodecFactory codecs;
    private final ParquetWriter<ParquetTable.Row> writer;
    private long rows;
    private boolean done;

    /**
     * Start a file.
     *
     * @param table  what it holds.
     * @param target the file to create (its folder is created).
     * @throws IOException if the folder or file cannot be created.
     */
    ParquetTableWriter(final ParquetTable table, final Path target) throws IOException
    {
        this.target = target;
        this.temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(temporary);
        this.codecs = CodecFactory.createDirectCodecFactory(null, new DirectByteBufferAllocator(), PAGE_BYTES);
        try
        {
            this.writer = new Builder(new LocalOutputFile(temporary), table)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(codecs)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize((long)ROW_GROUP_BYTES)
                .withPageSize(PAGE_BYTES)
                .withDictionaryEncoding(true)
                .build();
        }
        catch (final IOException | RuntimeException ex)
        {
            codecs.release();
            throw ex;
        }
    }

    /**
     * Append one row (the row object is read now and may be reused at once).
     *
     * @param row the row.
     * @throws IOException if the file cannot be written.
     */
    void write(final ParquetTable.Row row) throws IOException
    {
        writer.write(row);
        rows++;
    }

    /**
     * @return rows written so far.
     */
    long rows()
    {
        return rows;
    }

    /**
     * Finish the file and move it into place.
     *
     * @return its size in bytes.
     * @throws IOException if it cannot be finished or moved.
     */
    long commit() throws IOException
    {
        done = true;
        try
        {
            writer.close();
        }
        catch (final IOException | RuntimeException ex)
        {
            Files.deleteIfExists(temporary);
            throw ex;
        }
        finally
        {
            codecs.release();
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return Files.size(target);
    }

    /** Drop the unfinished file. */
    void abort()
    {
        if (done)
        {
            return;
        }
        done = true;
        try
        {
            writer.close();
        }
        catch (final IOException | RuntimeException ignore)
        {
            // the temporary file is deleted below either way
        }
        finally
        {
            codecs.release();
        }
        try
        {
            Files.deleteIfExists(temporary);
        }
        catch (final IOException ignore)
        {
            // a hidden temporary file is left; the next export with --overwrite removes its folder
        }
    }

    @Override
    public void close()
    {
        abort();
    }

    /** Feeds rows to parquet-java's column writers (the Hadoop overload is abstract, so it must be there; never called). */
    @SuppressWarnings("deprecation")
    private static final class RowWriteSupport extends WriteSupport<ParquetTable.Row>
    {
        private final ParquetTable table;
        private final byte[] decimal = new byte[ParquetDecimal.BYTES];
        private RecordConsumer consumer;

        RowWriteSupport(final ParquetTable table)
        {
            this.table = table;
        }

        @Override
        public WriteContext init(final org.apache.hadoop.conf.Configuration configuration)
        {
            return new WriteContext(table.schema(), Map.of());
        }

        @Override
        public WriteContext init(final ParquetConfiguration configuration)
        {
            return new WriteContext(table.schema(), Map.of());
        }

        @Override
        public void prepareForWrite(final RecordConsumer recordConsumer)
        {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(final ParquetTable.Row row)
        {
            table.write(consumer, row, decimal);
        }
    }

    /** The writer's builder (the Hadoop overload is abstract, so it must be there; never called). */
    @SuppressWarnings("deprecation")
    private static final class Builder extends ParquetWriter.Builder<ParquetTable.Row, Builder>
    {
        private final ParquetTable table;

        Builder(final LocalOutputFile file, final ParquetTable table)
        {
            super(file);
            this.table = table;
        }

        @Override
        protected Builder self()
        {
            return this;
        }

        @Override
        protected WriteSupport<ParquetTable.Row> getWriteSupport(final org.apache.hadoop.conf.Configuration configuration)
        {
            return new RowWriteSupport(table);
        }

        @Override
        protected WriteSupport<ParquetTable.Row> getWriteSupport(final ParquetConfiguration configuration)
        {
            return new RowWriteSupport(table);
        }
    }
}
