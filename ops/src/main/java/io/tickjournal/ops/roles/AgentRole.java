package io.tickjournal.ops.roles;

import io.tickjournal.bridge.IdleStrategies;
import io.tickjournal.bridge.PinnedThreadFactory;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;

import java.util.List;
import java.util.function.Consumer;

/** Runs agents on one thread with an idle strategy, pinned when a CPU is given. */
final class AgentRole implements AutoCloseable
{
    private final AgentRunner runner;

    AgentRole(final String name, final List<Agent> agents, final String idle, final int cpu, final Consumer<String> log)
    {
        final Agent agent = agents.size() == 1 ? agents.get(0) : new CompositeAgent(agents);
        runner = new AgentRunner(IdleStrategies.of(idle), error -> log.accept(name + ": " + error), null, agent);
        AgentRunner.startOnThread(runner, new PinnedThreadFactory(cpu < 0 ? -2 : cpu, log));
    }

    @Override
    public void close()
    {
        runner.close();
    }
}
