package io.tickjournal.journal.wire;

import java.nio.ByteOrder;

/**
 * The TCP replication protocol between a feeder's replication source and a replica: the client
 * names a partition and a (day, sequence) to start from and receives every record from there on,
 * live, with heartbeats when idle. Little-endian like the records.
 *
 * <pre>
 * Hello (client to server), once:
 * | offset | length | field                                      |
 * |========|========|============================================|
 * | 0      | 4      | magic 0x544A5250 ("TJRP")                  |
 * | 4      | 2      | partition name length N                    |
 * | 6      | N      | partition name (ASCII, e.g. binance-spot)  |
 * | 6+N    | 4      | trading day (days since epoch)             |
 * | 10+N   | 8      | first sequence wanted (1 = the whole day)  |
 * | 18+N   | 2      | secret length S                            |
 * | 20+N   | S      | shared secret                              |
 *
 * Frames (server to client), repeated:
 * | 0      | 4      | record length L (0 = heartbeat)            |
 * | 4      | 4      | trading day                                |
 * | 8      | 8      | sequence (heartbeat: the next sequence)    |
 * | 16     | L      | the record bytes, as in the journal        |
 * </pre>
 * A refused hello is answered with one frame of length 0xFFFFFFFF whose day and sequence are -1,
 * followed by the close of the connection.
 */
public final class Replication
{
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int MAGIC = 0x544A5250;
    public static final int FRAME_HEADER_LENGTH = 16;
    public static final int HEARTBEAT_LENGTH = 0;
    public static final int REFUSED_LENGTH = -1;
    public static final int MAX_HELLO_LENGTH = 4 + 2 + 255 + 4 + 8 + 2 + 255;

    private Replication()
    {
    }
}
