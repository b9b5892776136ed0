package io.tickjournal.ingest;

import io.tickjournal.ingest.venue.VenueRegistry;
import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.RawFrameDecoder;

/**
 * Imports captured frames into a feed's journal through the same parser, protocol, book sync and
 * normalizer as live ingest, with each frame's original receive time: days from before the journal
 * existed become a journal that verify, replay and backfill treat like any other. Frames are
 * journaled raw again (so records link to them) and fed to the venue-neutral handler as the
 * session would; REST bodies captured by this project's raw partitions carry their HTTP status
 * and instrument and are replayed as snapshot answers.
 * <p>
 * What a live session adds from its own timers and sockets (CONNECTED, STALE, SESSION_ROTATED) is
 * not invented; an overlap of two connections (a rotation) is recognised from the frames: while
 * two connection ids both delivered within {@link #OVERLAP_WINDOW_NS}, a jump in trade ids waits
 * for the other connection, as it does live. The result is a pure function of the frames: the
 * same frames imported twice give the same records.
 * Single-threaded.
 */
public final class FrameImporter implements AutoCloseable
{
    /** Two connections that both delivered within this are taken to overlap (a rotation). */
    public static final long OVERLAP_WINDOW_NS = 10_000_000_000L;

    private final FeedConfig config;
    private final FeedJournal journal;
    private final VenueFeedHandler handler;
    private int[] connectionIds = new int[8];
    private long[] lastFrameNs = new long[8];
    private int connectionCount;
    private boolean started;
    private boolean overlapping;
    private long frames;
    private long lastReceiveNs = Long.MIN_VALUE;

    /**
     * @param config the feed (venue, instruments with their ids and exponents, partition).
     */
    public FrameImporter(final FeedConfig config)
    {
        this.config = config;
        this.journal = new FeedJournal(config.partitionDir(), config.venueId());
        VenueFeedHandler h = null;
        try
        {
            h = new VenueFeedHandler(config, journal, VenueRegistry.byId(config.venueId()).protocol());
        }
        finally
        {
            if (h == null)
            {
                journal.close();
            }
        }
        this.handler = h;
    }

    /**
     * Import one WebSocket frame.
     *
     * @param connectionId  the connection it arrived on (any id; REST bodies use {@link #importRest}).
     * @param receiveTimeNs its original receive time (must not go back).
     * @param bytes         the frame.
     * @param offset        first byte.
     * @param length        byte count.
     * @return the handler's verdict ({@link FeedHandler#DATA}, {@link FeedHandler#MALFORMED}, ...).
     * @throws IllegalArgumentException when the receive time goes back.
     */
    public int importFrame(final int connectionId, final long receiveTimeNs, final byte[] bytes, final int offset, final int length)
    {
        step(receiveTimeNs);
        final long rawIndex = journal.appendRaw(connectionId, receiveTimeNs, bytes, offset, length);
        seen(connectionId, receiveTimeNs);
        final boolean now = others(connectionId, receiveTimeNs);
        if (overlapping && !now)
        {
            handler.onOverlapEnded(receiveTimeNs);
        }
        overlapping = now;
        frames++;
        final byte[] frame = offset == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, offset, offset + length);
        return handler.onFrame(connectionId, frame, length, receiveTimeNs, rawIndex, overlapping);
    }

    /**
     * Import one REST answer (a book snapshot).
     *
     * @param httpStatus    its HTTP status.
     * @param instrumentId  the instrument it answered for.
     * @param receiveTimeNs its original receive time.
     * @param bytes         the body.
     * @param offset        first byte.
     * @param length        byte count.
     */
    public void importRest(
        final int httpStatus, final int instrumentId, final long receiveTimeNs, final byte[] bytes, final int offset, final int length)
    {
        step(receiveTimeNs);
        final long rawIndex = journal.appendRaw(FeedJournal.REST_CONNECTION_ID, httpStatus, instrumentId, receiveTimeNs, bytes,
            offset, length);
        frames++;
        int tag = -1;
        for (int i = 0; i < config.instruments().size(); i++)
        {
            if (config.instruments().get(i).instrumentId() == instrumentId)
            {
                tag = i;
            }
        }
        final byte[] body = offset == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, offset, offset + length);
        handler.onRestResponse(tag, httpStatus, body, length, receiveTimeNs, rawIndex);
    }

    /**
     * Import every frame of a raw partition (another journal's {@code <partition>.raw}), in order.
     *
     * @param rawDir the raw partition directory.
     */
    public void importRawPartition(final java.nio.file.Path rawDir)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final RawFrameDecoder frame = new RawFrameDecoder();
        try (JournalTailer tailer = JournalTailer.open(rawDir, null))
        {
            while (tailer.readOne((day, sequence, buffer, offset, length) ->
            {
                header.wrap(buffer, offset);
                if (header.templateId() != RawFrameDecoder.TEMPLATE_ID)
                {
                    return;
                }
                frame.wrapAndApplyHeader(buffer, offset, header);
                final int n = frame.payloadLength();
                if (payload.length < n)
                {
                    payload = new byte[Math.max(n, payload.length * 2)];
                }
                final long receiveTimeNs = frame.receiveTimeNs();
                final int connectionId = frame.connectionId();
                final long httpStatus = frame.venueSeq();
                final int instrumentId = frame.instrumentId();
                frame.getPayload(payload, 0, n);
                if (connectionId == FeedJournal.REST_CONNECTION_ID)
                {
                    importRest(httpStatus == Records.NULL_LONG ? 200 : (int)httpStatus, instrumentId, receiveTimeNs, payload, 0, n);
                }
                else
                {
                    importFrame(connectionId, receiveTimeNs, payload, 0, n);
                }
            }))
            {
                // next frame
            }
        }
    }

    private byte[] payload = new byte[64 * 1024];

    private void step(final long receiveTimeNs)
    {
        if (receiveTimeNs < lastReceiveNs)
        {
            throw new IllegalArgumentException("receive time goes back: " + receiveTimeNs + " after " + lastReceiveNs);
        }
        lastReceiveNs = receiveTimeNs;
        if (!started)
        {
            started = true;
            for (final InstrumentSpec spec : config.instruments())
            {
                journal.define(spec, handler.protocol().bookDepth(spec), receiveTimeNs);
            }
        }
        handler.onTick(receiveTimeNs);
    }

    private void seen(final int connectionId, final long nowNs)
    {
        for (int i = 0; i < connectionCount; i++)
        {
            if (connectionIds[i] == connectionId)
            {
                lastFrameNs[i] = nowNs;
                return;
            }
        }
        if (connectionCount == connectionIds.length)
        {
            connectionIds = java.util.Arrays.copyOf(connectionIds, connectionCount * 2);
            lastFrameNs = java.util.Arrays.copyOf(lastFrameNs, connectionCount * 2);
        }
        connectionIds[connectionCount] = connectionId;
        lastFrameNs[connectionCount] = nowNs;
        connectionCount++;
    }

    private boolean others(final int connectionId, final long nowNs)
    {
        for (int i = 0; i < connectionCount; i++)
        {
            if (connectionIds[i] != connectionId && nowNs - lastFrameNs[i] <= OVERLAP_WINDOW_NS)
            {
                return true;
            }
        }
        return false;
    }

    /** @return frames (and REST bodies) imported. */
    public long frames()
    {
        return frames;
    }

    /** @return the handler's counters (malformed, refused, records...). */
    public FeedCounters counters()
    {
        return handler.counters();
    }

    @Override
    public void close()
    {
        journal.close();
    }
}
