package io.tickjournal.tailer;

import io.tickjournal.journal.wire.Replication;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * A replication source for sequencer tests, speaking the protocol of {@link Replication}: it accepts
 * one connection at a time, reads the hello (day, first sequence) and answers with the records it
 * was given for that day from that sequence, then a heartbeat. Stepped by {@link #doWork()} on the
 * test's thread, so a test decides when bytes move.
 */
final class ScriptedReplicationSource implements AutoCloseable
{
    private final ServerSocketChannel server;
    private final int day;
    private final List<byte[]> records;
    private final ByteBuffer hello = ByteBuffer.allocate(Replication.MAX_HELLO_LENGTH).order(Replication.ORDER);
    private SocketChannel client;
    private ByteBuffer out;
    int connections;

    /**
     * @param day     the day it holds.
     * @param records the day's records, sequence 1 first.
     * @throws IOException when it cannot listen.
     */
    ScriptedReplicationSource(final int day, final List<byte[]> records) throws IOException
    {
        this.day = day;
        this.records = records;
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        server.configureBlocking(false);
    }

    InetSocketAddress address() throws IOException
    {
        return (InetSocketAddress)server.getLocalAddress();
    }

    void doWork() throws IOException
    {
        final SocketChannel accepted = server.accept();
        if (accepted != null)
        {
            if (client != null)
            {
                client.close();
            }
            client = accepted;
            client.configureBlocking(false);
            connections++;
            hello.clear();
            out = null;
        }
        if (client == null)
        {
            return;
        }
        if (out == null)
        {
            if (client.read(hello) < 0)
            {
                client.close();
                client = null;
                return;
            }
            if (hello.position() < 6)
            {
                return;
            }
            final int nameLength = hello.getShort(4);
            if (hello.position() < 20 + nameLength)
            {
                return;
            }
            final int helloDay = hello.getInt(6 + nameLength);
            final long from = hello.getLong(10 + nameLength);
            out = ByteBuffer.allocate(1 << 20).order(Replication.ORDER);
            long next = from;
            if (helloDay == day)
            {
                for (long s = from; s <= records.size(); s++)
                {
                    final byte[] record = records.get((int)(s - 1));
                    out.putInt(record.length).putInt(day).putLong(s).put(record);
                    next = s + 1;
                }
            }
            out.putInt(Replication.HEARTBEAT_LENGTH).putInt(day).putLong(next);
            out.flip();
        }
        if (out.hasRemaining())
        {
            client.write(out);
        }
    }

    @Override
    public void close() throws IOException
    {
        if (client != null)
        {
            client.close();
        }
        server.close();
    }
}
