package io.tickjournal.ops;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the Linux scheduler did to each thread of this JVM between two snapshots, read from
 * {@code /proc/self/task/*}: time on a CPU and time runnable but waiting for one ({@code schedstat}),
 * and voluntary and involuntary context switches ({@code status}). A benchmark thread that was
 * descheduled while a record waited for it shows here as run delay and involuntary switches.
 * Threads are named by their {@code comm} (the first 15 characters of the Java thread name).
 * Reading allocates: take snapshots before and after a measurement, never inside one. On a system
 * without {@code /proc} the snapshots are empty.
 */
final class ThreadSched
{
    /** Per thread: on-CPU ns, run-delay ns, voluntary switches, involuntary switches. */
    private final Map<String, long[]> byThread;

    private ThreadSched(final Map<String, long[]> byThread)
    {
        this.byThread = byThread;
    }

    static ThreadSched snapshot()
    {
        final Map<String, long[]> byThread = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task")))
        {
            for (final Path task : tasks)
            {
                try
                {
                    final String comm = Files.readString(task.resolve("comm")).trim() + " (" + task.getFileName() + ")";
                    final String[] schedstat = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
                    long voluntary = 0;
                    long involuntary = 0;
                    for (final String line : Files.readAllLines(task.resolve("status")))
                    {
                        if (line.startsWith("voluntary_ctxt_switches:"))
                        {
                            voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                        else if (line.startsWith("nonvoluntary_ctxt_switches:"))
                        {
                            involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                    byThread.put(comm, new long[] {Long.parseLong(schedstat[0]), Long.parseLong(schedstat[1]), voluntary, involuntary});
                }
                catch (final IOException | RuntimeException ex)
                {
                    // the thread ended while it was read
                }
            }
        }
        catch (final IOException ex)
        {
            // no /proc: nothing to report
        }
        return new ThreadSched(byThread);
    }

    /**
     * Print, for each thread whose name starts with one of {@code prefixes} or that was on a CPU more
     * than 2% of the time, what changed since {@code before}.
     *
     * @param before   the earlier snapshot.
     * @param seconds  the time between the two, to print shares of it.
     * @param indent   printed before each line.
     * @param prefixes thread names to report.
     */
    void printSince(final ThreadSched before, final double seconds, final String indent, final String... prefixes)
    {
        for (final Map.Entry<String, long[]> e : byThread.entrySet())
        {
            final long[] now = e.getValue();
            final long[] then = before.byThread.getOrDefault(e.getKey(), new long[4]);
            // the named threads, and any other that took more than 2% of a CPU (JIT compilers, GC)
            boolean wanted = now[0] - then[0] > 0.02 * seconds * 1e9;
            for (final String prefix : prefixes)
            {
                wanted |= e.getKey().startsWith(prefix);
            }
            if (!wanted)
            {
                continue;
            }
            System.out.printf("%s%-26s on cpu %5.1f%%  runnable, waiting for a cpu %5.1f%% (%,.1f ms)  " +
                    "switches: voluntary %,d, involuntary %,d%n",
                indent, e.getKey(), 100.0 * (now[0] - then[0]) / (seconds * 1e9), 100.0 * (now[1] - then[1]) / (seconds * 1e9),
                (now[1] - then[1]) / 1e6, now[2] - then[2], now[3] - then[3]);
        }
    }
}
