package io.tickjournal.journal;

import io.tickjournal.journal.decimal.Decimals;
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

import java.nio.charset.StandardCharsets;

/**
 * Renders records as one line of readable text for dump, audit and tests (allocates; not for the
 * hot path). Prices and sizes are printed exactly, from their mantissa and exponent.
 */
public final class RecordFormatter
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final TradeDecoder trade = new TradeDecoder();
    private final BookSnapshotDecoder snapshot = new BookSnapshotDecoder();
    private final BookDeltaDecoder delta = new BookDeltaDecoder();
    private final TopOfBookDecoder topOfBook = new TopOfBookDecoder();
    private final InstrumentDefinitionDecoder definition = new InstrumentDefinitionDecoder();
    private final VenueStatusDecoder status = new VenueStatusDecoder();
    private final MarkPriceDecoder markPrice = new MarkPriceDecoder();
    private final FeatureSnapshotDecoder feature = new FeatureSnapshotDecoder();
    private final RawFrameDecoder raw = new RawFrameDecoder();

    /**
     * Name of a template.
     *
     * @param templateId the SBE template id.
     * @return e.g. {@code Trade}.
     */
    public static String typeName(final int templateId)
    {
        switch (templateId)
        {
            case TradeDecoder.TEMPLATE_ID: return "Trade";
            case BookSnapshotDecoder.TEMPLATE_ID: return "BookSnapshot";
            case BookDeltaDecoder.TEMPLATE_ID: return "BookDelta";
            case TopOfBookDecoder.TEMPLATE_ID: return "TopOfBook";
            case InstrumentDefinitionDecoder.TEMPLATE_ID: return "InstrumentDefinition";
            case VenueStatusDecoder.TEMPLATE_ID: return "VenueStatus";
            case MarkPriceDecoder.TEMPLATE_ID: return "MarkPrice";
            case FeatureSnapshotDecoder.TEMPLATE_ID: return "FeatureSnapshot";
            case RawFrameDecoder.TEMPLATE_ID: return "RawFrame";
            default: return "Unknown(" + templateId + ")";
        }
    }

    /**
     * Format one record.
     *
     * @param buffer the record.
     * @param offset where it starts.
     * @param length its length.
     * @return one line of text.
     */
    public String format(final DirectBuffer buffer, final int offset, final int length)
    {
        final int valid = RecordValidator.validate(buffer, offset, length);
        if (valid != RecordValidator.OK)
        {
            return "INVALID(" + RecordValidator.describe(valid) + ", " + length + " bytes)";
        }
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int block = header.blockLength();
        final int version = header.version();
        final StringBuilder sb = new StringBuilder(128);
        sb.append(typeName(header.templateId()))
            .append(" venue=").append(Records.venueId(buffer, offset))
            .append(" instr=").append(Records.instrumentId(buffer, offset))
            .append(" recv=").append(Records.receiveTimeNs(buffer, offset));
        final long eventTime = Records.eventTimeNs(buffer, offset);
        if (eventTime != Records.NULL_LONG)
        {
            sb.append(" event=").append(eventTime);
        }
        final long venueSeq = Records.venueSeq(buffer, offset);
        if (venueSeq != Records.NULL_LONG)
        {
            sb.append(" vseq=").append(venueSeq);
        }
        switch (header.templateId())
        {
            case TradeDecoder.TEMPLATE_ID:
                trade.wrap(buffer, body, block, version);
                sb.append(' ').append(trade.kind()).append(' ').append(trade.aggressor()).append(' ');
                Decimals.appendTo(sb, trade.sizeMantissa(), trade.sizeExponent()).append(" @ ");
                Decimals.appendTo(sb, trade.priceMantissa(), trade.priceExponent());
                break;
            case BookSnapshotDecoder.TEMPLATE_ID:
            {
                snapshot.wrap(buffer, body, block, version);
                final int pe = snapshot.priceExponent();
                final int se = snapshot.sizeExponent();
                sb.append(" bids");
                for (final BookSnapshotDecoder.BidsDecoder level : snapshot.bids())
                {
                    level(sb, level.price(), pe, level.size(), se);
                }
                sb.append(" asks");
                for (final BookSnapshotDecoder.AsksDecoder level : snapshot.asks())
                {
                    level(sb, level.price(), pe, level.size(), se);
                }
                break;
            }
            case BookDeltaDecoder.TEMPLATE_ID:
            {
                delta.wrap(buffer, body, block, version);
                final int pe = delta.priceExponent();
                final int se = delta.sizeExponent();
                sb.append(" first=").append(delta.firstVenueSeq()).append(" prev=").append(delta.prevVenueSeq()).append(" bids");
                for (final BookDeltaDecoder.BidsDecoder level : delta.bids())
                {
                    level(sb, level.price(), pe, level.size(), se);
                }
                sb.append(" asks");
                for (final BookDeltaDecoder.AsksDecoder level : delta.asks())
                {
                    level(sb, level.price(), pe, level.size(), se);
                }
                break;
            }
            case TopOfBookDecoder.TEMPLATE_ID:
                topOfBook.wrap(buffer, body, block, version);
                sb.append(" bid");
                level(sb, topOfBook.bidPrice(), topOfBook.priceExponent(), topOfBook.bidSize(), topOfBook.sizeExponent());
                sb.append(" ask");
                level(sb, topOfBook.askPrice(), topOfBook.priceExponent(), topOfBook.askSize(), topOfBook.sizeExponent());
                break;
            case InstrumentDefinitionDecoder.TEMPLATE_ID:
                definition.wrap(buffer, body, block, version);
                sb.append(' ').append(definition.marketKind())
                    .append(" pexp=").append(definition.priceExponent())
                    .append(" sexp=").append(definition.sizeExponent());
                final long grouping = definition.priceGrouping();
                if (grouping != 0 && grouping != InstrumentDefinitionDecoder.priceGroupingNullValue())
                {
                    sb.append(" grouping=");
                    Decimals.appendTo(sb, grouping, definition.priceExponent());
                }
                final int depth = definition.bookDepth();
                if (depth != 0 && depth != InstrumentDefinitionDecoder.bookDepthNullValue())
                {
                    sb.append(" depth=").append(depth);
                }
                sb.append(" symbol=").append(definition.venueSymbol())
                    .append(" canonical=").append(definition.canonicalSymbol());
                break;
            case VenueStatusDecoder.TEMPLATE_ID:
                status.wrap(buffer, body, block, version);
                sb.append(' ').append(status.status()).append(" conn=").append(status.connectionId())
                    .append(" expected=").append(status.expectedSeq()).append(" received=").append(status.receivedSeq());
                if (status.stream() != io.tickjournal.journal.sbe.StreamKind.NONE)
                {
                    sb.append(" stream=").append(status.stream());
                }
                sb
                    .append(" detail=\"").append(status.detail()).append('"');
                break;
            case MarkPriceDecoder.TEMPLATE_ID:
                markPrice.wrap(buffer, body, block, version);
                sb.append(" mark=");
                Decimals.appendTo(sb, markPrice.markPrice(), markPrice.priceExponent()).append(" index=");
                Decimals.appendTo(sb, markPrice.indexPrice(), markPrice.priceExponent()).append(" funding=");
                Decimals.appendTo(sb, markPrice.fundingRateMantissa(), markPrice.fundingRateExponent())
                    .append(" nextFunding=").append(markPrice.nextFundingTimeNs());
                break;
            case FeatureSnapshotDecoder.TEMPLATE_ID:
                feature.wrap(buffer, body, block, version);
                for (final FeatureSnapshotDecoder.ValuesDecoder value : feature.values())
                {
                    sb.append(" f").append(value.featureId()).append('=');
                    Decimals.appendTo(sb, value.mantissa(), value.exponent());
                }
                break;
            case RawFrameDecoder.TEMPLATE_ID:
            {
                raw.wrap(buffer, body, block, version);
                final byte[] bytes = new byte[raw.payloadLength()];
                raw.getPayload(bytes, 0, bytes.length);
                sb.append(" conn=").append(raw.connectionId()).append(" bytes=").append(bytes.length)
                    .append(" payload=").append(new String(bytes, StandardCharsets.UTF_8));
                break;
            }
            default:
                break;
        }
        return sb.toString();
    }

    private static void level(final StringBuilder sb, final long price, final int pe, final long size, final int se)
    {
        sb.append(" [");
        Decimals.appendTo(sb, price, pe).append(' ');
        Decimals.appendTo(sb, size, se).append(']');
    }
}
