package io.tickjournal.ingest;

import io.tickjournal.ingest.venue.VenueProtocol;

import java.util.List;

/**
 * What a {@link FeedSession} hands frames to: parse, check sequencing, encode, append. The
 * session owns connections, timers and raw capture; the handler owns books and parsing, and tells
 * the session what a frame meant for its connection through the session's {@code on*} callbacks
 * (an answer, a venue ping, a shutdown notice, data of a stream), not through state to read back. The one
 * implementation is the venue-neutral {@link VenueFeedHandler}, parameterised by a
 * {@link VenueProtocol}. Called on the feed's thread only.
 */
public interface FeedHandler
{
    /** A market-data frame (parsed; written, or dropped as a duplicate). */
    int DATA = 0;
    /** An acknowledgement of a control request (the session was told through {@link FeedSession#onAnswer}). */
    int RESPONSE = 1;
    /** An error answer to a control request. */
    int ERROR_RESPONSE = 2;
    /** The venue announced it will close the connection. */
    int SHUTDOWN_NOTICE = 3;
    /** The frame could not be parsed; it is kept raw and skipped. */
    int MALFORMED = 4;
    /** Parsed but nothing to do (unknown event, status line). */
    int IGNORED = 5;
    /** The venue answered our keep-alive. */
    int PONG = 6;
    /** The venue pinged at the application level (answered through {@link FeedSession#onVenuePing}). */
    int PING = 7;

    /**
     * Bind to the session that drives this handler (REST requests, resubscriptions).
     *
     * @param session the session.
     */
    void attach(FeedSession session);

    /** @return the venue protocol. */
    VenueProtocol protocol();

    /**
     * What the partition already holds for today (a restart): trade ids continue from it, so ids
     * lost while ingest was down are journaled as a gap.
     *
     * @param history the day so far.
     */
    void resumeFrom(JournalHistory history);

    /**
     * The connections the feed needs, respecting the venue's limits.
     *
     * @return one plan per connection.
     */
    List<ConnectionPlan> plan();

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
     * The only connection carrying some streams closed with no replacement: what it carried is lost
     * until a new connection subscribes again.
     *
     * @param streamKeys the streams it carried.
     * @param nowNs      now.
     */
    void onStreamsLost(int[] streamKeys, long nowNs);

    /**
     * A rotation's overlap ended (switched, or the replacement gave up): ids skipped during it that
     * neither connection delivered are gaps now.
     *
     * @param nowNs now.
     */
    void onOverlapEnded(long nowNs);

    /**
     * Step timers (snapshot retries, budgets).
     *
     * @param nowNs now.
     */
    void onTick(long nowNs);

    /** @return the handler's counters. */
    FeedCounters counters();
}
