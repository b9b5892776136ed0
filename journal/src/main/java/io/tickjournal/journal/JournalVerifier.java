package io.tickjournal.journal;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks a partition's integrity from the bytes on disk, without Chronicle: every excerpt frame
 * is complete, every record decodes, sequences are dense, receive times stay in their day and do
 * not go back, and each file ends as Chronicle ends files. It names exactly where a file breaks.
 * <p>
 * <b>Feature partitions</b> have their own rule: a FeatureSnapshot carries the receive time and
 * index of the input record it follows, and the tailer's inputs are several partitions
 * interleaved, so receive time may go back between records (and a feature of the last input of a
 * day may land in the next day's file). Instead, per input venue the input index must strictly
 * increase (a repeat or a step back is a duplicate, e.g. after a tailer restart), and the receive
 * time must lie within the file's day or the day before.
 * <p>
 * It reads the files read-only and never extends them. (Opening a truncated cycle with Chronicle
 * silently re-extends it with zeros, so the records after the cut simply seem never to have
 * existed; that is why the check runs on the raw frames.)
 *
 * <pre>
 * Chronicle excerpt framing (4-byte aligned):
 * | bits  | meaning                                       |
 * |=======|===============================================|
 * | 31    | not complete (a writer died mid-write)        |
 * | 30    | metadata (index, header), not a record        |
 * | 0-29  | length of the excerpt after this header       |
 * header 0 = never written; 0xC0000000 = end of the cycle.
 * </pre>
 */
public final class JournalVerifier
{
    private static final Pattern CYCLE_FILE = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})F\\.cq4");
    private static final int LENGTH_MASK = 0x3FFF_FFFF;
    private static final int NOT_COMPLETE = 0x8000_0000;
    private static final int META_DATA = 0x4000_0000;
    private static final int END_OF_DATA = NOT_COMPLETE | META_DATA;
    private static final long WINDOW = 256L << 20;

    /** Where and what broke. */
    public record Problem(String file, int day, long sequence, long byteOffset, String reason)
    {
        @Override
        public String toString()
        {
            return file + " (day " + TradingDay.format(day) + ") at byte " + byteOffset +
                (sequence > 0 ? ", record seq " + sequence : "") + ": " + reason;
        }
    }

    /** What one day's file holds. */
    public record DayReport(int day, String file, long records, long firstReceiveTimeNs, long lastReceiveTimeNs, boolean closed)
    {
    }

    /** The whole partition's verdict. */
    public record Report(Path partition, List<DayReport> days, List<Problem> problems)
    {
        public boolean ok()
        {
            return problems.isEmpty();
        }

        public long records()
        {
            return days.stream().mapToLong(DayReport::records).sum();
        }
    }

    private JournalVerifier()
    {
    }

    /**
     * Verify every cycle file of a partition.
     *
     * @param partitionDir the partition directory.
     * @return the report; {@link Report#ok()} when nothing is wrong.
     */
    public static Report verify(final Path partitionDir)
    {
        final List<DayReport> days = new ArrayList<>();
        final List<Problem> problems = new ArrayList<>();
        final List<Path> files;
        try (Stream<Path> list = Files.list(partitionDir))
        {
            files = list.filter(p -> CYCLE_FILE.matcher(p.getFileName().toString()).matches()).sorted()
                .collect(Collectors.toList());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list partition " + partitionDir, ex);
        }
        for (int i = 0; i < files.size(); i++)
        {
            final Path file = files.get(i);
            final DayReport report = verifyFile(file, dayOf(file), problems);
            days.add(report);
            if (i < files.size() - 1 && !report.closed())
            {
                // a later day exists, so the writer moved on; Chronicle closes a day with an end marker
                problems.add(new Problem(file.getFileName().toString(), report.day(), 0, -1,
                    "day has no end-of-cycle marker although a later day exists (writer died before the roll, or the file was cut)"));
            }
        }
        return new Report(partitionDir, days, problems);
    }

    private static int dayOf(final Path file)
    {
        final Matcher m = CYCLE_FILE.matcher(file.getFileName().toString());
        if (!m.matches())
        {
            throw new IllegalArgumentException("not a cycle file: " + file);
        }
        return TradingDay.parse(m.group(1) + "-" + m.group(2) + "-" + m.group(3));
    }

    private static DayReport verifyFile(final Path file, final int day, final List<Problem> problems)
    {
        final String name = file.getFileName().toString();
        final long dayStart = TradingDay.startNs(day);
        final long dayEnd = dayStart + TradingDay.NANOS_PER_DAY;
        long records = 0;
        final org.agrona.collections.Int2ObjectHashMap<long[]> lastInputByVenue = new org.agrona.collections.Int2ObjectHashMap<>();
        long firstTime = Records.NULL_LONG;
        long lastTime = Records.NULL_LONG;
        boolean closed = false;

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            final UnsafeBuffer view = new UnsafeBuffer(0, 0);
            long windowStart = 0;
            MappedByteBuffer mapped = null;
            long position = 0;

            while (true)
            {
                if (position + 4 > size)
                {
                    problems.add(new Problem(name, day, records + 1, position,
                        "file ends at byte " + size + " with no end-of-data: truncated after record " + records));
                    break;
                }
                if (mapped == null || position + 4 > windowStart + mapped.capacity())
                {
                    windowStart = position;
                    mapped = channel.map(FileChannel.MapMode.READ_ONLY, windowStart, Math.min(WINDOW, size - windowStart));
                    view.wrap(mapped);
                }
                final int header = view.getInt((int)(position - windowStart), Records.ORDER);
                if (header == 0)
                {
                    break; // never written: the end of this day's data so far
                }
                if (header == END_OF_DATA)
                {
                    closed = true;
                    break;
                }
                final int length = header & LENGTH_MASK;
                final long end = position + 4 + length;
                if ((header & NOT_COMPLETE) != 0)
                {
                    problems.add(new Problem(name, day, records + 1, position,
                        "excerpt of " + length + " bytes was never completed (a writer died mid-write)"));
                    break;
                }
                if (end > size)
                {
                    problems.add(new Problem(name, day, records + 1, position,
                        "excerpt claims " + length + " bytes but the file ends at byte " + size + ": truncated"));
                    break;
                }
                if ((header & META_DATA) == 0)
                {
                    records++;
                    if (end > windowStart + mapped.capacity())
                    {
                        windowStart = position;
                        mapped = channel.map(FileChannel.MapMode.READ_ONLY, windowStart, Math.min(Math.max(WINDOW, 4L + length), size - windowStart));
                        view.wrap(mapped);
                    }
                    final int offset = (int)(position + 4 - windowStart);
                    final int valid = RecordValidator.validate(view, offset, length);
                    if (valid != RecordValidator.OK)
                    {
                        problems.add(new Problem(name, day, records, position,
                            "record does not decode: " + RecordValidator.describe(valid) + " (" + length + " bytes)"));
                    }
                    else
                    {
                        final long receiveTimeNs = Records.receiveTimeNs(view, offset);
                        if (Records.templateId(view, offset) == io.tickjournal.journal.sbe.FeatureSnapshotDecoder.TEMPLATE_ID)
                        {
                            final String wrong = checkFeature(view, offset, receiveTimeNs, dayStart, dayEnd, lastInputByVenue);
                            if (wrong != null)
                            {
                                problems.add(new Problem(name, day, records, position, wrong));
                            }
                            firstTime = firstTime == Records.NULL_LONG ? receiveTimeNs : firstTime;
                            lastTime = lastTime == Records.NULL_LONG ? receiveTimeNs : Math.max(lastTime, receiveTimeNs);
                            position = (end + 3) & ~3L;
                            continue;
                        }
                        final boolean deferred = (Records.flags(view, offset) & Records.FLAG_DEFERRED) != 0;
                        if (deferred)
                        {
                            // Held back for a book join: received earlier, journaled now (never later than now).
                            if (lastTime != Records.NULL_LONG && receiveTimeNs > lastTime)
                            {
                                problems.add(new Problem(name, day, records, position,
                                    "deferred record received " + (receiveTimeNs - lastTime) + " ns after the record before it"));
                            }
                        }
                        else if (receiveTimeNs < dayStart || receiveTimeNs >= dayEnd)
                        {
                            problems.add(new Problem(name, day, records, position,
                                "receive time " + receiveTimeNs + " is outside the day"));
                        }
                        else if (lastTime != Records.NULL_LONG && receiveTimeNs < lastTime)
                        {
                            problems.add(new Problem(name, day, records, position,
                                "receive time goes back by " + (lastTime - receiveTimeNs) + " ns"));
                        }
                        if (firstTime == Records.NULL_LONG)
                        {
                            firstTime = receiveTimeNs;
                        }
                        lastTime = deferred ? lastTime : Math.max(lastTime, receiveTimeNs);
                    }
                }
                position = (end + 3) & ~3L;
            }
        }
        catch (final IOException ex)
        {
            problems.add(new Problem(name, day, 0, -1, "cannot read: " + ex));
        }
        return new DayReport(day, name, records, firstTime, lastTime, closed);
    }

    /** The feature partition's rule (see the class comment): the reason a feature record breaks it, or null. */
    private static String checkFeature(
        final UnsafeBuffer view, final int offset, final long receiveTimeNs, final long dayStart, final long dayEnd,
        final org.agrona.collections.Int2ObjectHashMap<long[]> lastInputByVenue)
    {
        if (receiveTimeNs < dayStart - TradingDay.NANOS_PER_DAY || receiveTimeNs >= dayEnd)
        {
            return "feature input receive time " + receiveTimeNs + " is outside the day and the day before";
        }
        final int venueId = Records.venueId(view, offset);
        final long inputIndex = view.getLong(offset + Records.RAW_INDEX_OFFSET, Records.ORDER);
        final long[] last = lastInputByVenue.computeIfAbsent(venueId, v -> new long[] {Long.MIN_VALUE});
        if (inputIndex <= last[0])
        {
            return "feature input of venue " + venueId + " does not move forward (" + inputIndex + " after " + last[0] +
                "): a duplicate or out-of-order feature";
        }
        last[0] = inputIndex;
        return null;
    }
}
