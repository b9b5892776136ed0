package io.tickjournal.ingest.sim;

import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.List;
import java.util.Map;

/**
 * What one venue's simulator says and how: its WebSocket routes, control messages and their
 * answers, keep-alive, message rendering, snapshots, shutdown notices and id schemes. The
 * {@link VenueSimulator} around it owns the sockets, the clock, the markets, the faults and the
 * recorder, and knows no venue. Every method runs on the simulator's one thread.
 */
public interface SimProtocol
{
    /**
     * @return the venue's name, for logs and close reasons.
     */
    String name();

    /**
     * Make the generated market of one symbol, with the venue's number formats and id origins.
     *
     * @param symbol          the venue's symbol, as configured.
     * @param startPriceCents start price in cents.
     * @param seed            random seed.
     * @return the market.
     */
    SimMarket newMarket(String symbol, long startPriceCents, long seed);

    /**
     * A WebSocket upgrade: say whether the path is served and which streams it starts with.
     *
     * @param server     the simulator.
     * @param connection the new connection (not yet registered).
     * @param query      the request's path and query.
     * @return whether the path is a WebSocket endpoint of the venue.
     */
    boolean accept(VenueSimulator server, SimConnection connection, QueryStringDecoder query);

    /**
     * A REST request.
     *
     * @param server the simulator.
     * @param path   the path.
     * @param params the query parameters.
     * @return the answer, or null for "no such endpoint".
     */
    RestAnswer rest(VenueSimulator server, String path, Map<String, List<String>> params);

    /**
     * A text frame from a client: a control message or a keep-alive.
     *
     * @param server     the simulator.
     * @param connection where it came from.
     * @param text       the frame.
     */
    void onText(VenueSimulator server, SimConnection connection, String text);

    /**
     * @param server the simulator.
     * @param market the market.
     * @param trades the trades of one tick, in order (at least one).
     * @param nowMs  now.
     */
    void publishTrades(VenueSimulator server, SimMarket market, List<SimMarket.Trade> trades, long nowMs);

    /**
     * Render and send one book event (through {@link VenueSimulator#publishBookEvent}, which applies
     * the faults), then whatever rides on it (a top of book, in-stream snapshots for new subscribers).
     *
     * @param server the simulator.
     * @param market the market, already moved to the event's state.
     * @param depth  the event.
     * @param nowMs  now.
     */
    void publishDepth(VenueSimulator server, SimMarket market, SimMarket.Depth depth, long nowMs);

    /**
     * Once a second: mark prices, tickers, the venue's own keep-alives.
     *
     * @param server the simulator.
     * @param nowMs  now.
     */
    void everySecond(VenueSimulator server, long nowMs);

    /**
     * @param connection the connection to warn.
     * @param nowMs      now.
     * @return the venue's notice that the connection will be closed for maintenance, or null if it has none.
     */
    String shutdownNotice(SimConnection connection, long nowMs);

    /**
     * @return how long a connection may send no keep-alive before the venue closes it, in ms (0 = never).
     */
    long keepaliveTimeoutMs();

    /**
     * The last word on a frame to one connection, for what a venue numbers per connection (Coinbase's
     * {@code sequence_num}): a message published to many connections is rendered once, then made each
     * connection's own here.
     *
     * @param connection where it goes.
     * @param text       the frame as rendered.
     * @return the frame to send.
     */
    default String outgoing(final SimConnection connection, final String text)
    {
        return text;
    }

    /**
     * @return whether the venue sends its JSON in binary WebSocket frames (Upbit) rather than text.
     */
    default boolean binaryFrames()
    {
        return false;
    }

    /**
     * A REST answer.
     *
     * @param status   HTTP status.
     * @param body     JSON body.
     * @param snapshot whether it is a book snapshot (delayed by the slow-snapshot fault).
     */
    record RestAnswer(int status, String body, boolean snapshot)
    {
    }
}
