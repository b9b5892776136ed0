package io.tickjournal.ops;

import java.util.Locale;

/**
 * One line of the benchmark table: a stage measured beside its reference in the same run, the ratio
 * between them, the allocation of ours, and the target the ratio is held to.
 *
 * @param stage         what was measured, e.g. {@code journal append, trade 76 B}.
 * @param ours          our figure, in {@code unit}.
 * @param reference     the reference's name, e.g. {@code raw Chronicle writingDocument}.
 * @param referenceValue the reference's figure in the same unit, measured in the same JVM run.
 * @param unit          {@code records/s} (higher is better) or {@code us} (latency: lower is better).
 * @param allocation    bytes allocated per record by ours, or NaN when not measured.
 * @param target        the ratio wanted, e.g. {@code >= 0.8x}, or empty.
 * @param targetRatio   the bound of the target, or NaN when there is none.
 */
record BenchRow(
    String stage, double ours, String reference, double referenceValue, String unit, double allocation, String target,
    double targetRatio)
{
    static final String THROUGHPUT = "records/s";
    static final String LATENCY = "us";

    static BenchRow throughput(
        final String stage, final double ours, final String reference, final double referenceValue, final double allocation,
        final double atLeast)
    {
        return new BenchRow(stage, ours, reference, referenceValue, THROUGHPUT, allocation,
            Double.isNaN(atLeast) ? "" : String.format(Locale.ROOT, ">= %.2fx", atLeast), atLeast);
    }

    static BenchRow latency(
        final String stage, final double oursUs, final String reference, final double referenceUs, final double allocation,
        final double atMost)
    {
        return new BenchRow(stage, oursUs, reference, referenceUs, LATENCY, allocation,
            Double.isNaN(atMost) ? "" : String.format(Locale.ROOT, "<= %.2fx", atMost), atMost);
    }

    /** Ours divided by the reference (for latency a ratio above 1 means slower). */
    double ratio()
    {
        return referenceValue == 0 ? Double.NaN : ours / referenceValue;
    }

    /** Whether the target holds, or null when there is none. */
    Boolean met()
    {
        if (Double.isNaN(targetRatio))
        {
            return null;
        }
        return THROUGHPUT.equals(unit) ? ratio() >= targetRatio : ratio() <= targetRatio;
    }

    static String figure(final double value, final String unit)
    {
        if (LATENCY.equals(unit))
        {
            return value < 10 ? String.format(Locale.ROOT, "%.2f µs", value) : String.format(Locale.ROOT, "%.1f µs", value);
        }
        if (value >= 1_000_000)
        {
            return String.format(Locale.ROOT, "%.2f M/s", value / 1e6);
        }
        return String.format(Locale.ROOT, "%,.0f/s", value);
    }

    String line()
    {
        final Boolean met = met();
        return String.format(Locale.ROOT, "%-44s ours %-11s %-40s %-11s ratio %5.2fx %s%s", stage, figure(ours, unit), reference,
            figure(referenceValue, unit), ratio(), target, met == null ? "" : met ? " (met)" : " (MISSED)");
    }
}
