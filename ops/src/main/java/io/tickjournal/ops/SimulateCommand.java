package io.tickjournal.ops;

import io.tickjournal.ingest.sim.VenueSimulator;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The venue simulators as their own process, so an operator can drill the roles as separate
 * processes, as production runs them: point a config's {@code websocket}/{@code rest} at the
 * addresses printed, start {@code ingest}, {@code bridge}, {@code replicate} and {@code tailer}, and
 * inject faults on demand (a line on standard input) or on a schedule ({@code --faults}).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Run venue simulators on loopback as their own process (for drills with each role its own process); " +
        "faults on a schedule (--faults) or on demand, one command a line on standard input: " +
        "gap VENUE [SYMBOL] | shutdown VENUE | stall VENUE | drop VENUE | down VENUE [SECONDS] | pause VENUE | resume VENUE.")
public final class SimulateCommand implements Callable<Integer>
{
    @Option(names = "--venues", split = ",", description = "venues to simulate (default: the demo's nine)")
    List<String> venueNames;

    @Option(names = "--port", defaultValue = "0",
        description = "first TCP port; each next venue takes the next port (default: 0, any free ports)")
    int port;

    @Option(names = "--trades-per-second", defaultValue = "50", description = "trades per second per symbol (default: ${DEFAULT-VALUE})")
    int tradesPerSecond;

    @Option(names = "--faults", description = "inject each venue's fault on a schedule: a book gap every 10 s, or a shutdown " +
        "notice every 30 s")
    boolean faults;

    @Override
    public Integer call() throws Exception
    {
        final List<SimulatedVenue> venues;
        try
        {
            venues = SimulatedVenue.pick(venueNames);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("simulate: " + ex.getMessage());
            return 2;
        }
        final List<VenueSimulator> simulators = new ArrayList<>();
        final ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
        final TerminationSignals signals = TerminationSignals.install(barrier::signal);
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, "simulate-faults");
            t.setDaemon(true);
            return t;
        });
        try
        {
            final long referenceOriginMs = System.currentTimeMillis();
            for (int i = 0; i < venues.size(); i++)
            {
                try
                {
                    simulators.add(venues.get(i).start(tradesPerSecond, port == 0 ? 0 : port + i, referenceOriginMs));
                }
                catch (final RuntimeException ex)
                {
                    System.err.println("simulate: cannot start " + venues.get(i).partition() + " on port " + (port + i) + ": " +
                        (ex.getCause() != null ? ex.getCause().getMessage() : ex.getMessage()));
                    return 2;
                }
                System.out.printf("simulate: %-13s websocket %s  rest %s%n", venues.get(i).partition(),
                    simulators.get(i).webSocketUri(), simulators.get(i).restUri());
            }
            if (faults)
            {
                final long[] second = {0};
                scheduler.scheduleAtFixedRate(() ->
                {
                    second[0]++;
                    for (int i = 0; i < venues.size(); i++)
                    {
                        final SimulatedVenue venue = venues.get(i);
                        if (venue.fault() == SimulatedVenue.Fault.BOOK_GAP && second[0] % 10 == 5)
                        {
                            fault(venues, simulators, "gap " + venue.partition());
                        }
                        if (venue.fault() == SimulatedVenue.Fault.SHUTDOWN_NOTICE && second[0] % 30 == 20)
                        {
                            fault(venues, simulators, "shutdown " + venue.partition());
                        }
                    }
                }, 1, 1, TimeUnit.SECONDS);
            }
            final Thread commands = new Thread(() -> readCommands(venues, simulators), "simulate-commands");
            commands.setDaemon(true);
            commands.start();
            System.out.println("simulate: running; faults on demand from standard input; SIGTERM or Ctrl-C stops");
            barrier.await();
            scheduler.shutdownNow();
            simulators.forEach(VenueSimulator::close);
            simulators.clear();
            System.out.println("simulate: stopped cleanly");
            return 0;
        }
        finally
        {
            scheduler.shutdownNow();
            simulators.forEach(VenueSimulator::close);
            signals.close();
            // Lets the JVM's shutdown (if a signal started one) finish: the clean stop is done.
            barrier.close();
        }
    }

    private static void readCommands(final List<SimulatedVenue> venues, final List<VenueSimulator> simulators)
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                if (!line.isBlank())
                {
                    fault(venues, simulators, line.trim());
                }
            }
        }
        catch (final java.io.IOException ex)
        {
            System.err.println("simulate: standard input: " + ex.getMessage());
        }
    }

    /**
     * Apply one fault command.
     *
     * @param venues     the venues running.
     * @param simulators their simulators.
     * @param command    e.g. {@code gap binance-spot BTCUSDT}.
     */
    static void fault(final List<SimulatedVenue> venues, final List<VenueSimulator> simulators, final String command)
    {
        final String[] words = command.split("\\s+");
        if (words[0].equals("down") && words.length > 2 && !words[2].matches("\\d{1,6}"))
        {
            System.err.println("simulate: '" + command + "': the seconds must be a whole number");
            return;
        }
        int at = -1;
        for (int i = 0; i < venues.size() && words.length > 1; i++)
        {
            if (venues.get(i).partition().equals(words[1]))
            {
                at = i;
            }
        }
        if (at < 0)
        {
            System.err.println("simulate: '" + command + "': expected gap|shutdown|stall|drop|down|pause|resume VENUE (one of " +
                String.join(", ", venues.stream().map(SimulatedVenue::partition).toList()) + ")");
            return;
        }
        final SimulatedVenue venue = venues.get(at);
        final VenueSimulator simulator = simulators.get(at);
        switch (words[0])
        {
            case "gap" -> simulator.gapNextBookEvent(words.length > 2 ? words[2] : venue.faultSymbol());
            case "shutdown" -> simulator.serverShutdown(1000);
            case "stall" -> simulator.stallOpenConnections();
            case "drop" -> simulator.dropAllConnections();
            case "down" -> simulator.goDown(1000L * (words.length > 2 ? Long.parseLong(words[2]) : 60));
            case "pause" -> simulator.pause(true);
            case "resume" -> simulator.pause(false);
            default ->
            {
                System.err.println("simulate: unknown fault '" + words[0] + "' (gap, shutdown, stall, drop, down, pause, resume)");
                return;
            }
        }
        System.out.println("simulate: " + command);
    }
}
