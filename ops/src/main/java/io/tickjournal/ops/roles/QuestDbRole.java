package io.tickjournal.ops.roles;

import io.tickjournal.ops.config.TickJournalConfig;
import io.tickjournal.ops.sql.QuestDb;
import io.tickjournal.ops.sql.QuestDbLoader;
import org.agrona.concurrent.Agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The QuestDB follower role: a {@link QuestDbLoader} that follows the journal by position on a thread of
 * its own, for ever, and owns the QuestDB it loads into (an in-process one is stopped on {@link #close()}).
 * <p>
 * It is a reader of the journal like any tailer: ingest, the bridge and the pricing tailer never wait for
 * it. When QuestDB is down or slow only this thread waits; it falls behind, says so once in its log, keeps
 * {@code questdb: records behind} and {@code questdb: down} in the process's counters (and in
 * {@link #statusLine()}), and catches up from the journal when QuestDB answers. Started again, it resumes
 * from what the tables hold.
 * <p>
 * Threading: built and closed by one thread; {@link #statusLine()} and the getters from any thread.
 */
public final class QuestDbRole implements AutoCloseable
{
    private final QuestDb db;
    private final QuestDbLoader loader;
    private final AgentRole thread;

    /**
     * The partitions a config names: each feed's, and the tailer's feature partition when it writes one.
     *
     * @param config the config.
     * @return partition directories (they need not exist yet).
     */
    public static List<Path> partitions(final TickJournalConfig config)
    {
        final List<Path> dirs = new ArrayList<>();
        config.feeds().forEach(feed -> dirs.add(config.journalDir().resolve(feed.partition())));
        if (config.tailer() != null && config.tailer().featureDir() != null)
        {
            dirs.add(config.tailer().featureDir());
        }
        return dirs;
    }

    /**
     * Start following; returns once the loader's thread runs (QuestDB need not answer yet).
     *
     * @param db           where to load; closed by {@link #close()}.
     * @param partitions   partition directories to follow (a missing one is picked up when it appears).
     * @param fromDay      first trading day to load, or -1 for every day the journal holds.
     * @param batchRecords most records per partition per line-protocol request.
     * @param log          where it reports (falling behind, catching up, resuming).
     * @param counters     the process's counters and error log, or null.
     */
    public QuestDbRole(
        final QuestDb db, final List<Path> partitions, final int fromDay, final int batchRecords, final Consumer<String> log,
        final RoleCounters counters)
    {
        this.db = db;
        loader = new QuestDbLoader(db, partitions, fromDay, -1, batchRecords, System::nanoTime, log);
        final RoleCounters.Mirror mirror = counters == null ? null : counters.mirror()
            .add("questdb: records loaded", loader::recordsLoaded)
            .add("questdb: rows loaded", loader::rowsLoaded)
            .add("questdb: records behind", loader::recordsBehind)
            .add("questdb: down", () -> loader.isDown() ? 1 : 0);
        AgentRole started = null;
        try
        {
            started = new AgentRole("questdb-loader", List.<Agent>of(loader), "backoff", -1, log,
                RoleCounters.handler(counters, "questdb-loader", log), mirror);
        }
        finally
        {
            if (started == null)
            {
                db.close();
            }
        }
        thread = started;
    }

    /**
     * @return the QuestDB it loads into.
     */
    public QuestDb db()
    {
        return db;
    }

    /**
     * @return the loader (its published counters may be read from any thread).
     */
    public QuestDbLoader loader()
    {
        return loader;
    }

    /**
     * One line for an operator: where, how much, how far behind, and whether QuestDB answers.
     *
     * @return the status.
     */
    public String statusLine()
    {
        final String state = loader.isDown() ? "DOWN, falling behind" : loader.isFollowing() ? "following" : "catching up";
        return String.format("questdb http://%s: %,d records loaded (%,d rows), %,d behind, %s", db.httpAddress(),
            loader.recordsLoaded(), loader.rowsLoaded(), loader.recordsBehind(), state);
    }

    /** Stop the loader's thread (its last acknowledged batch stays; a restart resumes), then QuestDB if in-process. */
    @Override
    public void close()
    {
        try
        {
            thread.close();
        }
        finally
        {
            db.close();
        }
    }
}
