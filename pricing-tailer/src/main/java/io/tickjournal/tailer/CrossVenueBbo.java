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

    /** Slots of the cross-venue features in a {@link FeatureSet}: bid, bid venue, ask, ask venue. */
    static final int SLOTS = 4;

    /**
     * Set the ids and exponents of the venue slots (the price slots' exponents are set with their values).
     *
     * @param f    the set.
     * @param slot the first slot.
     */
    static void keys(final FeatureSet f, final int slot)
    {
        f.key(slot + 1, FeatureIds.CROSS_BID_VENUE, 0);
        f.key(slot + 3, FeatureIds.CROSS_ASK_VENUE, 0);
    }

    /**
     * Set the cross-venue best bid and offer of an instrument's group, at the finest price
     * exponent among its usable members, with the venues that quote them (absent when none).
     *
     * @param group    the instrument's group.
     * @param instrument the instrument emitting.
     * @param usable   whether that instrument's top is valid now (known to the caller).
     * @param f        the set.
     * @param slot     the first slot.
     */
    static void values(final Group group, final FeatureEngine.Instrument instrument, final boolean usable, final FeatureSet f,
        final int slot)
    {
        if (group.count == 1 && group.members[0] == instrument)
        {
            // a group of one (the common case: one venue lists the instrument): its own top, at its own exponent
            if (usable && instrument.venueId != 0)
            {
                put(f, slot, instrument.bid(), Long.MIN_VALUE, instrument.ask(), Long.MAX_VALUE, instrument.venueId, instrument.priceExponent);
            }
            else
            {
                put(f, slot, 0, 0, 0, 0, 0, 0);
            }
            return;
        }
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
            put(f, slot, 0, 0, 0, 0, 0, 0);
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
        f.key(slot, FeatureIds.CROSS_BID, exponent);
        f.key(slot + 2, FeatureIds.CROSS_ASK, exponent);
        f.value(slot, bidVenue != 0 ? bestBid : Long.MIN_VALUE);
        f.value(slot + 1, bidVenue != 0 ? bidVenue : Long.MIN_VALUE);
        f.value(slot + 2, askVenue != 0 ? bestAsk : Long.MIN_VALUE);
        f.value(slot + 3, askVenue != 0 ? askVenue : Long.MIN_VALUE);
    }

    /**
     * One member's top as the group's: a bid counts when above {@code bidFloor} and representable,
     * an ask when below {@code askCeiling} (the same tests the general path applies); venue 0 means none.
     */
    private static void put(
        final FeatureSet f, final int slot, final long bid, final long bidFloor, final long ask, final long askCeiling,
        final int venueId, final int exponent)
    {
        final boolean hasBid = venueId != 0 && bid != Decimals.NOT_REPRESENTABLE && bid > bidFloor;
        final boolean hasAsk = venueId != 0 && ask != Decimals.NOT_REPRESENTABLE && ask < askCeiling;
        f.key(slot, FeatureIds.CROSS_BID, exponent);
        f.key(slot + 2, FeatureIds.CROSS_ASK, exponent);
        f.value(slot, hasBid ? bid : Long.MIN_VALUE);
        f.value(slot + 1, hasBid ? venueId : Long.MIN_VALUE);
        f.value(slot + 2, hasAsk ? ask : Long.MIN_VALUE);
        f.value(slot + 3, hasAsk ? venueId : Long.MIN_VALUE);
    }
}
