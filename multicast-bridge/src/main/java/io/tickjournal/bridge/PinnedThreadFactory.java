package io.tickjournal.bridge;

import net.openhft.affinity.AffinityLock;

import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Makes an agent's thread (the bridge's, the tailer's) and pins it with Chronicle Affinity to a CPU
 * (a given one, or any free one). When the machine refuses (a cpuset smaller than the machine, no
 * free CPU), it says so once, naming the thread as it runs (an {@code AgentRunner} names it after
 * its agent), and the thread runs unpinned.
 */
public final class PinnedThreadFactory implements ThreadFactory
{
    private final int cpu;
    private final Consumer<String> log;

    /**
     * @param cpu the CPU to pin to, or -1 for any free CPU, or -2 not to pin.
     * @param log where the one line about pinning goes.
     */
    public PinnedThreadFactory(final int cpu, final Consumer<String> log)
    {
        this.cpu = cpu;
        this.log = log;
    }

    @Override
    public Thread newThread(final Runnable body)
    {
        final Thread thread = new Thread(() ->
        {
            if (cpu == -2)
            {
                body.run();
                return;
            }
            final String name = Thread.currentThread().getName();
            AffinityLock lock = null;
            try
            {
                lock = cpu >= 0 ? AffinityLock.acquireLock(cpu) : AffinityLock.acquireLock();
                if (lock.isBound())
                {
                    log.accept(name + " thread pinned to cpu " + lock.cpuId());
                }
                else
                {
                    log.accept(name + " thread not pinned: no CPU available for pinning; running unpinned");
                }
            }
            catch (final RuntimeException | Error ex)
            {
                log.accept(name + " thread not pinned (" + ex + "); running unpinned");
            }
            try
            {
                body.run();
            }
            finally
            {
                if (lock != null)
                {
                    lock.release();
                }
            }
        }, "bridge");
        thread.setDaemon(false);
        return thread;
    }
}
