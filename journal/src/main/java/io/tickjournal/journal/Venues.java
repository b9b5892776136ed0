package io.tickjournal.journal;

/**
 * Venue ids stamped into every record. Small integers, fixed forever: a journal written today
 * must decode the same way in ten years, so ids are never reused or renumbered.
 */
public final class Venues
{
    public static final int BINANCE_SPOT = 1;
    public static final int BINANCE_USDM = 2;
    public static final int BYBIT_SPOT = 3;
    public static final int BYBIT_LINEAR = 4;
    public static final int OKX_SPOT = 5;
    public static final int COINBASE = 6;
    public static final int BITHUMB = 7;
    public static final int UPBIT = 8;
    public static final int OKX_SWAP = 9;

    private static final String[] NAMES = {
        "unknown", "binance-spot", "binance-usdm", "bybit-spot", "bybit-linear", "okx-spot", "coinbase", "bithumb", "upbit",
        "okx-swap",
    };

    private Venues()
    {
    }

    /**
     * The name of a venue id.
     *
     * @param venueId an id.
     * @return its name, or {@code venue-<id>} when unknown.
     */
    public static String name(final int venueId)
    {
        return venueId > 0 && venueId < NAMES.length ? NAMES[venueId] : "venue-" + venueId;
    }

    /**
     * The id of a venue name.
     *
     * @param name e.g. {@code binance-spot}.
     * @return its id.
     * @throws IllegalArgumentException naming the known venues when the name is not one.
     */
    public static int id(final String name)
    {
        for (int i = 1; i < NAMES.length; i++)
        {
            if (NAMES[i].equals(name))
            {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown venue '" + name + "' (known: " +
            String.join(", ", java.util.Arrays.copyOfRange(NAMES, 1, NAMES.length)) + ")");
    }
}
