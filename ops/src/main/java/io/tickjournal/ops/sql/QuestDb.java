package io.tickjournal.ops.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.questdb.ServerMain;
import io.questdb.client.Sender;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A QuestDB to load into and query: either started in-process ({@link #embedded}) with its data in a
 * folder beside the journal, HTTP and PostgreSQL wire bound to 127.0.0.1 only, or a configured server
 * ({@link #remote}). Queries go over QuestDB's HTTP {@code /exec} endpoint and rows go in over its line
 * protocol (HTTP transport), the same for both, so the code that works embedded works against a server.
 * <p>
 * {@link #close()} stops an embedded server (it flushes and releases its files); for a remote one it
 * does nothing. Not thread-safe for start/close; {@link #exec} may be called from any thread.
 */
public final class QuestDb implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * File in an embedded QuestDB's root holding its HTTP host:port while it runs, so another tickjournal
     * process ({@code sql} beside a running demo or follower) finds it on whatever port it got.
     */
    public static final String ADDRESS_FILE = "http.address";

    private final ServerMain server;
    private final Path root;
    private final String httpAddress;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private QuestDb(final ServerMain server, final Path root, final String httpAddress, final String token)
    {
        this.server = server;
        this.root = root;
        this.httpAddress = httpAddress;
        this.token = token;
    }

    /**
     * Where an embedded QuestDB keeps its data for a journal: the folder {@code <journal>.questdb} beside it
     * (not inside, where it would look like a partition).
     *
     * @param journal the journal directory.
     * @return the QuestDB root.
     */
    public static Path rootBeside(final Path journal)
    {
        final Path absolute = journal.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + ".questdb");
    }

    /**
     * Start QuestDB in this process.
     *
     * @param root     its data folder (created if missing).
     * @param httpPort HTTP port on 127.0.0.1 (0 picks a free one).
     * @param pgPort   PostgreSQL wire port on 127.0.0.1 (0 picks a free one).
     * @return the running server.
     * @throws IOException if the folder cannot be made.
     */
    public static QuestDb embedded(final Path root, final int httpPort, final int pgPort) throws IOException
    {
        Files.createDirectories(root.resolve("conf"));
        Files.createDirectories(root.resolve("log"));
        final Path logConf = root.resolve("conf").resolve("log.conf");
        if (!Files.exists(logConf))
        {
            // QuestDB's log goes to its own file, never to our stdout (where sql and audit print their answers)
            Files.writeString(logConf, String.join("\n",
                "writers=file",
                "w.file.class=io.questdb.log.LogRollingFileWriter",
                // an absolute path: QuestDB's ${log.dir} is not known yet when its log is configured
                "w.file.location=" + root.toAbsolutePath().resolve("log") + "/questdb-rolling.log.${date:yyyyMMdd}",
                "w.file.level=INFO,ERROR,CRITICAL",
                "w.file.rollEvery=day",
                "w.file.rollSize=128m",
                "w.file.lifeDuration=1M",
                "w.file.sizeLimit=1g", ""));
        }
        if (System.getProperty("out") == null)
        {
            // QuestDB's LogFactory reads its config from the file named by the "out" property, once per JVM
            System.setProperty("out", logConf.toAbsolutePath().toString());
        }
        final Map<String, String> env = new HashMap<>(System.getenv());
        env.put("QDB_HTTP_BIND_TO", "127.0.0.1:" + httpPort);
        env.put("QDB_PG_NET_BIND_TO", "127.0.0.1:" + pgPort);
        // nothing else listens: the line protocol comes over HTTP, the health server and TCP/UDP ILP are off
        env.put("QDB_HTTP_MIN_ENABLED", "false");
        env.put("QDB_LINE_TCP_ENABLED", "false");
        env.put("QDB_LINE_UDP_ENABLED", "false");
        env.put("QDB_TELEMETRY_ENABLED", "false");
        // a guest in the journal's process: two shared workers, not one per core
        env.put("QDB_SHARED_WORKER_COUNT", "2");
        final ServerMain server = ServerMain.create(root.toAbsolutePath().toString(), env);
        server.start();
        server.awaitStartup();
        final String address = "127.0.0.1:" + server.getHttpServerPort();
        Files.writeString(root.resolve(ADDRESS_FILE), address);
        return new QuestDb(server, root, address, null);
    }

    /**
     * The HTTP address an embedded QuestDB running on this root said it listens on (it may have stopped
     * since, if it was killed: check that it answers).
     *
     * @param root an embedded QuestDB's data folder.
     * @return host:port, or null when none is recorded.
     */
    public static String recordedAddress(final Path root)
    {
        try
        {
            final Path file = root.resolve(ADDRESS_FILE);
            return Files.exists(file) ? Files.readString(file).strip() : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /**
     * A QuestDB server run by someone else.
     *
     * @param httpAddress host:port of its HTTP endpoint.
     * @param token       bearer token, or null when it needs none.
     * @return the handle.
     */
    public static QuestDb remote(final String httpAddress, final String token)
    {
        return new QuestDb(null, null, httpAddress, token);
    }

    /**
     * @return host:port of the HTTP endpoint (the web console is at {@code http://} this).
     */
    public String httpAddress()
    {
        return httpAddress;
    }

    /**
     * @return whether this process runs the server.
     */
    public boolean isEmbedded()
    {
        return server != null;
    }

    /**
     * @return the PostgreSQL wire port of an embedded server, or -1 for a remote one.
     */
    public int pgPort()
    {
        return server == null ? -1 : server.getPgWireServerPort();
    }

    /**
     * A new line-protocol sender over HTTP (the caller owns and closes it; one thread per sender). It never
     * flushes by itself: the caller sends each request with {@code flush()}, so a failure surfaces there and
     * nowhere else.
     *
     * @param maxRequestBytes the most a request will hold (its buffer may grow to twice this, so the record that
     *                        crosses the mark still fits).
     * @return the sender.
     */
    public Sender newSender(final int maxRequestBytes)
    {
        final StringBuilder config = new StringBuilder("http::addr=").append(httpAddress)
            .append(";auto_flush=off;max_buf_size=").append(2L * maxRequestBytes).append(";retry_timeout=2000;");
        if (token != null && !token.isEmpty())
        {
            config.append("token=").append(token).append(';');
        }
        return Sender.fromConfig(config);
    }

    /**
     * Run one SQL statement over HTTP.
     *
     * @param sql the statement.
     * @return QuestDB's answer: {@code columns} and {@code dataset} for a query.
     * @throws IllegalStateException with QuestDB's message when the statement fails.
     */
    public JsonNode exec(final String sql)
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + httpAddress + "/exec?timings=false&query=" +
            URLEncoder.encode(sql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(60)).GET();
        if (token != null && !token.isEmpty())
        {
            request.header("Authorization", "Bearer " + token);
        }
        try
        {
            final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            final JsonNode answer = JSON.readTree(response.body());
            if (response.statusCode() != 200 || answer.has("error"))
            {
                throw new IllegalStateException("QuestDB at " + httpAddress + ": " +
                    (answer.has("error") ? answer.get("error").asText() : response.body()) + " in: " + sql);
            }
            return answer;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("QuestDB at " + httpAddress + " unreachable: " + ex, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    /**
     * The single value of a one-row, one-column query (e.g. a count).
     *
     * @param sql the query.
     * @return the value, or null when there is no row.
     */
    public JsonNode scalar(final String sql)
    {
        final JsonNode dataset = exec(sql).get("dataset");
        return dataset == null || dataset.isEmpty() ? null : dataset.get(0).get(0);
    }

    /**
     * Wait until every WAL table has applied what it was sent (rows become visible to queries
     * asynchronously after a line-protocol request is acknowledged).
     *
     * @param timeoutMs how long to wait at most.
     * @return whether everything was applied in time.
     */
    public boolean awaitApplied(final long timeoutMs)
    {
        final long deadlineMs = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadlineMs)
        {
            final JsonNode pending = scalar("SELECT count() FROM wal_tables() WHERE writerTxn < sequencerTxn OR suspended");
            if (pending != null && pending.asLong() == 0)
            {
                return true;
            }
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public void close()
    {
        if (server != null)
        {
            // ServerMain.close() prints "QuestDB is shutting down..." on stdout, where sql's CSV or JSON lines went:
            // send it to stderr for the moment of the close
            final java.io.PrintStream out = System.out;
            System.setOut(System.err);
            try
            {
                Files.deleteIfExists(root.resolve(ADDRESS_FILE));
                server.close();
            }
            catch (final IOException ex)
            {
                server.close();
            }
            finally
            {
                System.setOut(out);
            }
        }
    }
}
