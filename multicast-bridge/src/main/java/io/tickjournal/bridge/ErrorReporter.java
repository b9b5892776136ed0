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
    private final String role;
    private final org.agrona.ErrorHandler errorHandler;

    /**
     * @param log where reports go (e.g. System.err::println).
     */
    public ErrorReporter(final Consumer<String> log)
    {
        this("bridge", log, null);
    }

    /**
     * @param role         the role whose errors these are (the log lines' prefix: "bridge", "replicate").
     * @param log          where reports go.
     * @param errorHandler also told of every error, e.g. to count it and keep it in a distinct error log (or null).
     */
    public ErrorReporter(final String role, final Consumer<String> log, final org.agrona.ErrorHandler errorHandler)
    {
        this.role = role;
        this.log = log;
        this.errorHandler = errorHandler;
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
            log.accept(role + ": " + key + (n > 1 ? " (x" + n + ")" : ""));
        }
        if (errorHandler != null)
        {
            errorHandler.onError(new ReportedError(what, cause));
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

    /** An error reported by a component, as a throwable for an error log (its stack names where it was reported). */
    private static final class ReportedError extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        ReportedError(final String what, final Throwable cause)
        {
            super(what, cause);
        }
    }
}
