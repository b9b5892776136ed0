package io.tickjournal.tailer;

import io.tickjournal.journal.wire.Replication;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A non-blocking client of the feeder's TCP replication source: sends the hello (partition,
 * day, first sequence, secret) and hands each record frame to a handler. Polled by its owner's
 * duty cycle; never blocks (the connect completes in later polls).
 */
public final class ReplicationClient implements AutoCloseable
{
    /** Receives what the source sends. */
    public interface Handler
    {
        /**
         * A record.
         *
         * @param day      its trading day.
         * @param sequence its sequence in the day.
         * @param buffer   its bytes (valid during the call).
         * @param offset   where it starts.
         * @param length   its length.
         */
        void onRecord(int day, long sequence, UnsafeBuffer buffer, int offset, int length);

        /**
         * A heartbeat: the source's next sequence of its current day.
         *
         * @param day      the day.
         * @param sequence the next sequence.
         */
        void onHeartbeat(int day, long sequence);
    }

    /** Still connecting or streaming. */
    public static final int OPEN = 0;
    /** The source refused the hello (unknown partition, wrong secret, position not held). */
    public static final int REFUSED = 1;
    /** The connection closed or failed. */
    public static final int CLOSED = 2;

    private final SocketChannel channel;
    private final ByteBuffer in;
    private final UnsafeBuffer view;
    private final ByteBuffer hello;
    private int state = OPEN;
    private String failure;
    private long records;

    /**
     * Start connecting.
     *
     * @param source      the replication source.
     * @param partition   partition name.
     * @param day         first day wanted.
     * @param sequence    first sequence wanted in that day.
     * @param secret      shared secret, or empty.
     * @param bufferBytes receive buffer (larger than the largest record plus 16).
     * @throws IOException when the socket cannot be opened.
     */
    public ReplicationClient(
        final InetSocketAddress source, final String partition, final int day, final long sequence, final byte[] secret,
        final int bufferBytes) throws IOException
    {
        this(source, partition, day, sequence, secret, ByteBuffer.allocateDirect(bufferBytes));
    }

    /**
     * Start connecting, receiving into a buffer the caller reuses across connections (one at a time):
     * a client that reconnects does not allocate a new direct buffer each time.
     *
     * @param source        the replication source.
     * @param partition     partition name.
     * @param day           first day wanted.
     * @param sequence      first sequence wanted in that day.
     * @param secret        shared secret, or empty.
     * @param receiveBuffer direct receive buffer (larger than the largest record plus 16), cleared here.
     * @throws IOException when the socket cannot be opened.
     */
    public ReplicationClient(
        final InetSocketAddress source, final String partition, final int day, final long sequence, final byte[] secret,
        final ByteBuffer receiveBuffer) throws IOException
    {
        final byte[] name = partition.getBytes(StandardCharsets.US_ASCII);
        hello = ByteBuffer.allocate(20 + name.length + secret.length).order(Replication.ORDER);
        hello.putInt(Replication.MAGIC).putShort((short)name.length).put(name).putInt(day).putLong(sequence)
            .putShort((short)secret.length).put(secret).flip();
        in = receiveBuffer.clear().order(Replication.ORDER);
        view = new UnsafeBuffer(in);
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.connect(source);
    }

    /** @return {@link #OPEN}, {@link #REFUSED} or {@link #CLOSED}. */
    public int state()
    {
        return state;
    }

    /** @return why it closed, or null. */
    public String failure()
    {
        return failure;
    }

    /** @return records received. */
    public long records()
    {
        return records;
    }

    /**
     * Make progress: finish connecting, send the hello, read and dispatch frames.
     *
     * @param handler receives records and heartbeats.
     * @param limit   most records to dispatch in this call.
     * @return records dispatched.
     */
    public int poll(final Handler handler, final int limit)
    {
        if (state != OPEN)
        {
            return 0;
        }
        try
        {
            if (channel.isConnectionPending())
            {
                if (!channel.finishConnect())
                {
                    return 0;
                }
            }
            if (hello.hasRemaining())
            {
                channel.write(hello);
                if (hello.hasRemaining())
                {
                    return 0;
                }
            }
            int dispatched = dispatch(handler, limit);
            if (dispatched < limit)
            {
                final int read = channel.read(in);
                if (read < 0)
                {
                    close("source closed the connection");
                    return dispatched;
                }
                dispatched += dispatch(handler, limit - dispatched);
            }
            return dispatched;
        }
        catch (final IOException ex)
        {
            close(String.valueOf(ex));
            return 0;
        }
    }

    private int dispatch(final Handler handler, final int limit)
    {
        int count = 0;
        int position = 0;
        final int end = in.position();
        while (count < limit && end - position >= Replication.FRAME_HEADER_LENGTH)
        {
            final int length = view.getInt(position, Replication.ORDER);
            final int day = view.getInt(position + 4, Replication.ORDER);
            final long sequence = view.getLong(position + 8, Replication.ORDER);
            if (length == Replication.REFUSED_LENGTH)
            {
                state = REFUSED;
                failure = "refused by the replication source";
                closeQuietly();
                return count;
            }
            if (length < 0 || length > in.capacity() - Replication.FRAME_HEADER_LENGTH)
            {
                close("frame length " + length + " out of range");
                return count;
            }
            if (end - position < Replication.FRAME_HEADER_LENGTH + length)
            {
                break;
            }
            if (length == Replication.HEARTBEAT_LENGTH)
            {
                handler.onHeartbeat(day, sequence);
            }
            else
            {
                handler.onRecord(day, sequence, view, position + Replication.FRAME_HEADER_LENGTH, length);
                records++;
                count++;
            }
            position += Replication.FRAME_HEADER_LENGTH + length;
        }
        if (position > 0)
        {
            // Keep the partial frame at the start of the buffer.
            view.putBytes(0, view, position, end - position);
            in.position(end - position);
        }
        return count;
    }

    private void close(final String why)
    {
        if (state == OPEN)
        {
            state = CLOSED;
            failure = why;
        }
        closeQuietly();
    }

    private void closeQuietly()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
    }

    @Override
    public void close()
    {
        close("closed by its owner");
    }
}
