package io.tickjournal.ingest.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickjournal.ingest.venue.FixtureJson;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A plain JDK WebSocket client for simulator tests: it keeps every text frame it receives, sends
 * what the test says, and knows when the server closed. Independent of ingest's Netty transport.
 */
final class WsClient implements AutoCloseable
{
    private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final List<String> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    WsClient(final String uri)
    {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(uri), new WebSocket.Listener()
        {
            private final StringBuilder partial = new StringBuilder();
            private final java.io.ByteArrayOutputStream partialBinary = new java.io.ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onText(final WebSocket ws, final CharSequence data, final boolean last)
            {
                partial.append(data);
                if (last)
                {
                    frames.add(partial.toString());
                    all.add(partial.toString());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            /** Binary frames (Upbit sends its JSON in them) are UTF-8 text like any other. */
            @Override
            public CompletionStage<?> onBinary(final WebSocket ws, final java.nio.ByteBuffer data, final boolean last)
            {
                final byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                partialBinary.writeBytes(bytes);
                if (last)
                {
                    final String text = partialBinary.toString(java.nio.charset.StandardCharsets.UTF_8);
                    frames.add(text);
                    all.add(text);
                    partialBinary.reset();
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(final WebSocket ws, final int statusCode, final String reason)
            {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(final WebSocket ws, final Throwable error)
            {
                closed.complete(-1);
            }
        }).join();
    }

    void send(final String text)
    {
        socket.sendText(text, true).join();
    }

    /**
     * @param what  what is awaited, for the failure message.
     * @param match the frame wanted.
     * @return the first frame received from now on (earlier unread ones included) that matches; others are skipped.
     */
    String await(final String what, final Predicate<String> match)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            final String frame;
            try
            {
                frame = frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
            if (frame == null)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            if (match.test(frame))
            {
                return frame;
            }
        }
    }

    /**
     * Wait until the frames received so far, read or not, satisfy a condition.
     *
     * @param what      what is awaited, for the failure message.
     * @param condition tested on every frame received so far, in order.
     */
    void awaitReceived(final String what, final Predicate<List<String>> condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.test(received()))
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** @return every frame received so far, in order. */
    List<String> received()
    {
        return new ArrayList<>(all);
    }

    /** @return completes with the close code when the server closes (or -1 on an error). */
    CompletableFuture<Integer> closed()
    {
        return closed;
    }

    @Override
    public void close()
    {
        socket.abort();
    }

    /**
     * Assert that a frame has exactly the field names (recursively, arrays by their first element) of a fixture.
     *
     * @param fixture the fixture, e.g. {@code okx/trades.json}.
     * @param frame   the frame.
     */
    static void assertShape(final String fixture, final String frame)
    {
        final TreeSet<String> actual = shape(FixtureJson.tree(frame));
        final TreeSet<String> expected = shape(FixtureJson.fixture(fixture));
        // An array the frame sends empty (a book side without changes) has no element to compare.
        final TreeSet<String> empty = new TreeSet<>();
        empty(FixtureJson.tree(frame), "", empty);
        expected.removeIf(path -> empty.stream().anyMatch(e -> path.startsWith(e + "[]")));
        assertEquals(expected, actual, "shape of " + frame + " as " + fixture);
    }

    private static void empty(final JsonNode node, final String prefix, final TreeSet<String> paths)
    {
        if (node.isObject())
        {
            node.fieldNames().forEachRemaining(name -> empty(node.get(name), prefix + "/" + name, paths));
        }
        else if (node.isArray())
        {
            if (node.size() == 0)
            {
                paths.add(prefix);
            }
            else
            {
                empty(node.get(0), prefix + "[]", paths);
            }
        }
    }

    static TreeSet<String> shape(final JsonNode node)
    {
        final TreeSet<String> paths = new TreeSet<>();
        shape(node, "", paths);
        return paths;
    }

    private static void shape(final JsonNode node, final String prefix, final TreeSet<String> paths)
    {
        if (node.isObject())
        {
            for (final Iterator<String> it = node.fieldNames(); it.hasNext(); )
            {
                final String name = it.next();
                paths.add(prefix + "/" + name + ":" + node.get(name).getNodeType());
                shape(node.get(name), prefix + "/" + name, paths);
            }
        }
        else if (node.isArray() && node.size() > 0)
        {
            shape(node.get(0), prefix + "[]", paths);
            paths.add(prefix + "[]:" + node.get(0).getNodeType());
        }
    }
}
