package io.tickjournal.ops;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rows a benchmark run measured beside their references, printed as lines by each benchmark and
 * as one Markdown table (with the machine and the date) by {@code bench all}. One thread.
 */
final class BenchReport
{
    private final List<BenchRow> rows = new ArrayList<>();

    void add(final BenchRow row)
    {
        rows.add(row);
        System.out.println("  => " + row.line());
    }

    void addAll(final BenchReport other)
    {
        rows.addAll(other.rows);
    }

    List<BenchRow> rows()
    {
        return rows;
    }

    /** The machine the numbers belong to: CPUs, memory, OS, JVM. */
    static String machine()
    {
        final String cpu = cpuModel();
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        String host;
        try
        {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (final Exception ex)
        {
            host = "?";
        }
        return String.format(Locale.ROOT, "%s: %d vCPUs (%s), %.1f GiB RAM, load average %.2f, %s %s, Java %s (%s)", host,
            Runtime.getRuntime().availableProcessors(), cpu, os.getTotalMemorySize() / (double)(1L << 30),
            os.getSystemLoadAverage(), System.getProperty("os.name"), System.getProperty("os.version"),
            System.getProperty("java.version"), System.getProperty("java.vm.name"));
    }

    private static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final Exception ex)
        {
            // not Linux: leave it out
        }
        return "cpu model unknown";
    }

    String markdown(final String machine, final Instant date)
    {
        final StringBuilder sb = new StringBuilder(4096);
        sb.append("Measured ").append(date.truncatedTo(ChronoUnit.SECONDS)).append(" on ").append(machine).append('\n').append('\n');
        sb.append("| stage | ours | reference (same run) | reference | ratio | target | allocation, ours |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (final BenchRow row : rows)
        {
            final Boolean met = row.met();
            sb.append("| ").append(row.stage())
                .append(" | ").append(BenchRow.figure(row.ours(), row.unit()))
                .append(" | ").append(row.reference())
                .append(" | ").append(BenchRow.figure(row.referenceValue(), row.unit()))
                .append(" | ").append(String.format(Locale.ROOT, "%.2fx", row.ratio()))
                .append(" | ").append(row.target().isEmpty() ? "" : row.target() + (met ? " met" : " **missed**"))
                .append(" | ").append(Double.isNaN(row.allocation()) ? "" : String.format(Locale.ROOT, "%.3f B/record", row.allocation()))
                .append(" |\n");
        }
        return sb.toString();
    }
}
