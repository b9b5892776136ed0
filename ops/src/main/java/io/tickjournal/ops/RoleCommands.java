package io.tickjournal.ops;

import io.tickjournal.ops.config.TickJournalConfig;
import io.tickjournal.ops.roles.BridgeRole;
import io.tickjournal.ops.roles.IngestRole;
import io.tickjournal.ops.roles.ReplicateRole;
import io.tickjournal.ops.roles.RoleHealth;
import io.tickjournal.ops.roles.RoleCounters;
import io.tickjournal.ops.roles.RoleStartException;
import io.tickjournal.ops.roles.TailerRole;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.ShutdownSignalBarrier;
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

        abstract AutoCloseable start(TickJournalConfig config, RoleCounters counters) throws Exception;

        /** @return the role's name, as its log lines and counters file say it. */
        String roleName()
        {
            return getClass().getSimpleName().replace("Command", "").toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public Integer call() throws Exception
        {
            final String name = roleName();
            final TickJournalConfig loaded = TickJournalConfig.load(config);
            final java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
            final ShutdownSignalBarrier barrier = new ShutdownSignalBarrier(stop::countDown);
            final TerminationSignals signals = TerminationSignals.install(barrier::signal);
            try
            {
                final RoleCounters counters = RoleCounters.create(loaded.countersDir(), name, System.err::println);
                try (counters; AutoCloseable role = start(loaded, counters))
                {
                    System.err.println(name + " running (" + config + ", " + role.getClass().getSimpleName() + ", counters " + counters.file() +
                        "); SIGTERM or Ctrl-C stops it");
                    if (durationSeconds > 0)
                    {
                        final Thread timer = new Thread(() ->
                        {
                            try
                            {
                                Thread.sleep(TimeUnit.SECONDS.toMillis(durationSeconds));
                                barrier.signal();
                            }
                            catch (final InterruptedException ignore)
                            {
                                // stopped before the duration
                            }
                        }, name + "-duration");
                        timer.setDaemon(true);
                        timer.start();
                    }
                    String failure = null;
                    while (!stop.await(1, TimeUnit.SECONDS))
                    {
                        failure = role instanceof RoleHealth health ? health.failure() : null;
                        if (failure != null)
                        {
                            break;
                        }
                    }
                    if (failure != null)
                    {
                        System.err.println(name + ": " + failure + "; stopping (exit 2)");
                        return 2;
                    }
                    System.err.println(name + " stopping");
                }
                System.err.println(name + " stopped cleanly");
            }
            catch (final RoleStartException ex)
            {
                System.err.println(name + ": " + ex.getMessage());
                return 2;
            }
            finally
            {
                signals.close();
                // Lets the JVM's shutdown (if a signal started one) finish: the clean stop is done.
                barrier.close();
            }
            return 0;
        }
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Run the ingest role: every configured venue feed, appending to its partition.")
    static final class IngestCommand extends RoleCommand
    {
        @Override
        AutoCloseable start(final TickJournalConfig config, final RoleCounters counters)
        {
            return new IngestRole(config, new OffsetEpochNanoClock(), counters);
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
        AutoCloseable start(final TickJournalConfig config, final RoleCounters counters)
        {
            if (injectLoss < 0 || injectLoss >= 1)
            {
                throw new IllegalArgumentException("--inject-loss must be in [0, 1), got " + injectLoss);
            }
            return new BridgeRole(config, injectLoss > 0 ? io.tickjournal.bridge.LossySink.factory(injectLoss, 17) :
                BridgeRole.datagrams(), System.err::println, counters);
        }
    }

    @Command(name = "replicate", mixinStandardHelpOptions = true,
        description = "Run the replicate role: the TCP replication source.")
    static final class ReplicateCommand extends RoleCommand
    {
        @Override
        AutoCloseable start(final TickJournalConfig config, final RoleCounters counters)
        {
            return new ReplicateRole(config, System.err::println, counters);
        }
    }

    @Command(name = "tailer", mixinStandardHelpOptions = true,
        description = "Run the tailer role: replica sink, multicast receiver with gap repair, books and features.")
    static final class TailerCommand extends RoleCommand
    {
        @Override
        AutoCloseable start(final TickJournalConfig config, final RoleCounters counters)
        {
            return new TailerRole(config, List.of(), System.err::println, counters);
        }
    }

    /**
     * What a feed connects to and the limits it keeps, as {@code check-config} prints them.
     *
     * @param feed the feed.
     * @return one line: the WebSocket URLs (base and the protocol's paths), then the limits.
     */
    static String limits(final io.tickjournal.ingest.FeedConfig feed)
    {
        final io.tickjournal.ingest.venue.VenueProtocol protocol =
            io.tickjournal.ingest.venue.VenueRegistry.byId(feed.venueId()).protocol();
        final java.util.Set<String> urls = new java.util.TreeSet<>();
        for (final io.tickjournal.ingest.Channel channel : feed.channels())
        {
            if (protocol.supports(channel))
            {
                urls.add(url(feed.webSocketUri(), protocol.path(channel)));
            }
        }
        final io.tickjournal.ingest.venue.Keepalive keepalive = protocol.keepalive();
        return String.format("urls %s; %d streams/connection, %d streams/request, %d messages/s, %d requests/h, age %d s, " +
            "subscribe within %d ms, keep-alive %s", String.join(" ", urls), feed.streamsPerConnection(), feed.argsPerRequest(),
            feed.controlMessagesPerSecond(), feed.requestsPerHour(), feed.maxConnectionAgeNs() / 1_000_000_000L,
            feed.subscribeTimeoutNs() / 1_000_000L,
            switch (keepalive.kind())
            {
                case NONE -> "none sent (the venue pings, or a subscribed channel keeps it open)";
                case WEBSOCKET_PING -> "WebSocket ping every " + feed.keepaliveIntervalNs() / 1_000_000L + " ms";
                case MESSAGE -> "'" + keepalive.text() + "' every " + feed.keepaliveIntervalNs() / 1_000_000L + " ms";
            });
    }

    /**
     * A base URI and a path as one URL (a path of {@code /} adds nothing).
     *
     * @param base the feed's WebSocket base.
     * @param path the protocol's path for a channel.
     * @return the URL.
     */
    static String url(final java.net.URI base, final String path)
    {
        final String text = base.toString();
        final String trimmed = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        return "/".equals(path) ? trimmed : trimmed + path;
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
                System.out.println("          " + limits(f.feed()));
            }
            System.out.printf("bridge    %s ttl %d, idle %s, cpu %d, re-request %s%n", c.bridge().interfaceName(), c.bridge().ttl(),
                c.bridge().idle(), c.bridge().cpu(), c.bridge().retransmit());
            System.out.printf("replicate %s%s%n", c.replication().bind(), c.replication().secret().isEmpty() ? "" : " (secret set)");
            System.out.printf("counters  %s%n", c.countersDir());
            System.out.printf("tailer    replica %s, from %s, re-request %s, windows %s ms%n", c.tailer().replicaDir(),
                c.tailer().replicationSource(), c.tailer().rerequest(), java.util.Arrays.toString(c.tailer().windowsMs()));
            System.out.println("OK");
            return 0;
        }
    }
}
