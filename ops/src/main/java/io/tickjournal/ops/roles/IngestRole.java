package io.tickjournal.ops.roles;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.tickjournal.ingest.FeedCounters;
import io.tickjournal.ingest.FeedJournal;
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
 * <p>
 * <b>Counters:</b> each feed's {@link FeedCounters} are plain fields owned by the feed's event
 * loop; a task scheduled on that same loop every {@link RoleCounters#MIRROR_INTERVAL_NS} copies
 * them (and the journal's pause state) into the mapped counters, so the copy is made by their
 * owning thread and published with release stores. The session code is not touched.
 */
public final class IngestRole implements AutoCloseable
{
    private final EventLoopGroup group;
    private final List<IngestFeed> feeds = new ArrayList<>();
    private final List<ScheduledFuture<?>> mirrors = new ArrayList<>();
    private final Pretoucher pretoucher = new Pretoucher(16 << 20);

    /**
     * Start every feed.
     *
     * @param config the config.
     * @param clock  the receive-time clock.
     */
    public IngestRole(final TickJournalConfig config, final EpochNanoClock clock)
    {
        this(config, clock, null);
    }

    /**
     * Start every feed, or throw {@link RoleStartException} when one cannot (a partition another
     * writer holds, a read-only journal, a disk already below the reserve).
     *
     * @param config   the config.
     * @param clock    the receive-time clock.
     * @param counters the process's counters, or null.
     */
    public IngestRole(final TickJournalConfig config, final EpochNanoClock clock, final RoleCounters counters)
    {
        final int threads = Math.max(1, Math.min(config.feeds().size(), Runtime.getRuntime().availableProcessors()));
        group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        try
        {
            for (final TickJournalConfig.Feed feed : config.feeds())
            {
                final IngestFeed started;
                try
                {
                    started = IngestFeed.start(feed.feed(), group, clock, pretoucher);
                }
                catch (final IllegalStateException | java.io.UncheckedIOException ex)
                {
                    throw new RoleStartException("cannot start feed " + feed.partition() + ": " + RoleStartException.oneLine(ex), ex);
                }
                feeds.add(started);
                if (counters != null)
                {
                    mirrors.add(mirror(counters, feed.partition(), started));
                }
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private static ScheduledFuture<?> mirror(final RoleCounters counters, final String partition, final IngestFeed feed)
    {
        final FeedCounters c = feed.session().counters();
        final FeedJournal journal = feed.session().journal();
        final String p = "ingest " + partition + ": ";
        final RoleCounters.Mirror mirror = counters.mirror()
            .add(p + "frames", () -> c.frames)
            .add(p + "records", () -> c.records)
            .add(p + "trades", () -> c.trades)
            .add(p + "deltas", () -> c.deltas)
            .add(p + "duplicates", () -> c.duplicates)
            .add(p + "malformed", () -> c.malformed)
            .add(p + "bad values", () -> c.badValues)
            .add(p + "book gaps", () -> c.bookGaps)
            .add(p + "trade gaps", () -> c.tradeGaps)
            .add(p + "resyncs", () -> c.resyncs)
            .add(p + "snapshots", () -> c.snapshots)
            .add(p + "connects", () -> c.connects)
            .add(p + "disconnects", () -> c.disconnects)
            .add(p + "stalls", () -> c.stalls)
            .add(p + "rotations", () -> c.rotations)
            .add(p + "journal paused (1 = disk below reserve)", () -> journal.paused() ? 1 : 0)
            .add(p + "records dropped for disk space", journal::droppedForSpace)
            .add(p + "records rejected", journal::rejected);
        final long intervalMs = RoleCounters.MIRROR_INTERVAL_NS / 1_000_000L;
        return feed.loop().scheduleAtFixedRate(mirror::copy, 0, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** @return the running feeds, in config order. */
    public List<IngestFeed> feeds()
    {
        return feeds;
    }

    @Override
    public void close()
    {
        for (final ScheduledFuture<?> mirror : mirrors)
        {
            mirror.cancel(false);
        }
        for (final IngestFeed feed : feeds)
        {
            feed.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        pretoucher.close();
    }
}
