package io.tickjournal.ops;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.RecordFormatter;
import io.tickjournal.journal.TradingDay;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Prints records of a partition as readable text. */
@Command(name = "dump", mixinStandardHelpOptions = true, description = "Print a partition's records as text.")
public final class DumpCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "PARTITION_DIR", description = "the partition directory")
    Path partition;

    @Option(names = "--day", description = "start at this trading day, yyyy-MM-dd")
    String day;

    @Option(names = "--from-seq", description = "start at this sequence of --day (default: ${DEFAULT-VALUE})", defaultValue = "1")
    long fromSeq;

    @Option(names = "--limit", description = "most records to print (default: ${DEFAULT-VALUE})", defaultValue = "100")
    long limit;

    @Override
    public Integer call()
    {
        final RecordFormatter formatter = new RecordFormatter();
        try (JournalTailer tailer = JournalTailer.open(partition, null))
        {
            if (day != null && !tailer.moveTo(TradingDay.parse(day), fromSeq))
            {
                System.err.println("no record " + day + "/" + fromSeq + " in " + partition);
                return 1;
            }
            long printed = 0;
            while (printed < limit && tailer.readOne((d, seq, b, o, l) ->
                System.out.println(TradingDay.format(d) + "/" + seq + " " + formatter.format(b, o, l))))
            {
                printed++;
            }
        }
        return 0;
    }
}
