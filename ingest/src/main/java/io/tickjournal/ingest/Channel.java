package io.tickjournal.ingest;

/** A kind of market-data stream a feed subscribes to per instrument. */
public enum Channel
{
    TRADE,
    AGG_TRADE,
    DEPTH,
    BOOK_TICKER,
    MARK_PRICE;

    private static final Channel[] VALUES = values();

    /**
     * @param ordinal an ordinal.
     * @return the channel.
     */
    public static Channel of(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * Parse a config name such as {@code aggTrade} or {@code AGG_TRADE}.
     *
     * @param text the name.
     * @return the channel.
     * @throws IllegalArgumentException naming the known channels.
     */
    public static Channel parse(final String text)
    {
        final String normalized = text.replace("-", "_").replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
        for (final Channel channel : VALUES)
        {
            if (channel.name().equals(normalized))
            {
                return channel;
            }
        }
        throw new IllegalArgumentException("unknown channel '" + text + "' (known: trade, aggTrade, depth, bookTicker, markPrice)");
    }
}
