package io.tickjournal.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench parse} measures a Binance depth frame with as many levels as a whole KRW book beside
 * the 10-a-side one, and prints each venue's p50 per frame against both.
 */
class ParseBenchTest
{
    private static final Pattern P50 = Pattern.compile("^(\\S.*?)\\s+[\\d,]+ frames.*\\R\\s+per frame p50 ([\\d.]+) us", Pattern.MULTILINE);
    private static final Pattern RATIO = Pattern.compile(
        "^(\\S.*?)\\s+p50 ([\\d.]+) us\\s+([\\d.]+)x Binance's (trade|10-a-side depth)" +
        "(?:\\s+([\\d.]+)x Binance's depth of equal levels \\((\\d+)\\))?$", Pattern.MULTILINE);
    private static final Pattern MEDIAN = Pattern.compile(
        "^(\\S.*?)\\s+p50 \\S+ us\\s+median\\s+([\\d.]+)x Binance's (?:trade|10-a-side depth) \\(([\\d.]+)-([\\d.]+)\\)$", Pattern.MULTILINE);

    @Test
    void theReferenceDepthFrameIsABinanceDiffWithThirtyLevelsASide() throws Exception
    {
        final JsonNode frame = new ObjectMapper().readTree(
            ParseBench.binanceDepth(new SplittableRandom(1), "1000000000001", 30));
        assertEquals("btcusdt@depth@100ms", frame.get("stream").asText());
        final JsonNode data = frame.get("data");
        assertEquals("depthUpdate", data.get("e").asText());
        assertEquals("BTCUSDT", data.get("s").asText());
        assertEquals(1000000000001L, data.get("U").asLong());
        assertEquals(1000000000001L, data.get("u").asLong());
        for (final String side : new String[] {"b", "a"})
        {
            assertEquals(30, data.get(side).size(), side);
            for (final JsonNode level : data.get(side))
            {
                assertEquals(2, level.size());
                assertTrue(level.get(0).isTextual() && level.get(1).isTextual(), level.toString());
                assertTrue(new BigDecimal(level.get(0).asText()).signum() > 0, level.toString());
                assertTrue(new BigDecimal(level.get(1).asText()).signum() > 0, level.toString());
            }
        }
    }

    @Test
    void everyKrwBookIsComparedWithBinancesTenASideAndItsEqualLevelsDepthFrame()
    {
        final Cli cli = Cli.run("bench", "parse", "--venues", "binance-spot,upbit", "--trades", "3000", "--depths", "3000");
        assertEquals(0, cli.exit, cli.toString());
        final Map<String, Double> p50 = new HashMap<>();
        final Matcher pass = P50.matcher(cli.out);
        while (pass.find())
        {
            p50.put(pass.group(1).trim(), Double.parseDouble(pass.group(2)));
        }
        assertTrue(p50.containsKey("binance-spot depth (10 a side) +pretouch"), cli.toString());
        assertTrue(p50.containsKey("binance-spot depth (15 a side) +pretouch"), cli.toString());
        assertTrue(p50.containsKey("upbit book (15 units, SIMPLE) +pretouch"), cli.toString());
        assertTrue(cli.out.contains("per level") && cli.out.contains("(30 levels)"), cli.toString());

        final Set<String> ratios = new HashSet<>();
        final Matcher ratio = RATIO.matcher(cli.out);
        while (ratio.find())
        {
            final String label = ratio.group(1).trim();
            ratios.add(label);
            final double expected = p50.get(label) / p50.get(label.contains("trade") ?
                "binance-spot trade +pretouch" : "binance-spot depth (10 a side) +pretouch");
            // The bench divides nanoseconds; the printed microseconds are rounded: allow for it.
            assertEquals(expected, Double.parseDouble(ratio.group(3)), 0.05 * expected + 0.02, label);
            if (label.equals("upbit book (15 units, SIMPLE) +pretouch"))
            {
                assertEquals("30", ratio.group(6), cli.out);
                final double equal = p50.get(label) / p50.get("binance-spot depth (15 a side) +pretouch");
                assertEquals(equal, Double.parseDouble(ratio.group(5)), 0.05 * equal + 0.02, label);
            }
        }
        assertTrue(ratios.contains("upbit book (15 units, SIMPLE) +pretouch"), cli.out);
        assertTrue(ratios.contains("upbit trade (SIMPLE) +pretouch"), cli.out);
        assertEquals(5, ratios.size(), "binance trade, both binance depths, upbit trade and book: " + cli.out);
    }

    @Test
    void roundsPrintEachRoundsRatiosAndTheirMedian()
    {
        final Cli cli = Cli.run("bench", "parse", "--venues", "binance-spot,coinbase", "--trades", "2000", "--depths", "2000",
            "--rounds", "3");
        assertEquals(0, cli.exit, cli.toString());
        final Map<String, List<Double>> perRound = new HashMap<>();
        final Matcher ratio = RATIO.matcher(cli.out);
        while (ratio.find())
        {
            perRound.computeIfAbsent(ratio.group(1).trim(), k -> new ArrayList<>()).add(Double.parseDouble(ratio.group(3)));
        }
        assertEquals(3, perRound.get("coinbase depth (10 a side) +pretouch").size(), cli.out);
        final Matcher median = MEDIAN.matcher(cli.out);
        int medians = 0;
        while (median.find())
        {
            final List<Double> rounds = new ArrayList<>(perRound.get(median.group(1).trim()));
            Collections.sort(rounds);
            // The printed per-round ratios are rounded to two places: the middle one is the median.
            assertEquals(rounds.get(1), Double.parseDouble(median.group(2)), 0.011, median.group());
            assertEquals(rounds.get(0), Double.parseDouble(median.group(3)), 0.011, median.group());
            assertEquals(rounds.get(2), Double.parseDouble(median.group(4)), 0.011, median.group());
            medians++;
        }
        assertEquals(4, medians, "binance and coinbase, trade and depth: " + cli.out);
    }
}
