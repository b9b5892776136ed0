package io.tickjournal.tailer;

import io.tickjournal.journal.Partition;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.TradingDay;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Keeps a local copy of partitions at the same (day, sequence) positions as the feeder's, fed by
 * its TCP replication source. After a restart it resumes after the last record it holds; after a
 * lost connection it reconnects (with back-off) from there. An agent: one thread owns the
 * replica writers and sockets.
 */
public final class ReplicaSink implements Agent
{
    /**
     * One partition to replicate.
     *
     * @param partition  its name at the source.
     * @param replicaDir the local replica directory.
     * @param startDay   the first day to copy when the replica is empty.
     */
    public record Replica(String partition, Path replicaDir, int startDay)
    {
    }

    private final InetSocketAddress source;
    private final byte[] secret;
    private final NanoClock clock;
    private final Consumer<String> log;
    /** Published whole by {@link #onStart()} (views on other threads read it). */
    private volatile List<Link> links = List.of();
    private final List<Replica> replicas;
    private final long retryNs;

    /**
     * @param source   the replication source.
     * @param secret   shared secret (empty for none).
     * @param replicas the partitions.
     * @param retryNs  delay before reconnecting.
     * @param clock    clock.
     * @param log      where connection problems are reported.
     */
    public ReplicaSink(
        final InetSocketAddress source, final byte[] secret, final List<Replica> replicas, final long retryNs,
        final NanoClock clock, final Consumer<String> log)
    {
        this.source = source;
        this.secret = secret.clone();
        this.replicas = List.copyOf(replicas);
        this.retryNs = retryNs;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public void onStart()
    {
        final List<Link> built = new ArrayList<>();
        for (final Replica replica : replicas)
        {
            built.add(new Link(replica, new PartitionWriter(replica.replicaDir())));
        }
        links = List.copyOf(built);
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int work = 0;
        for (int i = 0; i < links.size(); i++)
        {
            work += links.get(i).poll(nowNs);
        }
        return work;
    }

    /** @return records written to the replicas. */
    public long recordsWritten()
    {
        long n = 0;
        for (final Link link : links)
        {
            n += link.written;
        }
        return n;
    }

    /**
     * The last position a replica holds (any thread may ask; the value may be a moment old).
     *
     * @param partition partition name.
     * @return the queue index, or -1.
     */
    public long lastIndex(final String partition)
    {
        for (final Link link : links)
        {
            if (link.replica.partition().equals(partition))
            {
                return link.lastIndex;
            }
        }
        return -1;
    }

    @Override
    public void onClose()
    {
        for (final Link link : links)
        {
            CloseHelper.closeAll(link.client, link.writer);
        }
    }

    @Override
    public String roleName()
    {
        return "replica-sink";
    }

    private final class Link implements ReplicationClient.Handler
    {
        final Replica replica;
        final PartitionWriter writer;
        ReplicationClient client;
        long retryAtNs;
        volatile long lastIndex;
        volatile long written;
        String lastFailure;
        String broken;

        Link(final Replica replica, final PartitionWriter writer)
        {
            this.replica = replica;
            this.writer = writer;
            this.lastIndex = writer.lastIndex();
        }

        int poll(final long nowNs)
        {
            if (client == null)
            {
                if (nowNs < retryAtNs)
                {
                    return 0;
                }
                final long last = writer.lastIndex();
                final int day = last < 0 ? (replica.startDay() >= 0 ? replica.startDay() : TradingDay.ofEpochNs(0)) :
                    Partition.day(last);
                final long sequence = last < 0 ? 1 : Partition.sequence(last) + 1;
                try
                {
                    client = new ReplicationClient(source, replica.partition(), day, sequence, secret, 1 << 20);
                }
                catch (final IOException ex)
                {
                    fail(nowNs, String.valueOf(ex));
                    return 0;
                }
            }
            final int n = client.poll(this, 1024);
            if (broken != null)
            {
                fail(nowNs, broken);
                broken = null;
            }
            else if (client.state() != ReplicationClient.OPEN)
            {
                fail(nowNs, client.failure());
            }
            return n;
        }

        private void fail(final long nowNs, final String why)
        {
            if (!why.equals(lastFailure))
            {
                log.accept("replica " + replica.partition() + ": " + why + "; retrying");
                lastFailure = why;
            }
            CloseHelper.quietClose(client);
            client = null;
            retryAtNs = nowNs + retryNs;
        }

        @Override
        public void onRecord(final int day, final long sequence, final UnsafeBuffer buffer, final int offset, final int length)
        {
            if (broken != null)
            {
                return;
            }
            final long index = writer.appendReplica(day, sequence, buffer, offset, length);
            if (index < 0)
            {
                // Reconnect from what the replica holds; nothing out of place is written.
                broken = "refused " + day + "/" + sequence + " (" +
                    (index == PartitionWriter.POSITION_MISMATCH ? "not the next position" : "invalid record") + ")";
                return;
            }
            lastIndex = index;
            written++;
            lastFailure = null;
        }

        @Override
        public void onHeartbeat(final int day, final long sequence)
        {
            lastFailure = null;
        }
    }
}
