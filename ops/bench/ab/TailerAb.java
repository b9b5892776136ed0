import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tailer A/B: two builds of journal + pricing-tailer, each in its own class loader in this one
 * JVM, fed the same MoldUDP64 packets (made by the new build from one journal), passes taking
 * turns (old, new, old, new ...) so a change of the machine's load hits both. Each pass is timed
 * by this thread's CPU time (what other tenants move least) and by the wall clock, from the
 * driver's mark (after setup) to its return. The first round warms up and is not reported.
 * <p>
 * Usage (see ab-tailer.sh): TailerAb OLD_CP NEW_CP JOURNAL_DIR RECORDS SPACING_NS ROUNDS, where
 * each classpath holds that build's driver classes, its journal and pricing-tailer jars and the
 * third-party jars.
 */
public final class TailerAb
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    public static void main(final String[] args) throws Exception
    {
        final ClassLoader oldLoader = loader(args[0]);
        final ClassLoader newLoader = loader(args[1]);
        final Path journal = Path.of(args[2]);
        final int records = Integer.parseInt(args[3]);
        final long spacingNs = Long.parseLong(args[4]);
        final int rounds = Integer.parseInt(args[5]);
        final Side before = new Side("before", oldLoader);
        final Side now = new Side("now", newLoader);
        final int day = 20_782; // 2026-11-25, in days since the epoch
        final String dir = journal.resolve("bench").toString();
        if (!Files.exists(journal.resolve("bench")))
        {
            now.driver.getMethod("writeDay", String.class, int.class, int.class, long.class).invoke(null, dir, day, records, spacingNs);
        }
        @SuppressWarnings("unchecked")
        final List<byte[]> packets = (List<byte[]>)now.driver.getMethod("packets", String.class, int.class).invoke(null, dir, day);
        System.out.printf("java %s; %,d records (3 trades : 1 ten-level delta, %,d ns apart) in %,d packets; %d rounds, the first a warm-up%n",
            System.getProperty("java.version"), records + 2L, spacingNs, packets.size(), rounds);
        final List<double[]> ratios = new ArrayList<>();
        for (int round = 0; round < rounds; round++)
        {
            final boolean report = round > 0;
            // alternate which build goes first, so neither always follows the other's garbage or cache state
            final Side first = (round & 1) == 0 ? before : now;
            final Side second = first == before ? now : before;
            final double[] a = new double[6];
            final double[] b = new double[6];
            first.run(packets, day, dir, a);
            second.run(packets, day, dir, b);
            final double[] o = first == before ? a : b;
            final double[] n = first == before ? b : a;
            if (report)
            {
                System.out.printf("round %d: sequencer + books + features by CPU: before %.3f M/s, now %.3f M/s, now/before %.2fx " +
                    "(wall %.3f / %.3f M/s, %.2fx); journal read + features by CPU: %.3f / %.3f M/s, %.2fx; raw journal read by CPU: " +
                    "%.1f / %.1f M/s; B allocated/record %.3f / %.3f%n", round, o[0], n[0], n[0] / o[0], o[1], n[1], n[1] / o[1],
                    o[2], n[2], n[2] / o[2], o[3], n[3], o[4], n[4]);
                ratios.add(new double[]{n[0] / o[0], n[1] / o[1], n[2] / o[2]});
            }
        }
        final double[] seq = ratios.stream().mapToDouble(r -> r[0]).sorted().toArray();
        final double[] wall = ratios.stream().mapToDouble(r -> r[1]).sorted().toArray();
        final double[] eng = ratios.stream().mapToDouble(r -> r[2]).sorted().toArray();
        System.out.printf("now/before, sequencer + books + features by CPU: min %.2fx, median %.2fx, max %.2fx; by wall: min %.2fx, " +
            "median %.2fx, max %.2fx; journal read + features by CPU: min %.2fx, median %.2fx, max %.2fx%n",
            seq[0], median(seq), seq[seq.length - 1], wall[0], median(wall), wall[wall.length - 1], eng[0], median(eng), eng[eng.length - 1]);
    }

    private static double median(final double[] sorted)
    {
        final int n = sorted.length;
        return (n & 1) == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static ClassLoader loader(final String classpath) throws Exception
    {
        final List<URL> urls = new ArrayList<>();
        for (final String entry : classpath.split(File.pathSeparator))
        {
            urls.add(new File(entry).toURI().toURL());
        }
        return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }

    private static final class Side
    {
        final String name;
        final Class<?> driver;
        final Class<?> runner;
        final Method sequencerPass;
        final Method enginePass;
        final Method rawPass;

        Side(final String name, final ClassLoader loader) throws Exception
        {
            this.name = name;
            this.driver = Class.forName("TailerAbDriver", true, loader);
            this.runner = Class.forName("TailerAbDriver$Runner", true, loader);
            this.sequencerPass = driver.getMethod("sequencerPass", List.class, int.class);
            this.enginePass = driver.getMethod("enginePass", String.class);
            this.rawPass = driver.getMethod("rawPass", String.class);
        }

        /** out: seq M/s by CPU, seq M/s wall, engine M/s by CPU, raw M/s by CPU, B allocated/record (sequencer pass). */
        void run(final List<byte[]> packets, final int day, final String dir, final double[] out) throws Exception
        {
            long[] r = (long[])sequencerPass.invoke(null, packets, day);
            long cpu = THREADS.getCurrentThreadCpuTime() - runner.getField("markCpuNs").getLong(null);
            long wall = System.nanoTime() - runner.getField("markWallNs").getLong(null);
            final long alloc = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) -
                runner.getField("markAllocBytes").getLong(null);
            out[0] = r[0] * 1e3 / cpu;
            out[1] = r[0] * 1e3 / wall;
            out[4] = (double)alloc / r[0];
            r = (long[])enginePass.invoke(null, dir);
            cpu = THREADS.getCurrentThreadCpuTime() - runner.getField("markCpuNs").getLong(null);
            out[2] = r[0] * 1e3 / cpu;
            r = (long[])rawPass.invoke(null, dir);
            cpu = THREADS.getCurrentThreadCpuTime() - runner.getField("markCpuNs").getLong(null);
            out[3] = r[0] * 1e3 / cpu;
        }
    }
}
