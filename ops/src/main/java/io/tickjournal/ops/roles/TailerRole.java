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
        featureWriter = t.featureDir() != null ? new FeatureJournalWriter(t.featureDir()) : null;
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
        replicaThread = new AgentRole("replica", List.<Agent>of(replicaSink), "backoff", -1, log);
        receiverThread = new AgentRole("tailer", List.<Agent>of(receiver != null ? receiver : replicaTail), t.idle(), t.cpu(), log);
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
            (featureWriter != null ? " (" + featureWriter.skipped() + " already in the feature partition after a restart)" : "") +
            ", " + engine.droppedAtCeiling() + " window events dropped at the memory ceiling");
        if (featureWriter != null)
        {
            featureWriter.close();
        }
    }
}
