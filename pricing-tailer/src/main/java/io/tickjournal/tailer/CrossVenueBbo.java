package io.tickjournal.tailer;

import io.tickjournal.journal.decimal.Decimals;
import io.tickjournal.journal.sbe.MarketKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cross-venue best bid and offer of each canonical instrument: the best of every venue's
 * latest usable top, among instruments of the same canonical symbol <em>and</em> market kind (a
 * spot {@code BTC-USDT} and a perpetual {@code BTC-USDT} are different instruments and never
 * meet). Each (symbol, kind) gets an int id once, when a definition names it; records are grouped
 * by that id, never by a string. An instrument with no definition yet is a group of its own.
 * One thread.
 */
final class CrossVenueBbo
{
    /** The instruments of one canonical id. */
    static final class Group
    {
        final int canonicalId;
        private FeatureEngine.Instrument[] members = new FeatureEngine.Instrument[4];
        private int count;

        Group(final int canonicalId)
        {
            this.canonicalId = canonicalId;
        }

        void add(final FeatureEngine.Instrument instrument)
        {
            if (count == members.length)
            {
                members = Arrays.copyOf(members, count * 2);
            }
            members[count++] = instrument;
        }

        void remove(final FeatureEngine.Instrument instrument)
        {
            for (int i = 0; i < count; i++)
            {
                if (members[i] == instrument)
                {
                    System.arraycopy(members, i + 1, members, i, count - i - 1);
                    members[--count] = null;
                    return;
                }
            }
        }

        int size()
        {
            return count;
        }
    }

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<Group> groups = new ArrayList<>();

    /**
     * The id of a canonical instrument, assigned the first time a definition names it.
     *
     * @param symbol canonical symbol, e.g. {@code BTC-USDT}.
     * @param kind   market kind.
     * @return its id (0, 1, 2, ... in order of first definition).
     */
    int canonicalId(final String symbol, final MarketKind kind)
    {
        final String key = kind.name() + ' ' + symbol;
        Integer id = ids.get(key);
        if (id == null)
        {
            id = groups.size();
            ids.put(key, id);
            groups.add(new Group(id));
        }
        return id;
    }

    /** @return the group of a canonical id. */
    Group group(final int canonicalId)
    {
        return groups.get(canonicalId);
    }

    /** @return a group of one for an instrument not defined yet. */
    static Group singleton(final FeatureEngine.Instrument instrument)
    {
        final Group group = new Group(-1);
        group.add(instrument);
        return group;
    }

    /**
     * Add the cross-venue best bid and offer of an instrument's group, at the finest price
     * exponent among its usable members, with the venues that quote them.
     */
    static void addTo(final Group group, final FeatureSet f)
    {
        final FeatureEngine.Instrument[] members = group.members;
        final int count = group.count;
        int exponent = Integer.MAX_VALUE;
        for (int i = 0; i < count; i++)
        {
            final FeatureEngine.Instrument other = members[i];
            if (other.topValid())
            {
                exponent = Math.min(exponent, other.priceExponent);
            }
        }
        if (exponent == Integer.MAX_VALUE)
        {
            return;
        }
        long bestBid = Long.MIN_VALUE;
        long bestAsk = Long.MAX_VALUE;
        int bidVenue = 0;
        int askVenue = 0;
        for (int i = 0; i < count; i++)
        {
            final FeatureEngine.Instrument other = members[i];
            if (!other.topValid())
            {
                continue;
            }
            final long bid = Decimals.rescale(other.bid(), other.priceExponent, exponent);
            final long ask = Decimals.rescale(other.ask(), other.priceExponent, exponent);
            if (bid != Decimals.NOT_REPRESENTABLE && bid > bestBid)
            {
                bestBid = bid;
                bidVenue = other.venueId;
            }
            if (ask != Decimals.NOT_REPRESENTABLE && ask < bestAsk)
            {
                bestAsk = ask;
                askVenue = other.venueId;
            }
        }
        if (bidVenue != 0)
        {
            f.add(FeatureIds.CROSS_BID, bestBid, exponent);
            f.add(FeatureIds.CROSS_BID_VENUE, bidVenue, 0);
        }
        if (askVenue != 0)
        {
            f.add(FeatureIds.CROSS_ASK, bestAsk, exponent);
            f.add(FeatureIds.CROSS_ASK_VENUE, askVenue, 0);
        }
    }
}
