package io.tickjournal.ingest;

import java.net.URI;

/**
 * The I/O a {@link FeedSession} asks for. Every call is made on the feed's thread, and every
 * event comes back on it ({@link FeedSession#onOpen}, {@link FeedSession#onFrame},
 * {@link FeedSession#onClosed}, {@link FeedSession#onRestResponse}, {@link FeedSession#onRestFailed}).
 * The Netty implementation is {@link NettyFeedTransport}; tests can drive a session with their own.
 */
public interface FeedTransport
{
    /**
     * Bind the session events go to; called once by {@link FeedSession#start}.
     *
     * @param session the session.
     */
    void bind(FeedSession session);

    /**
     * Open a WebSocket; the outcome arrives as {@code onOpen} or {@code onClosed}.
     *
     * @param connectionId the connection.
     * @param uri          full URI.
     */
    void connect(int connectionId, URI uri);

    /**
     * Send a text frame.
     *
     * @param connectionId the connection.
     * @param text         the frame.
     */
    void send(int connectionId, String text);

    /**
     * Send a WebSocket ping frame (venues whose keep-alive is a protocol ping).
     *
     * @param connectionId the connection.
     */
    void ping(int connectionId);

    /**
     * Close a connection; {@code onClosed} follows.
     *
     * @param connectionId the connection.
     */
    void close(int connectionId);

    /**
     * A REST GET; the answer arrives as {@code onRestResponse} or {@code onRestFailed}.
     *
     * @param tag opaque tag echoed back.
     * @param uri the URI.
     */
    void get(long tag, URI uri);

    /** Release everything (connections, event loop). */
    void shutdown();
}
