package io.tickjournal.journal;

import io.tickjournal.journal.sbe.BookDeltaDecoder;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.FeatureSnapshotDecoder;
import io.tickjournal.journal.sbe.InstrumentDefinitionDecoder;
import io.tickjournal.journal.sbe.MarkPriceDecoder;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.RawFrameDecoder;
import io.tickjournal.journal.sbe.TopOfBookDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import org.agrona.DirectBuffer;

/**
 * Checks that bytes hold exactly one well-formed record of this schema and computes its length
 * by walking its groups and variable fields, never reading past the given length.
 * <p>
 * Used by the writer before anything reaches the journal (a bad record is never written half),
 * by {@code verify}, and by receivers of foreign bytes. Walks the SBE layout directly with
 * bounds checks against the limit: stateless, no allocation, safe on garbage.
 */
public final class RecordValidator
{
    private RecordValidator()
    {
    }

    public static final int OK = 0;
    public static final int TOO_SHORT = -1;
    public static final int WRONG_SCHEMA = -2;
    public static final int UNKNOWN_TEMPLATE = -3;
    public static final int WRONG_BLOCK_LENGTH = -4;
    public static final int TRUNCATED = -5;
    public static final int TRAILING_BYTES = -6;

    private static final int GROUP_HEADER_LENGTH = 4;

    /**
     * Validate a record that must fill exactly {@code length} bytes.
     *
     * @param buffer the bytes.
     * @param offset where the SBE header starts.
     * @param length the bytes that belong to the record.
     * @return {@link #OK} or a negative reason.
     */
    public static int validate(final DirectBuffer buffer, final int offset, final int length)
    {
        final int encoded = encodedLength(buffer, offset, length);
        if (encoded < 0)
        {
            return encoded;
        }
        return encoded == length ? OK : TRAILING_BYTES;
    }

    /**
     * Length of the record at {@code offset}, checking it fits in {@code limit} bytes.
     *
     * @param buffer the bytes.
     * @param offset where the SBE header starts.
     * @param limit  bytes available from {@code offset}.
     * @return the record's length, or a negative reason.
     */
    public static int encodedLength(final DirectBuffer buffer, final int offset, final int limit)
    {
        if (limit < Records.MIN_LENGTH)
        {
            return TOO_SHORT;
        }
        // Every read below is at a position already checked against end = offset + limit: when the whole
        // range lies inside the buffer, the buffer's own check on each read is redundant (it was most of
        // the cost of validating each record the tailer receives).
        final boolean inRange = LITTLE_ENDIAN && offset >= 0 && limit <= buffer.capacity() - offset;
        if (u16(buffer, offset + 4, inRange) != (MessageHeaderDecoder.SCHEMA_ID & 0xFFFF))
        {
            return WRONG_SCHEMA;
        }
        final int blockLength = u16(buffer, offset, inRange);
        final int templateId = Records.templateId(buffer, offset);
        final int expectedBlock = blockLengthOf(templateId);
        if (expectedBlock < 0)
        {
            return UNKNOWN_TEMPLATE;
        }
        if (blockLength != expectedBlock && !isEarlierBlockLength(templateId, blockLength))
        {
            return WRONG_BLOCK_LENGTH;
        }
        final int end = offset + limit;
        int position = offset + Records.HEADER_LENGTH + blockLength;
        if (position > end)
        {
            return TRUNCATED;
        }

        final int groups = groupCount(templateId);
        final int groupBlock = groupBlockLength(templateId);
        for (int i = 0; i < groups; i++)
        {
            if (position + GROUP_HEADER_LENGTH > end)
            {
                return TRUNCATED;
            }
            final int entryLength = u16(buffer, position, inRange);
            final int count = u16(buffer, position + 2, inRange);
            if (entryLength != groupBlock)
            {
                return WRONG_BLOCK_LENGTH;
            }
            position += GROUP_HEADER_LENGTH + entryLength * count;
            if (position > end)
            {
                return TRUNCATED;
            }
        }

        final int asciiFields = asciiVarCount(templateId);
        for (int i = 0; i < asciiFields; i++)
        {
            if (position + 2 > end)
            {
                return TRUNCATED;
            }
            position += 2 + u16(buffer, position, inRange);
            if (position > end)
            {
                return TRUNCATED;
            }
        }

        if (templateId == RawFrameDecoder.TEMPLATE_ID)
        {
            if (position + 4 > end)
            {
                return TRUNCATED;
            }
            final long payload = buffer.getInt(position, Records.ORDER) & 0xFFFF_FFFFL;
            if (position + 4 + payload > end)
            {
                return TRUNCATED;
            }
            position += 4 + (int)payload;
        }
        return position - offset;
    }

    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == Records.ORDER;

    /** An unsigned 16-bit field; unchecked only where the caller checked {@code index + 2} against a limit inside the buffer. */
    private static int u16(final DirectBuffer buffer, final int index, final boolean inRange)
    {
        if (inRange)
        {
            return org.agrona.UnsafeApi.getShort(buffer.byteArray(), buffer.addressOffset() + index) & 0xFFFF;
        }
        return buffer.getShort(index, Records.ORDER) & 0xFFFF;
    }

    private static int groupCount(final int templateId)
    {
        switch (templateId)
        {
            case BookSnapshotDecoder.TEMPLATE_ID:
            case BookDeltaDecoder.TEMPLATE_ID:
                return 2;
            case FeatureSnapshotDecoder.TEMPLATE_ID:
                return 1;
            default:
                return 0;
        }
    }

    private static int groupBlockLength(final int templateId)
    {
        switch (templateId)
        {
            case BookSnapshotDecoder.TEMPLATE_ID: return BookSnapshotDecoder.BidsDecoder.sbeBlockLength();
            case BookDeltaDecoder.TEMPLATE_ID: return BookDeltaDecoder.BidsDecoder.sbeBlockLength();
            case FeatureSnapshotDecoder.TEMPLATE_ID: return FeatureSnapshotDecoder.ValuesDecoder.sbeBlockLength();
            default: return 0;
        }
    }

    private static int asciiVarCount(final int templateId)
    {
        switch (templateId)
        {
            case InstrumentDefinitionDecoder.TEMPLATE_ID: return 2;
            case VenueStatusDecoder.TEMPLATE_ID: return 1;
            default: return 0;
        }
    }

    /** InstrumentDefinition's block in schema version 1, before {@code priceGrouping} (version 2) was added at its end. */
    static final int INSTRUMENT_DEFINITION_V1_BLOCK_LENGTH = 43;
    /** InstrumentDefinition's block in schema version 2, before {@code bookDepth} (version 3) was added at its end. */
    static final int INSTRUMENT_DEFINITION_V2_BLOCK_LENGTH = 51;

    /**
     * Whether an earlier schema version gave a template this block length, so records journaled before
     * a field was added stay valid (their decoders read them at the version in their header).
     *
     * @param templateId  a template id.
     * @param blockLength a record's block length.
     * @return true for a length an earlier version gave the template.
     */
    public static boolean isEarlierBlockLength(final int templateId, final int blockLength)
    {
        return templateId == InstrumentDefinitionDecoder.TEMPLATE_ID &&
            (blockLength == INSTRUMENT_DEFINITION_V1_BLOCK_LENGTH || blockLength == INSTRUMENT_DEFINITION_V2_BLOCK_LENGTH);
    }

    /**
     * Name a validation result.
     *
     * @param code a code from this class.
     * @return what it means.
     */
    public static String describe(final int code)
    {
        switch (code)
        {
            case OK: return "ok";
            case TOO_SHORT: return "shorter than the common record block";
            case WRONG_SCHEMA: return "not this schema's id";
            case UNKNOWN_TEMPLATE: return "unknown template id";
            case WRONG_BLOCK_LENGTH: return "block length does not match the template";
            case TRUNCATED: return "group or variable field runs past the end";
            case TRAILING_BYTES: return "bytes left after the record";
            default: return "unknown validation code " + code;
        }
    }

    /**
     * The block length the current schema version gives a template.
     *
     * @param templateId the template.
     * @return its block length, or -1 for an unknown template.
     */
    public static int blockLengthOf(final int templateId)
    {
        switch (templateId)
        {
            case TradeDecoder.TEMPLATE_ID: return TradeDecoder.BLOCK_LENGTH;
            case BookSnapshotDecoder.TEMPLATE_ID: return BookSnapshotDecoder.BLOCK_LENGTH;
            case BookDeltaDecoder.TEMPLATE_ID: return BookDeltaDecoder.BLOCK_LENGTH;
            case TopOfBookDecoder.TEMPLATE_ID: return TopOfBookDecoder.BLOCK_LENGTH;
            case InstrumentDefinitionDecoder.TEMPLATE_ID: return InstrumentDefinitionDecoder.BLOCK_LENGTH;
            case VenueStatusDecoder.TEMPLATE_ID: return VenueStatusDecoder.BLOCK_LENGTH;
            case MarkPriceDecoder.TEMPLATE_ID: return MarkPriceDecoder.BLOCK_LENGTH;
            case FeatureSnapshotDecoder.TEMPLATE_ID: return FeatureSnapshotDecoder.BLOCK_LENGTH;
            case RawFrameDecoder.TEMPLATE_ID: return RawFrameDecoder.BLOCK_LENGTH;
            default: return -1;
        }
    }
}
