package io.tickjournal.bridge;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The multicast bridge: one agent that tails every partition it serves and sends each one's
 * MoldUDP64 packets on a socket it owns. Its duty cycle reads the clock once and gives each
 * channel a turn; the idle strategy of its runner decides what to do when no channel had work.
 * <p>
 * <b>Threading:</b> {@link #onStart()} and {@link #doWork()} run on the bridge thread, which
 * creates every socket and tailer; nothing else can reach them. It may start before or after
 * ingest: a channel whose partition does not exist yet waits for it.
 */
public final class BridgeAgent implements Agent
{
    private final List<BridgeChannel> channels = new ArrayList<>();
    private final NanoClock clock;
    private final BridgeCounters counters = new BridgeCounters();
    private final ErrorReporter errors;

    /**
     * @param configs     the channels, one per partition.
     * @param stateDir    where sent positions are kept.
     * @param sinkFactory makes each channel's socket (normally {@link DatagramSink#DatagramSink}).
     * @param clock       the one clock the duty cycle reads.
     * @param errors      the bridge's error handler.
     */
    public BridgeAgent(
        final List<ChannelConfig> configs, final Path stateDir, final PacketSink.Factory sinkFactory,
        final NanoClock clock, final ErrorReporter errors)
    {
        this.clock = clock;
        this.errors = errors;
        for (final ChannelConfig config : configs)
        {
            channels.add(new BridgeChannel(config, sinkFactory, stateDir, counters, errors));
        }
    }

    @Override
    public void onStart()
    {
        for (final BridgeChannel channel : channels)
        {
            channel.open();
        }
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int work = 0;
        for (int i = 0, n = channels.size(); i < n; i++)
        {
            work += channels.get(i).doWork(nowNs);
        }
        return work;
    }

    @Override
    public void onClose()
    {
        for (int i = channels.size() - 1; i >= 0; i--)
        {
            channels.get(i).close();
        }
    }

    @Override
    public String roleName()
    {
        return "bridge";
    }

    public BridgeCounters counters()
    {
        return counters;
    }

    public ErrorReporter errors()
    {
        return errors;
    }
}
