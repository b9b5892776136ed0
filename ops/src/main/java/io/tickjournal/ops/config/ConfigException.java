package io.tickjournal.ops.config;

/** A configuration value that cannot be used: names the key, the value and the reason. */
public final class ConfigException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param key    the key path, e.g. {@code venues[0].instruments[1].priceExponent}.
     * @param value  the offending value as written (or null when missing).
     * @param reason why it is refused.
     */
    public ConfigException(final String key, final Object value, final String reason)
    {
        super(key + (value == null ? "" : " = '" + value + "'") + ": " + reason);
    }
}
