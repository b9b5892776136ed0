package io.tickjournal.ingest;

import java.util.List;

/**
 * One connection a feed keeps open: its path and the streams it carries.
 *
 * @param path       path below the WebSocket base URI, e.g. {@code /stream} or {@code /public/stream}.
 * @param streams    stream names to subscribe, e.g. {@code btcusdt@depth@100ms}.
 * @param streamKeys per stream, the key the handler reports for its frames ({@code instrumentIndex * channels + channel}).
 */
public record ConnectionPlan(String path, List<String> streams, int[] streamKeys)
{
    public ConnectionPlan
    {
        streams = List.copyOf(streams);
        streamKeys = streamKeys.clone();
        if (streams.size() != streamKeys.length)
        {
            throw new IllegalArgumentException("one key per stream");
        }
    }

    /**
     * Where a stream key sits in this plan.
     *
     * @param key a stream key.
     * @return its position, or -1 when this plan does not carry it.
     */
    public int positionOf(final int key)
    {
        for (int i = 0; i < streamKeys.length; i++)
        {
            if (streamKeys[i] == key)
            {
                return i;
            }
        }
        return -1;
    }
}
