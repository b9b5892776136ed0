package io.tickjournal.ingest;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.tickjournal.ingest.venue.VenueRegistry;
import org.agrona.concurrent.EpochNanoClock;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running feed: its journal, venue handler, Netty transport and session, all owned by one
 * event loop of the given group (several feeds may share a group; each stays on one thread).
 */
public final class IngestFeed implements AutoCloseable
{
    /** How often the session's timers are stepped. */
    public static final long TICK_MS = 10;

    private final FeedSession session;
    private final EventLoop loop;
    private final ScheduledFuture<?> ticker;

    private IngestFeed(final FeedSession session, final EventLoop loop)
    {
        this.session = session;
        this.loop = loop;
        this.ticker = loop.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * The handler for a feed: the venue-neutral handler with the venue's protocol.
     *
     * @param config  the feed.
     * @param journal its journal.
     * @return the handler.
     * @throws IllegalArgumentException for venues ingest does not support.
     */
    public static FeedHandler handlerFor(final FeedConfig config, final FeedJournal journal)
    {
        return new VenueFeedHandler(config, journal, VenueRegistry.byId(config.venueId()).protocol());
    }

    /**
     * Open the feed's partitions and start its connections.
     *
     * @param config the feed.
     * @param group  event loops (one is taken for the feed).
     * @param clock  receive-time clock.
     * @return the running feed.
     */
    public static IngestFeed start(final FeedConfig config, final EventLoopGroup group, final EpochNanoClock clock)
    {
        return start(config, group, clock, null);
    }

    /**
     * Open the feed's partitions and start its connections.
     *
     * @param config     the feed.
     * @param group      event loops (one is taken for the feed).
     * @param clock      receive-time clock.
     * @param pretoucher touches journal pages ahead of the writers, or null.
     * @return the running feed.
     */
    public static IngestFeed start(
        final FeedConfig config, final EventLoopGroup group, final EpochNanoClock clock,
        final io.tickjournal.journal.Pretoucher pretoucher)
    {
        final EventLoop loop = group.next();
        final FeedJournal journal = new FeedJournal(config.partitionDir(), config.venueId());
        if (pretoucher != null)
        {
            journal.pretouchWith(pretoucher);
        }
        final FeedSession session;
        try
        {
            final FeedHandler handler = handlerFor(config, journal);
            session = new FeedSession(config, journal, handler, new NettyFeedTransport(loop, clock, config.trustStore(), config.trustStorePassword()), clock, System.nanoTime());
        }
        catch (final RuntimeException ex)
        {
            journal.close();
            throw ex;
        }
        await(loop.submit(() -> session.start(clock.nanoTime())));
        return new IngestFeed(session, loop);
    }

    /**
     * Step the session's timers. Guarded: a periodic task that throws is cancelled by Netty, which
     * would silently stop stall detection, reconnects, rotation and snapshot retries for the feed.
     */
    private void tick()
    {
        try
        {
            session.onTick(session.clock().nanoTime());
        }
        catch (final RuntimeException ex)
        {
            tickErrors++;
            if (tickErrors == 1 || Long.bitCount(tickErrors) == 1)
            {
                System.err.println("ingest: " + io.tickjournal.journal.Venues.name(session.config().venueId()) +
                    " timer error #" + tickErrors + ": " + ex);
            }
        }
    }

    private volatile long tickErrors;

    /** @return exceptions the session's timer step threw (and survived). */
    public long tickErrors()
    {
        return tickErrors;
    }

    /** @return the session (read counters from any thread; call methods on {@link #loop()} only). */
    public FeedSession session()
    {
        return session;
    }

    /** @return the feed's thread. */
    public EventLoop loop()
    {
        return loop;
    }

    /**
     * Run something on the feed's thread and wait for it.
     *
     * @param task the task.
     */
    public void runOnLoop(final Runnable task)
    {
        await(loop.submit(task));
    }

    private static void await(final io.netty.util.concurrent.Future<?> future)
    {
        try
        {
            future.get(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            throw cause instanceof RuntimeException ? (RuntimeException)cause : new IllegalStateException(cause);
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException("feed thread did not answer in 30 s", ex);
        }
    }

    /** Stop: close connections, journal DISCONNECTED, close the partitions. */
    @Override
    public void close()
    {
        ticker.cancel(false);
        if (!loop.isShuttingDown())
        {
            await(loop.submit(session::close));
        }
    }
}
