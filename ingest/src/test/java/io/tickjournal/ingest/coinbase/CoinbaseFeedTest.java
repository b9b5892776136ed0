package io.tickjournal.ingest.coinbase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickjournal.ingest.Channel;
import io.tickjournal.ingest.InstrumentSpec;
import io.tickjournal.ingest.VenueConnection;
import io.tickjournal.ingest.venue.ScriptedFeed;
import io.tickjournal.journal.sbe.BookSnapshotDecoder;
import io.tickjournal.journal.sbe.MarketKind;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.Side;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.tickjournal.ingest.venue.FixtureTree.decimal;
import static io.tickjournal.ingest.venue.FixtureTree.fixture;
import static io.tickjournal.ingest.venue.FixtureTree.mantissa;
import static io.tickjournal.ingest.venue.FixtureTree.text;
import static io.tickjournal.ingest.venue.FixtureTree.tree;
import static io.tickjournal.ingest.venue.FixtureTree.write;
import static io.tickjournal.ingest.venue.ScriptedFeed.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coinbase through the real session and handler into a real journal, the test playing the venue
 * with fixture-shaped messages: records carry the fixtures' numbers, a {@code sequence_num} break
 * rejoins only the books of its connection, the journal's book equals the venue's, a rotation
 * switches books at the replacement's snapshot and loses or repeats no trade.
 */
class CoinbaseFeedTest
{
    @TempDir
    Path dir;

    private ScriptedFeed feed;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    @AfterEach
    void close()
    {
        if (feed != null)
        {
            feed.close();
        }
    }

    private static InstrumentSpec usd(final int id, final String product)
    {
        return new InstrumentSpec(id, product, product, MarketKind.SPOT, -2, -8);
    }

    private ScriptedFeed start(final List<InstrumentSpec> instruments, final Set<Channel> channels, final int streamsPerConnection)
    {
        feed = new ScriptedFeed(dir, CoinbaseProtocol.venue(), instruments, channels,
            c -> ScriptedFeed.withLimits(c, streamsPerConnection, c.argsPerRequest()));
        feed.openAll();
        return feed;
    }

    /** The venue's side of one product's book, and the messages that tell it. */
    private static final class VenueBook
    {
        final String product;
        final TreeMap<BigDecimal, BigDecimal> bids = ScriptedFeed.side(true);
        final TreeMap<BigDecimal, BigDecimal> asks = ScriptedFeed.side(false);

        VenueBook(final String product)
        {
            this.product = product;
        }

        /** Apply levels {side, price, quantity} and return the update message carrying them. */
        String update(final long sequence, final String... levels)
        {
            final StringBuilder updates = new StringBuilder();
            for (int i = 0; i < levels.length; i += 3)
            {
                ScriptedFeed.set("bid".equals(levels[i]) ? bids : asks, new BigDecimal(levels[i + 1]), new BigDecimal(levels[i + 2]));
                updates.append(i == 0 ? "" : ",").append(level(levels[i], levels[i + 1], levels[i + 2], "2026-01-01T00:00:01.5Z"));
            }
            return l2(sequence, "update", product, updates.toString());
        }

        /** The venue's snapshot of the book now. */
        String snapshot(final long sequence)
        {
            final StringBuilder updates = new StringBuilder();
            bids.forEach((p, q) -> updates.append(updates.length() == 0 ? "" : ",")
                .append(level("bid", p.toPlainString(), q.toPlainString(), "1970-01-01T00:00:00Z")));
            asks.forEach((p, q) -> updates.append(updates.length() == 0 ? "" : ",")
                .append(level("offer", p.toPlainString(), q.toPlainString(), "1970-01-01T00:00:00Z")));
            return l2(sequence, "snapshot", product, updates.toString());
        }
    }

    private static String level(final String side, final String price, final String quantity, final String time)
    {
        return "{\"side\":\"" + side + "\",\"event_time\":\"" + time + "\",\"price_level\":\"" + price + "\",\"new_quantity\":\"" +
            quantity + "\"}";
    }

    private static String l2(final long sequence, final String type, final String product, final String updates)
    {
        return "{\"channel\":\"l2_data\",\"client_id\":\"\",\"timestamp\":\"2026-01-01T00:00:01.714964855Z\",\"sequence_num\":" +
            sequence + ",\"events\":[{\"type\":\"" + type + "\",\"product_id\":\"" + product + "\",\"updates\":[" + updates + "]}]}";
    }

    private static String trades(final long sequence, final String product, final long... ids)
    {
        final StringBuilder t = new StringBuilder();
        for (int i = ids.length - 1; i >= 0; i--)
        {
            // Newest first, as the venue batches them.
            t.append(t.length() == 0 ? "" : ",").append("{\"trade_id\":\"").append(ids[i]).append("\",\"product_id\":\"")
                .append(product).append("\",\"price\":\"21921.").append(ids[i] % 100).append("\",\"size\":\"0.00")
                .append(ids[i]).append("\",\"side\":\"SELL\",\"time\":\"2026-01-01T00:00:01.265Z\"}");
        }
        return "{\"channel\":\"market_trades\",\"client_id\":\"\",\"timestamp\":\"2026-01-01T00:00:01.39625135Z\"," +
            "\"sequence_num\":" + sequence + ",\"events\":[{\"type\":\"update\",\"trades\":[" + t + "]}]}";
    }

    private static String heartbeat(final long sequence)
    {
        return "{\"channel\":\"heartbeats\",\"client_id\":\"\",\"timestamp\":\"2026-01-01T00:00:01.122969572Z\"," +
            "\"sequence_num\":" + sequence + ",\"events\":[{\"current_time\":\"2026-01-01 00:00:01.121961769 +0000 UTC " +
            "m=+91717.525857105\",\"heartbeat_counter\":\"3049\"}]}";
    }

    private static long nanos(final String rfc3339)
    {
        final Instant instant = Instant.parse(rfc3339);
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static void assertSameBook(final VenueBook venue, final ScriptedFeed.Book book)
    {
        assertTrue(book.valid(), venue.product + " book valid");
        assertEquals(venue.bids, book.bids(), venue.product + " bids");
        assertEquals(venue.asks, book.asks(), venue.product + " asks");
    }

    @Test
    void theFixturesBecomeRecordsWithTheirExactNumbers()
    {
        start(List.of(usd(1, "BTC-USD"), usd(2, "ETH-USD")), EnumSet.of(Channel.TRADE, Channel.DEPTH), 300);
        final int c = feed.transport.connects.get(0);
        feed.frame(c, text("coinbase/l2_data_snapshot.json"));
        final ObjectNode trades = (ObjectNode)fixture("coinbase/market_trades_snapshot.json");
        trades.put("sequence_num", 1);
        feed.frame(c, write(trades));
        final ObjectNode heartbeats = (ObjectNode)fixture("coinbase/heartbeats.json");
        heartbeats.put("sequence_num", 2);
        feed.frame(c, write(heartbeats));
        assertEquals(0, feed.session.counters().malformed);

        final JsonNode l2 = fixture("coinbase/l2_data_snapshot.json");
        final List<UnsafeBuffer> snapshots = feed.records(BookSnapshotDecoder.TEMPLATE_ID);
        assertEquals(1, snapshots.size());
        final BookSnapshotDecoder snapshot = new BookSnapshotDecoder();
        snapshot.wrapAndApplyHeader(snapshots.get(0), 0, header);
        assertEquals(1, snapshot.instrumentId());
        assertEquals(nanos(l2.get("timestamp").asText()), snapshot.eventTimeNs());
        int i = 0;
        for (final BookSnapshotDecoder.BidsDecoder bid : snapshot.bids())
        {
            final JsonNode u = l2.get("events").get(0).get("updates").get(i++);
            assertEquals(mantissa(decimal(u.get("price_level")), -2), bid.price());
            assertEquals(mantissa(decimal(u.get("new_quantity")), -8), bid.size());
        }
        assertEquals(l2.get("events").get(0).get("updates").size(), i);

        final JsonNode t = trades.get("events").get(0).get("trades").get(0);
        final List<UnsafeBuffer> trade = feed.records(TradeDecoder.TEMPLATE_ID);
        assertEquals(1, trade.size());
        final TradeDecoder decoder = new TradeDecoder();
        decoder.wrapAndApplyHeader(trade.get(0), 0, header);
        assertEquals(2, decoder.instrumentId());
        assertEquals(mantissa(decimal(t.get("price")), -2), decoder.priceMantissa());
        assertEquals(mantissa(decimal(t.get("size")), -8), decoder.sizeMantissa());
        assertEquals(Long.parseLong(t.get("trade_id").asText()), decoder.venueSeq());
        assertEquals(nanos(t.get("time").asText()), decoder.tradeTimeNs());
        assertEquals(Side.SELL, decoder.aggressor(), "side BUY names the maker");
        assertTrue(feed.statuses(VenueStatusKind.GAP_DETECTED).isEmpty());
    }

    @Test
    void heartbeatsAreSubscribedFirstThenOneChannelPerMessageWithinTheRate()
    {
        start(List.of(usd(1, "BTC-USD"), usd(2, "ETH-USD"), usd(3, "SOL-USD")),
            EnumSet.of(Channel.TRADE, Channel.DEPTH, Channel.BOOK_TICKER), 300);
        final int c = feed.transport.connects.get(0);
        final List<String> sent = feed.sentOn(c);
        assertEquals(4, sent.size(), "4 a second: " + sent);
        assertEquals("heartbeats", tree(sent.get(0)).get("channel").asText());
        final String[] channels = {"market_trades", "level2", "ticker"};
        for (int i = 0; i < 3; i++)
        {
            final JsonNode request = tree(sent.get(i + 1));
            assertEquals("subscribe", request.get("type").asText());
            assertEquals(channels[i], request.get("channel").asText());
            assertEquals("[\"BTC-USD\",\"ETH-USD\",\"SOL-USD\"]", request.get("product_ids").toString());
        }
        assertEquals(VenueConnection.State.LIVE, feed.session.active(0).state(), "no acknowledgement awaited");
    }

    @Test
    void aSequenceBreakResubscribesOnlyTheBooksOfItsConnection()
    {
        // Four products, two books a connection: connection 1 feeds A and B, connection 2 feeds C and D.
        start(List.of(usd(1, "A-USD"), usd(2, "B-USD"), usd(3, "C-USD"), usd(4, "D-USD")), EnumSet.of(Channel.DEPTH), 2);
        final int c1 = feed.transport.connects.get(0);
        final int c2 = feed.transport.connects.get(1);
        final VenueBook[] books = {new VenueBook("A-USD"), new VenueBook("B-USD"), new VenueBook("C-USD"), new VenueBook("D-USD")};
        for (final VenueBook b : books)
        {
            b.update(0, "bid", "100.01", "1", "offer", "100.02", "2");
        }
        feed.frame(c1, heartbeat(0));
        feed.frame(c1, books[0].snapshot(1));
        feed.frame(c1, books[1].snapshot(2));
        feed.frame(c2, books[2].snapshot(0));
        feed.frame(c2, books[3].snapshot(1));
        final int sent1 = feed.sentOn(c1).size();
        final int sent2 = feed.sentOn(c2).size();

        // Connection 1 loses message 3.
        feed.frame(c1, books[0].update(4, "bid", "100.00", "5"));
        feed.frame(c2, books[2].update(2, "bid", "99.99", "3"));
        feed.frame(c1, books[1].update(5, "offer", "100.03", "1"));
        feed.advance(SECOND);

        final List<String> resent = feed.sentOn(c1).subList(sent1, feed.sentOn(c1).size());
        assertEquals(4, resent.size(), resent.toString());
        assertEquals("unsubscribe level2 [\"A-USD\"]", describe(resent.get(0)));
        assertEquals("subscribe level2 [\"A-USD\"]", describe(resent.get(1)));
        assertEquals("unsubscribe level2 [\"B-USD\"]", describe(resent.get(2)));
        assertEquals("subscribe level2 [\"B-USD\"]", describe(resent.get(3)));
        assertEquals(sent2, feed.sentOn(c2).size(), "the other connection's books go on");
        assertFalse(feed.handler.bookLive(0));
        assertFalse(feed.handler.bookLive(1));
        assertTrue(feed.handler.bookLive(2));
        assertTrue(feed.handler.bookLive(3));

        // The venue answers with new snapshots; the books are whole again.
        feed.frame(c1, books[0].snapshot(6));
        feed.frame(c1, books[1].snapshot(7));
        feed.frame(c1, books[0].update(8, "offer", "100.02", "0", "ask", "100.05", "0.5"));
        feed.frame(c2, books[3].update(3, "bid", "100.01", "0"));
        assertTrue(feed.handler.bookLive(0));

        final List<ScriptedFeed.Status> gaps = feed.statuses(VenueStatusKind.GAP_DETECTED);
        assertEquals(3, gaps.size(), gaps.toString());
        assertEquals(0, gaps.get(0).instrumentId(), "the lost message is journaled for the feed");
        assertEquals(c1, gaps.get(0).connectionId());
        assertEquals(3, gaps.get(0).expected());
        assertEquals(4, gaps.get(0).received());
        assertEquals(Set.of(1, 2), Set.of(gaps.get(1).instrumentId(), gaps.get(2).instrumentId()));
        final Map<Integer, ScriptedFeed.Book> rebuilt = feed.rebuiltBooks();
        for (int i = 0; i < 4; i++)
        {
            assertSameBook(books[i], rebuilt.get(i + 1));
        }
    }

    private static String describe(final String request)
    {
        final JsonNode r = tree(request);
        return r.get("type").asText() + " " + r.get("channel").asText() + " " + r.get("product_ids");
    }

    @Test
    void aSequenceBreakResubscribesTheBookStreamOnlyNotTradesOrTickers()
    {
        start(List.of(usd(1, "BTC-USD")), EnumSet.of(Channel.TRADE, Channel.DEPTH, Channel.BOOK_TICKER), 300);
        final int c = feed.transport.connects.get(0);
        final VenueBook book = new VenueBook("BTC-USD");
        book.update(0, "bid", "100.01", "1");
        feed.frame(c, book.snapshot(0));
        feed.frame(c, trades(1, "BTC-USD", 1, 2));
        final int sent = feed.sentOn(c).size();
        feed.frame(c, trades(3, "BTC-USD", 4));
        feed.advance(SECOND);
        final List<String> resent = feed.sentOn(c).subList(sent, feed.sentOn(c).size());
        assertEquals(List.of("unsubscribe level2 [\"BTC-USD\"]", "subscribe level2 [\"BTC-USD\"]"),
            resent.stream().map(CoinbaseFeedTest::describe).toList());
        // The lost message held trade 3: the rising trade ids name it too.
        final List<ScriptedFeed.Status> gaps = feed.statuses(VenueStatusKind.GAP_DETECTED);
        assertTrue(gaps.stream().anyMatch(g -> g.instrumentId() == 1 && g.expected() == 3 && g.received() == 4 &&
            g.detail().startsWith("trade ids 3..3")), gaps.toString());
    }

    @Test
    void theJournalsBookEqualsTheVenuesThroughUpdatesRemovalsAndAResync()
    {
        start(List.of(usd(1, "BTC-USD")), EnumSet.of(Channel.DEPTH), 300);
        final int c = feed.transport.connects.get(0);
        final VenueBook venue = new VenueBook("BTC-USD");
        final java.util.SplittableRandom random = new java.util.SplittableRandom(14);
        for (int i = 0; i < 20; i++)
        {
            venue.update(0, "bid", "21900." + (10 + i), "0.0" + (1 + i), "offer", "21950." + (10 + i), "1." + i);
        }
        long sequence = 0;
        feed.frame(c, venue.snapshot(sequence++));
        for (int n = 0; n < 300; n++)
        {
            final List<String> levels = new ArrayList<>();
            for (int k = 0; k < 1 + random.nextInt(4); k++)
            {
                final boolean bid = random.nextBoolean();
                final int cents = 10 + random.nextInt(40);
                final String quantity = random.nextInt(4) == 0 ? "0" : "0." + (1 + random.nextInt(99_999_999));
                levels.add(bid ? "bid" : random.nextBoolean() ? "offer" : "ask");
                levels.add((bid ? "21900." : "21950.") + cents);
                levels.add(quantity);
            }
            if (n == 150)
            {
                // A lost message: the venue's book moved and the feed never heard of it.
                venue.update(0, levels.toArray(new String[0]));
                sequence++;
                feed.frame(c, venue.update(sequence++, "bid", "21900.77", "7"));
                feed.advance(SECOND);
                assertEquals("subscribe level2 [\"BTC-USD\"]", describe(feed.sentOn(c).get(feed.sentOn(c).size() - 1)));
                feed.frame(c, venue.snapshot(sequence++));
                continue;
            }
            feed.frame(c, venue.update(sequence++, levels.toArray(new String[0])));
        }
        assertEquals(1, feed.session.counters().resyncs - 1, "joined once, resynced once");
        assertSameBook(venue, feed.rebuiltBooks().get(1));
    }

    @Test
    void aRotationSwitchesTheBookAtTheReplacementsSnapshotAndLosesOrRepeatsNoTrade()
    {
        feed = new ScriptedFeed(dir, CoinbaseProtocol.venue(), List.of(usd(1, "BTC-USD")), EnumSet.of(Channel.TRADE, Channel.DEPTH),
            c -> c.withTimers(3600 * SECOND, 120 * SECOND, 60 * SECOND, SECOND / 4, 5 * SECOND));
        feed.openAll();
        final int old = feed.transport.connects.get(0);
        final VenueBook venue = new VenueBook("BTC-USD");
        venue.update(0, "bid", "100.01", "1", "offer", "100.03", "1");
        feed.frame(old, venue.snapshot(0));
        feed.frame(old, trades(1, "BTC-USD", 1, 2, 3));
        feed.advance(61 * SECOND);
        assertEquals(2, feed.transport.connects.size(), "the replacement opens one margin before the age limit");
        final int replacement = feed.transport.connects.get(1);
        feed.session.onOpen(replacement, feed.clock.nanoTime());
        feed.advance(1);

        // Both connections deliver. The venue changes a level; the replacement's snapshot already holds it,
        // and the replacement also delivers the next change before the lagging old connection delivers the
        // first: a book fed by both would end on the stale size. Sequence numbers are each connection's own.
        feed.frame(old, venue.update(2, "bid", "100.02", "2"));
        feed.frame(old, trades(3, "BTC-USD", 4, 5));
        final String first = venue.update(4, "offer", "100.04", "2");
        feed.frame(replacement, venue.snapshot(0));
        feed.frame(replacement, venue.update(1, "offer", "100.04", "3", "offer", "100.03", "0"));
        feed.frame(old, first);
        feed.frame(replacement, trades(2, "BTC-USD", 4, 5, 6));
        feed.frame(old, trades(5, "BTC-USD", 6, 7));
        feed.advance(1);
        assertEquals(List.of(old), feed.transport.closes, "switched once the replacement delivered every stream");
        feed.session.onClosed(old, feed.clock.nanoTime(), "rotated");
        feed.frame(replacement, trades(3, "BTC-USD", 7, 8));
        feed.frame(replacement, venue.update(4, "bid", "100.01", "0"));

        final List<Long> ids = new ArrayList<>();
        final TradeDecoder trade = new TradeDecoder();
        for (final UnsafeBuffer r : feed.records(TradeDecoder.TEMPLATE_ID))
        {
            trade.wrapAndApplyHeader(r, 0, header);
            ids.add(trade.venueSeq());
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), ids, "each trade once, none lost");
        assertTrue(feed.statuses(VenueStatusKind.GAP_DETECTED).isEmpty(), feed.statuses().toString());
        assertSameBook(venue, feed.rebuiltBooks().get(1));
        assertEquals(1, feed.session.counters().rotations);
    }

    @Test
    void heartbeatsKeepAQuietConnectionOpenAndSilenceClosesIt()
    {
        start(List.of(usd(1, "BTC-USD")), EnumSet.of(Channel.DEPTH), 300);
        final int c = feed.transport.connects.get(0);
        assertEquals("heartbeats", tree(feed.sentOn(c).get(0)).get("channel").asText(), "the client's side of the keep-alive");
        for (int s = 0; s < 12; s++)
        {
            feed.advance(10 * SECOND);
            feed.frame(c, heartbeat(s));
        }
        assertTrue(feed.transport.closes.isEmpty(), "a heartbeat a second (here every 10 s) keeps it open for 2 minutes");
        assertEquals(0, feed.session.counters().records, "heartbeats journal nothing but their raw frames");
        assertEquals(0, feed.session.counters().malformed);
        feed.advance(feed.config.stallTimeoutNs() + 1);
        assertEquals(List.of(c), feed.transport.closes);
        assertEquals(1, feed.statuses(VenueStatusKind.STALE).size());
    }

    @Test
    void aMalformedFrameIsKeptRawSkippedAndCountsAsALostMessage()
    {
        start(List.of(usd(1, "BTC-USD")), EnumSet.of(Channel.DEPTH), 300);
        final int c = feed.transport.connects.get(0);
        final VenueBook venue = new VenueBook("BTC-USD");
        venue.update(0, "bid", "100.01", "1");
        feed.frame(c, venue.snapshot(0));
        final String truncated = venue.update(1, "bid", "100.02", "1");
        feed.frame(c, truncated.substring(0, truncated.length() - 9));
        feed.frame(c, "{\"channel\":\"l2_data\",\"sequence_num\":2,\"timestamp\":\"yesterday\",\"events\":[]}");
        feed.frame(c, venue.update(3, "bid", "100.03", "1"));
        assertEquals(2, feed.session.counters().malformed);
        final List<ScriptedFeed.Status> malformed = feed.statuses(VenueStatusKind.MALFORMED_FRAME);
        assertEquals(2, malformed.size());
        assertTrue(malformed.get(0).detail().startsWith("truncated JSON"), malformed.get(0).detail());
        assertTrue(malformed.get(1).detail().contains("field timestamp"), malformed.get(1).detail());
        final List<String> raw = feed.rawFrames();
        assertEquals(truncated.substring(0, truncated.length() - 9), raw.get(1), "the bad frame is kept raw, exactly");
        final List<ScriptedFeed.Status> gaps = feed.statuses(VenueStatusKind.GAP_DETECTED);
        assertEquals(1, gaps.get(0).expected());
        assertEquals(3, gaps.get(0).received(), "what the bad frames held is lost: the book rejoins");
        assertEquals(1, gaps.get(1).instrumentId());
    }

    @Test
    void anErrorAnswerIsJournaledAndTheConnectionGoesOn()
    {
        start(List.of(usd(1, "BTC-USD")), EnumSet.of(Channel.DEPTH), 300);
        final int c = feed.transport.connects.get(0);
        feed.frame(c, "{\"type\":\"error\",\"message\":\"failure to subscribe\"}");
        final VenueBook venue = new VenueBook("BTC-USD");
        venue.update(0, "bid", "100.01", "1");
        feed.frame(c, venue.snapshot(0));
        assertTrue(feed.transport.closes.isEmpty());
        assertEquals(1, feed.session.counters().errorResponses);
        final List<ScriptedFeed.Status> refused = feed.statuses(VenueStatusKind.SUBSCRIPTION_REFUSED);
        assertEquals(1, refused.size());
        assertTrue(refused.get(0).detail().contains("failure to subscribe"), refused.get(0).detail());
        assertSameBook(venue, feed.rebuiltBooks().get(1));
    }
}
