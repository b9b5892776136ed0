package io.tickjournal.tailer;

import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.wire.MoldUdp64;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receiver's sockets on loopback: what reaches a sequencer is what came to the group on the
 * configured interface, from the configured source, and re-request answers from the configured
 * server only. Each negative case sends the forged packet first and the genuine one after it on
 * the same path, so once the genuine one is read the forged one would have been read before it.
 */
class ReceiverTrustTest
{
    private static final AtomicInteger PORTS = new AtomicInteger(44_300 + (int)(ProcessHandle.current().pid() % 500) * 4);
    private static final int DAY = TradingDay.parse("2026-11-24");
    private static final EpochClock CLOCK_AT_DAY = () -> TradingDay.startNs(DAY) / 1_000_000L + 43_200_000L;
    private static final List<byte[]> RECORDS = Wire.records(16, 5, TradingDay.startNs(DAY));

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final SequencerTest.Released released = new SequencerTest.Released();

    @AfterEach
    void close() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
    }

    private ReceiverAgent receiver(final InetSocketAddress group, final InetAddress source, final InetSocketAddress rerequestServer)
    {
        final ReceiverAgent receiver = new ReceiverAgent(
            List.of(new ReceiverAgent.Subscription("binance-spot", "BS", group, "lo", null, -1, 1, source)),
            rerequestServer, null, new byte[0], Sequencer.Settings.defaults(), released, System::nanoTime, CLOCK_AT_DAY);
        receiver.onStart();
        closeables.add(receiver::onClose);
        return receiver;
    }

    private DatagramChannel multicastSender(final String bindAddress) throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress(bindAddress, 0));
        channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName("lo"));
        channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
        closeables.add(channel);
        return channel;
    }

    private DatagramChannel unicast(final String bindAddress) throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress(bindAddress, 0));
        closeables.add(channel);
        return channel;
    }

    private static void send(final DatagramChannel channel, final UnsafeBuffer packet, final InetSocketAddress to) throws IOException
    {
        channel.send(ByteBuffer.wrap(packet.byteArray()), to);
    }

    private static void spinUntil(final ReceiverAgent receiver, final BooleanSupplier done) throws IOException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        boolean finished;
        while (!(finished = done.getAsBoolean()) && System.nanoTime() < deadline)
        {
            receiver.doWork();
            Thread.onSpinWait();
        }
        assertTrue(finished, "timed out");
    }

    private static InetSocketAddress group(final int port)
    {
        return new InetSocketAddress("239.255.93." + (1 + port % 200), port);
    }

    @Test
    void shouldNotReadUnicastSentToTheGroupsPort() throws IOException
    {
        final int port = PORTS.getAndIncrement();
        final ReceiverAgent receiver = receiver(group(port), null, null);
        final byte[] forged = RECORDS.get(9);
        send(unicast("127.0.0.1"), Wire.packet("BS", DAY, 1, forged), new InetSocketAddress("127.0.0.1", port));
        send(multicastSender("127.0.0.1"), Wire.packet("BS", DAY, 1, RECORDS.get(0)), group(port));

        spinUntil(receiver, () -> released.keys.size() == 1);
        assertEquals(List.of(DAY + "/1"), released.keys);
        assertArrayEquals(RECORDS.get(0), released.bytes.get(0));
        assertEquals(1, receiver.packets, "the unicast never reached the socket");
    }

    @Test
    void shouldDropMulticastFromAnySourceButTheConfiguredOne() throws IOException
    {
        final int port = PORTS.getAndIncrement();
        final ReceiverAgent receiver = receiver(group(port), InetAddress.getByName("127.0.0.2"), null);
        send(multicastSender("127.0.0.1"), Wire.packet("BS", DAY, 1, RECORDS.get(9)), group(port));
        send(multicastSender("127.0.0.2"), Wire.packet("BS", DAY, 1, RECORDS.get(0), RECORDS.get(1)), group(port));

        spinUntil(receiver, () -> released.keys.size() == 2);
        assertEquals(List.of(DAY + "/1", DAY + "/2"), released.keys);
        assertArrayEquals(RECORDS.get(0), released.bytes.get(0));
        assertEquals(1, receiver.filtered);
    }

    @Test
    void shouldAcceptReRequestAnswersOnlyFromTheConfiguredServer() throws IOException
    {
        final int port = PORTS.getAndIncrement();
        final DatagramChannel server = unicast("127.0.0.1");
        server.configureBlocking(false);
        final ReceiverAgent receiver = receiver(group(port), null, (InetSocketAddress)server.getLocalAddress());
        send(multicastSender("127.0.0.1"), Wire.packet("BS", DAY, 1, RECORDS.get(0)), group(port));
        send(multicastSender("127.0.0.1"), Wire.packet("BS", DAY, 3, RECORDS.get(2)), group(port));

        final ByteBuffer request = ByteBuffer.allocate(64);
        spinUntil(receiver, () ->
        {
            try
            {
                return server.receive(request) != null;
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        final UnsafeBuffer asked = new UnsafeBuffer(request.array(), 0, request.position());
        assertEquals(DAY, MoldUdp64.day(asked, 0));
        assertEquals(2, MoldUdp64.sequence(asked, 0));

        final InetSocketAddress answerTo = new InetSocketAddress("127.0.0.1", receiver.rerequestLocalAddress().getPort());
        send(unicast("127.0.0.1"), Wire.packet("BS", DAY, 2, RECORDS.get(9)), answerTo);
        send(server, Wire.packet("BS", DAY, 2, RECORDS.get(1)), answerTo);

        spinUntil(receiver, () -> released.keys.size() == 3);
        assertEquals(List.of(DAY + "/1", DAY + "/2", DAY + "/3"), released.keys);
        for (int i = 0; i < 3; i++)
        {
            assertArrayEquals(RECORDS.get(i), released.bytes.get(i), "record " + (i + 1));
        }
        assertEquals(3, receiver.packets, "the forged answer never reached the socket");
        assertEquals(1, receiver.sequencers().get(0).counters().recoveredByRerequest);
    }

    @Test
    void shouldLogRefusedReplaysOnceEachInItsBoundedErrorLog() throws IOException
    {
        final int port = PORTS.getAndIncrement();
        final InetSocketAddress nobody;
        try (java.nio.channels.ServerSocketChannel closed = java.nio.channels.ServerSocketChannel.open())
        {
            closed.bind(new InetSocketAddress("127.0.0.1", 0));
            nobody = (InetSocketAddress)closed.getLocalAddress();
        }
        final ReceiverAgent receiver = new ReceiverAgent(
            List.of(new ReceiverAgent.Subscription("binance-spot", "BS", group(port), "lo", null, -1, 1)),
            null, nobody, new byte[0], Sequencer.Settings.defaults(), released, System::nanoTime, CLOCK_AT_DAY);
        receiver.onStart();
        closeables.add(receiver::onClose);
        send(multicastSender("127.0.0.1"), Wire.packet("BS", DAY, 1, RECORDS.get(0)), group(port));
        send(multicastSender("127.0.0.1"), Wire.packet("BS", DAY, 9_000, RECORDS.get(1)), group(port));
        final SequencerCounters counters = receiver.sequencers().get(0).counters();
        spinUntil(receiver, () -> counters.tcpFailures >= 3);

        final long[] observations = {0};
        final int distinct = org.agrona.concurrent.errors.ErrorLogReader.read(receiver.errorLog(),
            (count, first, last, text) -> observations[0] += count);
        assertTrue(distinct >= 1 && distinct <= 2, "distinct errors " + distinct);
        assertEquals(counters.tcpFailures, observations[0], "every failure counted, each distinct one stored once");
        assertEquals(ReceiverAgent.ERROR_LOG_BYTES, receiver.errorLog().capacity(), "bounded");
        assertEquals(0, receiver.errorsNotLogged);
    }
}
