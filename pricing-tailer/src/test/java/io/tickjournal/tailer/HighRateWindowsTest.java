package io.tickjournal.tailer;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.Side;
import io.tickjournal.journal.sbe.TopOfBookDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.TradeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * 1,000 trades a second per instrument for 90 s of record time, two instruments, with tops that
 * move the mid: after every record, every window's trade count, volume, VWAP, buy and sell volume
 * and realized volatility equal a recomputation with BigInteger/BigDecimal from the journal's
 * records, written here from the feature definitions, not from the engine's code.
 */
class HighRateWindowsTest
{
    private static final long MS = 1_000_000L;
    private static final long[] WINDOWS_MS = {1_000, 10_000, 60_000};
    private static final int PRICE_EXPONENT = -2;
    private static final int SIZE_EXPONENT = -8;

    @TempDir
    Path root;

    /** What the test knows of one instrument: its fills and mid returns in order, with prefix sums. */
    private static final class Expected
    {
        final List<Long> tradeTimes = new ArrayList<>();
        final List<BigInteger> volume = new ArrayList<>(List.of(BigInteger.ZERO));
        final List<BigInteger> notional = new ArrayList<>(List.of(BigInteger.ZERO));
        final List<BigInteger> buy = new ArrayList<>(List.of(BigInteger.ZERO));
        final List<BigInteger> sell = new ArrayList<>(List.of(BigInteger.ZERO));
        final List<Long> returnTimes = new ArrayList<>();
        final List<BigInteger> squares = new ArrayList<>(List.of(BigInteger.ZERO));
        BigInteger previousMid2;

        void trade(final long time, final long price, final long size, final Side side)
        {
            tradeTimes.add(time);
            final BigInteger s = BigInteger.valueOf(size);
            volume.add(last(volume).add(s));
            notional.add(last(notional).add(s.multiply(BigInteger.valueOf(price))));
            buy.add(last(buy).add(side == Side.BUY ? s : BigInteger.ZERO));
            sell.add(last(sell).add(side == Side.SELL ? s : BigInteger.ZERO));
        }

        void top(final long time, final long bid, final long ask)
        {
            final BigInteger mid2 = BigInteger.valueOf(bid).add(BigInteger.valueOf(ask));
            if (previousMid2 != null && !mid2.equals(previousMid2))
            {
                // (mid - previous mid) / previous mid, at 1e-9, truncated toward zero
                final BigInteger r = mid2.subtract(previousMid2).multiply(BigInteger.TEN.pow(9)).divide(previousMid2);
                returnTimes.add(time);
                squares.add(last(squares).add(r.multiply(r)));
            }
            previousMid2 = mid2;
        }

        private static BigInteger last(final List<BigInteger> list)
        {
            return list.get(list.size() - 1);
        }

        /** Index of the first time after {@code cutoff} (times never decrease). */
        static int firstAfter(final List<Long> times, final long cutoff)
        {
            int lo = 0;
            int hi = times.size();
            while (lo < hi)
            {
                final int mid = (lo + hi) >>> 1;
                if (times.get(mid) > cutoff)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }
            return lo;
        }
    }

    @Test
    void everyWindowEqualsAnExactRecomputationAtAThousandTradesASecond()
    {
        final Path journal = root.resolve("journal");
        final long start = TradingDay.startNs(TradingDay.parse("2026-11-24")) + 3_600_000_000_000L;
        final int[][] instruments = {{Venues.BINANCE_SPOT, 1}, {Venues.OKX_SPOT, 4}};
        final TestRecords records = new TestRecords(null, PRICE_EXPONENT, SIZE_EXPONENT);
        final SplittableRandom random = new SplittableRandom(42);
        final long[] mid = {6_500_000, 6_400_000};
        try (PartitionWriter writer = new PartitionWriter(journal))
        {
            for (int k = 0; k < instruments.length; k++)
            {
                writer.append(records.buffer, 0, records.definition(instruments[k][0], instruments[k][1], start, "BTC-USDT", MarketKind.SPOT));
            }
            for (int ms = 0; ms < 90_000; ms++)
            {
                for (int k = 0; k < instruments.length; k++)
                {
                    final long t = start + ms * MS + k * 1_000L;
                    if (ms % 5 == 0)
                    {
                        mid[k] += random.nextInt(7) - 3 + (random.nextInt(2_000) == 0 ? 50_000 : 0);
                        final long spread = 1 + random.nextInt(3);
                        writer.append(records.buffer, 0, records.top(instruments[k][0], instruments[k][1], t, mid[k] - spread,
                            1 + random.nextInt(100_000_000), mid[k] + spread, 1 + random.nextInt(100_000_000)));
                    }
                    final Side side = switch (random.nextInt(5))
                    {
                        case 0, 1 -> Side.BUY;
                        case 2, 3 -> Side.SELL;
                        default -> Side.UNKNOWN;
                    };
                    writer.append(records.buffer, 0, records.trade(instruments[k][0], instruments[k][1], t + 500, ms,
                        mid[k] + random.nextInt(11) - 5, 1 + random.nextLong(200_000_000L), side, TradeKind.TRADE));
                }
            }
        }

        final FeatureEngine engine = new FeatureEngine(WINDOWS_MS, 5, 100);
        final Map<Long, Expected> expected = new HashMap<>();
        final FeatureSet[] emitted = {null};
        engine.addListener((instrument, f, day, sequence, time) -> emitted[0] = f);
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final TradeDecoder trade = new TradeDecoder();
        final TopOfBookDecoder top = new TopOfBookDecoder();
        final long[] checks = {0};
        try (JournalTailer tailer = JournalTailer.open(journal, null))
        {
            while (tailer.readOne((day, sequence, buffer, offset, length) ->
            {
                emitted[0] = null;
                engine.onRecord(day, sequence, buffer, offset, length);
                final long key = ((long)Records.venueId(buffer, offset) << 32) | Records.instrumentId(buffer, offset);
                final Expected e = expected.computeIfAbsent(key, x -> new Expected());
                final long time = Records.receiveTimeNs(buffer, offset);
                final int template = Records.templateId(buffer, offset);
                if (template == TradeDecoder.TEMPLATE_ID)
                {
                    trade.wrapAndApplyHeader(buffer, offset, header);
                    e.trade(time, trade.priceMantissa(), trade.sizeMantissa(), trade.aggressor());
                }
                else if (template == TopOfBookDecoder.TEMPLATE_ID)
                {
                    top.wrapAndApplyHeader(buffer, offset, header);
                    e.top(time, top.bidPrice(), top.askPrice());
                }
                else
                {
                    return;
                }
                if (emitted[0] == null)
                {
                    fail("no features after " + day + "/" + sequence);
                }
                check(emitted[0], e, time, day + "/" + sequence);
                checks[0]++;
            }))
            {
                // every record
            }
        }
        assertTrue(checks[0] > 200_000, "records checked: " + checks[0]);
        for (final FeatureEngine.Instrument instrument : engine.instruments())
        {
            assertEquals(0, instrument.droppedAtCeiling(), "nothing dropped at the ceiling");
        }
    }

    private static void check(final FeatureSet f, final Expected e, final long time, final String where)
    {
        assertEquals(0, f.flags(), where + ": no incomplete window");
        for (int w = 0; w < WINDOWS_MS.length; w++)
        {
            final long cutoff = time - WINDOWS_MS[w] * MS;
            final int from = Expected.firstAfter(e.tradeTimes, cutoff);
            final int to = e.tradeTimes.size();
            final int base = FeatureIds.WINDOW_BASE + FeatureIds.WINDOW_STRIDE * w;
            final String at = where + " window " + WINDOWS_MS[w] + " ms";
            assertValue(f, base + FeatureIds.TRADE_COUNT, BigDecimal.valueOf(to - from), at + " trades");
            final BigInteger volume = e.volume.get(to).subtract(e.volume.get(from));
            assertValue(f, base + FeatureIds.VOLUME, new BigDecimal(volume, -SIZE_EXPONENT), at + " volume");
            assertValue(f, base + FeatureIds.BUY_VOLUME, new BigDecimal(e.buy.get(to).subtract(e.buy.get(from)), -SIZE_EXPONENT),
                at + " buy volume");
            assertValue(f, base + FeatureIds.SELL_VOLUME, new BigDecimal(e.sell.get(to).subtract(e.sell.get(from)), -SIZE_EXPONENT),
                at + " sell volume");
            if (volume.signum() > 0)
            {
                final BigDecimal notional = new BigDecimal(e.notional.get(to).subtract(e.notional.get(from)), -PRICE_EXPONENT - SIZE_EXPONENT);
                final BigDecimal vwap = notional.divide(new BigDecimal(volume, -SIZE_EXPONENT), -PRICE_EXPONENT, RoundingMode.DOWN);
                assertValue(f, base + FeatureIds.VWAP, vwap, at + " vwap");
            }
            final int r0 = Expected.firstAfter(e.returnTimes, cutoff);
            final BigInteger squares = e.squares.get(e.returnTimes.size()).subtract(e.squares.get(r0));
            assertValue(f, base + FeatureIds.REALIZED_VOL, new BigDecimal(squares.sqrt(), 9), at + " realized volatility");
        }
    }

    private static void assertValue(final FeatureSet f, final int id, final BigDecimal expected, final String what)
    {
        final int i = f.indexOf(id);
        if (i < 0)
        {
            fail(what + ": missing, expected " + expected);
        }
        final BigDecimal actual = new BigDecimal(BigInteger.valueOf(f.mantissa(i)), -f.exponent(i));
        if (actual.compareTo(expected) != 0)
        {
            fail(what + ": expected " + expected.toPlainString() + " but was " + actual.toPlainString());
        }
    }
}
