package io.tickjournal.ingest.venue;

/**
 * What a client must send to keep a venue's connection open.
 *
 * @param kind what to send.
 * @param text the message for {@link Kind#MESSAGE} ({@code ping}, {@code PING}, {@code {"op":"ping"}}), else null.
 */
public record Keepalive(Kind kind, String text)
{
    /** Kinds of keep-alive. */
    public enum Kind
    {
        /** The venue pings; Netty answers its pings (Binance). */
        NONE,
        /** A WebSocket ping frame. */
        WEBSOCKET_PING,
        /** An application message ({@link #text()}); its answer is parsed as {@link MarketFrame#PONG}. */
        MESSAGE
    }

    /** Nothing to send. */
    public static final Keepalive NONE = new Keepalive(Kind.NONE, null);

    public Keepalive
    {
        if (kind == Kind.MESSAGE && (text == null || text.isEmpty()))
        {
            throw new IllegalArgumentException("a MESSAGE keep-alive needs its text");
        }
    }

    /**
     * @param text the message.
     * @return a message keep-alive.
     */
    public static Keepalive message(final String text)
    {
        return new Keepalive(Kind.MESSAGE, text);
    }
}
