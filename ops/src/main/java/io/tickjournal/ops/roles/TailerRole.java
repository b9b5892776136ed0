package io.tickjournal.ops.roles;

import io.tickjournal.journal.TradingDay;
import io.tickjournal.ops.config.TickJournalConfig;
import io.tickjournal.tailer.FeatureEngine;
import io.tickjournal.tailer.FeatureJournalWriter;
import io.tickjournal.tailer.ReceiverAgent;
import io.tickjournal.tailer.ReplicaSink;
import io.tickjournal.tailer.ReplicaTailAgent;
import io.tickjournal.tailer.Sequencer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The tailer role: the replica sink on one thread; the receiver, sequencers, books and features
 * on another (the feature engine runs on the receiver's thread, so records go from the socket
 * to the features with no hand-off). With {@code source: replica} it runs without multicast,
 * tailing the replica as the sink writes it.
 */
public final class TailerRole implements AutoCloseable
{
    private final ReplicaSink replicaSink;
    private final ReceiverAgent receiver;
    private final ReplicaTailAgent replicaTail;
    private final FeatureEngine engine;
    private final FeatureJournalWriter featureWriter;
    private final AgentRole replicaThread;
    private final AgentRole receiverThread;
    private final Consumer<String> log;

    /**
     * @param config    the config.
     * @param listeners extra feature listeners (called on the receiver thread).
     * @param log       where it reports.
     */
    public TailerRole(final TickJournalConfig config, final List<FeatureEngine.Listener> listeners, final Consumer<String> log)
    {
        this(config, listeners, log, null);
    }

    /**
     * Start the tailer; returns once its threads have started, or throws {@link RoleStartException}
     * (a replica or feature partition it cannot write or another writer holds, a port in use).
     *
     * @param config    the config.
     * @param listeners extra feature listeners (called on the receiver thread).
     * @param log       where it reports.
     * @param counters  the process's counters and error log, or null.
     */
    public TailerRole(final TickJournalConfig config, final List<FeatureEngine.Listener> listeners, final Consumer<String> log,
        final RoleCounters counters)
    {
        this.log = log;
        final TickJournalConfig.Tailer t = config.tailer();
        final byte[] secret = config.replication().secret().getBytes(StandardCharsets.US_ASCII);
        final int today = TradingDay.ofEpochNs(System.currentTimeMillis() * 1_000_000L);
        final List<ReplicaSink.Replica> replicas = new ArrayList<>();
        final List<ReceiverAgent.Subscription> subscriptions = new ArrayList<>();
        for (final TickJournalConfig.Feed feed : config.feeds())
        {
            replicas.add(new ReplicaSink.Replica(feed.partition(), t.replicaDir().resolve(feed.partition()), today));
            subscriptions.add(new ReceiverAgent.Subscription(feed.partition(), feed.code(), feed.group(), t.interfaceName(),
                t.replicaDir().resolve(feed.partition()), -1, t.fromDayStart() ? 1 : 0, t.multicastSource()));
        }
        engine = new FeatureEngine(t.windowsMs(), t.imbalanceLevels(), 5000);
        listeners.forEach(engine::addListener);
        try
        {
            featureWriter = t.featureDir() != null ? new FeatureJournalWriter(t.featureDir()) : null;
        }
        catch (final IllegalStateException | java.io.UncheckedIOException ex)
        {
            throw new RoleStartException("cannot start: feature partition: " + RoleStartException.oneLine(ex), ex);
        }
        if (featureWriter != null)
        {
            engine.addListener(featureWriter);
        }
        replicaSink = new ReplicaSink(t.replicationSource(), secret, replicas, 500_000_000L, SystemNanoClock.INSTANCE, log);
        final List<java.nio.file.Path> replicaDirs = new ArrayList<>();
        config.feeds().forEach(feed -> replicaDirs.add(t.replicaDir().resolve(feed.partition())));
        receiver = t.fromReplica() ? null : new ReceiverAgent(subscriptions, t.rerequest(), t.replicationSource(), secret,
            Sequencer.Settings.defaults(), engine, SystemNanoClock.INSTANCE, SystemEpochClock.INSTANCE);
        replicaTail = t.fromReplica() ? new ReplicaTailAgent(replicaDirs, engine, 256) : null;
        RoleCounters.Mirror replicaMirror = null;
        RoleCounters.Mirror receiverMirror = null;
        if (counters != null)
        {
            replicaMirror = counters.mirror().add("tailer replica: records written", replicaSink::recordsWritten);
            receiverMirror = counters.mirror().add("tailer: feature sets", engine::emitted);
            if (featureWriter != null)
            {
                receiverMirror.add("tailer: feature records refused by the partition", featureWriter::refused);
            }
            if (receiver != null)
            {
                final ReceiverAgent r = receiver;
                receiverMirror
                    .add("tailer receiver: packets", () -> r.packets)
                    .add("tailer receiver: malformed", () -> r.malformed)
                    .add("tailer receiver: foreign", () -> r.foreign);
                // Sequencers are built on the receiver's thread when it starts; the mirror runs there too.
                for (int i = 0; i < config.feeds().size(); i++)
                {
                    final int at = i;
                    final String p = "tailer " + config.feeds().get(i).partition() + ": ";
                    receiverMirror
                        .add(p + "delivered", () -> sequencerCounter(r, at, 0))
                        .add(p + "duplicates", () -> sequencerCounter(r, at, 1))
                        .add(p + "gaps", () -> sequencerCounter(r, at, 2))
                        .add(p + "repairs", () -> sequencerCounter(r, at, 3))
                        .add(p + "recovered from replica", () -> sequencerCounter(r, at, 4))
                        .add(p + "recovered by re-request", () -> sequencerCounter(r, at, 5))
                        .add(p + "recovered by tcp", () -> sequencerCounter(r, at, 6))
                        .add(p + "unrecovered", () -> sequencerCounter(r, at, 7))
                        .add(p + "max repair ns", () -> sequencerCounter(r, at, 8));
                }
            }
            else
            {
                receiverMirror.add("tailer: delivered from replica", replicaTail::delivered);
            }
        }
        replicaThread = new AgentRole("tailer replica", List.<Agent>of(replicaSink), "backoff", -1, log,
            RoleCounters.handler(counters, "tailer", log), replicaMirror);
        AgentRole started = null;
        try
        {
            started = new AgentRole("tailer", List.<Agent>of(receiver != null ? receiver : replicaTail), t.idle(), t.cpu(), log,
                RoleCounters.handler(counters, "tailer", log), receiverMirror);
        }
        finally
        {
            if (started == null)
            {
                replicaThread.close();
                if (featureWriter != null)
                {
                    featureWriter.close();
                }
            }
        }
        receiverThread = started;
    }

    private static long sequencerCounter(final ReceiverAgent receiver, final int index, final int which)
    {
        final List<Sequencer> sequencers = receiver.sequencers();
        if (index >= sequencers.size())
        {
            return 0;
        }
        final io.tickjournal.tailer.SequencerCounters c = sequencers.get(index).counters();
        return switch (which)
        {
            case 0 -> c.delivered;
            case 1 -> c.duplicates;
            case 2 -> c.gaps;
            case 3 -> c.repairs;
            case 4 -> c.recoveredFromReplica;
            case 5 -> c.recoveredByRerequest;
            case 6 -> c.recoveredByTcp;
            case 7 -> c.unrecovered;
            default -> c.maxRepairNs;
        };
    }

    /** @return the receiver (counters, sequencers), or null when running from the replica alone. */
    public ReceiverAgent receiver()
    {
        return receiver;
    }

    /** @return records handed to the feature engine so far (any thread; a moment old). */
    public long delivered()
    {
        if (receiver == null)
        {
            return replicaTail.delivered();
        }
        long n = 0;
        for (final io.tickjournal.tailer.Sequencer sequencer : receiver.sequencers())
        {
            n += sequencer.counters().delivered;
        }
        return n;
    }

    /** @return the replica sink. */
    public ReplicaSink replicaSink()
    {
        return replicaSink;
    }

    /** @return the feature engine (read only on its thread, or after close). */
    public FeatureEngine engine()
    {
        return engine;
    }

    @Override
    public void close()
    {
        receiverThread.close();
        replicaThread.close();
        if (receiver != null)
        {
            for (final io.tickjournal.tailer.Sequencer sequencer : receiver.sequencers())
            {
                log.accept("tailer " + sequencer.partitionCode() + ": " + sequencer.counters() + " malformed=" + receiver.malformed +
                    " foreign=" + receiver.foreign);
            }
        }
        log.accept("tailer: replica wrote " + replicaSink.recordsWritten() + " records, " + engine.emitted() + " feature sets" +
            (featureWriter != null ? " (" + featureWriter.skipped() + " already in the feature partition after a restart, " +
                featureWriter.refused() + " refused by it)" : "") +
            ", " + engine.droppedAtCeiling() + " window events dropped at the memory ceiling");
        if (featureWriter != null)
        {
            featureWriter.close();
        }
    }
}
