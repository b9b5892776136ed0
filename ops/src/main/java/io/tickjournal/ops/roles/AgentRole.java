package io.tickjournal.ops.roles;

import io.tickjournal.bridge.IdleStrategies;
import io.tickjournal.bridge.PinnedThreadFactory;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs agents on one thread with an idle strategy, pinned when a CPU is given, and does not return
 * until they have started: an agent that cannot start (a port in use, a partition it cannot write)
 * makes the constructor throw {@link RoleStartException} with one line saying why, so a role that
 * cannot do its job fails fast instead of running without that part.
 * <p>
 * Every runner's error handler is the process's (see {@link RoleCounters#errorHandler}): counted,
 * recorded in the distinct error log, logged once. A {@link RoleCounters.Mirror} given with the
 * agents runs on the same thread, so it copies the agents' plain fields on their owner's thread.
 */
final class AgentRole implements AutoCloseable
{
    private static final long START_TIMEOUT_S = 30;

    private final AgentRunner runner;

    AgentRole(
        final String name, final List<Agent> agents, final String idle, final int cpu, final Consumer<String> log,
        final ErrorHandler errorHandler, final RoleCounters.Mirror mirror)
    {
        final List<Agent> all = new ArrayList<>(agents);
        if (mirror != null)
        {
            all.add(mirror);
        }
        final StartWatch watch = new StartWatch(name, all);
        runner = new AgentRunner(IdleStrategies.of(idle), errorHandler, null, watch);
        AgentRunner.startOnThread(runner, new PinnedThreadFactory(cpu < 0 ? -2 : cpu, log));
        final Throwable failed = watch.awaitStart();
        if (failed != null)
        {
            runner.close();
            throw new RoleStartException("cannot start (" + name + "): " + RoleStartException.oneLine(failed), failed);
        }
    }

    @Override
    public void close()
    {
        runner.close();
    }

    /**
     * Runs the agents in turn on one thread (as Agrona's {@code CompositeAgent}), and tells the
     * starting thread whether every {@code onStart} succeeded. A failed start is not rethrown to
     * the runner (its error handler would log it a second time): the agents then do nothing until
     * the starting thread closes the runner.
     */
    private static final class StartWatch implements Agent
    {
        private final String name;
        private final Agent[] agents;
        private final CountDownLatch started = new CountDownLatch(1);
        private volatile Throwable failure;
        private int startedCount;

        StartWatch(final String name, final List<Agent> agents)
        {
            this.name = name;
            this.agents = agents.toArray(new Agent[0]);
        }

        Throwable awaitStart()
        {
            try
            {
                if (!started.await(START_TIMEOUT_S, TimeUnit.SECONDS))
                {
                    return new IllegalStateException("did not start within " + START_TIMEOUT_S + " s");
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return ex;
            }
            return failure;
        }

        @Override
        public void onStart()
        {
            try
            {
                for (final Agent agent : agents)
                {
                    agent.onStart();
                    startedCount++;
                }
            }
            catch (final Throwable t)
            {
                failure = t;
            }
            started.countDown();
        }

        @Override
        public int doWork() throws Exception
        {
            if (startedCount < agents.length)
            {
                return 0;
            }
            int work = 0;
            for (final Agent agent : agents)
            {
                work += agent.doWork();
            }
            return work;
        }

        @Override
        public void onClose()
        {
            for (int i = 0; i < startedCount; i++)
            {
                agents[i].onClose();
            }
        }

        @Override
        public String roleName()
        {
            return name;
        }
    }
}
