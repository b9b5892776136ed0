package io.tickjournal.ops.roles;

import io.tickjournal.bridge.ErrorReporter;
import io.tickjournal.bridge.ReplicationSource;
import io.tickjournal.ops.config.TickJournalConfig;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.SystemNanoClock;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The replicate role: the TCP replication source serving every configured partition. */
public final class ReplicateRole implements AutoCloseable, RoleHealth
{
    private final ReplicationSource source;
    private final AgentRole thread;

    /**
     * @param config the config.
     * @param log    where it reports.
     */
    public ReplicateRole(final TickJournalConfig config, final Consumer<String> log)
    {
        this(config, log, null);
    }

    /**
     * Start the source; returns once it listens, or throws {@link RoleStartException} (port in use).
     *
     * @param config   the config.
     * @param log      where it reports (as "replicate: ...").
     * @param counters the process's counters and error log, or null.
     */
    public ReplicateRole(final TickJournalConfig config, final Consumer<String> log, final RoleCounters counters)
    {
        final Map<String, Path> partitions = new HashMap<>();
        for (final TickJournalConfig.Feed feed : config.feeds())
        {
            partitions.put(feed.partition(), config.journalDir().resolve(feed.partition()));
        }
        final TickJournalConfig.Replication r = config.replication();
        source = new ReplicationSource(r.bind(), partitions,
            r.secret().isEmpty() ? null : r.secret().getBytes(StandardCharsets.US_ASCII),
            r.heartbeatMs() * 1_000_000L, r.stallMs() * 1_000_000L, 4 << 20, r.maxClients(), r.maxPending(),
            r.helloTimeoutMs() * 1_000_000L, SystemNanoClock.INSTANCE,
            new ErrorReporter("replicate", log, counters == null ? null : counters.errorRecorder()));
        final RoleCounters.Mirror mirror = counters == null ? null : counters.mirror()
            .add("replicate: clients", source::clientCount)
            .add("replicate: clients dropped", source::clientsDropped)
            .add("replicate: clients refused", source::clientsRefused)
            .add("replicate: records sent", source::recordsSent);
        thread = new AgentRole("replicate", List.<Agent>of(source), "backoff", -1, log, RoleCounters.handler(counters, "replicate", log),
            mirror);
    }

    @Override
    public String failure()
    {
        return source.isServing() ? null : "the replication source stopped serving (see its error above); replicas cannot catch up";
    }

    /** @return the source (counters). */
    public ReplicationSource source()
    {
        return source;
    }

    @Override
    public void close()
    {
        thread.close();
    }
}
