package io.tickjournal.ops;

import net.openhft.affinity.Affinity;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ThreadFactory;

/** Shared pieces of the benchmark harnesses: allocation counter, percentile lines. */
final class BenchSupport
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private BenchSupport()
    {
    }

    /** Bytes this thread has allocated so far (HotSpot's per-thread TLAB accounting). */
    static long allocatedBytes()
    {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** A writer further ahead of its schedule than this sleeps; nearer, it writes at once. */
    static final long PACING_SLACK_NS = 20_000;

    /**
     * The latency benchmarks' writers' pacing (the pipeline's and both NIO references', so all three
     * offer records alike): sleep, never spin, when the next record is due more than
     * {@link #PACING_SLACK_NS} from now (on a small machine a writer must leave the CPUs to the agents);
     * a record whose time has come is written at once, so records leave in small bursts, as frames do.
     *
     * @param dueNs when the next record is due, on {@link System#nanoTime()}'s clock.
     */
    static void sleepUntilDue(final long dueNs)
    {
        final long ahead = dueNs - System.nanoTime();
        if (ahead > PACING_SLACK_NS)
        {
            java.util.concurrent.locks.LockSupport.parkNanos(ahead);
        }
    }

    /** CPU time this thread has used so far, in ns: a rate that the machine's other load does not move much. */
    static long threadCpuNs()
    {
        return THREADS.getCurrentThreadCpuTime();
    }

    /**
     * Threads for a benchmark's agents that first bind themselves to one CPU, as the roles do with
     * {@code bridge.cpu} and {@code tailer.cpu}; the agent runner names them. A CPU the machine
     * refuses (outside the process's cpuset) is said in one line and the thread runs unpinned.
     *
     * @param cpu the CPU, or -1 to leave the thread to the scheduler.
     * @return the factory.
     */
    static ThreadFactory pinnedTo(final int cpu)
    {
        return body -> new Thread(() ->
        {
            if (cpu >= 0)
            {
                try
                {
                    Affinity.setAffinity(cpu);
                }
                catch (final RuntimeException ex)
                {
                    System.out.println(Thread.currentThread().getName() + " not pinned to cpu " + cpu + " (" + ex + "); running unpinned");
                }
            }
            body.run();
        });
    }

    static String percentiles(final Histogram h)
    {
        return String.format("p50 %s  p90 %s  p99 %s  p99.9 %s  p99.99 %s  max %s",
            micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(90)), micros(h.getValueAtPercentile(99)),
            micros(h.getValueAtPercentile(99.9)), micros(h.getValueAtPercentile(99.99)), micros(h.getMaxValue()));
    }

    static String micros(final long ns)
    {
        return ns < 10_000 ? String.format("%.2f us", ns / 1000.0) : String.format("%.1f us", ns / 1000.0);
    }
}
