package io.tickjournal.ingest;

import io.tickjournal.journal.Records;
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
}
