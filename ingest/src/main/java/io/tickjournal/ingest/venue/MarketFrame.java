package io.tickjournal.ingest.venue;

import io.tickjournal.journal.Records;

/**
 * What one frame parsed to: either market events (a trade, many trades, a book event...) or one
 * control message (an acknowledgement, an error answer, a pong, a server ping, a shutdown notice).
 * A parser fills it completely before the normalizer reads it, so a frame that fails to parse
 * half-way writes nothing.
 * <p>
 * Reused per connection: {@link #reset()} then {@link #nextEvent()} per event; the event pool grows to
 * the most events one frame held and is then reused. Not thread safe.
 */
public final class MarketFrame
{
    /** Market events, in {@link #event(int)}. */
    public static final int DATA = 0;
    /** A subscription (or other request) was acknowledged; {@link #acknowledged()} says for how many arguments. */
    public static final int ACK = 1;
    /** The venue refused a request; {@link #errorText()} says why. */
    public static final int ERROR = 2;
    /** The venue answered our keepalive. */
    public static final int PONG = 3;
    /** The venue pinged at the application level and wants {@link #replyText()} back. */
    public static final int PING = 4;
    /** The venue will close the connection soon (Binance {@code serverShutdown}, OKX service upgrade notice). */
    public static final int SHUTDOWN_NOTICE = 5;
    /** Parsed, and nothing to do (a status line, an unknown event, a subscription listing). */
    public static final int IGNORED = 6;

    private int kind;
    private long requestId;
    private int acknowledged;
    private final StringBuilder errorText = new StringBuilder(128);
    private final StringBuilder channelText = new StringBuilder(64);
    private String replyText;
    private MarketEvent[] events = {new MarketEvent(), new MarketEvent()};
    private int eventCount;
    private long connectionSequence;

    /** Clear for a new frame. */
    public void reset()
    {
        kind = IGNORED;
        requestId = Records.NULL_LONG;
        acknowledged = 0;
        errorText.setLength(0);
        channelText.setLength(0);
        replyText = null;
        eventCount = 0;
        connectionSequence = Records.NULL_LONG;
    }

    /**
     * Start the next event of this frame (marks the frame as {@link #DATA}).
     *
     * @return a cleared event.
     */
    public MarketEvent nextEvent()
    {
        if (eventCount == events.length)
        {
            events = java.util.Arrays.copyOf(events, events.length * 2);
            for (int i = eventCount; i < events.length; i++)
            {
                events[i] = new MarketEvent();
            }
        }
        final MarketEvent event = events[eventCount++];
        event.reset();
        kind = DATA;
        return event;
    }

    /** Drop the event last started (its content turned out not to be market data). */
    public void dropLastEvent()
    {
        if (eventCount > 0)
        {
            eventCount--;
        }
        if (eventCount == 0 && kind == DATA)
        {
            kind = IGNORED;
        }
    }

    /**
     * Reverse the order of events {@code from..to-1} (a venue that batches newest first: journal oldest first).
     *
     * @param from first event.
     * @param to   one past the last event.
     */
    public void reverseEvents(final int from, final int to)
    {
        for (int i = from, j = to - 1; i < j; i++, j--)
        {
            final MarketEvent swap = events[i];
            events[i] = events[j];
            events[j] = swap;
        }
    }

    /**
     * @param sequence the frame's number in its connection's message sequence, for venues that number
     *                 every message of a connection ({@link VenueProtocol#connectionSequenced()}).
     * @return this.
     */
    public MarketFrame connectionSequence(final long sequence)
    {
        this.connectionSequence = sequence;
        return this;
    }

    /** @return the frame's number in its connection's message sequence, or null when it has none. */
    public long connectionSequence()
    {
        return connectionSequence;
    }

    /**
     * Mark the frame as a control message.
     *
     * @param kind one of the constants other than {@link #DATA}.
     * @return this.
     */
    public MarketFrame control(final int kind)
    {
        this.kind = kind;
        return this;
    }

    /**
     * @param requestId the request id the venue echoed, or null.
     * @return this.
     */
    public MarketFrame requestId(final long requestId)
    {
        this.requestId = requestId;
        return this;
    }

    /**
     * @param count arguments (streams) this acknowledgement covers: 1 per OKX event, n for a list,
     *              0 when it answers the whole request.
     * @return this.
     */
    public MarketFrame acknowledged(final int count)
    {
        this.acknowledged = count;
        return this;
    }

    /**
     * @param text the reply a {@link #PING} wants (e.g. {@code pong}); a constant, not allocated per frame.
     * @return this.
     */
    public MarketFrame replyText(final String text)
    {
        this.replyText = text;
        return this;
    }

    /** @return the error text being built (parsers append the venue's code and message; ASCII). */
    public StringBuilder errorText()
    {
        return errorText;
    }

    /** @return the channel or stream an acknowledgement or error names, being built (for the journal). */
    public StringBuilder channelText()
    {
        return channelText;
    }

    /** @return one of the kind constants. */
    public int kind()
    {
        return kind;
    }

    /** @return the echoed request id, or null. */
    public long requestId()
    {
        return requestId;
    }

    /** @return arguments acknowledged (0 = the whole request). */
    public int acknowledged()
    {
        return acknowledged;
    }

    /** @return the reply a {@link #PING} wants, or null. */
    public String replyText()
    {
        return replyText;
    }

    /** @return how many events the frame held. */
    public int eventCount()
    {
        return eventCount;
    }

    /**
     * @param i 0 until {@link #eventCount()}.
     * @return the event.
     */
    public MarketEvent event(final int i)
    {
        return events[i];
    }
}
