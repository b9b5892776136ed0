package io.tickjournal.ops;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM / Ctrl-C as a signal the main thread waits for, with the JVM kept alive until the main
 * thread has finished its clean shutdown (or 30 s passed): the hook only asks, main does the work.
 */
final class ShutdownSignal implements AutoCloseable
{
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    ShutdownSignal(final String name)
    {
        hook = new Thread(() ->
        {
            requested.countDown();
            try
            {
                finished.await(30, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Wait for a shutdown request.
     *
     * @param timeout how long, or 0 for as long as it takes.
     * @param unit    its unit.
     * @return true when a shutdown was requested, false when the time ran out.
     * @throws InterruptedException when interrupted.
     */
    boolean await(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        if (timeout <= 0)
        {
            requested.await();
            return true;
        }
        return requested.await(timeout, unit);
    }

    /** The clean shutdown is done: let the JVM exit (and stop listening for signals). */
    @Override
    public void close()
    {
        finished.countDown();
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ignore)
        {
            // already shutting down: the hook is waiting for finished, released above
        }
    }
}
