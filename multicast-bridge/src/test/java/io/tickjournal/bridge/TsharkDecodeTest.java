package io.tickjournal.bridge;

import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.gen.SyntheticMarket;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Captures the bridge's packets on loopback with tshark and has Wireshark's own MoldUDP64
 * dissector decode them: no malformed packets, sequences and counts as sent. Runs the script
 * {@code multicast-bridge/scripts/tshark-moldudp64.sh}; CI installs tshark, so there it must run.
 */
class TsharkDecodeTest
{
    static final int DAY = TradingDay.parse("2026-11-25");

    @TempDir
    Path root;

    @Test
    void shouldDecodeAsMoldUdp64WithNoMalformedPackets() throws Exception
    {
        final boolean haveTshark = new File("/usr/bin/tshark").canExecute();
        if (System.getenv("CI") == null)
        {
            assumeTrue(haveTshark, "tshark not installed (CI installs it)");
        }
        assertTrue(haveTshark, "tshark must be installed in CI (.ci/run installs it)");

        final int port = 42000 + (int)(ProcessHandle.current().pid() % 1000);
        final Path partition = root.resolve("binance-spot");
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(1024);
        final SyntheticMarket market = new SyntheticMarket(9, 1, 1, 9_500_000, 1_000_000L);
        try (PartitionWriter writer = new PartitionWriter(partition))
        {
            for (int i = 0; i < 1000; i++)
            {
                final long t = TradingDay.startNs(DAY + 1) - 500_000L + i * 1000L; // crosses midnight
                writer.append(buffer, 0, (i & 3) == 0 ? market.encodeDelta(buffer, 0, t, 10) : market.encodeTrade(buffer, 0, t));
            }
        }

        final Path script = Path.of(System.getProperty("user.dir"), "scripts", "tshark-moldudp64.sh");
        final Path pcap = root.resolve("capture.pcapng");
        final Process capture = new ProcessBuilder("bash", script.toString(), "start", pcap.toString(), String.valueOf(port))
            .redirectErrorStream(true).start();
        final String ready = new String(capture.getInputStream().readNBytes(6), StandardCharsets.US_ASCII);
        assertEquals("READY\n", ready, "capture started");

        final long[] now = {0};
        final BridgeAgent agent = new BridgeAgent(
            List.of(ChannelConfig.loopback(partition, "BS", "239.255.77.2", port)), root.resolve("state"),
            DatagramSink::new, () -> now[0], new ErrorReporter(System.err::println));
        agent.onStart();
        for (int i = 0; i < 1000; i++)
        {
            agent.doWork();
        }
        now[0] += ChannelConfig.DEFAULT_HEARTBEAT_INTERVAL_NS;
        agent.doWork(); // one heartbeat
        agent.onClose();
        final long packets = agent.counters().packetsSent();
        Thread.sleep(500);
        capture.destroy(); // SIGTERM: the script stops tshark cleanly
        capture.waitFor(10, TimeUnit.SECONDS);

        final Process check = new ProcessBuilder("bash", script.toString(), "check", pcap.toString(), String.valueOf(port))
            .redirectErrorStream(true).start();
        final List<String> lines = new ArrayList<>(new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        assertEquals(0, check.waitFor(), String.join("\n", lines));
        assertFalse(lines.stream().anyMatch(l -> l.contains("MALFORMED")), String.join("\n", lines));
        final List<String> rows = lines.stream().filter(l -> l.startsWith("BS")).toList();
        assertEquals(packets, rows.size(), "every packet decoded as MoldUDP64: " + lines);
        long messages = 0;
        boolean endOfSession = false;
        for (final String row : rows)
        {
            final String[] f = row.split("\t");
            final int count = Integer.parseInt(f[2]);
            if (count == 0xFFFF)
            {
                endOfSession = true;
            }
            else
            {
                messages += count;
            }
        }
        assertEquals(1000 + 0, messages, "every record once (no definitions in this journal)");
        assertTrue(endOfSession, "the day roll's end of session decodes");
        assertTrue(Files.size(pcap) > 0);
    }
}
