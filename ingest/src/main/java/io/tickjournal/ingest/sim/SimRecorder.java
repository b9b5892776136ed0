package io.tickjournal.ingest.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulator sent and received, for tests to compare with the journal: trade ids and book
 * event ids per symbol in the order generated, snapshot ids, pings sent, keep-alives and pongs
 * received. Written on the simulator's thread, read from any.
 */
public final class SimRecorder
{
    private final Map<String, List<String>> tradeIds = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> bookIds = new ConcurrentHashMap<>();
    private final List<Long> snapshotIds = new CopyOnWriteArrayList<>();
    private final List<String> pingsSent = new CopyOnWriteArrayList<>();
    private final List<String> pongsReceived = new CopyOnWriteArrayList<>();
    private final List<String> keepalivesReceived = new CopyOnWriteArrayList<>();
    private final List<String> controlReceived = new CopyOnWriteArrayList<>();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong snapshotsServed = new AtomicLong();
    private final AtomicInteger connectionsAccepted = new AtomicInteger();
    private final AtomicInteger subscribeRequests = new AtomicInteger();
    private final AtomicInteger keepaliveCloses = new AtomicInteger();

    private static String key(final String symbol)
    {
        return symbol.toUpperCase(Locale.ROOT);
    }

    void trade(final String symbol, final String id)
    {
        tradeIds.computeIfAbsent(key(symbol), k -> new CopyOnWriteArrayList<>()).add(id);
    }

    void book(final String symbol, final long id)
    {
        bookIds.computeIfAbsent(key(symbol), k -> new CopyOnWriteArrayList<>()).add(id);
    }

    /**
     * @param id the book id a snapshot (REST or in-stream) carried.
     */
    public void snapshot(final long id)
    {
        snapshotIds.add(id);
        snapshotsServed.incrementAndGet();
    }

    void ping(final String payload)
    {
        pingsSent.add(payload);
    }

    void pong(final String payload)
    {
        pongsReceived.add(payload);
    }

    void keepalive(final String text)
    {
        keepalivesReceived.add(text);
    }

    void control(final String text)
    {
        controlReceived.add(text);
    }

    void sent()
    {
        framesSent.incrementAndGet();
    }

    void accepted()
    {
        connectionsAccepted.incrementAndGet();
    }

    void keepaliveClose()
    {
        keepaliveCloses.incrementAndGet();
    }

    /** Count a subscribe request. */
    public void subscribeRequest()
    {
        subscribeRequests.incrementAndGet();
    }

    /**
     * @param symbol the venue's symbol (any case).
     * @return trade ids generated for it, in order, as the venue prints them.
     */
    public List<String> tradeIds(final String symbol)
    {
        return List.copyOf(tradeIds.getOrDefault(key(symbol), List.of()));
    }

    /**
     * @param symbol the venue's symbol (any case).
     * @return the id of every book event generated for it (Binance {@code u}, Bybit {@code u}, OKX {@code seqId}), in order.
     */
    public List<Long> bookIds(final String symbol)
    {
        return List.copyOf(bookIds.getOrDefault(key(symbol), List.of()));
    }

    /** @return the id of every snapshot served (REST and in-stream), in order. */
    public List<Long> snapshotIds()
    {
        return List.copyOf(snapshotIds);
    }

    /** @return snapshots served. */
    public long snapshotsServed()
    {
        return snapshotsServed.get();
    }

    /** @return payloads of the WebSocket pings sent. */
    public List<String> pingsSent()
    {
        return List.copyOf(pingsSent);
    }

    /** @return payloads of the WebSocket pongs clients sent. */
    public List<String> pongsReceived()
    {
        return List.copyOf(pongsReceived);
    }

    /** @return the venue-level keep-alives clients sent ({@code {"op":"ping"}}, {@code ping}), in order. */
    public List<String> keepalivesReceived()
    {
        return List.copyOf(keepalivesReceived);
    }

    /** @return every other text frame clients sent (subscriptions and the like), in order. */
    public List<String> controlReceived()
    {
        return new ArrayList<>(controlReceived);
    }

    /** @return frames sent. */
    public long framesSent()
    {
        return framesSent.get();
    }

    /** @return connections accepted. */
    public int connectionsAccepted()
    {
        return connectionsAccepted.get();
    }

    /** @return subscribe requests received. */
    public int subscribeRequests()
    {
        return subscribeRequests.get();
    }

    /** @return connections closed for sending no keep-alive in time. */
    public int keepaliveCloses()
    {
        return keepaliveCloses.get();
    }
}
