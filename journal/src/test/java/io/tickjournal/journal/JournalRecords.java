package io.tickjournal.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A whole partition read back as copies of its records (tests of every module). */
public final class JournalRecords
{
    private JournalRecords()
    {
    }

    /**
     * @param dir a partition.
     * @return its records in order, each copied.
     */
    public static List<byte[]> readAll(final Path dir)
    {
        final List<byte[]> out = new ArrayList<>();
        try (JournalTailer tailer = JournalTailer.open(dir, null))
        {
            while (tailer.readOne((d, s, b, o, l) ->
            {
                final byte[] copy = new byte[l];
                b.getBytes(o, copy);
                out.add(copy);
            }))
            {
                // all
            }
        }
        return out;
    }
}
