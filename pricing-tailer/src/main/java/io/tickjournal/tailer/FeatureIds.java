package io.tickjournal.tailer;

/**
 * Feature ids in {@code FeatureSnapshot} records and listeners, with their exponent rules.
 * Per-window features are {@code WINDOW_BASE + WINDOW_STRIDE * windowIndex + offset}.
 */
public final class FeatureIds
{
    /** (bid + ask) / 2, exact: mantissa (bid + ask) * 5 at the price exponent - 1. */
    public static final int MID = 1;
    /** ask - bid at the price exponent. */
    public static final int SPREAD = 2;
    /** (bid * askSize + ask * bidSize) / (bidSize + askSize), truncated, at the price exponent. */
    public static final int MICROPRICE = 3;
    /** (sum bid sizes - sum ask sizes) / (sum of both) over the top N levels, exponent -6. */
    public static final int IMBALANCE = 4;
    public static final int BEST_BID = 5;
    public static final int BEST_ASK = 6;
    /** Cross-venue best bid of the canonical instrument, at the finest price exponent among its venues. */
    public static final int CROSS_BID = 50;
    public static final int CROSS_ASK = 51;
    public static final int CROSS_BID_VENUE = 52;
    public static final int CROSS_ASK_VENUE = 53;

    public static final int WINDOW_BASE = 100;
    public static final int WINDOW_STRIDE = 10;
    /** Order-flow imbalance (Cont, Kukanov, Stoikov) summed over the window, at the size exponent. */
    public static final int OFI = 0;
    /** (buy volume - sell volume) / (buy + sell) of trades in the window, exponent -6. */
    public static final int TFI = 1;
    /** Volume-weighted average trade price in the window, truncated, at the price exponent. */
    public static final int VWAP = 2;
    /** Square root of the sum of squared mid returns in the window, exponent -9. */
    public static final int REALIZED_VOL = 3;
    /** Trades in the window (prints of the venue's fill source only, see {@link FillSource}). */
    public static final int TRADE_COUNT = 4;
    public static final int VOLUME = 5;
    /** Volume of buyer-initiated trades in the window, at the size exponent. */
    public static final int BUY_VOLUME = 6;
    /** Volume of seller-initiated trades in the window, at the size exponent. */
    public static final int SELL_VOLUME = 7;
    /** The last per-window offset. */
    public static final int LAST_WINDOW_OFFSET = SELL_VOLUME;

    private FeatureIds()
    {
    }

    /**
     * A readable name.
     *
     * @param id      a feature id.
     * @param windows the engine's window lengths in ms.
     * @return e.g. {@code vwap_10000ms}.
     */
    public static String name(final int id, final long[] windows)
    {
        switch (id)
        {
            case MID: return "mid";
            case SPREAD: return "spread";
            case MICROPRICE: return "microprice";
            case IMBALANCE: return "imbalance";
            case BEST_BID: return "bid";
            case BEST_ASK: return "ask";
            case CROSS_BID: return "xbid";
            case CROSS_ASK: return "xask";
            case CROSS_BID_VENUE: return "xbid_venue";
            case CROSS_ASK_VENUE: return "xask_venue";
            default:
                break;
        }
        if (id >= WINDOW_BASE)
        {
            final int w = (id - WINDOW_BASE) / WINDOW_STRIDE;
            final int k = (id - WINDOW_BASE) % WINDOW_STRIDE;
            final String suffix = "_" + (w < windows.length ? windows[w] : -1) + "ms";
            switch (k)
            {
                case OFI: return "ofi" + suffix;
                case TFI: return "tfi" + suffix;
                case VWAP: return "vwap" + suffix;
                case REALIZED_VOL: return "rv" + suffix;
                case TRADE_COUNT: return "trades" + suffix;
                case VOLUME: return "volume" + suffix;
                case BUY_VOLUME: return "buy_volume" + suffix;
                case SELL_VOLUME: return "sell_volume" + suffix;
                default: break;
            }
        }
        return "f" + id;
    }
}
