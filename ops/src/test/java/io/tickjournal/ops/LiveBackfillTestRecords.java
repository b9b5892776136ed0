package io.tickjournal.ops;

import io.tickjournal.journal.JournalTailer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a partition's records as byte arrays (tests). */
final class LiveBackfillTestRecords
{
    private LiveBackfillTestRecords()
    {
    }

    static List<byte[]> read(final Path dir)
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
