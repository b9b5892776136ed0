package io.tickjournal.journal;

import io.tickjournal.journal.gen.SyntheticMarket;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One writer per partition across processes: a second is refused naming the first; a killed one's lock dies with it. */
class PartitionLockTest
{
    private static final int DAY = TradingDay.parse("2026-11-25");

    @TempDir
    Path root;

    private Process holder;

    /** A second process: opens a writer on the partition, appends 100 trades, says so, then waits to be killed. */
    public static final class Holder
    {
        public static void main(final String[] args) throws Exception
        {
            final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
            final SyntheticMarket market = new SyntheticMarket(5, 1, 1, 6_500_000, 1_000_000L);
            final PartitionWriter writer = new PartitionWriter(Path.of(args[0]));
            for (int i = 0; i < 100; i++)
            {
                writer.append(buffer, 0, market.encodeTrade(buffer, 0, TradingDay.startNs(DAY) + 1000L * (i + 1)));
            }
            System.out.println("holding " + ProcessHandle.current().pid());
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    @AfterEach
    void killHolder()
    {
        if (holder != null)
        {
            holder.destroyForcibly();
        }
    }

    @Test
    void aSecondProcessIsRefusedNamingTheHolderAndTheLockOfAKilledWriterIsTakenOver() throws Exception
    {
        final Path dir = root.resolve("binance-spot");
        final Path log = root.resolve("holder.log");
        holder = JavaProcess.start(Holder.class, log, dir.toString());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains("holding") && holder.isAlive() && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
        }
        assertTrue(Files.readString(log).contains("holding"), Files.readString(log));

        final PartitionLock.PartitionLockedException refused =
            assertThrows(PartitionLock.PartitionLockedException.class, () -> new PartitionWriter(dir));
        assertTrue(refused.getMessage().contains("pid=" + holder.pid()), refused.getMessage());
        assertTrue(refused.getMessage().contains("host=") && refused.getMessage().contains("since="), refused.getMessage());
        assertEquals(1, refused.getMessage().lines().count(), "one line");

        holder.destroyForcibly();
        assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final SyntheticMarket market = new SyntheticMarket(5, 1, 1, 6_500_000, 1_000_000L);
        try (PartitionWriter third = new PartitionWriter(dir))
        {
            final long index = third.append(buffer, 0, market.encodeTrade(buffer, 0, TradingDay.startNs(DAY) + 1_000_000));
            assertEquals(DAY, Partition.day(index));
            assertEquals(101, Partition.sequence(index), "the killed writer's 100 records, then this one: dense");
            assertTrue(Files.readString(dir.resolve(PartitionLock.FILE_NAME)).contains("pid=" + ProcessHandle.current().pid()),
                "the lock file now names this process");
        }
        assertTrue(JournalVerifier.verify(dir).ok());
    }

    @Test
    void aSecondWriterInTheSameProcessIsRefusedUntilTheFirstCloses()
    {
        final Path dir = root.resolve("p");
        try (PartitionWriter first = new PartitionWriter(dir))
        {
            final PartitionLock.PartitionLockedException refused =
                assertThrows(PartitionLock.PartitionLockedException.class, () -> new PartitionWriter(dir));
            assertTrue(refused.getMessage().contains("pid=" + ProcessHandle.current().pid()), refused.getMessage());
            assertEquals(-1, first.lastIndex());
        }
        try (PartitionWriter again = new PartitionWriter(dir))
        {
            assertEquals(-1, again.lastIndex());
        }
    }

    @Test
    void aHalfCreatedCycleFileIsMovedAsideInsteadOfStallingTheOpen() throws Exception
    {
        final Path dir = root.resolve("p");
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final SyntheticMarket market = new SyntheticMarket(5, 1, 1, 6_500_000, 1_000_000L);
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            writer.append(buffer, 0, market.encodeTrade(buffer, 0, TradingDay.startNs(DAY) + 5));
        }
        // What a writer killed by SIGBUS while creating the next day's file leaves: the file, no header.
        final Path next = Partition.cycleFile(dir, DAY + 1);
        Files.write(next, new byte[4096]);
        try (PartitionWriter writer = new PartitionWriter(dir))
        {
            assertTrue(Files.exists(next.resolveSibling(next.getFileName() + ".incomplete")), "moved aside, kept for a post mortem");
            final long index = writer.append(buffer, 0, market.encodeTrade(buffer, 0, TradingDay.startNs(DAY + 1) + 5));
            assertEquals(DAY + 1, Partition.day(index));
        }
        assertTrue(JournalVerifier.verify(dir).ok(), JournalVerifier.verify(dir).problems().toString());
    }
}
