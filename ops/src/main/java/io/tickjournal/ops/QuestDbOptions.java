package io.tickjournal.ops;

import io.tickjournal.ops.config.TickJournalConfig;
import io.tickjournal.ops.sql.QuestDb;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The options that say which QuestDB {@code sql} and {@code load} use: the {@code questdb:} section of a
 * config file, or {@code --questdb HOST:PORT}; with neither, QuestDB starts in this process with its data
 * beside the journal ({@link QuestDb#rootBeside}). When an embedded QuestDB of another tickjournal process
 * (the demo, {@code load --follow}) already runs on that data ({@link QuestDb#recordedAddress}) or answers
 * on the embedded HTTP port, that one is used instead of starting a second. With neither {@code --journal}
 * nor {@code --config}, the demo's journal ({@code demo-data/journal}) is used when it exists.
 */
final class QuestDbOptions
{
    /** Where {@code tickjournal demo} writes its journal by default. */
    static final String DEMO_JOURNAL = "demo-data/journal";

    @Option(names = "--config", description = "config file (journal dir and the questdb: section)")
    Path config;

    @Option(names = "--journal", description = "journal directory (default: the config's, else the demo's " + DEMO_JOURNAL + ")")
    Path journal;

    @Option(names = "--questdb", description = "host:port of a QuestDB server's HTTP endpoint (default: the config's, else in-process)")
    String address;

    @Option(names = "--questdb-token", description = "bearer token for that server")
    String token;

    @Option(names = "--http-port", description = "HTTP port of the in-process QuestDB on 127.0.0.1 (default: the config's, 9000)")
    Integer httpPort;

    @Option(names = "--pg-port", description = "PostgreSQL wire port of the in-process QuestDB on 127.0.0.1 (default: the config's, 8812)")
    Integer pgPort;

    private TickJournalConfig.QuestDb settings;
    private TickJournalConfig loaded;

    /** @return the config file's contents, or null without {@code --config}. */
    TickJournalConfig loadedConfig()
    {
        settings();
        return loaded;
    }

    TickJournalConfig.QuestDb settings()
    {
        if (settings == null)
        {
            loaded = config == null ? null : TickJournalConfig.load(config);
            if (journal == null && loaded != null)
            {
                journal = loaded.journalDir();
            }
            settings = loaded == null ? TickJournalConfig.QuestDb.EMBEDDED : loaded.questDb();
        }
        return settings;
    }

    Path journal()
    {
        settings();
        if (journal == null && config == null && Files.isDirectory(Path.of(DEMO_JOURNAL)))
        {
            journal = Path.of(DEMO_JOURNAL);
        }
        if (journal == null)
        {
            throw new IllegalArgumentException("--journal or --config is needed");
        }
        return journal;
    }

    /**
     * Open the QuestDB these options name (the caller closes it: that stops an in-process one).
     *
     * @return the QuestDB.
     * @throws IOException if an in-process one cannot make its folder.
     */
    QuestDb open() throws IOException
    {
        final TickJournalConfig.QuestDb s = settings();
        final String remote = address != null ? address : s.address();
        final String bearer = token != null ? token : s.token();
        if (!remote.isEmpty())
        {
            return QuestDb.remote(remote, bearer);
        }
        final String running = QuestDb.recordedAddress(QuestDb.rootBeside(journal()));
        if (running != null && answers(running))
        {
            return QuestDb.remote(running, bearer);
        }
        final int http = httpPort != null ? httpPort : s.httpPort();
        if (http != 0 && answers("127.0.0.1:" + http))
        {
            return QuestDb.remote("127.0.0.1:" + http, bearer);
        }
        return QuestDb.embedded(QuestDb.rootBeside(journal()), http, pgPort != null ? pgPort : s.pgPort());
    }

    int batchRecords()
    {
        return settings().batchRecords();
    }

    private static boolean answers(final String address)
    {
        try
        {
            final HttpURLConnection connection = (HttpURLConnection)URI.create("http://" + address + "/exec?query=SELECT%201")
                .toURL().openConnection();
            connection.setConnectTimeout(300);
            connection.setReadTimeout(1000);
            final boolean ok = connection.getResponseCode() == 200;
            connection.disconnect();
            return ok;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
