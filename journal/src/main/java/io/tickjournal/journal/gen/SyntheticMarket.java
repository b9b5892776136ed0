package io.tickjournal.journal.gen;

import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.BookDeltaEncoder;
import io.tickjournal.journal.sbe.BookSnapshotEncoder;
import io.tickjournal.journal.sbe.InstrumentDefinitionEncoder;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import io.tickjournal.journal.sbe.Side;
import io.tickjournal.journal.sbe.TradeEncoder;
import io.tickjournal.journal.sbe.TradeKind;
import org.agrona.MutableDirectBuffer;

import java.util.SplittableRandom;

/**
 * A deterministic generated market for one instrument: a random walk in integer ticks that
 * produces realistic trades and ten-level book deltas, encoded straight into a caller's buffer.
 * <p>
 * Used by the journal round trip, benchmarks and tests. The same seed gives the same records.
 * Integer arithmetic only; no allocation per record. One thread per instance.
 */
public final class SyntheticMarket
{
    /** Price exponent of the generated instrument (8 decimals, like Binance). */
    public static final int PRICE_EXPONENT = -8;
    /** Size exponent of the generated instrument. */
    public static final int SIZE_EXPONENT = -8;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final TradeEncoder trade = new TradeEncoder();
    private final BookDeltaEncoder delta = new BookDeltaEncoder();
    private final BookSnapshotEncoder snapshot = new BookSnapshotEncoder();
    private final InstrumentDefinitionEncoder definition = new InstrumentDefinitionEncoder();
    private final SplittableRandom random;
    private final int venueId;
    private final int instrumentId;
    private final long tickMantissa;
    private long midTicks;
    private long tradeId;
    private long updateId;

    /**
     * A market starting at {@code startPrice} in mantissa units of {@link #PRICE_EXPONENT}.
     *
     * @param seed            random seed.
     * @param venueId         venue id stamped into records.
     * @param instrumentId    instrument id stamped into records.
     * @param startPriceTicks start mid in ticks.
     * @param tickMantissa    one tick in price mantissa units.
     */
    public SyntheticMarket(
        final long seed, final int venueId, final int instrumentId, final long startPriceTicks, final long tickMantissa)
    {
        this.random = new SplittableRandom(seed);
        this.venueId = venueId;
        this.instrumentId = instrumentId;
        this.midTicks = startPriceTicks;
        this.tickMantissa = tickMantissa;
        this.tradeId = 1_000_000L;
        this.updateId = 5_000_000_000L;
    }

    /**
     * Encode the instrument's definition.
     *
     * @param buffer        destination.
     * @param offset        where to start.
     * @param receiveTimeNs receive time to stamp.
     * @param venueSymbol   e.g. {@code BTCUSDT}.
     * @param canonical     e.g. {@code BTC-USDT}.
     * @return encoded length.
     */
    public int encodeDefinition(
        final MutableDirectBuffer buffer, final int offset, final long receiveTimeNs,
        final String venueSymbol, final String canonical)
    {
        definition.wrapAndApplyHeader(buffer, offset, header)
            .receiveTimeNs(receiveTimeNs)
            .eventTimeNs(receiveTimeNs)
            .venueSeq(Records.NULL_LONG)
            .rawIndex(Records.NULL_LONG)
            .venueId(venueId)
            .flags(0)
            .instrumentId(instrumentId)
            .marketKind(MarketKind.SPOT)
            .priceExponent((byte)PRICE_EXPONENT)
            .sizeExponent((byte)SIZE_EXPONENT)
            .priceGrouping(0)
            .bookDepth(0)
            .venueSymbol(venueSymbol)
            .canonicalSymbol(canonical);
        return MessageHeaderEncoder.ENCODED_LENGTH + definition.encodedLength();
    }

    /**
     * Encode the next trade.
     *
     * @param buffer        destination.
     * @param offset        where to start.
     * @param receiveTimeNs receive time to stamp.
     * @return encoded length.
     */
    public int encodeTrade(final MutableDirectBuffer buffer, final int offset, final long receiveTimeNs)
    {
        step();
        final boolean buy = random.nextBoolean();
        final long price = (midTicks + (buy ? 1 : -1)) * tickMantissa;
        final long size = (1 + random.nextInt(50_000)) * 1_000L;
        trade.wrapAndApplyHeader(buffer, offset, header)
            .receiveTimeNs(receiveTimeNs)
            .eventTimeNs(receiveTimeNs - 2_000_000L)
            .venueSeq(++tradeId)
            .rawIndex(Records.NULL_LONG)
            .venueId(venueId)
            .flags(0)
            .instrumentId(instrumentId)
            .priceMantissa(price)
            .sizeMantissa(size)
            .tradeTimeNs(receiveTimeNs - 2_000_000L)
            .priceExponent((byte)PRICE_EXPONENT)
            .sizeExponent((byte)SIZE_EXPONENT)
            .aggressor(buy ? Side.BUY : Side.SELL)
            .kind(TradeKind.TRADE);
        return MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength();
    }

    /**
     * Encode the next book delta with {@code levels} levels a side.
     *
     * @param buffer        destination.
     * @param offset        where to start.
     * @param receiveTimeNs receive time to stamp.
     * @param levels        levels per side.
     * @return encoded length.
     */
    public int encodeDelta(final MutableDirectBuffer buffer, final int offset, final long receiveTimeNs, final int levels)
    {
        step();
        final long first = updateId + 1;
        updateId += 1 + random.nextInt(levels * 2);
        delta.wrapAndApplyHeader(buffer, offset, header)
            .receiveTimeNs(receiveTimeNs)
            .eventTimeNs(receiveTimeNs - 2_000_000L)
            .venueSeq(updateId)
            .rawIndex(Records.NULL_LONG)
            .venueId(venueId)
            .flags(0)
            .instrumentId(instrumentId)
            .firstVenueSeq(first)
            .prevVenueSeq(first - 1)
            .priceExponent((byte)PRICE_EXPONENT)
            .sizeExponent((byte)SIZE_EXPONENT);
        final BookDeltaEncoder.BidsEncoder bids = delta.bidsCount(levels);
        for (int i = 0; i < levels; i++)
        {
            bids.next().price((midTicks - 1 - i) * tickMantissa).size(levelSize());
        }
        final BookDeltaEncoder.AsksEncoder asks = delta.asksCount(levels);
        for (int i = 0; i < levels; i++)
        {
            asks.next().price((midTicks + 1 + i) * tickMantissa).size(levelSize());
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + delta.encodedLength();
    }

    /**
     * Encode a full book around the current mid, {@code levels} levels a side, flagged as a snapshot.
     *
     * @param buffer        destination.
     * @param offset        where to start.
     * @param receiveTimeNs receive time to stamp.
     * @param levels        levels per side.
     * @return encoded length.
     */
    public int encodeSnapshot(final MutableDirectBuffer buffer, final int offset, final long receiveTimeNs, final int levels)
    {
        snapshot.wrapAndApplyHeader(buffer, offset, header);
        Records.putCommon(buffer, offset, receiveTimeNs, receiveTimeNs, updateId, Records.NULL_LONG, venueId,
            Records.FLAG_FROM_SNAPSHOT, instrumentId);
        snapshot.priceExponent((byte)PRICE_EXPONENT).sizeExponent((byte)SIZE_EXPONENT);
        final BookSnapshotEncoder.BidsEncoder bids = snapshot.bidsCount(levels);
        for (int i = 1; i <= levels; i++)
        {
            bids.next().price((midTicks - i) * tickMantissa).size(100_000_000L * i);
        }
        final BookSnapshotEncoder.AsksEncoder asks = snapshot.asksCount(levels);
        for (int i = 1; i <= levels; i++)
        {
            asks.next().price((midTicks + i) * tickMantissa).size(100_000_000L * i);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + snapshot.encodedLength();
    }

    private long levelSize()
    {
        // one level in eight is removed (size 0), as in real diff streams
        return random.nextInt(8) == 0 ? 0 : (1 + random.nextInt(1_000_000)) * 100L;
    }

    private void step()
    {
        final int move = random.nextInt(5) - 2;
        if (midTicks + move > 10)
        {
            midTicks += move;
        }
    }

    /** @return the current mid in ticks. */
    public long midTicks()
    {
        return midTicks;
    }
}
