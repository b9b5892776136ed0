package io.tickjournal.bridge;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one non-throwing error handler of a bridge: counts distinct errors and prints each
 * distinct one once (then every 1000th repeat), so a flapping network cannot flood the log.
 * Called on the bridge thread only.
 */
public final class ErrorReporter
{
    private final Map<String, Long> counts = new HashMap<>();
    private final Consumer<String> log;

    /**
     * @param log where reports go (e.g. System.err::println).
     */
    public ErrorReporter(final Consumer<String> log)
    {
        this.log = log;
    }

    /**
     * Report an error.
     *
     * @param what  what failed.
     * @param cause the exception, or null.
     */
    public void report(final String what, final Throwable cause)
    {
        final String key = what + (cause == null ? "" : ": " + cause);
        final long n = counts.merge(key, 1L, Long::sum);
        if (n == 1 || n % 1000 == 0)
        {
            log.accept("bridge: " + key + (n > 1 ? " (x" + n + ")" : ""));
        }
    }

    /**
     * How often an error was seen.
     *
     * @return distinct errors and their counts.
     */
    public Map<String, Long> counts()
    {
        return Map.copyOf(counts);
    }
}
