package io.tickjournal.ingest;

import io.tickjournal.ingest.sim.VenueSimulator;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What the end-to-end ingest tests ask of a running feed and its simulator (tests). */
public final class FeedProbe
{
    private FeedProbe()
    {
    }

    /**
     * Wait up to 20 s for a condition, checking every 10 ms.
     *
     * @param what      what is awaited, for the failure message.
     * @param condition the condition.
     */
    public static void await(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            try
            {
                Thread.sleep(10);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
    }

    /**
     * @param feed            a running feed.
     * @param instrumentIndex an instrument's place in the feed's config.
     * @return whether its book is live, read on the feed's event loop.
     */
    public static boolean bookLive(final IngestFeed feed, final int instrumentIndex)
    {
        final boolean[] live = new boolean[1];
        feed.runOnLoop(() -> live[0] = ((VenueFeedHandler)feed.session().handler()).bookLive(instrumentIndex));
        return live[0];
    }

    /**
     * Stop the simulated market (heartbeats stop too) and wait until the feed has read every frame sent.
     *
     * @param simulator the venue.
     * @param feed      the feed connected to it.
     */
    public static void pauseAndCatchUp(final VenueSimulator simulator, final IngestFeed feed)
    {
        simulator.pause(true);
        final long sent = simulator.onLoop(() -> simulator.recorder().framesSent());
        await("feed read all " + sent + " frames", () -> feed.session().counters().frames >= sent);
    }
}
