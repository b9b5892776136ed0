package io.tickjournal.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickjournal.ops.sql.QuestDb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tickjournal sql "SELECT ..."}: one query against the QuestDB the journal is loaded into
 * (in-process by default, see {@link QuestDbOptions}), printed as an aligned table, CSV or JSON lines.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Run SQL over the loaded ticks (tables trades, top_of_book, book_updates, book_levels, venue_status, features): " +
        "QuestDB in-process beside the journal unless a server is configured.")
public final class SqlCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "SQL", description = "the query, e.g. \"SELECT venue, count() FROM trades\"")
    String sql;

    @Mixin
    QuestDbOptions questDb;

    @Option(names = "--format", description = "table, csv or jsonl (default: ${DEFAULT-VALUE})", defaultValue = "table")
    String format;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception
    {
        if (!List.of("table", "csv", "jsonl").contains(format))
        {
            throw new IllegalArgumentException("--format must be table, csv or jsonl, got '" + format + "'");
        }
        try (QuestDb db = questDb.open())
        {
            final JsonNode answer;
            try
            {
                answer = db.exec(sql);
            }
            catch (final IllegalStateException ex)
            {
                System.err.println("sql: " + ex.getMessage());
                return 1;
            }
            final JsonNode columns = answer.get("columns");
            final JsonNode dataset = answer.get("dataset");
            if (columns == null || dataset == null)
            {
                out.println(answer.has("ddl") ? answer.get("ddl").asText() : answer.toString());
                return 0;
            }
            final List<String> names = new ArrayList<>();
            final List<Boolean> doubles = new ArrayList<>();
            columns.forEach(c ->
            {
                names.add(c.get("name").asText());
                doubles.add(List.of("DOUBLE", "FLOAT").contains(c.path("type").asText()));
            });
            print(names, doubles, dataset);
        }
        return 0;
    }

    private void print(final List<String> names, final List<Boolean> doubles, final JsonNode dataset)
    {
        switch (format)
        {
            case "csv" ->
            {
                out.println(String.join(",", names));
                for (final JsonNode row : dataset)
                {
                    final StringBuilder line = new StringBuilder();
                    for (int i = 0; i < names.size(); i++)
                    {
                        final String v = text(row.get(i));
                        line.append(i == 0 ? "" : ",").append(v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
                    }
                    out.println(line);
                }
            }
            case "jsonl" ->
            {
                for (final JsonNode row : dataset)
                {
                    final StringBuilder line = new StringBuilder("{");
                    for (int i = 0; i < names.size(); i++)
                    {
                        line.append(i == 0 ? "" : ",").append(AuditCommand.json(names.get(i))).append(':').append(row.get(i).toString());
                    }
                    out.println(line.append('}'));
                }
            }
            default ->
            {
                final int[] widths = new int[names.size()];
                for (int i = 0; i < names.size(); i++)
                {
                    widths[i] = names.get(i).length();
                }
                for (final JsonNode row : dataset)
                {
                    for (int i = 0; i < names.size(); i++)
                    {
                        widths[i] = Math.max(widths[i], cell(row.get(i), doubles.get(i)).length());
                    }
                }
                final StringBuilder header = new StringBuilder();
                for (int i = 0; i < names.size(); i++)
                {
                    header.append(i == 0 ? "" : "  ").append(pad(names.get(i), widths[i]));
                }
                out.println(header.toString().stripTrailing());
                for (final JsonNode row : dataset)
                {
                    final StringBuilder line = new StringBuilder();
                    for (int i = 0; i < names.size(); i++)
                    {
                        line.append(i == 0 ? "" : "  ").append(pad(cell(row.get(i), doubles.get(i)), widths[i]));
                    }
                    out.println(line.toString().stripTrailing());
                }
                out.println("(" + dataset.size() + " rows)");
            }
        }
    }

    /**
     * A table cell: a DOUBLE to 15 significant digits (what a double holds), so {@code 0.1 + 0.2} shows as
     * {@code 0.3}, not {@code 0.30000000000000004}; CSV and JSON lines keep QuestDB's text.
     */
    static String cell(final JsonNode value, final boolean isDouble)
    {
        final String text = text(value);
        if (!isDouble || text.isEmpty() || !value.isNumber())
        {
            return text;
        }
        return new java.math.BigDecimal(text).round(new java.math.MathContext(15)).stripTrailingZeros().toPlainString();
    }

    private static String text(final JsonNode value)
    {
        return value == null || value.isNull() ? "" : value.asText();
    }

    private static String pad(final String text, final int width)
    {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
