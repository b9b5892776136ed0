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
    description = "Run SQL over the loaded ticks (tables trades, top_of_book, book_levels, venue_status, features): " +
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
            final JsonNode answer = db.exec(sql);
            final JsonNode columns = answer.get("columns");
            final JsonNode dataset = answer.get("dataset");
            if (columns == null || dataset == null)
            {
                out.println(answer.has("ddl") ? answer.get("ddl").asText() : answer.toString());
                return 0;
            }
            final List<String> names = new ArrayList<>();
            columns.forEach(c -> names.add(c.get("name").asText()));
            print(names, dataset);
        }
        return 0;
    }

    private void print(final List<String> names, final JsonNode dataset)
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
                        widths[i] = Math.max(widths[i], text(row.get(i)).length());
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
                        line.append(i == 0 ? "" : "  ").append(pad(text(row.get(i)), widths[i]));
                    }
                    out.println(line.toString().stripTrailing());
                }
                out.println("(" + dataset.size() + " rows)");
            }
        }
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
