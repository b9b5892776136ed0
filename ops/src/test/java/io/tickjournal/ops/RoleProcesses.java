package io.tickjournal.ops;

import io.tickjournal.journal.JavaProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Role processes a test starts ({@code tickjournal <role>} in its own JVM, as production runs them) and kills at the end. */
final class RoleProcesses implements AutoCloseable
{
    private final Path dir;
    private final List<Process> started = new ArrayList<>();
    private int count;

    RoleProcesses(final Path dir)
    {
        this.dir = dir;
    }

    /** A started role and its log file. */
    record Role(Process process, Path log)
    {
        String output()
        {
            try
            {
                return Files.exists(log) ? Files.readString(log) : "";
            }
            catch (final IOException ex)
            {
                return "(log unreadable: " + ex + ")";
            }
        }

        /** Wait for a line in the log; false when the process ended or the time ran out first. */
        boolean await(final String text, final long timeoutS) throws InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
            while (System.nanoTime() < deadline)
            {
                if (output().contains(text))
                {
                    return true;
                }
                if (!process.isAlive())
                {
                    return output().contains(text);
                }
                Thread.sleep(20);
            }
            return false;
        }

        /** Wait for the process to end; its exit code, or -1 when it did not end in time. */
        int exit(final long timeoutS) throws InterruptedException
        {
            return process.waitFor(timeoutS, TimeUnit.SECONDS) ? process.exitValue() : -1;
        }

        /** The log without the JVM's and Chronicle's own warnings: what the role itself said. */
        String said()
        {
            final StringBuilder out = new StringBuilder();
            output().lines().filter(l -> !l.startsWith("WARNING") && !l.contains(" WARN net.openhft") && !l.contains("] INFO "))
                .forEach(l -> out.append(l).append('\n'));
            return out.toString();
        }
    }

    Role start(final String... args) throws IOException
    {
        final Path log = dir.resolve((count++) + "-" + args[0] + ".log");
        final Process process = JavaProcess.start(TickJournal.class, log, args);
        started.add(process);
        return new Role(process, log);
    }

    @Override
    public void close()
    {
        for (final Process p : started)
        {
            p.destroyForcibly();
        }
        for (final Process p : started)
        {
            try
            {
                p.waitFor(20, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
