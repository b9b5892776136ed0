package io.tickjournal.ops;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.JournalVerifier;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.PartitionWriter;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.gen.SyntheticMarket;
import io.tickjournal.journal.sbe.InstrumentDefinitionDecoder;
import org.agrona.ExpandableDirectByteBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.zip.CRC32C;

/**
 * Writes a generated trading day into a fresh journal partition and reads it back, proving the
 * round trip: same records, same bytes, dense sequences, definitions first, seek by time.
 */
@Command(name = "roundtrip", mixinStandardHelpOptions = true,
    description = "Write a generated trading day to a journal and read it back (the journal's smoke test).")
public final class RoundTripCommand implements Callable<Integer>
{
    @Option(names = "--dir", description = "journal root (default: a new temporary directory)")
    Path dir;

    @Option(names = "--keep", description = "keep the temporary journal instead of deleting it")
    boolean keep;

    @Option(names = "--day", description = "trading day to generate, yyyy-MM-dd (default: ${DEFAULT-VALUE})", defaultValue = "2026-11-25")
    String day;

    @Option(names = "--records", description = "market records to generate (default: ${DEFAULT-VALUE})", defaultValue = "1000000")
    int records;

    @Override
    public Integer call() throws Exception
    {
        final Path root = dir != null ? dir : Files.createTempDirectory("tickjournal-roundtrip");
        try
        {
            return roundTrip(root);
        }
        finally
        {
            if (dir == null && !keep)
            {
                org.agrona.IoUtil.delete(root.toFile(), false);
            }
        }
    }

    private Integer roundTrip(final Path root) throws Exception
    {
        final Path partitionDir = root.resolve("synthetic-spot");
        final int tradingDay = TradingDay.parse(day);
        final long dayStartNs = TradingDay.startNs(tradingDay);
        final long stepNs = TradingDay.NANOS_PER_DAY / Math.max(1, records);
        final String[] symbols = {"BTCUSDT", "ETHUSDT", "SOLUSDT"};
        final String[] canonical = {"BTC-USDT", "ETH-USDT", "SOL-USDT"};
        final SyntheticMarket[] markets = {
            new SyntheticMarket(1, 1, 1, 9_500_000, 1_000_000L),
            new SyntheticMarket(2, 1, 2, 3_500_000, 100_000L),
            new SyntheticMarket(3, 1, 3, 2_400_000, 10_000L),
        };
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
        final CRC32C written = new CRC32C();
        final byte[] scratch = new byte[4096];

        System.out.printf("journal: %s%n", partitionDir);
        final long writeStart = System.nanoTime();
        long writtenCount = 0;
        try (PartitionWriter writer = new PartitionWriter(partitionDir))
        {
            if (writer.lastIndex() >= 0)
            {
                System.err.println("partition " + partitionDir + " is not empty; give --dir a new directory");
                return 2;
            }
            for (int i = 0; i < markets.length; i++)
            {
                final int len = markets[i].encodeDefinition(buffer, 0, dayStartNs, symbols[i], canonical[i]);
                writer.append(buffer, 0, len);
                buffer.getBytes(0, scratch, 0, len);
                written.update(scratch, 0, len);
                writtenCount++;
            }
            for (int i = 0; i < records; i++)
            {
                final SyntheticMarket market = markets[i % markets.length];
                final long t = dayStartNs + 1 + i * stepNs;
                final int len = (i & 3) == 0 ? market.encodeDelta(buffer, 0, t, 10) : market.encodeTrade(buffer, 0, t);
                if (writer.append(buffer, 0, len) < 0)
                {
                    System.err.println("record " + i + " refused by the writer");
                    return 1;
                }
                buffer.getBytes(0, scratch, 0, len);
                written.update(scratch, 0, len);
                writtenCount++;
            }
        }
        final long writeNs = System.nanoTime() - writeStart;

        final CRC32C read = new CRC32C();
        final long[] readCount = {0};
        final long[] lastSeq = {0};
        final boolean[] dense = {true};
        final boolean[] definitionsFirst = {true};
        final long readStart = System.nanoTime();
        try (JournalTailer tailer = JournalTailer.open(partitionDir, null))
        {
            tailer.poll((d, seq, b, o, l) ->
            {
                dense[0] &= seq == lastSeq[0] + 1 && d == tradingDay;
                lastSeq[0] = seq;
                if (seq <= markets.length)
                {
                    definitionsFirst[0] &= Records.templateId(b, o) == InstrumentDefinitionDecoder.TEMPLATE_ID;
                }
                b.getBytes(o, scratch, 0, l);
                read.update(scratch, 0, l);
                readCount[0]++;
            }, Integer.MAX_VALUE);
            final long readNs = System.nanoTime() - readStart;

            final long noonNs = dayStartNs + TradingDay.NANOS_PER_DAY / 2;
            tailer.seekReceiveTime(noonNs);
            final long[] atNoon = {0, 0};
            tailer.readOne((d, seq, b, o, l) ->
            {
                atNoon[0] = seq;
                atNoon[1] = Records.receiveTimeNs(b, o);
            });

            System.out.printf("wrote %,d records for %s in %.1f ms (%,.0f records/s)%n",
                writtenCount, day, writeNs / 1e6, writtenCount * 1e9 / writeNs);
            System.out.printf("read  %,d records back in %.1f ms (%,.0f records/s)%n",
                readCount[0], readNs / 1e6, readCount[0] * 1e9 / readNs);
            System.out.printf("sequences 1..%,d dense: %s; day begins with %d instrument definitions: %s%n",
                lastSeq[0], dense[0], markets.length, definitionsFirst[0]);
            System.out.printf("bytes identical (CRC32C %08x written, %08x read): %s%n",
                written.getValue(), read.getValue(), written.getValue() == read.getValue());
            System.out.printf("seek to 12:00:00 UTC -> seq %,d received at +%.3f s after noon%n",
                atNoon[0], (atNoon[1] - noonNs) / 1e9);
            System.out.printf("records in %s: %,d%n", day, Partition.recordsInDay(tailer.queue(), tradingDay));
        }

        final JournalVerifier.Report report = JournalVerifier.verify(partitionDir);
        System.out.printf("verify: %s (%,d records, %d problems)%n", report.ok() ? "OK" : "FAILED", report.records(),
            report.problems().size());
        report.problems().forEach(p -> System.out.println("  " + p));
        final boolean ok = report.ok() && dense[0] && definitionsFirst[0] && readCount[0] == writtenCount &&
            written.getValue() == read.getValue();
        System.out.println(ok ? "round trip OK" : "round trip FAILED");
        return ok ? 0 : 1;
    }
}
