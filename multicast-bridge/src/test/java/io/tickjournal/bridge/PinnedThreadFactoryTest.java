package io.tickjournal.bridge;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PinnedThreadFactoryTest
{
    /** The tailer role runs on this factory too: its line must not say "bridge". */
    @Test
    void thePinningLineNamesTheThreadItWasSaidFor() throws Exception
    {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final boolean[] ran = {false};
        final Thread thread = new PinnedThreadFactory(1_000_000, lines::add).newThread(() -> ran[0] = true);
        thread.setName("tailer"); // as Agrona's AgentRunner names the thread after its agent
        thread.start();
        thread.join(10_000);
        assertTrue(ran[0], "the body ran");
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("tailer thread not pinned"), lines.get(0));
    }

    @Test
    void notPinningSaysNothing() throws Exception
    {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Thread thread = new PinnedThreadFactory(-2, lines::add).newThread(() -> { });
        thread.start();
        thread.join(10_000);
        assertEquals(List.of(), lines);
    }
}
