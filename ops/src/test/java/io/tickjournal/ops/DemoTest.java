package io.tickjournal.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo end to end, briefly: simulators, ingest, bridge (with injected loss), replication and the
 * tailer in one process. When it stops, the tailer has delivered every journaled record (the demo
 * waits on the tailer's counter, not a sleep), and the journal and the live two-venue feature
 * partition verify (feature partitions by their own rule: their inputs interleave).
 */
class DemoTest
{
    @TempDir
    Path root;

    @Test
    void theDemoDeliversEveryJournaledRecordAndItsPartitionsVerify()
    {
        final Cli demo = Cli.run("demo", "--duration", "6", "--plain", "--dir", root.resolve("demo").toString());
        assertEquals(0, demo.exit, demo.toString());
        final Matcher end = Pattern.compile("(\\d[\\d,]*\\d) records journaled, tailer delivered (\\d[\\d,]*\\d)").matcher(demo.out);
        assertTrue(end.find(), demo.out);
        assertTrue(Long.parseLong(end.group(1).replace(",", "")) > 500, demo.out);
        assertEquals(end.group(1), end.group(2), "every journaled record reached the tailer");
        assertTrue(demo.out.matches("(?s).*verify binance-spot\\s+OK.*"), demo.out);
        assertTrue(demo.out.matches("(?s).*verify binance-usdm\\s+OK.*"), demo.out);
        assertTrue(demo.out.matches("(?s).*verify features\\s+OK.*"), demo.out);
        assertTrue(demo.out.contains("ingest") && demo.out.contains("tailer"), demo.out);
    }
}
