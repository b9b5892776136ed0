package io.tickjournal.journal.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * MoldUDP64 framing, exactly as NASDAQ specifies it, shared by the bridge (sender, re-request
 * server) and the pricing tailer (receiver, re-request client).
 *
 * <pre>
 * Downstream packet (big-endian):
 * | offset | length | field                                            |
 * |========|========|==================================================|
 * | 0      | 10     | session (ASCII)                                  |
 * | 10     | 8      | sequence number of the first message             |
 * | 18     | 2      | message count; 0 = heartbeat, 0xFFFF = end of session |
 * | 20     | ...    | messages, each: 2-byte length, then the bytes    |
 *
 * Request packet (receiver to re-request server), 20 bytes:
 * | 0      | 10     | session                                          |
 * | 10     | 8      | first sequence wanted                            |
 * | 18     | 2      | number of messages wanted                        |
 * </pre>
 *
 * A tickjournal session is a 2-character partition code followed by the trading day as
 * {@code yyyyMMdd}, e.g. {@code BS20261125}: the session names the partition and the day, and a
 * message's MoldUDP64 sequence is the record's sequence in that day.
 */
public final class MoldUdp64
{
    public static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;
    public static final int SESSION_LENGTH = 10;
    public static final int SEQUENCE_OFFSET = 10;
    public static final int COUNT_OFFSET = 18;
    public static final int HEADER_LENGTH = 20;
    public static final int MESSAGE_LENGTH_FIELD = 2;
    public static final int REQUEST_LENGTH = 20;
    public static final int HEARTBEAT_COUNT = 0;
    public static final int END_OF_SESSION_COUNT = 0xFFFF;
    /** Largest message count a packet may carry (0xFFFF is reserved for end of session). */
    public static final int MAX_MESSAGES = 0xFFFE;
    /** Default payload: an Ethernet MTU less IP and UDP headers. */
    public static final int DEFAULT_MAX_PAYLOAD = 1472;

    private MoldUdp64()
    {
    }

    /**
     * Write a packet header.
     *
     * @param buffer   the packet.
     * @param session  10 session bytes (see {@link #session(String, int)}).
     * @param sequence sequence of the first message (or the next expected, for heartbeats).
     * @param count    message count, {@link #HEARTBEAT_COUNT} or {@link #END_OF_SESSION_COUNT}.
     */
    public static void putHeader(final MutableDirectBuffer buffer, final byte[] session, final long sequence, final int count)
    {
        buffer.putBytes(0, session, 0, SESSION_LENGTH);
        buffer.putLong(SEQUENCE_OFFSET, sequence, ORDER);
        buffer.putShort(COUNT_OFFSET, (short)count, ORDER);
    }

    public static long sequence(final DirectBuffer packet, final int offset)
    {
        return packet.getLong(offset + SEQUENCE_OFFSET, ORDER);
    }

    public static int count(final DirectBuffer packet, final int offset)
    {
        return packet.getShort(offset + COUNT_OFFSET, ORDER) & 0xFFFF;
    }

    /**
     * Compare a packet's session with an expected one without allocating.
     *
     * @param packet  the packet.
     * @param offset  where it starts.
     * @param session 10 expected bytes.
     * @return true when equal.
     */
    public static boolean sessionEquals(final DirectBuffer packet, final int offset, final byte[] session)
    {
        for (int i = 0; i < SESSION_LENGTH; i++)
        {
            if (packet.getByte(offset + i) != session[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The session of a partition on a day.
     *
     * @param partitionCode 2 ASCII letters or digits naming the partition on the wire.
     * @param day           trading day.
     * @return 10 session bytes.
     * @throws IllegalArgumentException when the code is not 2 ASCII letters or digits.
     */
    public static byte[] session(final String partitionCode, final int day)
    {
        if (partitionCode == null || !partitionCode.matches("[A-Za-z0-9]{2}"))
        {
            throw new IllegalArgumentException("partition code must be 2 ASCII letters or digits, got '" + partitionCode + "'");
        }
        final LocalDate date = LocalDate.ofEpochDay(day);
        final String text = String.format("%s%04d%02d%02d", partitionCode, date.getYear(), date.getMonthValue(), date.getDayOfMonth());
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The trading day a session names.
     *
     * @param session 10 session bytes.
     * @return the day, or -1 when the bytes are not a tickjournal session.
     */
    public static int day(final byte[] session)
    {
        return session.length < SESSION_LENGTH ? -1 : day(new org.agrona.concurrent.UnsafeBuffer(session), 0);
    }

    /**
     * The trading day a packet's session names, read in place without allocating (receivers call it
     * on new sessions).
     *
     * @param packet the packet.
     * @param offset where it (its session) starts.
     * @return the day (days since the epoch), or -1 when the bytes are not a tickjournal session
     * (code not 2 letters or digits, date not 8 digits of a real calendar day).
     */
    public static int day(final DirectBuffer packet, final int offset)
    {
        for (int i = 0; i < 2; i++)
        {
            final byte b = packet.getByte(offset + i);
            if (!((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')))
            {
                return -1;
            }
        }
        int date = 0;
        for (int i = 2; i < SESSION_LENGTH; i++)
        {
            final int digit = packet.getByte(offset + i) - '0';
            if (digit < 0 || digit > 9)
            {
                return -1;
            }
            date = date * 10 + digit;
        }
        final int year = date / 10_000;
        final int month = date / 100 % 100;
        final int dayOfMonth = date % 100;
        if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > daysInMonth(year, month))
        {
            return -1;
        }
        return daysSinceEpoch(year, month, dayOfMonth);
    }

    private static int daysInMonth(final int year, final int month)
    {
        if (month == 2)
        {
            final boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            return leap ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    /** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static int daysSinceEpoch(final int year, final int month, final int dayOfMonth)
    {
        final int y = month <= 2 ? year - 1 : year;
        final int era = Math.floorDiv(y, 400);
        final int yearOfEra = y - era * 400;
        final int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + dayOfMonth - 1;
        final int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    /**
     * Check a received packet's framing: header present, every message length inside the packet.
     *
     * @param packet the bytes.
     * @param offset where the packet starts.
     * @param length its length.
     * @return the message count (0 for heartbeat, 0xFFFF for end of session), or -1 when malformed.
     */
    public static int validate(final DirectBuffer packet, final int offset, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return -1;
        }
        final int count = count(packet, offset);
        if (count == HEARTBEAT_COUNT || count == END_OF_SESSION_COUNT)
        {
            return length == HEADER_LENGTH ? count : -1;
        }
        int position = offset + HEADER_LENGTH;
        final int end = offset + length;
        for (int i = 0; i < count; i++)
        {
            if (position + MESSAGE_LENGTH_FIELD > end)
            {
                return -1;
            }
            final int messageLength = packet.getShort(position, ORDER) & 0xFFFF;
            position += MESSAGE_LENGTH_FIELD + messageLength;
            if (position > end)
            {
                return -1;
            }
        }
        return position == end ? count : -1;
    }
}
