package io.tickjournal.ops;

import io.tickjournal.journal.Pretoucher;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.decimal.Decimals;
import io.tickjournal.tailer.FeatureEngine;
import io.tickjournal.tailer.FeatureIds;
import io.tickjournal.tailer.FeatureJournalWriter;
import io.tickjournal.tailer.HandoffFeatureWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * Features over a range of days, computed by the same engine the live tailer runs, written as a
 * feature partition (FeatureSnapshot records) and, optionally, as CSV.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
    description = "Compute features over a range of days with the live engine; write a feature partition and CSV.")
public final class BackfillCommand implements Callable<Integer>
{
    @Option(names = "--journal", required = true, description = "journal directory")
    Path journal;

    @Option(names = "--partition", split = ",", description = "partitions (default: every normalized partition)")
    List<String> partitions;

    @Option(names = "--from-day", required = true, description = "first day, e.g. 2026-11-24")
    String fromDay;

    @Option(names = "--to-day", description = "last day, inclusive (default: --from-day)")
    String toDay;

    @Option(names = "--out", required = true, description = "feature partition directory to write (must not exist)")
    Path out;

    @Option(names = "--csv", description = "also write the features as CSV to this file")
    Path csv;

    @Option(names = "--windows-ms", split = ",", description = "feature windows (default: 1000,10000,60000)")
    long[] windowsMs = {1_000, 10_000, 60_000};

    @Option(names = "--imbalance-levels", description = "N of the top-N imbalance (default: ${DEFAULT-VALUE})", defaultValue = "5")
    int imbalanceLevels;

    @Option(names = "--threads", description = "2: features on this thread, appends on another (default); 1: both on this one",
        defaultValue = "2")
    int threads;

    @Override
    public Integer call() throws Exception
    {
        final int first = TradingDay.parse(fromDay);
        final int last = toDay == null ? first : TradingDay.parse(toDay);
        if (last < first)
        {
            throw new IllegalArgumentException("--to-day is before --from-day");
        }
        if (Files.exists(out))
        {
            throw new IllegalArgumentException("--out " + out + " exists; backfill writes a new feature partition");
        }
        if (threads != 1 && threads != 2)
        {
            throw new IllegalArgumentException("--threads must be 1 or 2, not " + threads);
        }
        final List<Path> dirs = Journals.partitions(journal, partitions, false);
        final FeatureEngine engine = new FeatureEngine(windowsMs, imbalanceLevels, 5000);
        final long[] rows = {0};
        final long[] records = {0};
        final Progress progress = new Progress(System.err, "backfill", 0);
        final long openStart = System.nanoTime();
        final long[] started = {0, 0};
        final long written;
        final String threadsNote;
        try (Pretoucher pretoucher = new Pretoucher(16 << 20);
            // A feature record for every input record, appended through Chronicle: as much work as computing
            // the features, so by default an appender thread does it while this one computes (the same bytes
            // in the same order; the appender is the partition's only writer).
            HandoffFeatureWriter handoff = threads == 2 ? new HandoffFeatureWriter(out, HandoffFeatureWriter.DEFAULT_RING_BYTES,
                pretoucher) : null;
            FeatureJournalWriter inline = threads == 1 ? new FeatureJournalWriter(out) : null;
            BufferedWriter csvOut = csv != null ? Files.newBufferedWriter(csv) : null)
        {
            if (inline != null)
            {
                // the first write to each new page of the feature partition is the kernel's work, done ahead
                // on the pretoucher's thread (as ingest does)
                inline.pretouchWith(pretoucher);
            }
            engine.addListener(handoff != null ? handoff : inline);
            if (csvOut != null)
            {
                final int[] ids = ids(windowsMs.length);
                csvOut.write("day,sequence,receive_time_ns,venue,instrument_id,canonical");
                for (final int id : ids)
                {
                    csvOut.write(',');
                    csvOut.write(FeatureIds.name(id, windowsMs));
                }
                csvOut.newLine();
                engine.addListener((instrument, f, day, seq, time) ->
                {
                    final StringBuilder line = new StringBuilder(256);
                    line.append(TradingDay.format(day)).append(',').append(seq).append(',').append(time).append(',')
                        .append(Venues.name(instrument.venueId())).append(',').append(instrument.instrumentId()).append(',')
                        .append(instrument.canonical());
                    for (final int id : ids)
                    {
                        line.append(',');
                        final int at = f.indexOf(id);
                        if (at >= 0)
                        {
                            Decimals.appendTo(line, f.mantissa(at), f.exponent(at));
                        }
                    }
                    try
                    {
                        csvOut.write(line.toString());
                        csvOut.newLine();
                    }
                    catch (final IOException ex)
                    {
                        throw new UncheckedIOException(ex);
                    }
                    rows[0]++;
                });
            }
            try (MergedReader reader = new MergedReader(dirs, TradingDay.startNs(first), TradingDay.startNs(last + 1)))
            {
                // timed from the first read, as replay is (opening loads Chronicle)
                started[0] = System.nanoTime();
                started[1] = BenchSupport.threadCpuNs();
                while (reader.read((p, d, s, b, o, l) ->
                {
                    engine.onRecord(d, s, b, o, l);
                    records[0]++;
                }, 4096) > 0)
                {
                    progress.update(records[0]);
                }
            }
            if (handoff != null)
            {
                handoff.finish(); // the appends still in the ring: part of the backfill's time
                written = handoff.written();
                threadsNote = String.format("appends on their own thread (its CPU time %.2f s; the features waited for room %,d times)",
                    handoff.appenderCpuNs() / 1e9, handoff.waitsForRoom());
            }
            else
            {
                if (inline.refused() > 0)
                {
                    progress.finish();
                    System.err.println("tickjournal backfill: the feature partition refused " + inline.refused() +
                        " records (no room on its disk?): " + out + " is incomplete");
                    return 1;
                }
                written = inline.written();
                threadsNote = "features and appends on this thread";
            }
        }
        catch (final HandoffFeatureWriter.AppendFailedException | UncheckedIOException ex)
        {
            if (started[0] == 0)
            {
                throw ex; // opening failed (a locked partition, no room): the command line's one line and exit 2
            }
            progress.finish();
            System.err.println("tickjournal backfill: failed after " + records[0] + " records: " + ex.getMessage());
            return 1;
        }
        catch (final RuntimeException ex)
        {
            if (started[0] == 0)
            {
                throw ex;
            }
            // the features' side failed: what was handed over is appended (the writer closed), then one line
            progress.finish();
            System.err.println("tickjournal backfill: failed after " + records[0] + " records: " + ex.getClass().getSimpleName() +
                ": " + ex.getMessage());
            return 1;
        }
        final long cpuNs = Math.max(1, BenchSupport.threadCpuNs() - started[1]);
        progress.finish();
        final long elapsedNs = Math.max(1, System.nanoTime() - started[0]);
        System.out.printf("backfill %s..%s: %,d records in, %,d feature records to %s%s; %,.0f records/s (%.2f s); " +
            "by this thread's CPU time %,.0f records/s (%.2f s); opening took %.2f s; %s%n",
            TradingDay.format(first), TradingDay.format(last), records[0], written, out,
            csv != null ? ", " + rows[0] + " CSV rows to " + csv : "", records[0] * 1e9 / elapsedNs, elapsedNs / 1e9,
            records[0] * 1e9 / cpuNs, cpuNs / 1e9, (started[0] - openStart) / 1e9,
            threadsNote);
        return 0;
    }

    static int[] ids(final int windows)
    {
        final TreeSet<Integer> ids = new TreeSet<>(List.of(FeatureIds.BEST_BID, FeatureIds.BEST_ASK, FeatureIds.MID,
            FeatureIds.SPREAD, FeatureIds.MICROPRICE, FeatureIds.IMBALANCE, FeatureIds.CROSS_BID, FeatureIds.CROSS_ASK,
            FeatureIds.CROSS_BID_VENUE, FeatureIds.CROSS_ASK_VENUE));
        for (int w = 0; w < windows; w++)
        {
            for (int k = 0; k <= FeatureIds.LAST_WINDOW_OFFSET; k++)
            {
                ids.add(FeatureIds.WINDOW_BASE + FeatureIds.WINDOW_STRIDE * w + k);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
