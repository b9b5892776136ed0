package io.tickjournal.ops.roles;

import io.tickjournal.bridge.BridgeAgent;
import io.tickjournal.bridge.ChannelConfig;
import io.tickjournal.bridge.DatagramSink;
import io.tickjournal.bridge.ErrorReporter;
import io.tickjournal.bridge.PacketSink;
import io.tickjournal.bridge.RetransmitServer;
import io.tickjournal.ops.config.TickJournalConfig;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.SystemNanoClock;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The bridge role: one pinned agent thread tailing every partition and sending its MoldUDP64
 * channel, and the re-request server on a second thread.
 */
public final class BridgeRole implements AutoCloseable, RoleHealth
{
    private final BridgeAgent bridge;
    private final RetransmitServer retransmit;
    private final AgentRole bridgeThread;
    private final AgentRole retransmitThread;

    /**
     * @param config the config.
     * @param sinks  the socket factory ({@code DatagramSink::new}, or a lossy one for the demo).
     * @param log    where the roles report.
     */
    public BridgeRole(final TickJournalConfig config, final PacketSink.Factory sinks, final Consumer<String> log)
    {
        this(config, sinks, log, null);
    }

    /**
     * Start the bridge; returns once its threads have started, or throws {@link RoleStartException}
     * (a state directory it cannot write, a re-request port in use).
     *
     * @param config   the config.
     * @param sinks    the socket factory ({@code DatagramSink::new}, or a lossy one for the demo).
     * @param log      where the roles report.
     * @param counters the process's counters and error log, or null.
     */
    public BridgeRole(final TickJournalConfig config, final PacketSink.Factory sinks, final Consumer<String> log,
        final RoleCounters counters)
    {
        final TickJournalConfig.Bridge b = config.bridge();
        StateDirs.checkWritable("bridge.stateDir", b.stateDir());
        final List<ChannelConfig> channels = new ArrayList<>();
        final Map<String, Path> byCode = new HashMap<>();
        for (final TickJournalConfig.Feed feed : config.feeds())
        {
            final Path dir = config.journalDir().resolve(feed.partition());
            channels.add(new ChannelConfig(dir, feed.code(), feed.group(), b.interfaceName(), b.ttl(), b.maxPayload(),
                b.heartbeatMs() * 1_000_000L, ChannelConfig.FROM_EARLIEST_DAY));
            byCode.put(feed.code(), dir);
        }
        final SystemNanoClock clock = SystemNanoClock.INSTANCE;
        bridge = new BridgeAgent(channels, b.stateDir(), sinks, clock,
            new ErrorReporter("bridge", log, counters == null ? null : counters.errorRecorder()));
        retransmit = new RetransmitServer(b.retransmit(), byCode,
            config.replication().secret().isEmpty() ? null : config.replication().secret().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            b.maxMessagesPerRequest(), b.maxRequestsPerSecond(), b.maxBytesPerSecond(), b.maxRequesters(), b.maxPayload(), clock,
            new ErrorReporter("bridge", log, counters == null ? null : counters.errorRecorder()));
        RoleCounters.Mirror bridgeMirror = null;
        RoleCounters.Mirror retransmitMirror = null;
        if (counters != null)
        {
            final io.tickjournal.bridge.BridgeCounters c = bridge.counters();
            bridgeMirror = counters.mirror()
                .add("bridge: packets sent", c::packetsSent)
                .add("bridge: messages sent", c::messagesPacked)
                .add("bridge: heartbeats", c::heartbeats)
                .add("bridge: end of sessions", c::endOfSessions)
                .add("bridge: send failures", c::sendFailures)
                .add("bridge: send back-pressured", c::sendBackPressured)
                .add("bridge: oversize records skipped", c::oversizeSkipped);
            retransmitMirror = counters.mirror()
                .add("bridge re-request: requests served", retransmit::requestsServed)
                .add("bridge re-request: messages resent", retransmit::messagesResent)
                .add("bridge re-request: refused", retransmit::refused)
                .add("bridge re-request: ignored", retransmit::ignored);
        }
        // The re-request server starts first: its port is taken by one bridge only, so a second
        // bridge on the same config stops there, before its channels send anything.
        retransmitThread = new AgentRole("bridge re-request", List.<Agent>of(retransmit), "backoff", -1, log,
            RoleCounters.handler(counters, "bridge", log), retransmitMirror);
        AgentRole started = null;
        try
        {
            started = new AgentRole("bridge", List.<Agent>of(bridge), b.idle(), b.cpu(), log,
                RoleCounters.handler(counters, "bridge", log), bridgeMirror);
        }
        finally
        {
            if (started == null)
            {
                retransmitThread.close();
            }
        }
        bridgeThread = started;
    }

    /**
     * The default sink factory.
     *
     * @return {@code DatagramSink::new}.
     */
    public static PacketSink.Factory datagrams()
    {
        return DatagramSink::new;
    }

    /** @return the bridge agent (counters). */
    public BridgeAgent bridge()
    {
        return bridge;
    }

    /** @return the re-request server (counters). */
    public RetransmitServer retransmit()
    {
        return retransmit;
    }

    @Override
    public String failure()
    {
        return retransmit.isServing() ? null : "the re-request server stopped serving (see its error above); tailers cannot repair by re-request";
    }

    @Override
    public void close()
    {
        bridgeThread.close();
        retransmitThread.close();
    }
}
