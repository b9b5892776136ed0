package io.tickjournal.ops;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PacketStoreTest
{
    @TempDir
    Path dir;

    @Test
    void shouldGiveBackEveryPacketAcrossSegmentsAsItWasAdded()
    {
        final Random random = new Random(42);
        final List<byte[]> added = new ArrayList<>();
        try (PacketStore store = new PacketStore(dir, 4096))
        {
            long sequence = 1;
            for (int k = 0; k < 2_000; k++)
            {
                final byte[] packet = new byte[1 + random.nextInt(1472)];
                random.nextBytes(packet);
                added.add(packet);
                // a buffer whose position is not 0, as a builder's finished packet may be: only position..limit is kept
                final ByteBuffer framed = ByteBuffer.allocateDirect(packet.length + 7);
                framed.position(7);
                framed.put(packet).flip().position(7);
                store.add(framed, sequence, k % 9);
                assertEquals(7, framed.position(), "the packet's position is not moved");
                sequence += k % 9;
            }
            assertEquals(2_000, store.size());
            final UnsafeBuffer view = new UnsafeBuffer(0, 0);
            long expectedSequence = 1;
            for (int k = 0; k < 2_000; k++)
            {
                store.wrap(k, view);
                final byte[] back = new byte[view.capacity()];
                view.getBytes(0, back);
                assertArrayEquals(added.get(k), back, "packet " + k);
                assertEquals(expectedSequence, store.firstSequence(k));
                assertEquals(k % 9, store.count(k));
                expectedSequence += k % 9;
            }
        }
    }

    @Test
    void shouldRefuseAPacketLargerThanASegment() throws Exception
    {
        try (PacketStore store = new PacketStore(dir, 1024))
        {
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> store.add(ByteBuffer.allocate(1025), 1, 1));
            assertEquals("packet of 1025 bytes is larger than a segment (1024)", refused.getMessage());
            assertEquals(0, store.size());
            try (var files = Files.list(dir))
            {
                assertEquals(0, files.count(), "nothing mapped for a refused packet");
            }
        }
    }
}
