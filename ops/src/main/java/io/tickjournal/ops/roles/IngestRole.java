package io.tickjournal.ops.roles;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.tickjournal.ingest.IngestFeed;
import io.tickjournal.journal.Pretoucher;
import io.tickjournal.ops.config.TickJournalConfig;
import org.agrona.concurrent.EpochNanoClock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ingest role: every configured feed on its own event loop, appending to its partition, with
 * one background thread touching journal pages ahead of the writers.
 */
public final class IngestRole implements AutoCloseable
{
    private final EventLoopGroup group;
    private final List<IngestFeed> feeds = new ArrayList<>();
    private final Pretoucher pretoucher = new Pretoucher(16 << 20);

    /**
     * Start every feed.
     *
     * @param config the config.
     * @param clock  the receive-time clock.
     */
    public IngestRole(final TickJournalConfig config, final EpochNanoClock clock)
    {
        final int threads = Math.max(1, Math.min(config.feeds().size(), Runtime.getRuntime().availableProcessors()));
        group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        try
        {
            for (final TickJournalConfig.Feed feed : config.feeds())
            {
                feeds.add(IngestFeed.start(feed.feed(), group, clock, pretoucher));
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /** @return the running feeds, in config order. */
    public List<IngestFeed> feeds()
    {
        return feeds;
    }

    @Override
    public void close()
    {
        for (final IngestFeed feed : feeds)
        {
            feed.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        pretoucher.close();
    }
}
