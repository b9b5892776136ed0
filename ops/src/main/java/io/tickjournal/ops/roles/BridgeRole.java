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
public final class BridgeRole implements AutoCloseable
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
        final TickJournalConfig.Bridge b = config.bridge();
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
        bridge = new BridgeAgent(channels, b.stateDir(), sinks, clock, new ErrorReporter(log));
        retransmit = new RetransmitServer(b.retransmit(), byCode,
            config.replication().secret().isEmpty() ? null : config.replication().secret().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            b.maxMessagesPerRequest(), b.maxRequestsPerSecond(), b.maxBytesPerSecond(), b.maxRequesters(), b.maxPayload(), clock,
            new ErrorReporter(log));
        bridgeThread = new AgentRole("bridge", List.<Agent>of(bridge), b.idle(), b.cpu(), log);
        retransmitThread = new AgentRole("retransmit", List.<Agent>of(retransmit), "backoff", -1, log);
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
    public void close()
    {
        bridgeThread.close();
        retransmitThread.close();
    }
}
