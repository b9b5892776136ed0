package io.tickjournal.bridge;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/** Named idle strategies for configuration: busy-spin in production, back-off on laptops and CI. */
public final class IdleStrategies
{
    private IdleStrategies()
    {
    }

    /**
     * @param name {@code busy-spin}, {@code yielding} or {@code backoff}.
     * @return a new idle strategy.
     * @throws IllegalArgumentException naming the accepted values.
     */
    public static IdleStrategy of(final String name)
    {
        switch (name)
        {
            case "busy-spin": return new BusySpinIdleStrategy();
            case "yielding": return new YieldingIdleStrategy();
            case "backoff": return new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
            default: throw new IllegalArgumentException("idle strategy must be busy-spin, yielding or backoff, got '" + name + "'");
        }
    }
}
