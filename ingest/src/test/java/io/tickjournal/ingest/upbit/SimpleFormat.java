package io.tickjournal.ingest.upbit;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Upbit family's {@code SIMPLE} object format for tests: the abbreviations both venues document
 * for the keys of trade and orderbook frames (the "축약형" columns of Upbit's trade and orderbook pages
 * and of Bithumb's v2.1.4/v2.1.5 orderbook page), and a frame rewritten into it with its values
 * left exactly as they are.
 */
public final class SimpleFormat
{
    /** Documented name to its abbreviation, for every key the fixtures and the simulator's frames hold. */
    public static final Map<String, String> ABBREVIATIONS = Map.ofEntries(
        Map.entry("type", "ty"), Map.entry("code", "cd"), Map.entry("timestamp", "tms"),
        Map.entry("trade_date", "td"), Map.entry("trade_time", "ttm"), Map.entry("trade_timestamp", "ttms"),
        Map.entry("trade_price", "tp"), Map.entry("trade_volume", "tv"), Map.entry("ask_bid", "ab"),
        Map.entry("prev_closing_price", "pcp"), Map.entry("change", "c"), Map.entry("change_price", "cp"),
        Map.entry("sequential_id", "sid"), Map.entry("best_ask_price", "bap"), Map.entry("best_ask_size", "bas"),
        Map.entry("best_bid_price", "bbp"), Map.entry("best_bid_size", "bbs"), Map.entry("stream_type", "st"),
        Map.entry("total_ask_size", "tas"), Map.entry("total_bid_size", "tbs"), Map.entry("orderbook_units", "obu"),
        Map.entry("ask_price", "ap"), Map.entry("bid_price", "bp"), Map.entry("ask_size", "as"), Map.entry("bid_size", "bs"),
        Map.entry("level", "lv"));

    /** Abbreviation to its documented name. */
    public static final Map<String, String> NAMES = inverse();

    private static final Pattern KEY = Pattern.compile("\"([a-z_]+)\"(\\s*):");

    private SimpleFormat()
    {
    }

    private static Map<String, String> inverse()
    {
        final Map<String, String> names = new HashMap<>();
        ABBREVIATIONS.forEach((name, abbreviation) -> names.put(abbreviation, name));
        return Map.copyOf(names);
    }

    /**
     * @param text a frame in the DEFAULT format.
     * @return the frame with every key abbreviated; fails on a key the table does not know, so no key is left in DEFAULT.
     */
    public static String of(final String text)
    {
        final Matcher keys = KEY.matcher(text);
        final StringBuilder out = new StringBuilder(text.length());
        while (keys.find())
        {
            final String abbreviation = ABBREVIATIONS.get(keys.group(1));
            assertTrue(abbreviation != null, "no documented abbreviation for " + keys.group(1));
            keys.appendReplacement(out, "\"" + abbreviation + "\"" + keys.group(2) + ":");
        }
        keys.appendTail(out);
        return out.toString();
    }
}
