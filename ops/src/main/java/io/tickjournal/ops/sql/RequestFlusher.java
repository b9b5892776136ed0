package io.tickjournal.ops.sql;

import io.questdb.client.Sender;
import io.tickjournal.bridge.IdleStrategies;
import org.agrona.concurrent.IdleStrategy;

/**
 * The loader's flush thread: sends the batch of one sender in one HTTP request while the loader writes the
 * next into the other. One request at a time; the loader hands a sender over by {@link #submit} only when
 * the state is not {@link #BUSY}, and reads the outcome from {@link #state} (volatile both ways).
 */
final class RequestFlusher implements Runnable
{
    static final int IDLE = 0;
    static final int BUSY = 1;
    static final int DONE = 2;
    static final int FAILED = 3;

    private final Thread thread;
    private final IdleStrategy idle = IdleStrategies.of("backoff");
    private volatile Sender job;
    private volatile boolean running = true;
    volatile int state = IDLE;
    volatile RuntimeException failure;

    RequestFlusher()
    {
        thread = new Thread(this, "questdb-flush");
        thread.setDaemon(true);
        thread.start();
    }

    void submit(final Sender sender)
    {
        state = BUSY;
        job = sender;
    }

    @Override
    public void run()
    {
        while (running)
        {
            final Sender sender = job;
            if (sender == null)
            {
                idle.idle();
                continue;
            }
            idle.reset();
            job = null;
            try
            {
                sender.flush();
                state = DONE;
            }
            catch (final RuntimeException ex)
            {
                failure = ex;
                state = FAILED;
            }
        }
    }

    /** Let the request in flight end, then stop the thread. */
    void stop()
    {
        running = false;
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
