package io.tickjournal.ops;

import io.tickjournal.ops.config.TickJournalConfig;
import io.tickjournal.ops.roles.BridgeRole;
import io.tickjournal.ops.roles.IngestRole;
import io.tickjournal.ops.roles.ReplicateRole;
import io.tickjournal.ops.roles.TailerRole;
import org.agrona.concurrent.OffsetEpochNanoClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The process roles for real deployments: each runs one role from the config until SIGTERM or
 * Ctrl-C (or {@code --duration}), then shuts down cleanly: connections closed and journaled,
 * agents stopped after their last duty cycle, partitions closed.
 */
final class RoleCommands
{
    private RoleCommands()
    {
    }

    abstract static class RoleCommand implements Callable<Integer>
    {
        @Option(names = {"-c", "--config"}, description = "config file (default: ${DEFAULT-VALUE})", defaultValue = "config/tickjournal.yaml")
        Path config;

        @Option(names = "--duration", description = "stop after this many seconds (default: run until SIGTERM)", defaultValue = "0")
        long durationSeconds;

        abstract AutoCloseable start(TickJournalConfig config) throws Exception;

        @Override
        public Integer call() throws Exception
        {
            final TickJournalConfig loaded = TickJournalConfig.load(config);
            final String name = getClass().getSimpleName().replace("Command", "").toLowerCase(java.util.Locale.ROOT);
            try (ShutdownSignal signal = new ShutdownSignal(name))
            {
                try (AutoCloseable role = start(loaded))
                {
                    System.err.println(name + " running (" + config + ", " + role.getClass().getSimpleName() +
                        "); SIGTERM or Ctrl-C stops it");
                    signal.await(durationSeconds, TimeUnit.SECONDS);
                    System.err.println(name + " stopping");
                }
                // Before the signal is released: the JVM may exit as soon as it is.
                System.err.println(name + " stopped cleanly");
            }
            return 0;
        }
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Run the ingest role: every configured venue feed, appending to its partition.")
    static final class IngestCommand extends RoleCommand
    {
        @Override
        AutoCloseable start(final TickJournalConfig config)
        {
            return new IngestRole(config, new OffsetEpochNanoClock());
        }
    }

    @Command(name = "bridge", mixinStandardHelpOptions = true,
        description = "Run the bridge role: the pinned multicast bridge and its re-request server.")
    static final class BridgeCommand extends RoleCommand
    {
        @Option(names = "--inject-loss", description = "drop, duplicate and reorder this fraction of packets on purpose " +
            "(failure drills and tests only; default: ${DEFAULT-VALUE})", defaultValue = "0")
        double injectLoss;

        @Override
        AutoCloseable start(final TickJournalConfig config)
        {
            if (injectLoss < 0 || injectLoss >= 1)
            {
                throw new IllegalArgumentException("--inject-loss must be in [0, 1), got " + injectLoss);
            }
            return new BridgeRole(config, injectLoss > 0 ? io.tickjournal.bridge.LossySink.factory(injectLoss, 17) :
                BridgeRole.datagrams(), System.err::println);
        }
    }

    @Command(name = "replicate", mixinStandardHelpOptions = true,
        description = "Run the replicate role: the TCP replication source.")
    static final class ReplicateCommand extends RoleCommand
    {
        @Override
        AutoCloseable start(final TickJournalConfig config)
        {
            return new ReplicateRole(config, System.err::println);
        }
    }

    @Command(name = "tailer", mixinStandardHelpOptions = true,
        description = "Run the tailer role: replica sink, multicast receiver with gap repair, books and features.")
    static final class TailerCommand extends RoleCommand
    {
        @Override
        AutoCloseable start(final TickJournalConfig config)
        {
            return new TailerRole(config, List.of(), System.err::println);
        }
    }

    @Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Load a config file and print what it means, or the first bad key, its value and why.")
    static final class CheckConfigCommand implements Callable<Integer>
    {
        @picocli.CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "config file (default: ${DEFAULT-VALUE})",
            defaultValue = "config/tickjournal.yaml")
        Path file;

        @Override
        public Integer call()
        {
            final TickJournalConfig c = TickJournalConfig.load(file);
            System.out.println("journal   " + c.journalDir());
            for (final TickJournalConfig.Feed f : c.feeds())
            {
                System.out.printf("feed      %s (%s, code %s) %s + %s, %d instruments, channels %s, multicast %s%n", f.partition(),
                    io.tickjournal.journal.Venues.name(f.feed().venueId()), f.code(), f.feed().webSocketUri(), f.feed().restUri(),
                    f.feed().instruments().size(), f.feed().channels(), f.group());
            }
            System.out.printf("bridge    %s ttl %d, idle %s, cpu %d, re-request %s%n", c.bridge().interfaceName(), c.bridge().ttl(),
                c.bridge().idle(), c.bridge().cpu(), c.bridge().retransmit());
            System.out.printf("replicate %s%s%n", c.replication().bind(), c.replication().secret().isEmpty() ? "" : " (secret set)");
            System.out.printf("tailer    replica %s, from %s, re-request %s, windows %s ms%n", c.tailer().replicaDir(),
                c.tailer().replicationSource(), c.tailer().rerequest(), java.util.Arrays.toString(c.tailer().windowsMs()));
            System.out.println("OK");
            return 0;
        }
    }
}
