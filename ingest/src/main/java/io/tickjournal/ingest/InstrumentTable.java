package io.tickjournal.ingest;

import java.util.List;

/**
 * The instruments of one feed, looked up by the venue symbol's characters without allocating;
 * exact, or case-insensitive ASCII where the venue's protocol says so (a venue whose stream names
 * are lower case and payloads upper case).
 */
public final class InstrumentTable
{
    private final InstrumentSpec[] specs;
    private final char[][] upper;
    private final boolean caseInsensitive;

    /**
     * @param specs the feed's instruments; symbols must be distinct.
     */
    public InstrumentTable(final List<InstrumentSpec> specs)
    {
        this(specs, false);
    }

    /**
     * @param specs           the feed's instruments; symbols must be distinct.
     * @param caseInsensitive whether symbols compare ignoring ASCII case.
     */
    public InstrumentTable(final List<InstrumentSpec> specs, final boolean caseInsensitive)
    {
        this.caseInsensitive = caseInsensitive;
        this.specs = specs.toArray(new InstrumentSpec[0]);
        this.upper = new char[this.specs.length][];
        for (int i = 0; i < this.specs.length; i++)
        {
            final String symbol = this.specs[i].venueSymbol();
            upper[i] = (caseInsensitive ? symbol.toUpperCase(java.util.Locale.ROOT) : symbol).toCharArray();
            for (int j = 0; j < i; j++)
            {
                if (java.util.Arrays.equals(upper[i], upper[j]))
                {
                    throw new IllegalArgumentException("symbol " + this.specs[i].venueSymbol() + " is configured twice");
                }
                if (this.specs[i].instrumentId() == this.specs[j].instrumentId())
                {
                    throw new IllegalArgumentException("instrumentId " + this.specs[i].instrumentId() + " is used by " +
                        this.specs[j].venueSymbol() + " and " + this.specs[i].venueSymbol());
                }
            }
        }
    }

    /** @return how many instruments. */
    public int size()
    {
        return specs.length;
    }

    /**
     * @param index 0..size-1.
     * @return the instrument.
     */
    public InstrumentSpec get(final int index)
    {
        return specs[index];
    }

    /**
     * Find an instrument by symbol characters.
     *
     * @param chars  the symbol.
     * @param offset first character.
     * @param length character count.
     * @return its index, or -1.
     */
    public int indexOf(final char[] chars, final int offset, final int length)
    {
        for (int i = 0; i < upper.length; i++)
        {
            final char[] candidate = upper[i];
            if (candidate.length != length)
            {
                continue;
            }
            boolean same = true;
            for (int k = 0; k < length; k++)
            {
                char c = chars[offset + k];
                if (caseInsensitive && c >= 'a' && c <= 'z')
                {
                    c -= 32;
                }
                if (c != candidate[k])
                {
                    same = false;
                    break;
                }
            }
            if (same)
            {
                return i;
            }
        }
        return -1;
    }
}
