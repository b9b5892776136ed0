package io.tickjournal.ops;

import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;

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

    /** CPU time this thread has used so far, in ns: a rate that the machine's other load does not move much. */
    static long threadCpuNs()
    {
        return THREADS.getCurrentThreadCpuTime();
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
