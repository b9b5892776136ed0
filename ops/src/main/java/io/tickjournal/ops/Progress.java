package io.tickjournal.ops;

import java.io.PrintStream;

/**
 * Progress of long work: a redrawn bar with rate and time left when attached to a terminal,
 * plain progress lines every few seconds when not (logs, CI). Call {@link #update} often; it
 * prints at most a few times a second.
 */
public final class Progress
{
    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean terminal;
    private final long startNs = System.nanoTime();
    private long lastPrintNs;
    private long done;

    /**
     * @param out   where to print (stderr, so stdout stays clean for data).
     * @param label what is being done.
     * @param total units of work expected (0 when unknown).
     */
    public Progress(final PrintStream out, final String label, final long total)
    {
        this(out, label, total, System.console() != null);
    }

    Progress(final PrintStream out, final String label, final long total, final boolean terminal)
    {
        this.out = out;
        this.label = label;
        this.total = total;
        this.terminal = terminal;
    }

    /**
     * @param doneSoFar units done.
     */
    public void update(final long doneSoFar)
    {
        done = doneSoFar;
        final long now = System.nanoTime();
        if (now - lastPrintNs < (terminal ? 200_000_000L : 5_000_000_000L))
        {
            return;
        }
        lastPrintNs = now;
        print(false);
    }

    /** Print the final line. */
    public void finish()
    {
        print(true);
    }

    private void print(final boolean last)
    {
        final double seconds = Math.max(1e-9, (System.nanoTime() - startNs) / 1e9);
        final double rate = done / seconds;
        final String left = total > 0 && rate > 0 && done < total ? String.format(", %s left", time((total - done) / rate)) : "";
        final String counts = total > 0 ? String.format("%,d/%,d", done, total) : String.format("%,d", done);
        if (terminal)
        {
            final int width = 30;
            final int filled = total > 0 ? (int)Math.min(width, width * done / Math.max(1, total)) : 0;
            out.printf("\r%s [%s%s] %s  %,.0f/s%s   ", label, "#".repeat(filled), ".".repeat(width - filled), counts, rate, left);
            if (last)
            {
                out.println();
            }
        }
        else
        {
            out.printf("%s: %s records, %,.0f/s%s%s%n", label, counts, rate, left, last ? String.format(", done in %s", time(seconds)) : "");
        }
        out.flush();
    }

    private static String time(final double seconds)
    {
        if (seconds < 60)
        {
            return String.format("%.1f s", seconds);
        }
        return String.format("%d min %02d s", (long)seconds / 60, (long)seconds % 60);
    }
}
