package io.tickjournal.ops;

import io.tickjournal.journal.JournalRecords;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.TradeDecoder;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tickjournal import --lines}: the archives' one-frame-a-line format, plain and gzip. */
class ImportCommandTest
{
    @TempDir
    Path dir;

    @Test
    void linesImportWithTheirReceiveTimesAndUnreadableLinesAreNamedAndSkipped() throws Exception
    {
        Files.writeString(dir.resolve("tickjournal.yaml"), String.join("\n",
            "journal: {dir: journal}",
            "feeds:",
            "  - {venue: binance-spot, code: BS, group: '239.255.45.1:47500', websocket: 'ws://127.0.0.1:1', rest: 'http://127.0.0.1:1',",
            "     instruments: [{id: 1, symbol: BTCUSDT, canonical: BTC-USDT, priceExponent: -2, sizeExponent: -8}]}",
            ""));
        final String trade = "{\"e\":\"trade\",\"E\":1767225600000,\"s\":\"BTCUSDT\",\"t\":%d,\"p\":\"65000.10\",\"q\":\"0.5\"," +
            "\"T\":1767225600000,\"m\":true}";
        final List<String> lines = List.of(
            "1767225600100000000 " + String.format(trade, 1),
            "2026-01-01T00:00:00.200Z " + String.format(trade, 2),
            "yesterday " + String.format(trade, 3),
            "1767225600300000 {\"e\":\"trade\",\"s\":\"BTCUSDT\"",
            "1767225600400 " + String.format(trade, 4),
            "1767225600000 " + String.format(trade, 5),
            "no-frame-here");
        final Path gz = dir.resolve("capture.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz)))
        {
            out.write(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        }
        final Cli cli = Cli.run("import", "--config", dir.resolve("tickjournal.yaml").toString(), "--partition", "binance-spot",
            "--lines", gz.toString(), "--journal", dir.resolve("imported").toString());
        assertEquals(0, cli.exit, cli.toString());
        assertTrue(cli.err.contains("line 3: unreadable receive time 'yesterday'"), cli.err);
        assertTrue(cli.err.contains("line 4: frame does not parse"), cli.err);
        assertTrue(cli.err.contains("line 6: receive time goes back"), cli.err);
        assertTrue(cli.err.contains("line 7: expected '<receive time> <frame>'"), cli.err);
        assertTrue(cli.out.contains("unreadable lines 3"), cli.out);

        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final TradeDecoder decoder = new TradeDecoder();
        final List<String> trades = new ArrayList<>();
        int statuses = 0;
        for (final byte[] bytes : JournalRecords.readAll(dir.resolve("imported").resolve("binance-spot")))
        {
            final UnsafeBuffer r = new UnsafeBuffer(bytes);
            header.wrap(r, 0);
            if (header.templateId() == TradeDecoder.TEMPLATE_ID)
            {
                decoder.wrapAndApplyHeader(r, 0, header);
                trades.add(decoder.venueSeq() + "@" + decoder.receiveTimeNs() + "=" +
                    BigDecimal.valueOf(decoder.priceMantissa(), -decoder.priceExponent()).toPlainString());
            }
            else if (header.templateId() == VenueStatusDecoder.TEMPLATE_ID)
            {
                statuses++;
            }
        }
        assertEquals(List.of("1@1767225600100000000=65000.10", "2@1767225600200000000=65000.10", "4@1767225600400000000=65000.10"),
            trades, "each frame with its own receive time, whatever unit the line gave it in");
        assertEquals(2, statuses, "the frame that does not parse, and the trade ids 3 lost with the skipped line");
    }
}
