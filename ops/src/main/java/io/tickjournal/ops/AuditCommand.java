package io.tickjournal.ops;

import io.tickjournal.journal.JournalTailer;
import io.tickjournal.journal.Partition;
import io.tickjournal.journal.RecordFormatter;
import io.tickjournal.journal.Records;
import io.tickjournal.journal.TradingDay;
import io.tickjournal.journal.Venues;
import io.tickjournal.journal.sbe.InstrumentDefinitionDecoder;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.RawFrameDecoder;
import io.tickjournal.journal.sbe.VenueStatusDecoder;
import io.tickjournal.journal.sbe.VenueStatusKind;
import io.tickjournal.ops.sql.TypedRecord;
import io.tickjournal.ops.sql.TypedRows;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * Queries over the journal: records or summaries by partition, venue, instrument, record type and
 * time range, and the raw frame behind any record; as a table, CSV or JSON lines.
 * <p>
 * {@code records} in csv and jsonl is typed ({@link TypedRows}): one column per field, exact decimals as
 * text; the table keeps one readable line per record.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Query the journal: 'records' lists records, 'summary' counts them (rates, gaps, resyncs, exchange-to-receive latency), " +
        "'raw PARTITION/DAY/SEQ' prints the raw frame behind a record.")
public final class AuditCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "QUERY", description = "records, summary or raw")
    String query;

    @Parameters(index = "1", arity = "0..1", paramLabel = "RECORD", description = "for raw: PARTITION/DAY/SEQ, e.g. binance-spot/2026-11-25/42")
    String record;

    @Option(names = "--journal", required = true, description = "journal directory")
    Path journal;

    @Option(names = "--partition", split = ",", description = "partitions (default: every normalized partition)")
    List<String> partitions;

    @Option(names = "--venue", description = "venue name, e.g. binance-spot")
    String venue;

    @Option(names = "--instrument", description = "instrument id or venue symbol, e.g. 1 or BTCUSDT")
    String instrument;

    @Option(names = "--type", split = ",", description = "record types: trade, book-snapshot, book-delta, top-of-book, instrument-definition, venue-status, mark-price, feature-snapshot")
    List<String> types;

    @Option(names = "--day", description = "trading day")
    String day;

    @Option(names = "--from", description = "start (UTC)")
    String from;

    @Option(names = "--to", description = "end (UTC, exclusive)")
    String to;

    @Option(names = "--format", description = "table, csv or jsonl (default: ${DEFAULT-VALUE})", defaultValue = "table")
    String format;

    @Option(names = "--limit", description = "most records to list (default: ${DEFAULT-VALUE})", defaultValue = "1000")
    long limit;

    private final PrintStream out = System.out;

    @Override
    public Integer call()
    {
        if (!Set.of("table", "csv", "jsonl").contains(format))
        {
            throw new IllegalArgumentException("--format must be table, csv or jsonl, got '" + format + "'");
        }
        switch (query)
        {
            case "records":
                return scan(false);
            case "summary":
                return scan(true);
            case "raw":
                return raw();
            default:
                throw new IllegalArgumentException("query must be records, summary or raw, got '" + query + "'");
        }
    }

    private static String typeKey(final String text)
    {
        return text.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT).replace("_", "-");
    }

    /** Per (partition, instrument) summary. */
    private static final class Summary
    {
        final String partition;
        final String instrument;
        final Map<String, Long> byType = new TreeMap<>();
        final Histogram latency = new Histogram(3_600_000_000_000L, 3);
        long records;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long gaps;
        long resyncs;
        long resets;
        long malformed;

        Summary(final String partition, final String instrument)
        {
            this.partition = partition;
            this.instrument = instrument;
        }
    }

    private int scan(final boolean summarize)
    {
        final long[] range = TimeRange.of(day, from, to);
        final int venueId = venue == null ? -1 : Venues.id(venue);
        final Set<String> wanted = types == null ? null : new java.util.HashSet<>(types.stream().map(AuditCommand::typeKey).toList());
        final List<Path> dirs = Journals.partitions(journal, partitions, false);
        final RecordFormatter formatter = new RecordFormatter();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final InstrumentDefinitionDecoder definition = new InstrumentDefinitionDecoder();
        final VenueStatusDecoder status = new VenueStatusDecoder();
        final Map<String, String> symbols = new HashMap<>();
        final Map<String, Summary> summaries = new LinkedHashMap<>();
        final long[] listed = {0};
        final long[] scanned = {0};
        final Progress progress = new Progress(System.err, "audit", 0);
        final boolean typed = !summarize && !"table".equals(format);
        final TypedRecord typedRecord = new TypedRecord();
        final TypedRows typedRows = new TypedRows(out, "csv".equals(format));
        if (typed)
        {
            typedRows.header();
        }
        else if (!summarize)
        {
            header("partition", "day", "seq", "receive_time", "type", "venue", "instrument", "venue_seq", "record");
        }
        try (MergedReader reader = new MergedReader(dirs, range[0], range[1]))
        {
            final MergedReader.Handler handler = (p, d, s, b, o, l) ->
            {
                scanned[0]++;
                final int template = Records.templateId(b, o);
                final int v = Records.venueId(b, o);
                final int id = Records.instrumentId(b, o);
                final String partition = dirs.get(p).getFileName().toString();
                if (typed)
                {
                    typedRecord.decode(b, o);
                }
                if (template == InstrumentDefinitionDecoder.TEMPLATE_ID)
                {
                    definition.wrapAndApplyHeader(b, o, header);
                    symbols.put(v + ":" + id, definition.venueSymbol());
                }
                final String symbol = symbols.getOrDefault(v + ":" + id, id == 0 ? "" : String.valueOf(id));
                if (venueId >= 0 && v != venueId)
                {
                    return;
                }
                if (instrument != null && !(instrument.equals(String.valueOf(id)) || instrument.equalsIgnoreCase(symbol)))
                {
                    return;
                }
                final String type = typeKey(RecordFormatter.typeName(template));
                if (wanted != null && !wanted.contains(type))
                {
                    return;
                }
                final long time = Records.receiveTimeNs(b, o);
                if (summarize)
                {
                    final Summary sum = summaries.computeIfAbsent(partition + " " + symbol, k -> new Summary(partition, symbol));
                    sum.records++;
                    sum.byType.merge(type, 1L, Long::sum);
                    sum.first = Math.min(sum.first, time);
                    sum.last = Math.max(sum.last, time);
                    final long event = Records.eventTimeNs(b, o);
                    if (event != Records.NULL_LONG && time > event)
                    {
                        sum.latency.recordValue(Math.min(time - event, 3_600_000_000_000L));
                    }
                    if (template == VenueStatusDecoder.TEMPLATE_ID)
                    {
                        status.wrapAndApplyHeader(b, o, header);
                        final VenueStatusKind kind = status.status();
                        sum.gaps += kind == VenueStatusKind.GAP_DETECTED ? 1 : 0;
                        sum.resyncs += kind == VenueStatusKind.RESYNCED ? 1 : 0;
                        sum.resets += kind == VenueStatusKind.BOOK_RESET ? 1 : 0;
                        sum.malformed += kind == VenueStatusKind.MALFORMED_FRAME ? 1 : 0;
                    }
                }
                else if (listed[0] < limit)
                {
                    listed[0]++;
                    if (typed)
                    {
                        typedRows.write(partition, d, s, typedRecord);
                        return;
                    }
                    row(partition, TradingDay.format(d), String.valueOf(s), instant(time), type, Venues.name(v), symbol,
                        String.valueOf(Records.venueSeq(b, o) == Records.NULL_LONG ? "" : Records.venueSeq(b, o)),
                        formatter.format(b, o, l));
                }
            };
            while (reader.read(handler, 4096) > 0 && (summarize || listed[0] < limit))
            {
                progress.update(scanned[0]);
            }
        }
        progress.finish();
        if (summarize)
        {
            header("partition", "instrument", "records", "first", "last", "rate_per_s", "by_type", "gaps", "resets", "resyncs",
                "malformed", "latency_p50_us", "latency_p99_us", "latency_p999_us");
            for (final Summary sum : summaries.values())
            {
                final double seconds = Math.max(1e-9, (sum.last - sum.first) / 1e9);
                final Histogram h = sum.latency;
                row(sum.partition, sum.instrument.isEmpty() ? "(venue)" : sum.instrument, String.valueOf(sum.records),
                    instant(sum.first), instant(sum.last), String.format("%.1f", sum.records / seconds),
                    sum.byType.toString().replace(", ", " ").replace("{", "").replace("}", ""), String.valueOf(sum.gaps),
                    String.valueOf(sum.resets), String.valueOf(sum.resyncs), String.valueOf(sum.malformed),
                    h.getTotalCount() == 0 ? "" : String.format("%.1f", h.getValueAtPercentile(50) / 1000.0),
                    h.getTotalCount() == 0 ? "" : String.format("%.1f", h.getValueAtPercentile(99) / 1000.0),
                    h.getTotalCount() == 0 ? "" : String.format("%.1f", h.getValueAtPercentile(99.9) / 1000.0));
            }
        }
        return 0;
    }

    private int raw()
    {
        if (record == null || record.split("/").length != 3)
        {
            throw new IllegalArgumentException("raw needs PARTITION/DAY/SEQ, e.g. binance-spot/2026-11-25/42");
        }
        final String[] parts = record.split("/");
        final Path dir = Journals.partitions(journal, List.of(parts[0]), false).get(0);
        final int d = TradingDay.parse(parts[1]);
        final long seq = Long.parseLong(parts[2]);
        final long[] rawIndex = {Records.NULL_LONG};
        final String[] text = {null};
        try (JournalTailer tailer = JournalTailer.open(dir, null))
        {
            if (!tailer.moveTo(d, seq) || !tailer.readOne((dd, s, b, o, l) ->
            {
                rawIndex[0] = Records.rawIndex(b, o);
                text[0] = new RecordFormatter().format(b, o, l);
            }))
            {
                System.err.println("no record " + record);
                return 1;
            }
        }
        if (rawIndex[0] == Records.NULL_LONG)
        {
            System.err.println(record + " has no raw frame (" + text[0] + ")");
            return 1;
        }
        final Path rawDir = Partition.rawDir(dir);
        final byte[][] payload = {null};
        final long[] meta = new long[2];
        try (JournalTailer tailer = JournalTailer.open(rawDir, null))
        {
            if (!tailer.moveToIndex(rawIndex[0]) || !tailer.readOne((dd, s, b, o, l) ->
            {
                final RawFrameDecoder frame = new RawFrameDecoder();
                frame.wrapAndApplyHeader(b, o, new MessageHeaderDecoder());
                meta[0] = frame.receiveTimeNs();
                meta[1] = frame.connectionId();
                payload[0] = new byte[frame.payloadLength()];
                frame.getPayload(payload[0], 0, payload[0].length);
            }))
            {
                System.err.println("raw frame " + TradingDay.format(Partition.day(rawIndex[0])) + "/" + Partition.sequence(rawIndex[0]) +
                    " of " + record + " is not in " + rawDir);
                return 1;
            }
        }
        final String frameText = new String(payload[0], StandardCharsets.UTF_8);
        if ("jsonl".equals(format))
        {
            out.println("{\"record\":" + json(record) + ",\"decoded\":" + json(text[0]) + ",\"raw\":" +
                json(TradingDay.format(Partition.day(rawIndex[0])) + "/" + Partition.sequence(rawIndex[0])) +
                ",\"receive_time\":" + json(instant(meta[0])) + ",\"connection\":" + meta[1] + ",\"frame\":" + json(frameText) + "}");
        }
        else
        {
            out.println("record   " + record + "  " + text[0]);
            out.println("raw      " + rawDir.getFileName() + "/" + TradingDay.format(Partition.day(rawIndex[0])) + "/" +
                Partition.sequence(rawIndex[0]) + "  received " + instant(meta[0]) + " on connection " + meta[1] +
                (meta[1] == -1 ? " (REST)" : ""));
            out.println(frameText);
        }
        return 0;
    }

    private List<String> columns = new ArrayList<>();

    private void header(final String... names)
    {
        columns = List.of(names);
        if ("csv".equals(format))
        {
            out.println(String.join(",", names));
        }
        else if ("table".equals(format))
        {
            out.println(String.join("  ", names));
        }
    }

    private void row(final String... values)
    {
        switch (format)
        {
            case "csv" ->
            {
                final StringBuilder line = new StringBuilder();
                for (int i = 0; i < values.length; i++)
                {
                    line.append(i == 0 ? "" : ",").append(csv(values[i]));
                }
                out.println(line);
            }
            case "jsonl" ->
            {
                final StringBuilder line = new StringBuilder("{");
                for (int i = 0; i < values.length; i++)
                {
                    line.append(i == 0 ? "" : ",").append(json(columns.get(i))).append(':').append(json(values[i]));
                }
                out.println(line.append('}'));
            }
            default -> out.println(String.join("  ", values));
        }
    }

    private static String csv(final String value)
    {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    static String json(final String value)
    {
        final StringBuilder b = new StringBuilder(value.length() + 2).append('"');
        for (final char c : value.toCharArray())
        {
            switch (c)
            {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c < 32 ? String.format("\\u%04x", (int)c) : String.valueOf(c));
            }
        }
        return b.append('"').toString();
    }

    private static String instant(final long ns)
    {
        if (ns == Long.MAX_VALUE || ns == Long.MIN_VALUE)
        {
            return "";
        }
        return java.time.Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L)).toString();
    }
}
