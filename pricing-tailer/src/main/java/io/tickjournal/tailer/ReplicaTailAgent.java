package io.tickjournal.tailer;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.RecordHandler;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;

import java.nio.file.Path;
import java.util.List;

/**
 * A tailer without multicast: tails the local replica partitions as the replica sink writes
 * them and hands their records, each partition in order, to the listener (the feature engine).
 * Partitions that do not exist yet are opened when they appear. An agent; one thread.
 */
public final class ReplicaTailAgent implements Agent
{
    private final List<Path> partitions;
    private final RecordHandler listener;
    private final JournalTailer[] tailers;
    private final long[] delivered;
    private final int batch;

    /**
     * @param partitions replica partition directories.
     * @param listener   receives the records.
     * @param batch      most records per partition per duty cycle (fairness between partitions).
     */
    public ReplicaTailAgent(final List<Path> partitions, final RecordHandler listener, final int batch)
    {
        this.partitions = List.copyOf(partitions);
        this.listener = listener;
        this.batch = batch;
        this.tailers = new JournalTailer[partitions.size()];
        this.delivered = new long[partitions.size()];
    }

    @Override
    public int doWork()
    {
        int work = 0;
        for (int i = 0; i < tailers.length; i++)
        {
            if (tailers[i] == null)
            {
                final Path dir = partitions.get(i);
                if (!Partition.hasCycleFiles(dir))
                {
                    continue;
                }
                tailers[i] = JournalTailer.open(dir, null);
            }
            final int n = tailers[i].poll(listener, batch);
            delivered[i] += n;
            work += n;
        }
        return work;
    }

    /** @return records delivered from all partitions (any thread; a moment old). */
    public long delivered()
    {
        long n = 0;
        for (final long d : delivered)
        {
            n += d;
        }
        return n;
    }

    @Override
    public void onClose()
    {
        CloseHelper.quietCloseAll(tailers);
    }

    @Override
    public String roleName()
    {
        return "replica-tailer";
    }
}
