package io.tickjournal.ingest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** A transport that records what the session asked for; the test plays the venue's answers. */
public final class RecordingTransport implements FeedTransport
{
    public final List<String> events = new ArrayList<>();
    public final List<Integer> connects = new ArrayList<>();
    public final List<URI> connectUris = new ArrayList<>();
    public final List<String> sent = new ArrayList<>();
    public final List<Integer> closes = new ArrayList<>();
    public final List<Long> getTags = new ArrayList<>();
    public final List<URI> getUris = new ArrayList<>();
    public FeedSession session;
    public boolean shutdown;

    @Override
    public void bind(final FeedSession session)
    {
        this.session = session;
    }

    @Override
    public void connect(final int connectionId, final URI uri)
    {
        connects.add(connectionId);
        connectUris.add(uri);
        events.add("connect " + connectionId);
    }

    @Override
    public void send(final int connectionId, final String text)
    {
        sent.add(connectionId + " " + text);
        events.add("send " + connectionId);
    }

    @Override
    public void ping(final int connectionId)
    {
        events.add("ping " + connectionId);
    }

    @Override
    public void close(final int connectionId)
    {
        closes.add(connectionId);
        events.add("close " + connectionId);
    }

    @Override
    public void get(final long tag, final URI uri)
    {
        getTags.add(tag);
        getUris.add(uri);
        events.add("get " + tag);
    }

    @Override
    public void shutdown()
    {
        shutdown = true;
    }
}
