package io.tickjournal.ingest;

import java.util.List;

/**
 * A venue's protocol behind a {@link FeedSession}: which connections and streams to open, how
 * to subscribe, and how to turn frames into records (parse, check sequencing, encode, append).
 * The session owns connections, timers and raw capture; the handler owns books and parsing.
 * Called on the feed's thread only.
 */
public interface FeedHandler
{
    /** A market-data frame (parsed; written, or dropped as a duplicate). */
    int DATA = 0;
    /** A successful answer to a control request. */
    int RESPONSE = 1;
    /** An error answer to a control request. */
    int ERROR_RESPONSE = 2;
    /** The venue announced it will close the connection. */
    int SHUTDOWN_NOTICE = 3;
    /** The frame could not be parsed; it is kept raw and skipped. */
    int MALFORMED = 4;
    /** Parsed but not for us (unknown event or symbol). */
    int IGNORED = 5;

    /**
     * Bind to the session that drives this handler (for REST requests).
     *
     * @param session the session.
     */
    void attach(FeedSession session);

    /**
     * The connections the feed needs, respecting the venue's limits.
     *
     * @return one plan per connection.
     */
    List<ConnectionPlan> plan();

    /**
     * The text of a subscribe request.
     *
     * @param streams   stream names.
     * @param requestId request id to echo.
     * @return the frame text.
     */
    String subscribeRequest(List<String> streams, long requestId);

    /**
     * Handle one frame.
     *
     * @param connectionId  the connection.
     * @param frame         bytes.
     * @param length        byte count.
     * @param receiveTimeNs when it was read.
     * @param rawIndex      index of its raw copy.
     * @return one of the constants of this interface.
     */
    int onFrame(int connectionId, byte[] frame, int length, long receiveTimeNs, long rawIndex);

    /** @return the request id of the last {@link #RESPONSE} or {@link #ERROR_RESPONSE}. */
    long lastRequestId();

    /** @return the stream key (see {@link ConnectionPlan#streamKeys()}) of the last {@link #DATA} frame, or -1. */
    int lastStreamKey();

    /** @return why the last frame was {@link #MALFORMED} or an {@link #ERROR_RESPONSE}. */
    String lastError();

    /**
     * A REST response arrived.
     *
     * @param tag           the tag the request was sent with.
     * @param status        HTTP status.
     * @param body          bytes.
     * @param length        byte count.
     * @param receiveTimeNs when it was read.
     * @param rawIndex      index of its raw copy.
     */
    void onRestResponse(long tag, int status, byte[] body, int length, long receiveTimeNs, long rawIndex);

    /**
     * A REST request failed (connect error, timeout).
     *
     * @param tag    its tag.
     * @param reason why.
     * @param nowNs  now.
     */
    void onRestFailed(long tag, String reason, long nowNs);

    /**
     * Step timers (snapshot retries, budgets).
     *
     * @param nowNs now.
     */
    void onTick(long nowNs);

    /**
     * Counters for views and tests.
     *
     * @return the handler's counters.
     */
    FeedCounters counters();
}
