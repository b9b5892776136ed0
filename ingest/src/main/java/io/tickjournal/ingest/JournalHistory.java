package io.tickjournal.ingest;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.TradeKind;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;

/**
 * What a feed's partition already holds for the current day, read once when ingest starts: so a
 * restart journals that it is one (with the time of the last record before it), never reuses a
 * connection id within the day, and reports the trade ids lost while it was down as a gap.
 * Start-up only (allocates, reads the whole day once).
 */
public final class JournalHistory
{
    private long lastReceiveTimeNs = Records.NULL_LONG;
    private int maxConnectionId;
    private long records;
    private final Long2LongHashMap lastTradeIds = new Long2LongHashMap(Records.NULL_LONG);

    /**
     * Read a day of a partition.
     *
     * @param queue the partition (the writer's own queue).
     * @param day   the day (days since the epoch).
     * @return what it holds.
     */
    public static JournalHistory read(final SingleChronicleQueue queue, final int day)
    {
        final JournalHistory history = new JournalHistory();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final VenueStatusDecoder status = new VenueStatusDecoder();
        final TradeDecoder trade = new TradeDecoder();
        try (JournalTailer tailer = new JournalTailer(queue, null))
        {
            if (!tailer.moveTo(day, 1))
            {
                return history;
            }
            while (tailer.readOne((d, sequence, buffer, offset, length) ->
                history.onRecord(d, day, buffer, offset, header, status, trade)))
            {
                if (history.beyond)
                {
                    break;
                }
            }
        }
        return history;
    }

    private boolean beyond;

    private void onRecord(
        final int recordDay, final int day, final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header,
        final VenueStatusDecoder status, final TradeDecoder trade)
    {
        if (recordDay != day)
        {
            beyond = true;
            return;
        }
        records++;
        lastReceiveTimeNs = Records.receiveTimeNs(buffer, offset);
        header.wrap(buffer, offset);
        if (header.templateId() == VenueStatusDecoder.TEMPLATE_ID)
        {
            status.wrapAndApplyHeader(buffer, offset, header);
            maxConnectionId = Math.max(maxConnectionId, status.connectionId());
        }
        else if (header.templateId() == TradeDecoder.TEMPLATE_ID)
        {
            trade.wrapAndApplyHeader(buffer, offset, header);
            if (trade.venueSeq() != Records.NULL_LONG)
            {
                final long key = key(trade.instrumentId(), trade.kind() == TradeKind.AGG_TRADE ? Channel.AGG_TRADE : Channel.TRADE);
                final long last = lastTradeIds.get(key);
                if (last == Records.NULL_LONG || trade.venueSeq() > last)
                {
                    lastTradeIds.put(key, trade.venueSeq());
                }
            }
        }
    }

    private static long key(final int instrumentId, final Channel channel)
    {
        return ((long)instrumentId << 8) | channel.ordinal();
    }

    /** @return records the day holds (0: a fresh day, not a restart). */
    public long records()
    {
        return records;
    }

    /** @return the receive time of the day's last record, or null. */
    public long lastReceiveTimeNs()
    {
        return lastReceiveTimeNs;
    }

    /** @return the highest connection id the day's statuses name. */
    public int maxConnectionId()
    {
        return maxConnectionId;
    }

    /**
     * @param instrumentId an instrument.
     * @param channel      TRADE or AGG_TRADE.
     * @return the highest trade id journaled today for it, or null.
     */
    public long lastTradeId(final int instrumentId, final Channel channel)
    {
        return lastTradeIds.get(key(instrumentId, channel));
    }
}
