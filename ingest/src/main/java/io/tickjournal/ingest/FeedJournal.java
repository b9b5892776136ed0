package io.tickjournal.ingest;

import io.tickjournal.journal.Partition;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.RecordValidator;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.InstrumentDefinitionEncoder;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import io.tickjournal.journal.sbe.RawFrameEncoder;
import io.tickjournal.journal.sbe.StreamKind;
import io.tickjournal.journal.sbe.VenueStatusEncoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.IntArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * The two partitions one feed writes, normalized and raw, and the encoders for the records
 * every venue shares (raw frames, venue status, instrument definitions).
 * Owned by the feed's event-loop thread: the writers enforce that a single thread appends.
 * Records are encoded into direct (off-heap) buffers: Chronicle copies native to native with one
 * {@code Unsafe.copyMemory}, where from a heap array it falls back to a much slower copy loop
 * (measured: it was a third of the ingest path's time).
 * <p>
 * <b>Disk full.</b> When either writer refuses a record for space ({@link PartitionWriter#NO_SPACE}),
 * the feed's journal pauses: a JOURNAL_PAUSED status (out of the writer's reserve) says how much
 * was free and why, a warning is logged, and every record until space returns is dropped and
 * counted ({@link #droppedForSpace()}); appends return {@link PartitionWriter#REJECTED}, so handlers
 * do not count them as journaled. When both writers have room again, JOURNAL_RESUMED says how many
 * records were lost, and a BOOK_RESET (stream BOOK) per defined instrument tells readers the book
 * in the journal is incomplete until the venue's next snapshot. Nothing is ever half written.
 */
public final class FeedJournal implements AutoCloseable
{
    /** Connection id used for REST responses in the raw partition. */
    public static final int REST_CONNECTION_ID = -1;

    private final PartitionWriter normalized;
    private final PartitionWriter raw;
    private final int venueId;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final RawFrameEncoder rawFrame = new RawFrameEncoder();
    private final VenueStatusEncoder status = new VenueStatusEncoder();
    private final InstrumentDefinitionEncoder definition = new InstrumentDefinitionEncoder();
    private final ExpandableDirectByteBuffer rawBuffer = new ExpandableDirectByteBuffer(64 * 1024);
    private final ExpandableDirectByteBuffer recordBuffer = new ExpandableDirectByteBuffer(256 * 1024);
    /** Status and definition records get their own buffer, so writing one never clobbers a record a handler is encoding. */
    private final ExpandableDirectByteBuffer controlBuffer = new ExpandableDirectByteBuffer(4096);
    private static final Logger LOG = LoggerFactory.getLogger(FeedJournal.class);

    private long rejected;
    private String lastRejection;
    private final IntArrayList definedInstruments = new IntArrayList();
    private volatile boolean paused;
    private volatile long droppedForSpace;
    private long droppedAtPause;
    private long pausedAtNs;
    private io.tickjournal.journal.Pretoucher pretoucher;

    /**
     * Open (or create) the feed's partitions.
     *
     * @param partitionDir the normalized partition; the raw one is its {@code .raw} sibling.
     * @param venueId      venue id for records.
     */
    public FeedJournal(final Path partitionDir, final int venueId)
    {
        this.venueId = venueId;
        this.normalized = new PartitionWriter(partitionDir);
        PartitionWriter rawWriter = null;
        try
        {
            rawWriter = new PartitionWriter(Partition.rawDir(partitionDir));
        }
        finally
        {
            if (rawWriter == null)
            {
                normalized.close();
            }
        }
        this.raw = rawWriter;
    }

    /**
     * Keep the pages ahead of both writers touched by a background thread (optional; see {@link io.tickjournal.journal.Pretoucher}).
     *
     * @param pretoucher the pretoucher.
     * @return this.
     */
    public FeedJournal pretouchWith(final io.tickjournal.journal.Pretoucher pretoucher)
    {
        this.pretoucher = pretoucher;
        pretoucher.register(normalized);
        pretoucher.register(raw);
        return this;
    }

    /** @return a scratch buffer records are encoded into before {@link #append}. */
    public MutableDirectBuffer recordBuffer()
    {
        return recordBuffer;
    }

    /** @return the normalized partition's queue (read what it holds at start-up; the writer's thread only appends). */
    public net.openhft.chronicle.queue.impl.single.SingleChronicleQueue normalizedQueue()
    {
        return normalized.queue();
    }

    /** @return the venue id of this feed. */
    public int venueId()
    {
        return venueId;
    }

    /**
     * Keep the exact bytes of a frame.
     *
     * @param connectionId  the connection that received it ({@link #REST_CONNECTION_ID} for REST).
     * @param receiveTimeNs when it was read.
     * @param frame         the bytes.
     * @param offset        first byte.
     * @param length        byte count.
     * @return the raw record's index (stamped into the records parsed from it).
     */
    public long appendRaw(
        final int connectionId, final long receiveTimeNs, final byte[] frame, final int offset, final int length)
    {
        return appendRaw(connectionId, Records.NULL_LONG, 0, receiveTimeNs, frame, offset, length);
    }

    /**
     * Keep the exact bytes of a frame, or of a REST body with what it answered: the HTTP status
     * (as the raw record's venueSeq) and the instrument it was for, so an import can replay it.
     *
     * @param connectionId  the connection ({@link #REST_CONNECTION_ID} for REST).
     * @param httpStatus    the REST status, or null for frames.
     * @param instrumentId  the instrument a REST body is for, or 0.
     * @param receiveTimeNs when it was read.
     * @param frame         the bytes.
     * @param offset        first byte.
     * @param length        byte count.
     * @return the raw record's index.
     */
    public long appendRaw(
        final int connectionId, final long httpStatus, final int instrumentId, final long receiveTimeNs, final byte[] frame,
        final int offset, final int length)
    {
        if (paused && !resume(receiveTimeNs))
        {
            droppedForSpace++;
            return PartitionWriter.REJECTED;
        }
        rawFrame.wrapAndApplyHeader(rawBuffer, 0, header);
        Records.putCommon(rawBuffer, 0, receiveTimeNs, Records.NULL_LONG, httpStatus, Records.NULL_LONG, venueId, 0, instrumentId);
        rawFrame
            .connectionId(connectionId)
            .putPayload(frame, offset, length);
        return checked(raw, raw.append(rawBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + rawFrame.encodedLength()),
            receiveTimeNs);
    }

    /**
     * Append an encoded record from {@link #recordBuffer()} (or any buffer).
     *
     * @param buffer the record.
     * @param offset where it starts.
     * @param length its length.
     * @return its index, or {@link PartitionWriter#REJECTED}.
     */
    public long append(final DirectBuffer buffer, final int offset, final int length)
    {
        final long receiveTimeNs = Records.receiveTimeNs(buffer, offset);
        if (paused && !resume(receiveTimeNs))
        {
            droppedForSpace++;
            return PartitionWriter.REJECTED;
        }
        return checked(normalized, normalized.append(buffer, offset, length), receiveTimeNs);
    }

    /**
     * Write a VenueStatus record.
     *
     * @param kind          what happened.
     * @param instrumentId  the instrument, or 0 for the whole connection.
     * @param connectionId  the connection, or 0.
     * @param expectedSeq   the sequence expected (gaps), or null.
     * @param receivedSeq   the sequence received (gaps), or null.
     * @param rawIndex      the raw frame behind it, or null.
     * @param receiveTimeNs the time of the event.
     * @param detail        human-readable detail (ASCII).
     * @return its index.
     */
    public long status(
        final VenueStatusKind kind, final int instrumentId, final int connectionId, final long expectedSeq,
        final long receivedSeq, final long rawIndex, final long receiveTimeNs, final String detail)
    {
        return status(kind, StreamKind.NONE, instrumentId, connectionId, expectedSeq, receivedSeq, rawIndex, receiveTimeNs, detail);
    }

    /**
     * Write a VenueStatus record about one stream of an instrument (a trade-id gap says TRADE, so
     * readers keep the book; only a BOOK gap or reset invalidates a book).
     *
     * @param kind          what happened.
     * @param stream        the stream it concerns ({@link StreamKind#NONE} for the whole feed or connection).
     * @param instrumentId  the instrument, or 0 for the whole connection.
     * @param connectionId  the connection, or 0.
     * @param expectedSeq   the sequence expected (gaps), or null.
     * @param receivedSeq   the sequence received (gaps), or null.
     * @param rawIndex      the raw frame behind it, or null.
     * @param receiveTimeNs the time of the event.
     * @param detail        human-readable detail (ASCII).
     * @return its index.
     */
    public long status(
        final VenueStatusKind kind, final StreamKind stream, final int instrumentId, final int connectionId,
        final long expectedSeq, final long receivedSeq, final long rawIndex, final long receiveTimeNs, final String detail)
    {
        status.wrapAndApplyHeader(controlBuffer, 0, header);
        Records.putCommon(controlBuffer, 0, receiveTimeNs, Records.NULL_LONG, Records.NULL_LONG, rawIndex, venueId, 0, instrumentId);
        status
            .status(kind)
            .connectionId(connectionId)
            .expectedSeq(expectedSeq)
            .receivedSeq(receivedSeq)
            .stream(stream)
            .detail(ascii(detail));
        return append(controlBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + status.encodedLength());
    }

    /**
     * Write an instrument's definition (each day's cycle then starts with it), with the price
     * grouping its book is subscribed with (0 = none) and the depth asked of the venue.
     *
     * @param spec          the instrument.
     * @param bookDepth     book levels a side the subscription asks for (0 = the book as the venue sends it).
     * @param receiveTimeNs now.
     * @return its index.
     */
    public long define(final InstrumentSpec spec, final int bookDepth, final long receiveTimeNs)
    {
        definition.wrapAndApplyHeader(controlBuffer, 0, header);
        Records.putCommon(controlBuffer, 0, receiveTimeNs, Records.NULL_LONG, Records.NULL_LONG, Records.NULL_LONG, venueId, 0,
            spec.instrumentId());
        if (!definedInstruments.containsInt(spec.instrumentId()))
        {
            definedInstruments.addInt(spec.instrumentId());
        }
        definition
            .marketKind(spec.marketKind())
            .priceExponent((byte)spec.priceExponent())
            .sizeExponent((byte)spec.sizeExponent())
            .priceGrouping(spec.priceGrouping())
            .bookDepth(bookDepth)
            .venueSymbol(spec.venueSymbol())
            .canonicalSymbol(spec.canonicalSymbol());
        return append(controlBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + definition.encodedLength());
    }

    /** @return records refused by the writers (a bug if ever non-zero). */
    public long rejected()
    {
        return rejected;
    }

    /** @return why the last record was refused, or null. */
    public String lastRejection()
    {
        return lastRejection;
    }

    /** @return records appended to the normalized partition by this writer. */
    public long normalizedCount()
    {
        return normalized.appendedCount();
    }

    /** @return frames appended to the raw partition by this writer. */
    public long rawCount()
    {
        return raw.appendedCount();
    }

    /** @return true while records are dropped for lack of disk space (any thread; a moment old). */
    public boolean paused()
    {
        return paused;
    }

    /** @return records (and raw frames) dropped while paused for space (any thread; a moment old). */
    public long droppedForSpace()
    {
        return droppedForSpace;
    }

    private void pause(final PartitionWriter writer, final long receiveTimeNs)
    {
        paused = true;
        pausedAtNs = receiveTimeNs;
        droppedAtPause = droppedForSpace;
        final String why = "journal paused: " + writer.name() + " " + writer.diskSpace().describe(writer.lastUsableBytes()) +
            "; records are dropped until space returns";
        LOG.warn("ingest {}: {}", normalized.name(), why);
        control(VenueStatusKind.JOURNAL_PAUSED, StreamKind.NONE, 0, receiveTimeNs, why);
    }

    /** @return how many times the journal resumed after a pause (the feed rejoins its books after each). */
    public long resumes()
    {
        return resumes;
    }

    private long resumes;

    private boolean resume(final long receiveTimeNs)
    {
        if (!normalized.checkSpace(receiveTimeNs) || !raw.checkSpace(receiveTimeNs))
        {
            return false;
        }
        paused = false;
        resumes++;
        final long lost = droppedForSpace - droppedAtPause;
        final String why = "journal resumed: " + normalized.diskSpace().describe(normalized.lastUsableBytes()) + "; " + lost +
            " records and frames were dropped in " + (receiveTimeNs - pausedAtNs) / 1_000_000L + " ms";
        LOG.warn("ingest {}: {}", normalized.name(), why);
        control(VenueStatusKind.JOURNAL_RESUMED, StreamKind.NONE, 0, receiveTimeNs, why);
        for (int i = 0; i < definedInstruments.size(); i++)
        {
            control(VenueStatusKind.BOOK_RESET, StreamKind.BOOK, definedInstruments.getInt(i), receiveTimeNs,
                "records were dropped while the journal was paused: the book is incomplete until the next snapshot");
        }
        return true;
    }

    /** A status record written out of the writer's reserve (pause and resume only). */
    private void control(
        final VenueStatusKind kind, final StreamKind stream, final int instrumentId, final long receiveTimeNs, final String detail)
    {
        status.wrapAndApplyHeader(controlBuffer, 0, header);
        Records.putCommon(controlBuffer, 0, receiveTimeNs, Records.NULL_LONG, Records.NULL_LONG, Records.NULL_LONG, venueId, 0,
            instrumentId);
        status
            .status(kind)
            .connectionId(0)
            .expectedSeq(Records.NULL_LONG)
            .receivedSeq(Records.NULL_LONG)
            .stream(stream)
            .detail(ascii(detail));
        checked(normalized, normalized.appendWithinReserve(controlBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH +
            status.encodedLength()), receiveTimeNs);
    }

    private long checked(final PartitionWriter writer, final long index, final long receiveTimeNs)
    {
        if (index == PartitionWriter.NO_SPACE)
        {
            droppedForSpace++;
            if (!paused)
            {
                pause(writer, receiveTimeNs);
            }
            return PartitionWriter.REJECTED;
        }
        if (index == PartitionWriter.REJECTED)
        {
            rejected++;
            lastRejection = writer.name() + ": " + RecordValidator.describe(writer.lastRejectReason());
        }
        return index;
    }

    private static String ascii(final String text)
    {
        if (text == null)
        {
            return "";
        }
        final String clipped = text.length() > 512 ? text.substring(0, 512) : text;
        final StringBuilder out = new StringBuilder(clipped.length());
        for (int i = 0; i < clipped.length(); i++)
        {
            final char c = clipped.charAt(i);
            out.append(c >= 32 && c < 127 ? c : '?');
        }
        return out.toString();
    }

    @Override
    public void close()
    {
        if (pretoucher != null)
        {
            pretoucher.unregister(normalized);
            pretoucher.unregister(raw);
        }
        CloseHelper.closeAll(normalized, raw);
    }
}
