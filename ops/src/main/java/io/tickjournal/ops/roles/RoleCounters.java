package io.tickjournal.ops.roles;

import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The counters and error log of one role process, in one memory-mapped file that other processes
 * read while it runs ({@code tickjournal counters}, {@code tickjournal errors}), as Aeron's CnC
 * file is read by AeronStat. Agrona's {@link CountersManager} lays out the counters and
 * {@link DistinctErrorLog} the errors; this class only adds a header so a reader finds them.
 * <p>
 * File {@code <dir>/<role>-<pid>.counters}:
 * <pre>
 * | offset | field                                  |
 * |--------|----------------------------------------|
 * | 0      | int magic 0x544A4331 ("TJC1")          |
 * | 4      | int metadata length                    |
 * | 8      | int values length                      |
 * | 12     | int error log length                   |
 * | 16     | long pid                               |
 * | 24     | long start time, ms since epoch        |
 * | 32     | 32 bytes role name, ASCII, 0-padded    |
 * | 64     | counters metadata, values, error log   |
 * </pre>
 * The role's own components keep plain fields owned by their threads (no cross-thread stores on
 * the tick path); a {@link Mirror} per owning thread copies them into the mapped counters
 * periodically, on that thread, with release stores, so a reader sees each value whole and
 * recent. The error handler given to every agent runner counts into {@link #errors()} and records
 * each distinct error (class, message, stack) once with its count and first/last time.
 * <p>
 * The file is deleted on a clean close; a file left by a killed process is shown as stale by the
 * readers (its PID no longer runs).
 */
public final class RoleCounters implements AutoCloseable
{
    /** "TJC1". */
    public static final int MAGIC = 0x544A_4331;
    /** Bytes before the counters metadata. */
    public static final int HEADER_LENGTH = 64;
    /** Counters a role may have. */
    public static final int MAX_COUNTERS = 512;
    /** Bytes of distinct errors kept. */
    public static final int ERROR_LOG_LENGTH = 1 << 20;
    /** File name suffix. */
    public static final String SUFFIX = ".counters";
    /** How often mirrors copy the components' fields. */
    public static final long MIRROR_INTERVAL_NS = 100_000_000L;

    private final Path file;
    private final MappedByteBuffer mapped;
    private final CountersManager counters;
    private final DistinctErrorLog errorLog;
    private final AtomicCounter errors;
    private final String role;
    private final java.util.function.Consumer<String> log;

    /**
     * Create the counters file of this process.
     *
     * @param dir  the counters directory (created if missing).
     * @param role the role's name.
     * @param log  where errors are also logged (one line each, the first time they are seen).
     * @return the counters.
     * @throws UncheckedIOException when the directory cannot be written.
     */
    public static RoleCounters create(final Path dir, final String role, final java.util.function.Consumer<String> log)
    {
        final Path file = dir.resolve(role + "-" + ProcessHandle.current().pid() + SUFFIX);
        try
        {
            Files.createDirectories(dir);
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("counters directory " + dir + " cannot be written (" + ex.getMessage() + ")", ex);
        }
        return new RoleCounters(file, role, log);
    }

    private RoleCounters(final Path file, final String role, final java.util.function.Consumer<String> log)
    {
        this.file = file;
        this.role = role;
        this.log = log;
        final int metadataLength = MAX_COUNTERS * CountersReader.METADATA_LENGTH;
        final int valuesLength = MAX_COUNTERS * CountersReader.COUNTER_LENGTH;
        final long length = HEADER_LENGTH + metadataLength + valuesLength + ERROR_LOG_LENGTH;
        try
        {
            mapped = IoUtil.mapNewFile(file.toFile(), length, true);
        }
        catch (final RuntimeException ex)
        {
            throw new UncheckedIOException(new IOException("counters file " + file + " cannot be created (" + ex.getMessage() + ")", ex));
        }
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        header.putInt(4, metadataLength);
        header.putInt(8, valuesLength);
        header.putInt(12, ERROR_LOG_LENGTH);
        header.putLong(16, ProcessHandle.current().pid());
        header.putLong(24, System.currentTimeMillis());
        final byte[] name = role.getBytes(StandardCharsets.US_ASCII);
        header.putBytes(32, name, 0, Math.min(32, name.length));
        counters = new CountersManager(new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength),
            new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength, valuesLength), StandardCharsets.US_ASCII);
        errorLog = new DistinctErrorLog(new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength + valuesLength, ERROR_LOG_LENGTH),
            SystemEpochClock.INSTANCE, StandardCharsets.UTF_8);
        header.putIntRelease(0, MAGIC);
        errors = counters.newCounter(role + ": errors");
    }

    /** @return the role's name. */
    public String role()
    {
        return role;
    }

    /** @return the file. */
    public Path file()
    {
        return file;
    }

    /** @return the count of errors handled (distinct ones are in the error log). */
    public AtomicCounter errors()
    {
        return errors;
    }

    /**
     * A new counter (any thread, at start-up).
     *
     * @param label what it counts, e.g. "bridge binance-spot: packets sent".
     * @return the counter.
     */
    public synchronized AtomicCounter newCounter(final String label)
    {
        return counters.newCounter(label);
    }

    /**
     * The one non-throwing error handler of a component: counts, records distinct errors, logs each
     * distinct one the first time (a flapping error cannot flood the log).
     *
     * @param component who reports, e.g. "bridge" (prefix of the log line).
     * @return the handler (thread-safe).
     */
    public org.agrona.ErrorHandler errorHandler(final String component)
    {
        return error ->
        {
            errors.increment();
            if (errorLog.record(error) && isNew(error))
            {
                log.accept(component + ": " + error);
            }
        };
    }

    /**
     * An error handler that counts and records only, for components that log their errors themselves.
     *
     * @return the handler (thread-safe).
     */
    public org.agrona.ErrorHandler errorRecorder()
    {
        return error ->
        {
            errors.increment();
            errorLog.record(error);
        };
    }

    /**
     * The error handler of a component of a role that may run without counters (in-process tests).
     *
     * @param counters  the counters, or null.
     * @param component who reports.
     * @param log       where errors are logged.
     * @return the handler.
     */
    static org.agrona.ErrorHandler handler(final RoleCounters counters, final String component, final java.util.function.Consumer<String> log)
    {
        return counters != null ? counters.errorHandler(component) : error -> log.accept(component + ": " + error);
    }

    /** Log an error's first sighting only: {@link DistinctErrorLog} keeps the count. */
    private final java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private boolean isNew(final Throwable error)
    {
        return seen.size() < 10_000 && seen.add(error.getClass().getName() + ": " + error.getMessage());
    }

    /**
     * A set of counters copied from plain fields by the thread that owns the fields.
     *
     * @return a new mirror; add counters to it at start-up, then call {@link Mirror#copy} on the owning thread.
     */
    public Mirror mirror()
    {
        return new Mirror(this);
    }

    /** Copies fields owned by one thread into counters; called on that thread only. */
    public static final class Mirror implements org.agrona.concurrent.Agent
    {
        private final RoleCounters owner;
        private final List<AtomicCounter> counters = new ArrayList<>();
        private final List<LongSupplier> sources = new ArrayList<>();
        private long nextCopyNs;

        private Mirror(final RoleCounters owner)
        {
            this.owner = owner;
        }

        /**
         * Mirror a value.
         *
         * @param label  its label.
         * @param source reads it (called on the owning thread).
         * @return this.
         */
        public Mirror add(final String label, final LongSupplier source)
        {
            counters.add(owner.newCounter(label));
            sources.add(source);
            return this;
        }

        /** Copy every value now (on the owning thread). */
        public void copy()
        {
            for (int i = 0; i < counters.size(); i++)
            {
                counters.get(i).setRelease(sources.get(i).getAsLong());
            }
        }

        /** As an agent beside the owner's agent on its runner: copies every {@link #MIRROR_INTERVAL_NS}. */
        @Override
        public int doWork()
        {
            final long nowNs = System.nanoTime();
            if (nowNs - nextCopyNs >= 0)
            {
                nextCopyNs = nowNs + MIRROR_INTERVAL_NS;
                copy();
                return 1;
            }
            return 0;
        }

        @Override
        public void onClose()
        {
            copy();
        }

        @Override
        public String roleName()
        {
            return "counters-mirror";
        }
    }

    /** Unmap and delete the file: the process stopped cleanly. */
    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignore)
        {
            // a reader shows it as stale
        }
    }
}
