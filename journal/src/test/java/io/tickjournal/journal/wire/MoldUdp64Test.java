package io.tickjournal.journal.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MoldUdp64Test
{
    @Test
    void everySessionNamesItsDayBack()
    {
        final int from = (int)LocalDate.of(1999, 12, 1).toEpochDay();
        final int to = (int)LocalDate.of(2101, 3, 1).toEpochDay();
        for (int day = from; day <= to; day++)
        {
            final byte[] session = MoldUdp64.session("BS", day);
            assertEquals(day, MoldUdp64.day(session), new String(session, StandardCharsets.US_ASCII));
            final UnsafeBuffer packet = new UnsafeBuffer(new byte[14]);
            packet.putBytes(4, session);
            assertEquals(day, MoldUdp64.day(packet, 4));
        }
    }

    @Test
    void bytesThatAreNotASessionNameNoDay()
    {
        for (final String text : new String[]{"BS20260230", "BS20251301", "BS20250000", "BS2025010x", "B-20250101", "BS20250132",
            "BS21000229"})
        {
            assertEquals(-1, MoldUdp64.day(text.getBytes(StandardCharsets.US_ASCII)), text);
        }
        assertEquals((int)LocalDate.of(2024, 2, 29).toEpochDay(), MoldUdp64.day("BS20240229".getBytes(StandardCharsets.US_ASCII)));
        assertEquals((int)LocalDate.of(2000, 2, 29).toEpochDay(), MoldUdp64.day("zz20000229".getBytes(StandardCharsets.US_ASCII)));
    }
}
