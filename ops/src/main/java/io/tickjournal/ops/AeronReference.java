package io.tickjournal.ops;

import io.aeron.Aeron;
import io.aeron.ConcurrentPublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;

/**
 * The bridge's peer reference: the same records sent over Aeron UDP multicast on loopback, one
 * {@code offer} per record (Aeron batches them into its own datagrams), an embedded media driver
 * (shared threading, busy-spin: one driver thread) and a subscriber thread draining the stream.
 * Reliable and flow-controlled, so the rate is what the subscriber received, over the last three
 * quarters of the records. The publisher and subscriber yield when they can do nothing, so the
 * driver thread gets a CPU on a 2-vCPU machine.
 */
final class AeronReference
{
    private static final int STREAM_ID = 1001;

    private AeronReference()
    {
    }

    /**
     * Send {@code records} records from the pool (slot {@code i % pool} of {@link BridgeBench#SLOT} bytes).
     *
     * @return records/s, from the first offer to the last record received.
     */
    static double run(final UnsafeBuffer pool, final int[] lengths, final int records, final int port) throws Exception
    {
        final String dir = new File(System.getProperty("java.io.tmpdir"),
            "tickjournal-aeron-bench-" + ProcessHandle.current().pid()).getAbsolutePath();
        final MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BusySpinIdleStrategy())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .spiesSimulateConnection(false);
        final String channel = "aeron:udp?endpoint=" + BridgeBench.GROUP + ":" + port + "|interface=127.0.0.1|ttl=0";
        try (MediaDriver driver = MediaDriver.launchEmbedded(driverContext);
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            Subscription subscription = aeron.addSubscription(channel, STREAM_ID);
            ConcurrentPublication publication = aeron.addPublication(channel, STREAM_ID))
        {
            final long[] received = {0};
            final FragmentHandler handler = (buffer, offset, length, header) -> received[0]++;
            final long[] done = {0};
            final Thread subscriber = new Thread(() ->
            {
                long got = 0;
                while (got < records)
                {
                    final int n = subscription.poll(handler, 256);
                    got = received[0];
                    if (n == 0)
                    {
                        Thread.yield();
                    }
                }
                done[0] = System.nanoTime();
            }, "aeron-subscriber");
            final long connectDeadline = System.nanoTime() + 10_000_000_000L;
            while (!publication.isConnected() || !subscription.isConnected())
            {
                if (System.nanoTime() > connectDeadline)
                {
                    throw new IllegalStateException("Aeron publication not connected on " + channel);
                }
                Thread.sleep(1);
            }
            subscriber.start();
            long backPressured = 0;
            final int warmup = records / 4;
            long start = System.nanoTime();
            long receivedAtStart = 0;
            for (int i = 0; i < records; i++)
            {
                if (i == warmup)
                {
                    start = System.nanoTime();
                    receivedAtStart = received[0];
                }
                final int slot = i & (BridgeBench.POOL - 1);
                while (publication.offer(pool, slot * BridgeBench.SLOT, lengths[slot]) < 0)
                {
                    backPressured++;
                    Thread.yield(); // leave the CPU to the driver and the subscriber: 2 vCPUs for 3 threads
                }
            }
            final long sent = System.nanoTime() - start;
            subscriber.join(30_000);
            final long elapsed = (done[0] == 0 ? System.nanoTime() : done[0]) - start;
            final long measured = received[0] - receivedAtStart;
            System.out.printf("Aeron:    %,.0f records/s received (%,.0f/s offered, %,d back-pressured offers); " +
                    "subscriber got %.2f%% of the records%n",
                measured * 1e9 / elapsed, (records - warmup) * 1e9 / sent, backPressured, 100.0 * received[0] / records);
            return measured * 1e9 / elapsed;
        }
    }
}
