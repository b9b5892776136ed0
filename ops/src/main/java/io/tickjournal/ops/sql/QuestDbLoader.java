package io.tickjournal.ops.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.questdb.client.Sender;
import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.RecordConsumer;
import io.tickjournal.journal.TradingDay;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Follows journal partitions by position and writes their records into QuestDB's tables
 * ({@link QuestDbSchema}) over the line protocol, on its own thread: a reader of the journal like any
 * tailer, so it never slows ingest, the bridge or the pricing tailer.
 * <p>
 * Each {@link #doWork()} reads up to {@code batchRecords} records per partition (fewer once the request holds
 * {@code maxRequestBytes}: a record may be one row or a thousand), never across a trading day's end, and writes their rows into one of two line-protocol senders; the batch goes to QuestDB in one
 * HTTP request sent by the loader's flush thread ({@link RequestFlusher}) while the loader reads and encodes the next
 * batch into the other sender, so QuestDB parses one batch while the next is built (one request in flight at a
 * time). A batch is acknowledged only when its request succeeded.
 * When QuestDB is down or refuses a request the loader says so once, rewinds every partition to its last
 * acknowledged record, and retries after {@link #RETRY_AFTER_NS}: it falls behind and catches up, it never
 * blocks anyone. At start each
 * partition resumes from what the tables hold (the highest (day, seq) in any table, rewound by one batch
 * in case the last request was half-applied: a batch never spans two days, so rewinding within the last
 * day the tables hold is enough); the tables' dedup keys make the rewind and any re-load upserts, never
 * duplicates. A partition that does not exist yet (the follower started before ingest) is opened when its
 * first cycle file appears.
 * <p>
 * Threading: {@link #doWork()}, {@link #behindRecords()} and {@link #close()} from one thread (its agent
 * runner's), plus the flush thread this loader owns, which touches only the sender handed to it (a volatile
 * hand-off each way, no lock); the published counters ({@link #recordsLoaded()}, {@link #rowsLoaded()}, {@link #isDown()},
 * {@link #recordsBehind()}, {@link #isFollowing()}) may be read from any thread.
 */
public final class QuestDbLoader implements Agent, AutoCloseable
{
    /** Wait before retrying a QuestDB that failed: long enough not to spin on a dead server. */
    public static final long RETRY_AFTER_NS = 1_000_000_000L;
    /** Longest wait at start for QuestDB to apply its WAL before asking the tables where to resume. */
    public static final long RESUME_AWAIT_APPLIED_MS = 30_000;
    /**
     * A request ends at this many bytes of line protocol even before {@code batchRecords} records: rows per record
     * vary (a 1,000-level snapshot is 1,000 rows), and the request must fit the sender's buffer.
     */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 16 << 20;
    /** How often the records-behind figure is recomputed and published (it asks each queue for its end). */
    public static final long PUBLISH_INTERVAL_NS = 100_000_000L;

    private final QuestDb db;
    private final int fromDay;
    private final int toDay;
    private final int batchRecords;
    private final int maxRequestBytes;
    private final EpochNanoClock clock;
    private final Consumer<String> log;
    private final List<Source> sources = new ArrayList<>();
    /** Two senders: rows go into {@code senders[encoding]} while the other may be in flight. */
    private final Sender[] senders = new Sender[2];
    private int encoding;
    /** The sender rows are being written into ({@code senders[encoding]}), or null while QuestDB is down. */
    private Sender sender;
    private volatile RequestFlusher flusher;
    /** A batch encoded but not yet handed to the flusher (it was busy with the one before). */
    private boolean encodedWaiting;
    private boolean inFlight;
    private long inFlightRecords;
    private long inFlightRows;
    private boolean started;
    private long retryAtNs;
    private volatile boolean down;
    private volatile long recordsLoaded;
    private volatile long rowsLoaded;
    private volatile long recordsBehind;
    private volatile boolean following;
    private long publishAtNs;
    private long openAtNs;
    private long pendingRecords;
    private long pendingRows;
    private int lastWork = -1;
    private int firstSource;
    private volatile long requestsSent;

    /** One partition being followed. */
    private final class Source implements RecordConsumer
    {
        final String name;
        final Path dir;
        JournalTailer tailer;
        final TypedRecord typed = new TypedRecord();
        int batchDay;
        boolean positioned;
        long skipBelowIndex = Long.MIN_VALUE;
        long ackedIndex = -1;
        long readIndex = -1;
        long startIndex = -1;
        long inFlightIndex = -1;
        int dayCached = Integer.MIN_VALUE;
        String dayText;
        boolean finished;

        Source(final Path dir)
        {
            this.dir = dir;
            this.name = dir.getFileName().toString();
        }

        /** Open the partition once it has a cycle file; false while it has none. */
        boolean open()
        {
            if (tailer == null && Partition.hasCycleFiles(dir))
            {
                tailer = JournalTailer.open(dir, null);
            }
            return tailer != null;
        }

        /** Read up to {@code limit} records of one day, fewer when the request reaches {@code maxRequestBytes}. */
        int poll(final int limit)
        {
            batchDay = Integer.MIN_VALUE;
            int count = 0;
            while (count < limit && sender.bufferView().size() < maxRequestBytes && tailer.offerOne(this) > 0)
            {
                count++;
            }
            return count;
        }

        @Override
        public boolean onRecord(final int day, final long seq, final DirectBuffer buffer, final int offset, final int length)
        {
            if (toDay >= 0 && day > toDay)
            {
                finished = true;
                return false;
            }
            if (batchDay != Integer.MIN_VALUE && day != batchDay)
            {
                return false;
            }
            batchDay = day;
            final long index = Partition.index(day, seq);
            readIndex = index;
            typed.decode(buffer, offset);
            if (index < skipBelowIndex || day < fromDay)
            {
                return true;
            }
            if (day != dayCached)
            {
                dayCached = day;
                dayText = TradingDay.format(day);
            }
            pendingRows += QuestDbRows.write(sender, name, dayText, seq, typed);
            pendingRecords++;
            return true;
        }
    }

    /**
     * A loader over some partitions.
     *
     * @param db           where to load.
     * @param partitions   partition directories.
     * @param fromDay      first trading day to load, or -1 for every day.
     * @param toDay        last trading day to load, or -1 to follow the journal for ever.
     * @param batchRecords most records per partition per request.
     * @param clock        clock for the retry back-off.
     * @param log          where to say what happens (falling behind, catching up).
     */
    public QuestDbLoader(
        final QuestDb db, final List<Path> partitions, final int fromDay, final int toDay, final int batchRecords,
        final EpochNanoClock clock, final Consumer<String> log)
    {
        this(db, partitions, fromDay, toDay, batchRecords, DEFAULT_MAX_REQUEST_BYTES, clock, log);
    }

    /**
     * A loader over some partitions, with its own bound on a request's size.
     *
     * @param db              where to load.
     * @param partitions      partition directories.
     * @param fromDay         first trading day to load, or -1 for every day.
     * @param toDay           last trading day to load, or -1 to follow the journal for ever.
     * @param batchRecords    most records per partition per request.
     * @param maxRequestBytes a request ends once it holds this many bytes of line protocol.
     * @param clock           clock for the retry back-off.
     * @param log             where to say what happens (falling behind, catching up).
     */
    public QuestDbLoader(
        final QuestDb db, final List<Path> partitions, final int fromDay, final int toDay, final int batchRecords,
        final int maxRequestBytes, final EpochNanoClock clock, final Consumer<String> log)
    {
        this.db = db;
        this.fromDay = fromDay;
        this.toDay = toDay;
        this.batchRecords = batchRecords;
        this.maxRequestBytes = maxRequestBytes;
        this.clock = clock;
        this.log = log;
        for (final Path dir : partitions)
        {
            sources.add(new Source(dir));
        }
    }

    @Override
    public String roleName()
    {
        return "questdb-loader";
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        openSources(nowNs);
        if (sender == null)
        {
            if (nowNs < retryAtNs)
            {
                return 0;
            }
            try
            {
                if (!started)
                {
                    QuestDbSchema.create(db);
                    // a QuestDB that restarted applies its WAL first: resume from what it holds, not what it shows so far
                    if (!db.awaitApplied(RESUME_AWAIT_APPLIED_MS))
                    {
                        log.accept("questdb loader: tables still applying after " + RESUME_AWAIT_APPLIED_MS +
                            " ms; resuming from what they show (earlier rows are sent again and upserted)");
                    }
                    started = true;
                }
                positionSources();
                senders[0] = db.newSender(maxRequestBytes);
                senders[1] = db.newSender(maxRequestBytes);
                encoding = 0;
                sender = senders[0];
                if (flusher == null)
                {
                    flusher = new RequestFlusher();
                }
            }
            catch (final RuntimeException ex)
            {
                fail(nowNs, ex);
                return 0;
            }
        }
        if (hasUnpositioned())
        {
            try
            {
                positionSources();
            }
            catch (final RuntimeException ex)
            {
                fail(nowNs, ex);
                return 0;
            }
        }
        if (inFlight)
        {
            final int state = flusher.state;
            if (state == RequestFlusher.FAILED)
            {
                lastWork = -1;
                fail(nowNs, flusher.failure);
                return 0;
            }
            if (state == RequestFlusher.DONE)
            {
                acknowledge();
            }
        }
        int work = 0;
        if (!encodedWaiting)
        {
            // a request may fill before every partition had its turn: each step starts one partition later
            final int n = sources.size();
            for (int i = 0; i < n; i++)
            {
                final Source source = sources.get((firstSource + i) % n);
                if (source.positioned && !source.finished)
                {
                    work += source.poll(batchRecords);
                }
            }
            firstSource = n == 0 ? 0 : (firstSource + 1) % n;
            lastWork = work;
            encodedWaiting = pendingRecords > 0 || work > 0;
        }
        if (encodedWaiting && !inFlight)
        {
            for (final Source source : sources)
            {
                source.inFlightIndex = source.readIndex;
            }
            inFlightRecords = pendingRecords;
            inFlightRows = pendingRows;
            pendingRecords = 0;
            pendingRows = 0;
            encodedWaiting = false;
            inFlight = true;
            flusher.submit(sender);
            encoding ^= 1;
            sender = senders[encoding];
        }
        publish(nowNs, false);
        return work;
    }

    /** The request in flight succeeded: its records are in QuestDB. */
    private void acknowledge()
    {
        inFlight = false;
        for (final Source source : sources)
        {
            source.ackedIndex = source.inFlightIndex;
        }
        recordsLoaded += inFlightRecords;
        rowsLoaded += inFlightRows;
        requestsSent++;
        if (down)
        {
            down = false;
            log.accept("questdb at " + db.httpAddress() + " answers again: catching up");
        }
    }

    /** Open the partitions whose first cycle file has appeared since the last look (QuestDB need not answer). */
    private void openSources(final long nowNs)
    {
        if (nowNs - openAtNs >= 0)
        {
            openAtNs = nowNs + RETRY_AFTER_NS;
            for (final Source source : sources)
            {
                source.open();
            }
        }
    }

    /** Position each newly opened partition where the tables end (asks QuestDB; throws when it does not answer). */
    private void positionSources()
    {
        for (final Source source : sources)
        {
            if (!source.positioned && source.tailer != null)
            {
                resume(source);
                source.positioned = true;
            }
        }
    }

    private boolean hasUnpositioned()
    {
        for (final Source source : sources)
        {
            if (!source.positioned && source.tailer != null)
            {
                return true;
            }
        }
        return false;
    }

    private void publish(final long nowNs, final boolean force)
    {
        if (force || nowNs - publishAtNs >= 0)
        {
            publishAtNs = nowNs + PUBLISH_INTERVAL_NS;
            recordsBehind = behindRecords();
            following = isCaughtUp();
        }
    }

    /**
     * @return records behind the journal's end as last published (about every {@link #PUBLISH_INTERVAL_NS}); any thread.
     */
    public long recordsBehind()
    {
        return recordsBehind;
    }

    /**
     * @return whether, when last published, every partition was read to its end and acknowledged; any thread.
     */
    public boolean isFollowing()
    {
        return following;
    }

    /**
     * @return whether every partition is read to its end (or past {@code toDay}) and acknowledged.
     */
    public boolean isCaughtUp()
    {
        return sender != null && !down && !inFlight && !encodedWaiting && pendingRecords == 0 && lastWork == 0 && !hasUnpositioned();
    }

    /**
     * @return records written and acknowledged since start.
     */
    public long recordsLoaded()
    {
        return recordsLoaded;
    }

    /**
     * @return rows written and acknowledged since start.
     */
    public long rowsLoaded()
    {
        return rowsLoaded;
    }

    /**
     * @return requests QuestDB acknowledged since start; any thread.
     */
    public long requestsSent()
    {
        return requestsSent;
    }

    /**
     * @return whether a request is being sent by the loader's flush thread; any thread.
     */
    public boolean isRequestInFlight()
    {
        final RequestFlusher f = flusher;
        return f != null && f.state == RequestFlusher.BUSY;
    }

    /**
     * @return whether the last attempt to reach QuestDB failed (the loader is falling behind).
     */
    public boolean isDown()
    {
        return down;
    }

    /**
     * Records in the journal after the last acknowledged one, summed over partitions (the current day of
     * each; an estimate across days). On the loader's thread only.
     *
     * @return how far behind the loader is.
     */
    public long behindRecords()
    {
        long behind = 0;
        for (final Source source : sources)
        {
            if (source.tailer == null)
            {
                continue;
            }
            final long last = source.tailer.queue().lastIndex();
            final long acked = source.ackedIndex >= 0 ? source.ackedIndex : source.startIndex;
            if (last >= 0)
            {
                behind += acked < 0 || Partition.day(last) != Partition.day(acked) ? Partition.sequence(last) :
                    Partition.sequence(last) - Partition.sequence(acked);
            }
        }
        return behind;
    }

    @Override
    public void onClose()
    {
        close();
    }

    @Override
    public void close()
    {
        // rows reach QuestDB in journal order, or the later ones not at all: a restart resumes one batch below the
        // highest seq the tables hold, so a later batch stored without the one before it would leave a hole
        boolean sent = true;
        if (flusher != null)
        {
            flusher.stop(); // the request in flight ends (or times out) first
            if (inFlight)
            {
                final int state = flusher.state;
                sent = state == RequestFlusher.DONE || (state == RequestFlusher.BUSY && closeSender(senders[encoding ^ 1], true));
                senders[encoding ^ 1] = null;
            }
            flusher = null;
        }
        inFlight = false;
        if (senders[encoding] != null)
        {
            closeSender(senders[encoding], sent);
            senders[encoding] = null;
        }
        if (senders[encoding ^ 1] != null)
        {
            closeSender(senders[encoding ^ 1], false);
            senders[encoding ^ 1] = null;
        }
        sender = null;
        for (final Source source : sources)
        {
            if (source.tailer != null)
            {
                source.tailer.close();
            }
        }
    }

    /** Close a sender, sending what it holds or dropping it; false when sending failed. */
    private boolean closeSender(final Sender s, final boolean send)
    {
        try
        {
            if (!send)
            {
                s.reset();
            }
            s.close();
            return true;
        }
        catch (final RuntimeException ex)
        {
            log.accept("questdb loader: unflushed rows dropped on close (" + ex.getMessage() + "); a restart re-loads them");
            return false;
        }
    }

    private void fail(final long nowNs, final RuntimeException ex)
    {
        if (!down)
        {
            log.accept("questdb at " + db.httpAddress() + " failed (" + ex.getMessage() + "): loader falling behind, " +
                behindRecords() + " records behind; retrying every " + RETRY_AFTER_NS / 1_000_000 + " ms");
        }
        down = true;
        following = false;
        retryAtNs = nowNs + RETRY_AFTER_NS;
        while (inFlight && flusher.state == RequestFlusher.BUSY)
        {
            // a request is still in flight (this failure came from elsewhere): its sender is the flusher's until it ends
            Thread.yield();
        }
        inFlight = false;
        encodedWaiting = false;
        for (int i = 0; i < senders.length; i++)
        {
            if (senders[i] != null)
            {
                try
                {
                    senders[i].reset();
                    senders[i].close();
                }
                catch (final RuntimeException ignore)
                {
                    // the rows it held are re-read from the journal below
                }
                senders[i] = null;
            }
        }
        sender = null;
        pendingRecords = 0;
        pendingRows = 0;
        for (final Source source : sources)
        {
            if (source.positioned)
            {
                rewind(source);
            }
        }
        publish(nowNs, true);
    }

    private void rewind(final Source source)
    {
        source.finished = false;
        final long index = source.ackedIndex >= 0 ? source.ackedIndex : source.startIndex;
        source.readIndex = source.ackedIndex;
        if (index < 0)
        {
            source.tailer.toStart();
            return;
        }
        source.tailer.moveTo(Partition.day(index), Partition.sequence(index));
        if (source.ackedIndex >= 0)
        {
            source.tailer.readOne((d, s, b, o, l) ->
            {
            });
        }
    }

    private void resume(final Source source)
    {
        final String range = (fromDay >= 0 ? " AND day >= '" + TradingDay.format(fromDay) + "'" : "") +
            (toDay >= 0 ? " AND day <= '" + TradingDay.format(toDay) + "'" : "");
        String bestDay = null;
        long bestSeq = 0;
        for (final String table : QuestDbSchema.TABLES)
        {
            final JsonNode dataset = db.exec("SELECT day, max(seq) FROM " + table + " WHERE journal_partition = '" + source.name + "'" +
                range + " ORDER BY day DESC LIMIT 1").get("dataset");
            if (dataset != null && !dataset.isEmpty())
            {
                final String day = dataset.get(0).get(0).asText();
                final long seq = dataset.get(0).get(1).asLong();
                if (bestDay == null || day.compareTo(bestDay) > 0 || (day.equals(bestDay) && seq > bestSeq))
                {
                    bestDay = day;
                    bestSeq = seq;
                }
            }
        }
        final int startDay;
        if (bestDay != null)
        {
            startDay = TradingDay.parse(bestDay);
            source.skipBelowIndex = Partition.index(startDay, Math.max(1, bestSeq - batchRecords));
            log.accept("questdb loader: " + source.name + " resumes at " + bestDay + "/" + Math.max(1, bestSeq - batchRecords) +
                " (tables hold up to seq " + bestSeq + ")");
        }
        else if (fromDay >= 0)
        {
            startDay = fromDay;
        }
        else
        {
            source.tailer.toStart();
            return;
        }
        // from the day's first record, so the day's instrument definitions are seen before its rows
        if (source.tailer.moveTo(startDay, 1))
        {
            source.startIndex = Partition.index(startDay, 1);
            return;
        }
        final int next = source.tailer.nextDay(startDay);
        if (next >= 0 && source.tailer.moveTo(next, 1))
        {
            source.startIndex = Partition.index(next, 1);
        }
        else
        {
            source.tailer.toEnd();
        }
    }

}
