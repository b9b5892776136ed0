package io.tickjournal.ingest.upbit;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.venue.ScriptedFeed;
import io.tickjournal.ingest.venue.Venue;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.InstrumentDefinitionDecoder;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static io.tickjournal.ingest.venue.FixtureTree.decimal;
import static io.tickjournal.ingest.venue.FixtureTree.fixture;
import static io.tickjournal.ingest.venue.FixtureTree.mantissa;
import static io.tickjournal.ingest.venue.FixtureTree.text;
import static io.tickjournal.ingest.venue.FixtureTree.tree;
import static io.tickjournal.ingest.venue.ScriptedFeed.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Upbit protocol family (Upbit, Bithumb v2) through the real session and handler into a real
 * journal, the test playing the venue: fixtures to records with exact numbers, frames as UTF-8 bytes
 * (what a binary WebSocket frame hands over), one replacing subscription that always names every
 * instrument, the PING keep-alive and its answer, bad input, the journal's book equal to the venue's,
 * and a rotation that journals every trade once although its ids are not ordered.
 */
public abstract class UpbitFamilyFeedTest
{
    private static final int CHANNELS = Channel.values().length;

    @TempDir
    Path dir;

    protected ScriptedFeed feed;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    /** @return the venue under test. */
    protected abstract Venue venue();

    /** @return a real trade frame of the venue (fixture path). */
    protected abstract String tradeFixture();

    /** @return a real orderbook frame of the venue (fixture path). */
    protected abstract String bookFixture();

    @AfterEach
    void close()
    {
        if (feed != null)
        {
            feed.close();
        }
    }

    protected static InstrumentSpec krw(final int id, final String code)
    {
        // KRW prices are whole won at these prices: exponent 0, sizes to the satoshi.
        return new InstrumentSpec(id, code, code.substring(4) + "-KRW", MarketKind.SPOT, 0, -8);
    }

    private ScriptedFeed start(final List<InstrumentSpec> instruments)
    {
        feed = new ScriptedFeed(dir, venue(), instruments, EnumSet.of(Channel.TRADE, Channel.DEPTH),
            c -> ScriptedFeed.withLimits(c, c.streamsPerConnection(), 1));
        feed.openAll();
        return feed;
    }

    @Test
    void theFixturesBecomeRecordsWithTheirExactNumbers()
    {
        start(List.of(krw(1, "KRW-BTC")));
        final int c = feed.transport.connects.get(0);
        feed.frame(c, text(tradeFixture()));
        feed.frame(c, text(bookFixture()));
        assertEquals(0, feed.session.counters().malformed, feed.handler.lastError());

        final JsonNode trade = fixture(tradeFixture());
        final TradeDecoder t = new TradeDecoder();
        final List<UnsafeBuffer> trades = feed.records(TradeDecoder.TEMPLATE_ID);
        assertEquals(1, trades.size());
        t.wrapAndApplyHeader(trades.get(0), 0, header);
        assertEquals(mantissa(decimal(trade.get("trade_price")), 0), t.priceMantissa());
        assertEquals(mantissa(decimal(trade.get("trade_volume")), -8), t.sizeMantissa());
        assertEquals(new BigInteger(trade.get("sequential_id").asText()), BigInteger.valueOf(t.venueSeq()));

        final JsonNode book = fixture(bookFixture());
        final BookSnapshotDecoder s = new BookSnapshotDecoder();
        final List<UnsafeBuffer> books = feed.records(BookSnapshotDecoder.TEMPLATE_ID);
        assertEquals(1, books.size());
        s.wrapAndApplyHeader(books.get(0), 0, header);
        final List<long[]> bids = new ArrayList<>();
        for (final BookSnapshotDecoder.BidsDecoder b : s.bids())
        {
            bids.add(new long[] {b.price(), b.size()});
        }
        final List<long[]> asks = new ArrayList<>();
        for (final BookSnapshotDecoder.AsksDecoder a : s.asks())
        {
            asks.add(new long[] {a.price(), a.size()});
        }
        final JsonNode units = book.get("orderbook_units");
        assertEquals(units.size(), asks.size());
        assertEquals(units.size(), bids.size());
        for (int i = 0; i < units.size(); i++)
        {
            assertEquals(mantissa(decimal(units.get(i).get("ask_price")), 0), asks.get(i)[0]);
            assertEquals(mantissa(decimal(units.get(i).get("ask_size")), -8), asks.get(i)[1]);
            assertEquals(mantissa(decimal(units.get(i).get("bid_price")), 0), bids.get(i)[0]);
            assertEquals(mantissa(decimal(units.get(i).get("bid_size")), -8), bids.get(i)[1]);
        }
        assertEquals(1, feed.statuses(VenueStatusKind.RESYNCED).size(), "the first whole book makes the book live");
    }

    @Test
    void framesAreUtf8BytesWhetherTextOrBinaryAndAreKeptRawExactly()
    {
        start(List.of(krw(1, "KRW-BTC")));
        final int c = feed.transport.connects.get(0);
        final byte[] trade = text(tradeFixture()).getBytes(StandardCharsets.UTF_8);
        feed.bytes(c, trade);
        final byte[] korean = "{\"error\":{\"name\":\"INVALID_PARAM\",\"message\":\"잘못된 요청입니다.\"}}".getBytes(StandardCharsets.UTF_8);
        feed.bytes(c, korean);
        assertEquals(1, feed.session.counters().trades);
        assertEquals(0, feed.session.counters().malformed);
        final List<String> raw = feed.rawFrames();
        assertEquals(new String(trade, StandardCharsets.UTF_8), raw.get(0));
        assertEquals(new String(korean, StandardCharsets.UTF_8), raw.get(1));
        final List<ScriptedFeed.Status> refused = feed.statuses(VenueStatusKind.SUBSCRIPTION_REFUSED);
        assertEquals(1, refused.size());
        assertTrue(refused.get(0).detail().contains("INVALID_PARAM"), refused.get(0).detail());
    }

    private static Set<String> codes(final String request, final String type)
    {
        final Set<String> codes = new HashSet<>();
        for (final JsonNode part : tree(request))
        {
            if (part.has("type") && type.equals(part.get("type").asText()))
            {
                part.get("codes").forEach(code -> codes.add(code.asText()));
            }
        }
        return codes;
    }

    /** The orderbook part of a request: {@code {"type":"orderbook","codes":[..](,"level":..)}}. */
    private static JsonNode orderbookPart(final String request)
    {
        for (final JsonNode part : tree(request))
        {
            if ("orderbook".equals(part.path("type").asText()))
            {
                return part;
            }
        }
        throw new AssertionError("no orderbook part in " + request);
    }

    /** Each journaled definition's price grouping as a decimal (null: the record says none). */
    private List<BigDecimal> journaledGroupings()
    {
        final List<BigDecimal> groupings = new ArrayList<>();
        final InstrumentDefinitionDecoder d = new InstrumentDefinitionDecoder();
        for (final UnsafeBuffer record : feed.records(InstrumentDefinitionDecoder.TEMPLATE_ID))
        {
            d.wrapAndApplyHeader(record, 0, header);
            final long grouping = d.priceGrouping();
            groupings.add(grouping == 0 ? null : BigDecimal.valueOf(grouping, -d.priceExponent()));
        }
        return groupings;
    }

    private List<Integer> journaledDepths()
    {
        final List<Integer> depths = new ArrayList<>();
        final InstrumentDefinitionDecoder d = new InstrumentDefinitionDecoder();
        for (final UnsafeBuffer record : feed.records(InstrumentDefinitionDecoder.TEMPLATE_ID))
        {
            d.wrapAndApplyHeader(record, 0, header);
            depths.add(d.bookDepth());
        }
        return depths;
    }

    /** The units each code asks for are journaled in its instrument's definition: 15 by default, else the configured ones. */
    @Test
    void theOrderbookUnitsAskedForAreJournaledInEveryDefinition()
    {
        start(List.of(krw(1, "KRW-BTC"), krw(2, "KRW-ETH").withBookDepth(30)));
        assertEquals(Set.of("KRW-BTC.15", "KRW-ETH.30"), codes(feed.sentOn(feed.transport.connects.get(0)).get(0), "orderbook"));
        assertEquals(List.of(15, 30), journaledDepths());
    }

    @Test
    void aConfiguredPriceGroupingIsSentAsTheOrderbookLevelAndJournaledInEveryDefinition()
    {
        // 10,000 won (mantissa 10000 at exponent 0) and 0.5 won expressed at exponent -1 (mantissa 5).
        final List<InstrumentSpec> instruments = List.of(krw(1, "KRW-BTC").withPriceGrouping(10_000),
            new InstrumentSpec(2, "KRW-ETH", "ETH-KRW", MarketKind.SPOT, -1, -8, 100_000, 0));
        start(instruments);
        final List<String> sent = feed.sentOn(feed.transport.connects.get(0));
        assertEquals(1, sent.size());
        final JsonNode orderbook = orderbookPart(sent.get(0));
        // The shape Bithumb's fixture documents: type, codes, level (a JSON number).
        final JsonNode documented = orderbookPart(text("bithumb/v2_subscribe_orderbook_request.json"));
        assertEquals(fieldNames(documented), fieldNames(orderbook), sent.get(0));
        assertTrue(orderbook.get("level").isNumber(), sent.get(0));
        assertEquals(0, new BigDecimal("10000").compareTo(orderbook.get("level").decimalValue()), sent.get(0));
        assertEquals(Set.of("KRW-BTC.15", "KRW-ETH.15"), codes(sent.get(0), "orderbook"));
        assertTrue(!tree(sent.get(0)).get(1).has("level"), "the level belongs to the orderbook part only: " + sent.get(0));

        final List<BigDecimal> groupings = journaledGroupings();
        assertEquals(2, groupings.size(), "one definition per instrument");
        for (final BigDecimal grouping : groupings)
        {
            assertEquals(0, new BigDecimal("10000").compareTo(grouping), "the definition says the book is grouped: " + grouping);
        }
    }

    @Test
    void withoutAPriceGroupingTheRequestHasNoLevelAndTheDefinitionsSayNone()
    {
        start(List.of(krw(1, "KRW-BTC"), krw(2, "KRW-ETH")));
        final List<String> sent = feed.sentOn(feed.transport.connects.get(0));
        final JsonNode orderbook = orderbookPart(sent.get(0));
        assertEquals(Set.of("type", "codes"), fieldNames(orderbook), sent.get(0));
        final com.fasterxml.jackson.databind.node.ArrayNode request = (com.fasterxml.jackson.databind.node.ArrayNode)tree(sent.get(0));
        request.remove(0); // the ticket
        assertEquals(tree("[{\"type\":\"trade\",\"codes\":[\"KRW-BTC\",\"KRW-ETH\"]}," +
            "{\"type\":\"orderbook\",\"codes\":[\"KRW-BTC.15\",\"KRW-ETH.15\"]},{\"format\":\"SIMPLE\"}]"), request,
            "the request as before price grouping existed, the orderbook codes asking for the feed's default 15 units");
        final List<BigDecimal> groupings = journaledGroupings();
        assertEquals(2, groupings.size());
        assertTrue(groupings.stream().allMatch(g -> g == null), groupings.toString());
    }

    @Test
    void instrumentsOfOneFeedWithDifferentGroupingsAreRefused()
    {
        final IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> start(List.of(krw(1, "KRW-BTC").withPriceGrouping(10_000), krw(2, "KRW-ETH").withPriceGrouping(1_000))));
        assertTrue(refused.getMessage().contains("one orderbook level for a whole feed"), refused.getMessage());
    }

    private static Set<String> fieldNames(final JsonNode node)
    {
        final Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void everySubscriptionMessageNamesEveryInstrumentBecauseEachReplacesTheLast()
    {
        start(List.of(krw(1, "KRW-BTC"), krw(2, "KRW-ETH"), krw(3, "KRW-XRP")));
        final Set<String> all = Set.of("KRW-BTC", "KRW-ETH", "KRW-XRP");
        final int c = feed.transport.connects.get(0);
        assertEquals(1, feed.sentOn(c).size(), "one message although a request may carry one argument");
        // A change (here a book stream asked again) resends the whole list, never only the changed stream.
        feed.session.resubscribe(CHANNELS + Channel.DEPTH.ordinal(), feed.clock.nanoTime());
        feed.advance(SECOND);
        assertEquals(2, feed.sentOn(c).size());
        // A new connection (after a drop) subscribes the whole list again.
        feed.session.onClosed(c, feed.clock.nanoTime(), "dropped");
        feed.advance(6 * SECOND);
        final int next = feed.transport.connects.get(1);
        feed.session.onOpen(next, feed.clock.nanoTime());
        final List<String> messages = new ArrayList<>(feed.sentOn(c));
        messages.addAll(feed.sentOn(next));
        assertEquals(3, messages.size(), messages.toString());
        for (final String message : messages)
        {
            assertEquals(all, codes(message, "trade"), message);
            assertEquals(Set.of("KRW-BTC.15", "KRW-ETH.15", "KRW-XRP.15"), codes(message, "orderbook"), message);
        }
    }

    @Test
    void thePingKeepaliveGoesOutAndTheStatusAnswerKeepsTheConnection()
    {
        start(List.of(krw(1, "KRW-BTC")));
        final int c = feed.transport.connects.get(0);
        for (int s = 0; s < 12; s++)
        {
            feed.advance(10 * SECOND);
            feed.frame(c, text("upbit/status_up.json"));
        }
        final long pings = feed.sentOn(c).stream().filter("PING"::equals).count();
        assertEquals(4, pings, "a PING every 30 s for 2 minutes: " + feed.sentOn(c));
        assertTrue(feed.transport.closes.isEmpty());
        assertEquals(0, feed.session.counters().malformed);
        assertEquals(0, feed.session.counters().records);
        feed.advance(feed.config.stallTimeoutNs() + 1);
        assertEquals(List.of(c), feed.transport.closes, "silence closes it");
    }

    @Test
    void aMalformedFrameIsJournaledNamedAndKeptRawAndTheFeedGoesOn()
    {
        start(List.of(krw(1, "KRW-BTC")));
        final int c = feed.transport.connects.get(0);
        final String trade = text(tradeFixture());
        feed.frame(c, trade.substring(0, trade.length() / 2));
        feed.frame(c, trade.replace("\"trade_volume\"", "\"trade_volume\": \"x\", \"ignored\""));
        feed.frame(c, trade);
        assertEquals(2, feed.session.counters().malformed);
        assertEquals(1, feed.session.counters().trades);
        final List<ScriptedFeed.Status> malformed = feed.statuses(VenueStatusKind.MALFORMED_FRAME);
        assertEquals(2, malformed.size());
        assertTrue(malformed.get(0).detail().startsWith("truncated JSON"), malformed.get(0).detail());
        assertTrue(malformed.get(1).detail().contains("trade_volume"), malformed.get(1).detail());
        assertEquals(trade.substring(0, trade.length() / 2), feed.rawFrames().get(0));
    }

    /** A venue book frame with random units, numbers spelled as the venue does (exponent forms included). */
    private static String book(final String code, final SplittableRandom random, final TreeMap<BigDecimal, BigDecimal> bids,
        final TreeMap<BigDecimal, BigDecimal> asks)
    {
        bids.clear();
        asks.clear();
        final StringBuilder units = new StringBuilder();
        final int depth = 1 + random.nextInt(15);
        final long mid = 116_538_000L + random.nextInt(200) * 1000L;
        for (int i = 0; i < 15; i++)
        {
            final boolean padded = i >= depth;
            final BigDecimal ask = padded ? BigDecimal.ZERO : BigDecimal.valueOf(mid + 1000L * (i + 1));
            final BigDecimal bid = padded ? BigDecimal.ZERO : BigDecimal.valueOf(mid - 1000L * i);
            final BigDecimal askSize = padded ? BigDecimal.ZERO : BigDecimal.valueOf(1 + random.nextInt(99_999_999), 8);
            final BigDecimal bidSize = padded ? BigDecimal.ZERO : BigDecimal.valueOf(1 + random.nextInt(9_999), 7);
            if (!padded)
            {
                ScriptedFeed.set(asks, ask, askSize);
                ScriptedFeed.set(bids, bid, bidSize);
            }
            units.append(i == 0 ? "" : ",").append("{\"ask_price\":").append(spell(ask, random)).append(",\"bid_price\":")
                .append(spell(bid, random)).append(",\"ask_size\":").append(spell(askSize, random)).append(",\"bid_size\":")
                .append(spell(bidSize, random)).append('}');
        }
        return "{\"type\":\"orderbook\",\"code\":\"" + code + "\",\"timestamp\":1790134743006,\"total_ask_size\":1.8360425," +
            "\"total_bid_size\":1.62306717,\"orderbook_units\":[" + units + "],\"stream_type\":\"REALTIME\",\"level\":0}";
    }

    /** As a JSON double prints it sometimes ({@code 1.16539E8}, {@code 7.9276E-4}), plain otherwise. */
    private static String spell(final BigDecimal value, final SplittableRandom random)
    {
        if (value.signum() == 0)
        {
            return random.nextBoolean() ? "0" : "0.0";
        }
        if (random.nextBoolean())
        {
            final BigDecimal unscaled = value.stripTrailingZeros();
            final int exponent = unscaled.precision() - unscaled.scale() - 1;
            return unscaled.movePointLeft(exponent).toPlainString() + "E" + exponent;
        }
        return value.toPlainString();
    }

    @Test
    void theJournalsBookEqualsTheVenuesLastWholeBook()
    {
        start(List.of(krw(1, "KRW-BTC"), krw(2, "KRW-ETH")));
        final int c = feed.transport.connects.get(0);
        final SplittableRandom random = new SplittableRandom(8);
        final TreeMap<BigDecimal, BigDecimal> bids = ScriptedFeed.side(true);
        final TreeMap<BigDecimal, BigDecimal> asks = ScriptedFeed.side(false);
        final TreeMap<BigDecimal, BigDecimal> ethBids = ScriptedFeed.side(true);
        final TreeMap<BigDecimal, BigDecimal> ethAsks = ScriptedFeed.side(false);
        for (int n = 0; n < 200; n++)
        {
            feed.frame(c, book("KRW-BTC", random, bids, asks));
            if (n % 3 == 0)
            {
                feed.bytes(c, book("KRW-ETH", random, ethBids, ethAsks).getBytes(StandardCharsets.UTF_8));
            }
        }
        assertEquals(0, feed.session.counters().malformed, feed.handler.lastError());
        final ScriptedFeed.Book btc = feed.rebuiltBooks().get(1);
        assertEquals(bids, btc.bids());
        assertEquals(asks, btc.asks());
        final ScriptedFeed.Book eth = feed.rebuiltBooks().get(2);
        assertEquals(ethBids, eth.bids());
        assertEquals(ethAsks, eth.asks());
        assertTrue(feed.statuses(VenueStatusKind.GAP_DETECTED).isEmpty());
    }

    private static String trade(final String code, final long sequentialId)
    {
        return "{\"type\":\"trade\",\"code\":\"" + code + "\",\"timestamp\":1730336862082,\"trade_date\":\"2024-10-31\"," +
            "\"trade_time\":\"01:07:42\",\"trade_timestamp\":1730336862047,\"trade_price\":1.00473E8,\"trade_volume\":1.4208E-4," +
            "\"ask_bid\":\"BID\",\"sequential_id\":" + sequentialId + ",\"stream_type\":\"REALTIME\"}";
    }

    @Test
    void aRotationJournalsEveryTradeOnceThoughIdsAreNotOrdered()
    {
        feed = new ScriptedFeed(dir, venue(), List.of(krw(1, "KRW-BTC")), EnumSet.of(Channel.TRADE, Channel.DEPTH),
            c -> c.withTimers(3600 * SECOND, 120 * SECOND, 60 * SECOND, SECOND / 4, 5 * SECOND));
        feed.openAll();
        final int old = feed.transport.connects.get(0);
        final SplittableRandom random = new SplittableRandom(53);
        final List<Long> venueIds = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            // Unique, unordered, above 2^53.
            venueIds.add(17_303_368_620_470_001L + random.nextLong(1L << 40));
        }
        for (int i = 0; i < 15; i++)
        {
            feed.frame(old, trade("KRW-BTC", venueIds.get(i)));
        }
        feed.advance(61 * SECOND);
        final int replacement = feed.transport.connects.get(1);
        feed.session.onOpen(replacement, feed.clock.nanoTime());
        // Overlap: both deliver trades 15..29 (in different orders), the old one stops at 29.
        for (int i = 15; i < 30; i++)
        {
            feed.frame(replacement, trade("KRW-BTC", venueIds.get(44 - i)));
            feed.frame(old, trade("KRW-BTC", venueIds.get(i)));
        }
        feed.frame(replacement, text(bookFixture()));
        feed.advance(1);
        assertEquals(List.of(old), feed.transport.closes, "switched once the replacement delivered every stream");
        for (int i = 30; i < 40; i++)
        {
            feed.frame(replacement, trade("KRW-BTC", venueIds.get(i)));
        }
        final TradeDecoder t = new TradeDecoder();
        final List<Long> journaled = new ArrayList<>();
        for (final UnsafeBuffer r : feed.records(TradeDecoder.TEMPLATE_ID))
        {
            t.wrapAndApplyHeader(r, 0, header);
            journaled.add(t.venueSeq());
        }
        assertEquals(new HashSet<>(venueIds), new HashSet<>(journaled), "none lost");
        assertEquals(venueIds.size(), journaled.size(), "none repeated");
        assertEquals(15, feed.session.counters().duplicates);
        assertTrue(feed.statuses(VenueStatusKind.GAP_DETECTED).isEmpty(), "unordered ids show no gap");
    }
}
