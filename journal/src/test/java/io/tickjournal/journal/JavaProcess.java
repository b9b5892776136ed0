package io.tickjournal.journal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Starts a class's main in a new JVM with this JVM's class path and Chronicle flags (process tests of every module). */
public final class JavaProcess
{
    private JavaProcess()
    {
    }

    /**
     * @param mainClass the class whose main runs.
     * @param log       where its stdout and stderr go.
     * @param args      its arguments.
     * @return the started process.
     * @throws IOException when it cannot start.
     */
    public static Process start(final Class<?> mainClass, final Path log, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("-D") || arg.startsWith("--enable-") || arg.startsWith("--sun-"))
            {
                command.add(arg);
            }
        }
        command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(Arrays.asList(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
