package io.tickjournal.ops;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.JournalVerifier;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import io.tickjournal.tailer.BookRecords;
import io.tickjournal.tailer.OrderBook;
import org.agrona.collections.Long2ObjectHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Checks partitions' integrity and names exactly where something breaks: complete frames,
 * decodable records, dense sequences, times in their day, and (unless {@code --no-books}) books
 * that rebuild cleanly from the records.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Check journal partitions: complete frames, decodable records, dense sequences, times in their day, books that rebuild.")
public final class VerifyCommand implements Callable<Integer>
{
    @Parameters(arity = "1..*", paramLabel = "PARTITION_DIR", description = "partition directories (or a journal directory) to check")
    Path[] partitions;

    @Option(names = "--no-books",
        description = "skip rebuilding the books (by default every book is rebuilt and deltas without a snapshot and crossed books are reported)")
    boolean noBooks;

    @Override
    public Integer call()
    {
        boolean ok = true;
        final List<Path> dirs = new ArrayList<>();
        for (final Path partition : partitions)
        {
            if (!Files.isDirectory(partition))
            {
                System.err.println(partition + ": no such partition directory");
                ok = false;
            }
            else if (io.tickjournal.journal.Partition.hasCycleFiles(partition))
            {
                dirs.add(partition);
            }
            else
            {
                dirs.addAll(Journals.partitions(partition, List.of(), true));
            }
        }
        for (final Path partition : dirs)
        {
            final JournalVerifier.Report report = JournalVerifier.verify(partition);
            System.out.printf("%s: %s, %,d records in %d day(s)%n", partition, report.ok() ? "OK" : "BROKEN",
                report.records(), report.days().size());
            for (final JournalVerifier.DayReport day : report.days())
            {
                System.out.printf("  %s %-16s %,12d records%s%n", TradingDay.format(day.day()), day.file(), day.records(),
                    day.closed() ? "  (closed)" : "");
            }
            printProblems(partition, report.problems().stream().map(Object::toString).toList(), report.problems().size());
            ok &= report.ok();
            if (!noBooks && report.ok() && !partition.getFileName().toString().endsWith(".raw"))
            {
                final List<String> problems = checkBooks(partition, report.records());
                printProblems(partition, problems, problems.size());
                if (problems.isEmpty())
                {
                    System.out.println("  books rebuild cleanly");
                }
                ok &= problems.isEmpty();
            }
        }
        return ok ? 0 : 1;
    }

    /** Examples printed per partition after its summary line. */
    static final int EXAMPLES = 3;

    /**
     * One summary line per partition (how many problems, by kind: the reason with its numbers
     * taken out) and at most {@link #EXAMPLES} of them in full: a broken partition can have tens of
     * thousands, and the operator needs the kind and where it starts, not every one.
     */
    static void printProblems(final Path partition, final List<String> problems, final long total)
    {
        if (problems.isEmpty())
        {
            return;
        }
        final java.util.Map<String, Long> byKind = new java.util.LinkedHashMap<>();
        for (final String problem : problems)
        {
            final String reason = problem.substring(problem.indexOf(": ") + 2);
            byKind.merge(reason.replaceAll("-?\\d[\\d,]*", "N"), 1L, Long::sum);
        }
        final StringBuilder kinds = new StringBuilder();
        byKind.forEach((kind, n) -> kinds.append(kinds.length() == 0 ? "" : "; ").append(String.format("%,d x %s", n, kind)));
        System.out.printf("  BROKEN %s: %,d problem(s): %s%n", partition.getFileName(), total, kinds);
        problems.stream().limit(EXAMPLES).forEach(p -> System.out.println("  PROBLEM " + p));
        if (total > EXAMPLES)
        {
            System.out.printf("  ... and %,d more%n", total - EXAMPLES);
        }
    }

    /**
     * Rebuild each (venue, instrument) book with {@link BookRecords}, the rule the feature engine
     * uses (only a gap of the book stream, or of the whole feed, invalidates a book); report deltas
     * on a book that never had a snapshot and books left crossed.
     */
    static List<String> checkBooks(final Path partition, final long total)
    {
        final List<String> problems = new ArrayList<>();
        final Long2ObjectHashMap<OrderBook> byKey = new Long2ObjectHashMap<>();
        final org.agrona.collections.LongHashSet resetSeen = new org.agrona.collections.LongHashSet();
        final BookRecords books = new BookRecords();
        final OrderBook noBook = new OrderBook(0, 0, 1);
        final Progress progress = new Progress(System.err, "books " + partition.getFileName(), total);
        final long[] n = {0};
        try (JournalTailer tailer = JournalTailer.open(partition, null))
        {
            while (problems.size() < 20 && tailer.readOne((day, seq, b, o, l) ->
            {
                n[0]++;
                final int template = Records.templateId(b, o);
                final int instrumentId = Records.instrumentId(b, o);
                if (template != BookSnapshotDecoder.TEMPLATE_ID && template != BookDeltaDecoder.TEMPLATE_ID &&
                    (template != VenueStatusDecoder.TEMPLATE_ID || instrumentId == 0))
                {
                    progress.update(n[0]);
                    return;
                }
                final long key = ((long)Records.venueId(b, o) << 32) | (instrumentId & 0xFFFF_FFFFL);
                final String where = TradingDay.format(day) + "/" + seq;
                OrderBook book = byKey.get(key);
                if (book == null)
                {
                    if (template == BookSnapshotDecoder.TEMPLATE_ID)
                    {
                        book = new OrderBook(0, 0, 10_000);
                        byKey.put(key, book);
                    }
                    else
                    {
                        if (template == BookDeltaDecoder.TEMPLATE_ID)
                        {
                            problems.add(partition.getFileName() + " " + where + ": delta for instrument " + instrumentId +
                                " with no snapshot before it");
                        }
                        else if (books.apply(noBook, template, b, o) == BookRecords.INVALIDATED)
                        {
                            resetSeen.add(key);
                        }
                        progress.update(n[0]);
                        return;
                    }
                }
                switch (books.apply(book, template, b, o))
                {
                    case BookRecords.SNAPSHOT_APPLIED:
                        if (book.crossed())
                        {
                            problems.add(partition.getFileName() + " " + where + ": snapshot of instrument " + instrumentId +
                                " is crossed");
                        }
                        break;
                    case BookRecords.DELTA_APPLIED:
                        if (book.crossed())
                        {
                            problems.add(partition.getFileName() + " " + where + ": book of instrument " + instrumentId +
                                " crossed after this delta (bid " + book.bidPrice(0) + " >= ask " + book.askPrice(0) + ")");
                        }
                        break;
                    case BookRecords.DELTA_WITHOUT_BOOK:
                        if (!resetSeen.contains(key))
                        {
                            problems.add(partition.getFileName() + " " + where + ": delta for instrument " + instrumentId +
                                " with no snapshot before it");
                        }
                        break;
                    case BookRecords.INVALIDATED:
                        resetSeen.add(key);
                        break;
                    default:
                        break;
                }
                progress.update(n[0]);
            }))
            {
                // scan
            }
        }
        progress.finish();
        return problems;
    }
}
