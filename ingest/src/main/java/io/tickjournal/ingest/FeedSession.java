package io.tickjournal.ingest;

import io.tickjournal.ingest.venue.AckModel;
import io.tickjournal.ingest.venue.Keepalive;
import io.tickjournal.ingest.venue.VenueProtocol;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.EpochNanoClock;

import java.net.URI;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One venue feed: its connections (as many as the venue's stream limits need), each a state
 * machine (connecting, subscribing, live, closing, closed) stepped by {@link #onTick(long)}
 * with time passed in, so tests drive it without sleeping. The same session runs every venue:
 * what differs is read from the handler's {@link VenueProtocol}.
 * <ul>
 * <li>Subscriptions are sent in batches of the venue's arguments per request, no faster than its
 * request rates (per second and per hour), and acknowledged as the venue does
 * ({@link AckModel}): per request, per argument, as a list, not at all, or by replacing the whole
 * subscription with every message (then everything goes in one message). An error answer is
 * journaled and the connection goes on with the other streams.</li>
 * <li>Keep-alive: the venue's ping (a WebSocket ping or an application message) at the configured
 * interval; the venue's application pings are answered.</li>
 * <li>Liveness: a connection that delivers nothing for {@code stallTimeout} is closed and
 * reopened; reconnects back off exponentially with jitter.</li>
 * <li>Rotation (the venue's age limit, or a {@code serverShutdown} notice): the replacement
 * connection opens first; the switch happens once it has delivered every stream (or the overlap
 * timeout passed), and the handler's id checks drop what both connections delivered, so the
 * journal has no gap and no duplicate.</li>
 * <li>Every frame is journaled raw, with its receive time, before it is parsed.</li>
 * </ul>
 * All methods run on the feed's thread (the transport calls back on it).
 */
public final class FeedSession implements AutoCloseable
{
    private final FeedConfig config;
    private final FeedJournal journal;
    private final FeedHandler handler;
    private final VenueProtocol protocol;
    private final FeedTransport transport;
    private final EpochNanoClock clock;
    private final FeedCounters counters;
    private final SplittableRandom random;
    private final Int2ObjectHashMap<VenueConnection> connections = new Int2ObjectHashMap<>();
    private Slot[] slots;
    private int nextConnectionId = 1;
    private final long[] hourWindow;
    private int hourWindowHead;
    private long nextRequestId = 1;
    private boolean started;
    private boolean closed;

    /**
     * @param config    the feed.
     * @param journal   its partitions.
     * @param handler   the venue protocol.
     * @param transport the I/O.
     * @param clock     the clock receive times and timers read.
     * @param seed      jitter seed.
     */
    public FeedSession(
        final FeedConfig config, final FeedJournal journal, final FeedHandler handler, final FeedTransport transport,
        final EpochNanoClock clock, final long seed)
    {
        this.config = config;
        this.journal = journal;
        this.handler = handler;
        this.protocol = handler.protocol();
        this.transport = transport;
        this.clock = clock;
        this.counters = handler.counters();
        this.random = new SplittableRandom(seed);
        this.hourWindow = new long[Math.max(1, config.requestsPerHour())];
        java.util.Arrays.fill(hourWindow, Long.MIN_VALUE);
        handler.attach(this);
    }

    /** @return the feed's config. */
    public FeedConfig config()
    {
        return config;
    }

    /** @return the handler's counters. */
    public FeedCounters counters()
    {
        return counters;
    }

    /** @return the venue handler. */
    public FeedHandler handler()
    {
        return handler;
    }

    /** @return the feed's journal. */
    public FeedJournal journal()
    {
        return journal;
    }

    /** @return the clock this session reads. */
    public EpochNanoClock clock()
    {
        return clock;
    }

    /**
     * Journal the instruments' definitions and open every planned connection.
     *
     * @param nowNs now.
     */
    public void start(final long nowNs)
    {
        if (started)
        {
            throw new IllegalStateException("already started");
        }
        started = true;
        transport.bind(this);
        final JournalHistory history = JournalHistory.read(journal.normalizedQueue(), (int)(nowNs / 86_400_000_000_000L));
        for (final InstrumentSpec spec : config.instruments())
        {
            journal.define(spec, protocol.bookDepth(spec), nowNs);
        }
        if (history.records() > 0)
        {
            // A restart within the day: say so, never reuse a connection id, and continue the trade ids.
            nextConnectionId = history.maxConnectionId() + 1;
            handler.resumeFrom(history);
            journal.status(VenueStatusKind.RESTARTED, 0, 0, Records.NULL_LONG, Records.NULL_LONG, Records.NULL_LONG, nowNs,
                "ingest restarted; the last record before it was received at " +
                java.time.Instant.ofEpochSecond(0, history.lastReceiveTimeNs()) + ", " +
                (nowNs - history.lastReceiveTimeNs()) / 1_000_000 + " ms earlier");
        }
        final List<ConnectionPlan> plans = handler.plan();
        slots = new Slot[plans.size()];
        final int perSecond = protocol.connectsPerSecond();
        for (int i = 0; i < slots.length; i++)
        {
            slots[i] = new Slot(plans.get(i));
            if (perSecond > 0 && i >= perSecond)
            {
                // The venue's connection rate: the rest open in later seconds (onTick opens a slot when due).
                slots[i].nextAttemptNs = nowNs + (i / perSecond) * 1_000_000_000L;
                continue;
            }
            slots[i].active = open(i, false, nowNs);
        }
    }

    /**
     * The connections currently open or opening (views and tests).
     *
     * @return a snapshot of them.
     */
    public List<VenueConnection> connections()
    {
        return List.copyOf(connections.values());
    }

    /**
     * The active connection of a plan slot.
     *
     * @param slot index into the plan.
     * @return the connection, or null while reconnecting.
     */
    public VenueConnection active(final int slot)
    {
        return slots[slot].active;
    }

    /** @return how many connections the plan needs. */
    public int slotCount()
    {
        return slots.length;
    }

    private VenueConnection open(final int slot, final boolean replacement, final long nowNs)
    {
        final VenueConnection connection = new VenueConnection(nextConnectionId++, slot, slots[slot].plan, nowNs, replacement);
        connections.put(connection.id, connection);
        transport.connect(connection.id, uri(slots[slot].plan.path()));
        return connection;
    }

    private URI uri(final String path)
    {
        final String base = config.webSocketUri().toString();
        return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) + path : base + path);
    }

    /**
     * The WebSocket handshake completed.
     *
     * @param connectionId the connection.
     * @param nowNs        now.
     */
    public void onOpen(final int connectionId, final long nowNs)
    {
        final VenueConnection connection = connections.get(connectionId);
        if (closed || connection == null || connection.state != VenueConnection.State.CONNECTING)
        {
            return;
        }
        connection.state = VenueConnection.State.SUBSCRIBING;
        connection.openedNs = nowNs;
        connection.lastDataNs = nowNs;
        counters.connects++;
        journal.status(VenueStatusKind.CONNECTED, 0, connectionId, Records.NULL_LONG, Records.NULL_LONG,
            Records.NULL_LONG, nowNs, uri(connection.plan.path()) + " streams=" + connection.plan.streams().size() +
            (connection.replacement ? " (replacement)" : ""));
        pumpSubscriptions(connection, nowNs);
    }

    /**
     * A frame arrived.
     *
     * @param connectionId  the connection.
     * @param frame         its bytes (valid during the call).
     * @param length        byte count.
     * @param receiveTimeNs when it was read.
     */
    public void onFrame(final int connectionId, final byte[] frame, final int length, final long receiveTimeNs)
    {
        final VenueConnection connection = connections.get(connectionId);
        if (closed || connection == null)
        {
            return;
        }
        final long rawIndex = journal.appendRaw(connectionId, receiveTimeNs, frame, 0, length);
        connection.lastDataNs = receiveTimeNs;
        handler.onFrame(connectionId, frame, length, receiveTimeNs, rawIndex);
    }

    /**
     * The handler read market data of a stream on a connection (a rotation's replacement switches in
     * once it delivered every stream).
     *
     * @param connectionId the connection.
     * @param streamKey    the stream (see {@link ConnectionPlan#streamKeys()}).
     */
    public void onStreamData(final int connectionId, final int streamKey)
    {
        final VenueConnection connection = connections.get(connectionId);
        if (connection != null && connection.replacement)
        {
            final int position = connection.plan.positionOf(streamKey);
            if (position >= 0)
            {
                connection.markSeen(position);
            }
        }
    }

    /**
     * The venue answered a request on a connection: an acknowledgement, or a refusal (which the
     * handler journaled; the connection goes on with its other streams).
     *
     * @param connectionId  the connection.
     * @param acknowledged  arguments the answer covers (0 = the whole request).
     * @param refused       whether it was a refusal.
     * @param receiveTimeNs when it was read.
     */
    public void onAnswer(final int connectionId, final int acknowledged, final boolean refused, final long receiveTimeNs)
    {
        final VenueConnection connection = connections.get(connectionId);
        if (closed || connection == null)
        {
            return;
        }
        if (refused)
        {
            connection.refusals++;
        }
        final int answered = protocol.ackModel() == AckModel.PER_ARG ? Math.max(1, acknowledged) : 1;
        connection.pendingResponses = Math.max(0, connection.pendingResponses - answered);
        pumpSubscriptions(connection, receiveTimeNs);
    }

    /**
     * The venue pinged at the application level and wants an answer.
     *
     * @param connectionId the connection.
     * @param reply        the answer's text.
     */
    public void onVenuePing(final int connectionId, final String reply)
    {
        if (!closed && reply != null && connections.get(connectionId) != null)
        {
            transport.send(connectionId, reply);
        }
    }

    /**
     * The venue announced it will close a connection: open its replacement now (make before break).
     *
     * @param connectionId  the connection.
     * @param rawIndex      the notice's raw frame.
     * @param receiveTimeNs when it was read.
     */
    public void onShutdownNotice(final int connectionId, final long rawIndex, final long receiveTimeNs)
    {
        final VenueConnection connection = connections.get(connectionId);
        if (closed || connection == null)
        {
            return;
        }
        journal.status(VenueStatusKind.SHUTDOWN_NOTICE, 0, connectionId, Records.NULL_LONG, Records.NULL_LONG,
            rawIndex, receiveTimeNs, "shutdown notice: switching to a new connection");
        final Slot slot = slots[connection.slot];
        if (slot.active == connection && slot.replacement == null)
        {
            slot.replacement = open(connection.slot, true, receiveTimeNs);
        }
    }

    /**
     * A connection closed, or failed to open.
     *
     * @param connectionId the connection.
     * @param nowNs        now.
     * @param reason       why (transport's words).
     */
    public void onClosed(final int connectionId, final long nowNs, final String reason)
    {
        final VenueConnection connection = connections.remove(connectionId);
        if (closed || connection == null)
        {
            return;
        }
        final boolean wasOpen = connection.state != VenueConnection.State.CONNECTING;
        connection.state = VenueConnection.State.CLOSED;
        final String why = connection.closeReason != null ? connection.closeReason : reason;
        if (wasOpen)
        {
            counters.disconnects++;
        }
        journal.status(VenueStatusKind.DISCONNECTED, 0, connectionId, Records.NULL_LONG, Records.NULL_LONG,
            Records.NULL_LONG, nowNs, (wasOpen ? "" : "connect failed: ") + why);
        final Slot slot = slots[connection.slot];
        if (slot.active == connection)
        {
            slot.active = slot.replacement;
            slot.replacement = null;
            if (slot.active != null)
            {
                if (slot.active.replacement)
                {
                    slot.active.replacement = false;
                    handler.onOverlapEnded(nowNs);
                }
            }
            else
            {
                handler.onStreamsLost(connection.plan.streamKeys(), nowNs);
                scheduleRetry(slot, nowNs);
            }
        }
        else if (slot.replacement == connection)
        {
            slot.replacement = null;
            slot.rotationPending = true;
            handler.onOverlapEnded(nowNs);
            scheduleRetry(slot, nowNs);
        }
    }

    /**
     * Whether a connection's streams are being delivered by a second connection too (a rotation's
     * overlap): a jump in trade ids on one of them is then not yet a gap.
     *
     * @param connectionId a connection.
     * @return true while its slot has both an active and a replacement connection.
     */
    public boolean overlapping(final int connectionId)
    {
        final VenueConnection connection = connections.get(connectionId);
        if (connection == null || slots == null)
        {
            return false;
        }
        final Slot slot = slots[connection.slot];
        return slot.active != null && slot.replacement != null;
    }

    /**
     * Subscribe one stream again on the connections that carry it (a book rejoin on venues whose
     * snapshot comes in the stream after subscribing). Sent within the venue's request rates.
     *
     * @param streamKey the stream.
     * @param nowNs     now.
     */
    public void resubscribe(final int streamKey, final long nowNs)
    {
        if (closed || slots == null)
        {
            return;
        }
        for (final Slot slot : slots)
        {
            final int position = slot.plan.positionOf(streamKey);
            if (position < 0)
            {
                continue;
            }
            for (final VenueConnection connection : new VenueConnection[] {slot.active, slot.replacement})
            {
                if (connection != null && (connection.state == VenueConnection.State.LIVE ||
                    connection.state == VenueConnection.State.SUBSCRIBING))
                {
                    connection.markResubscribe(position);
                    pumpResubscriptions(connection, nowNs);
                }
            }
        }
    }

    private void scheduleRetry(final Slot slot, final long nowNs)
    {
        slot.attempts++;
        final int shift = Math.min(slot.attempts - 1, 20);
        final long base = Math.min(config.reconnectMaxNs(), config.reconnectMinNs() << shift);
        slot.nextAttemptNs = nowNs + base / 2 + random.nextLong(base / 2 + 1);
    }

    /**
     * The delay before a slot's next connect attempt (tests).
     *
     * @param slot  a slot.
     * @param nowNs now.
     * @return nanoseconds until it reconnects, 0 when due.
     */
    public long reconnectDelayNs(final int slot, final long nowNs)
    {
        return Math.max(0, slots[slot].nextAttemptNs - nowNs);
    }

    /**
     * A REST response.
     *
     * @param tag           request tag.
     * @param status        HTTP status.
     * @param body          bytes.
     * @param length        byte count.
     * @param receiveTimeNs when it was read.
     */
    public void onRestResponse(final long tag, final int status, final byte[] body, final int length, final long receiveTimeNs)
    {
        if (closed)
        {
            return;
        }
        final int instrumentId = tag >= 0 && tag < config.instruments().size() ? config.instruments().get((int)tag).instrumentId() : 0;
        final long rawIndex = journal.appendRaw(FeedJournal.REST_CONNECTION_ID, status, instrumentId, receiveTimeNs, body, 0, length);
        handler.onRestResponse(tag, status, body, length, receiveTimeNs, rawIndex);
    }

    /**
     * A REST request failed.
     *
     * @param tag    request tag.
     * @param reason why.
     * @param nowNs  now.
     */
    public void onRestFailed(final long tag, final String reason, final long nowNs)
    {
        if (!closed)
        {
            handler.onRestFailed(tag, reason, nowNs);
        }
    }

    /**
     * Ask for a REST resource on behalf of the handler.
     *
     * @param tag echoed back.
     * @param uri the URI.
     */
    public void fetch(final long tag, final URI uri)
    {
        if (!closed)
        {
            transport.get(tag, uri);
        }
    }

    /**
     * Step timers: subscriptions, liveness, rotation, reconnects, the handler's snapshots.
     *
     * @param nowNs now.
     */
    public void onTick(final long nowNs)
    {
        if (closed || !started)
        {
            return;
        }
        handler.onTick(nowNs);
        for (int i = 0; i < slots.length; i++)
        {
            final Slot slot = slots[i];
            if (slot.active == null)
            {
                if (nowNs >= slot.nextAttemptNs)
                {
                    slot.active = open(i, false, nowNs);
                }
                continue;
            }
            step(slot.active, nowNs);
            if (slot.active != null && slot.active.state == VenueConnection.State.LIVE && slot.replacement == null &&
                (slot.rotationPending ? nowNs >= slot.nextAttemptNs :
                    nowNs - slot.active.openedNs >= config.maxConnectionAgeNs() - config.rotateMarginNs()))
            {
                slot.rotationPending = false;
                slot.replacement = open(i, true, nowNs);
            }
            final VenueConnection replacement = slot.replacement;
            if (replacement != null)
            {
                step(replacement, nowNs);
                if (replacement.state == VenueConnection.State.LIVE &&
                    (replacement.seenCount == replacement.plan.streams().size() ||
                    nowNs - replacement.liveSinceNs >= config.overlapTimeoutNs()))
                {
                    switchOver(slot, nowNs);
                }
            }
        }
    }

    private void step(final VenueConnection connection, final long nowNs)
    {
        switch (connection.state)
        {
            case CONNECTING:
                if (nowNs - connection.createdNs > config.stallTimeoutNs())
                {
                    closeConnection(connection, "connect timeout");
                }
                break;
            case SUBSCRIBING:
                pumpSubscriptions(connection, nowNs);
                keepalive(connection, nowNs);
                if (connection.state == VenueConnection.State.SUBSCRIBING && nowNs - connection.openedNs > config.subscribeTimeoutNs() &&
                    connection.refusals > 0 && connection.nextStream == connection.plan.streams().size())
                {
                    // Some arguments were refused (journaled as SUBSCRIPTION_REFUSED) and a venue that answers per
                    // argument may not answer the rest of a refused request: go on with what was accepted rather
                    // than reconnect into the same refusal.
                    connection.pendingResponses = 0;
                    connection.state = VenueConnection.State.LIVE;
                    connection.liveSinceNs = nowNs;
                    connection.lastDataNs = nowNs;
                    slots[connection.slot].attempts = 0;
                }
                if (connection.state == VenueConnection.State.SUBSCRIBING && nowNs - connection.openedNs > config.subscribeTimeoutNs())
                {
                    closeConnection(connection, "subscriptions not acknowledged within " +
                        config.subscribeTimeoutNs() / 1_000_000 + " ms");
                }
                break;
            case LIVE:
                keepalive(connection, nowNs);
                pumpResubscriptions(connection, nowNs);
                if (nowNs - connection.lastDataNs > config.stallTimeoutNs())
                {
                    counters.stalls++;
                    journal.status(VenueStatusKind.STALE, 0, connection.id, Records.NULL_LONG, Records.NULL_LONG,
                        Records.NULL_LONG, nowNs, "no data for " + (nowNs - connection.lastDataNs) / 1_000_000 + " ms");
                    closeConnection(connection, "stalled");
                }
                break;
            default:
                break;
        }
    }

    private void keepalive(final VenueConnection connection, final long nowNs)
    {
        final Keepalive keepalive = protocol.keepalive();
        if (keepalive.kind() == Keepalive.Kind.NONE || nowNs - connection.lastPingNs < config.keepaliveIntervalNs())
        {
            return;
        }
        connection.lastPingNs = nowNs;
        if (keepalive.kind() == Keepalive.Kind.WEBSOCKET_PING)
        {
            transport.ping(connection.id);
        }
        else
        {
            transport.send(connection.id, keepalive.text());
        }
    }

    /**
     * Whether one more request may be sent on a connection now (the venue's per-second rate, less
     * what the protocol keeps spare, and the feed's per-hour budget), counting it if so.
     */
    private boolean takeRequest(final VenueConnection connection, final long nowNs)
    {
        if (nowNs - connection.windowStartNs >= 1_000_000_000L)
        {
            connection.windowStartNs = nowNs;
            connection.sentInWindow = 0;
        }
        final int perSecond = Math.max(1, config.controlMessagesPerSecond() - protocol.reservedMessagesPerSecond());
        if (connection.sentInWindow >= perSecond)
        {
            return false;
        }
        final long oldest = hourWindow[hourWindowHead];
        if (oldest != Long.MIN_VALUE && nowNs - oldest < 3_600_000_000_000L)
        {
            return false;
        }
        hourWindow[hourWindowHead] = nowNs;
        hourWindowHead = (hourWindowHead + 1) % hourWindow.length;
        connection.sentInWindow++;
        return true;
    }

    private void pumpSubscriptions(final VenueConnection connection, final long nowNs)
    {
        if (connection.state != VenueConnection.State.SUBSCRIBING)
        {
            return;
        }
        final List<String> streams = connection.plan.streams();
        final AckModel ack = protocol.ackModel();
        if (!connection.preambleSent)
        {
            final String preamble = protocol.connectionSubscription(streams, nextRequestId);
            if (preamble != null)
            {
                if (!takeRequest(connection, nowNs))
                {
                    return;
                }
                nextRequestId++;
                transport.send(connection.id, preamble);
                connection.pendingResponses += ack == AckModel.NONE || ack == AckModel.REPLACES ? 0 : 1;
            }
            connection.preambleSent = true;
        }
        while (connection.nextStream < streams.size())
        {
            if (!takeRequest(connection, nowNs))
            {
                return;
            }
            // A replacing subscription must carry everything in one message, or it would drop the earlier batches.
            int end = ack == AckModel.REPLACES ? streams.size() :
                Math.min(streams.size(), connection.nextStream + config.argsPerRequest());
            if (protocol.oneChannelPerRequest())
            {
                end = sameChannelEnd(connection.plan, connection.nextStream, end);
            }
            transport.send(connection.id, protocol.subscribe(streams.subList(connection.nextStream, end), nextRequestId++));
            switch (ack)
            {
                case PER_ARG:
                    connection.pendingResponses += end - connection.nextStream;
                    break;
                case PER_REQUEST:
                case LIST:
                    connection.pendingResponses++;
                    break;
                default:
                    break;
            }
            connection.nextStream = end;
        }
        if (connection.pendingResponses == 0)
        {
            connection.state = VenueConnection.State.LIVE;
            connection.liveSinceNs = nowNs;
            connection.lastDataNs = nowNs;
            slots[connection.slot].attempts = 0;
        }
    }

    private static int sameChannelEnd(final ConnectionPlan plan, final int from, final int end)
    {
        final int channels = Channel.values().length;
        final int channel = plan.streamKeys()[from] % channels;
        for (int i = from + 1; i < end; i++)
        {
            if (plan.streamKeys()[i] % channels != channel)
            {
                return i;
            }
        }
        return end;
    }

    /**
     * The streams a connection carries (the handler rejoins them when the connection loses a message).
     *
     * @param connectionId a connection.
     * @return their stream keys (not to be modified), or an empty array when the connection is unknown.
     */
    public int[] streamKeysOf(final int connectionId)
    {
        final VenueConnection connection = connections.get(connectionId);
        return connection == null ? NO_KEYS : connection.plan.streamKeys();
    }

    private static final int[] NO_KEYS = new int[0];

    private void pumpResubscriptions(final VenueConnection connection, final long nowNs)
    {
        if (connection.resubscribeCount == 0 || connection.state != VenueConnection.State.LIVE)
        {
            return;
        }
        final List<String> streams = connection.plan.streams();
        if (protocol.ackModel() == AckModel.REPLACES)
        {
            if (takeRequest(connection, nowNs))
            {
                transport.send(connection.id, protocol.subscribe(streams, nextRequestId++));
                connection.clearResubscribe();
            }
            return;
        }
        for (int position = connection.nextResubscribe(0); position >= 0; position = connection.nextResubscribe(position + 1))
        {
            final List<String> one = streams.subList(position, position + 1);
            final String unsubscribe = protocol.unsubscribe(one, nextRequestId);
            if (!takeRequest(connection, nowNs))
            {
                return;
            }
            if (unsubscribe != null)
            {
                nextRequestId++;
                transport.send(connection.id, unsubscribe);
            }
            transport.send(connection.id, protocol.subscribe(one, nextRequestId++));
            connection.unmarkResubscribe(position);
        }
    }

    private void switchOver(final Slot slot, final long nowNs)
    {
        final VenueConnection old = slot.active;
        final VenueConnection replacement = slot.replacement;
        replacement.replacement = false;
        slot.active = replacement;
        slot.replacement = null;
        counters.rotations++;
        journal.status(VenueStatusKind.SESSION_ROTATED, 0, replacement.id, Records.NULL_LONG, Records.NULL_LONG,
            Records.NULL_LONG, nowNs, "connection " + old.id + " replaced by " + replacement.id + " after " +
            replacement.seenCount + "/" + replacement.plan.streams().size() + " streams overlapped");
        closeConnection(old, "rotated to connection " + replacement.id);
        handler.onOverlapEnded(nowNs);
    }

    private void closeConnection(final VenueConnection connection, final String reason)
    {
        if (connection.state == VenueConnection.State.CLOSING || connection.state == VenueConnection.State.CLOSED)
        {
            return;
        }
        connection.closeReason = reason;
        connection.state = VenueConnection.State.CLOSING;
        transport.close(connection.id);
    }

    /**
     * Close every connection, journal that, and close the journal. Nothing after it is written.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        final long nowNs = clock.nanoTime();
        for (final VenueConnection connection : List.copyOf(connections.values()))
        {
            if (connection.state != VenueConnection.State.CONNECTING)
            {
                journal.status(VenueStatusKind.DISCONNECTED, 0, connection.id, Records.NULL_LONG, Records.NULL_LONG,
                    Records.NULL_LONG, nowNs, "shutdown");
            }
            transport.close(connection.id);
        }
        closed = true;
        connections.clear();
        transport.shutdown();
        journal.close();
    }

    private static final class Slot
    {
        final ConnectionPlan plan;
        VenueConnection active;
        VenueConnection replacement;
        int attempts;
        long nextAttemptNs;
        boolean rotationPending;

        Slot(final ConnectionPlan plan)
        {
            this.plan = plan;
        }
    }
}
