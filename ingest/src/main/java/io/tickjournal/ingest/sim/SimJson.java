package io.tickjournal.ingest.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages rendered with Jackson's {@link JsonGenerator}: compact, fields in the order written,
 * exact decimals written as the venue does (strings) so nothing passes through a {@code double}.
 * The simulator is not the tick path: a message is one string.
 */
final class SimJson
{
    private static final JsonFactory FACTORY = new JsonFactory();

    /** Writes one message. */
    @FunctionalInterface
    interface Body
    {
        void write(JsonGenerator json) throws IOException;
    }

    private SimJson()
    {
    }

    static String write(final Body body)
    {
        final StringWriter out = new StringWriter(256);
        try (JsonGenerator json = FACTORY.createGenerator(out))
        {
            body.write(json);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    /**
     * Levels as {@code [["price","size"],..]} or with OKX's extra {@code "0","orders"} columns.
     */
    static void levels(final JsonGenerator json, final String name, final java.util.List<String[]> levels) throws IOException
    {
        json.writeArrayFieldStart(name);
        for (final String[] level : levels)
        {
            json.writeStartArray();
            for (final String s : level)
            {
                json.writeString(s);
            }
            json.writeEndArray();
        }
        json.writeEndArray();
    }

    /**
     * A client's control message: {@code op}, its request id ({@code req_id} or {@code id}) and
     * its arguments, strings as they are and OKX's objects as {@code channel:instId}.
     *
     * @param op    the operation, or null.
     * @param id    the request id as text, or null.
     * @param args  the arguments.
     * @param other the name of the first unknown field, or null.
     */
    record Control(String op, String id, List<String> args, String other)
    {
    }

    /**
     * @param text a client's frame.
     * @return its control message, or null if it is not a JSON object.
     */
    static Control readControl(final String text)
    {
        try (JsonParser json = FACTORY.createParser(text))
        {
            if (json.nextToken() != JsonToken.START_OBJECT)
            {
                return null;
            }
            String op = null;
            String id = null;
            String other = null;
            final List<String> args = new ArrayList<>();
            while (json.nextToken() == JsonToken.FIELD_NAME)
            {
                final String name = json.currentName();
                final JsonToken value = json.nextToken();
                switch (name)
                {
                    case "op" -> op = value == JsonToken.VALUE_STRING ? json.getText() : null;
                    case "req_id", "id" -> id = value.isScalarValue() ? json.getText() : null;
                    case "args" ->
                    {
                        if (value != JsonToken.START_ARRAY)
                        {
                            json.skipChildren();
                            other = name;
                            break;
                        }
                        while (json.nextToken() != JsonToken.END_ARRAY)
                        {
                            if (json.currentToken() == JsonToken.START_OBJECT)
                            {
                                String channel = "";
                                String instId = "";
                                while (json.nextToken() == JsonToken.FIELD_NAME)
                                {
                                    final String field = json.currentName();
                                    json.nextToken();
                                    if ("channel".equals(field))
                                    {
                                        channel = json.getText();
                                    }
                                    else if ("instId".equals(field))
                                    {
                                        instId = json.getText();
                                    }
                                    else
                                    {
                                        json.skipChildren();
                                    }
                                }
                                args.add(channel + ":" + instId);
                            }
                            else
                            {
                                args.add(json.getText());
                                json.skipChildren();
                            }
                        }
                    }
                    default ->
                    {
                        other = other == null ? name : other;
                        json.skipChildren();
                    }
                }
            }
            if (json.currentToken() != JsonToken.END_OBJECT || json.nextToken() != null)
            {
                return null;
            }
            return new Control(op, id, args, other);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /**
     * A decimal as OKX prints it: no trailing zeros, no trailing point.
     *
     * @param units         the value in units of 10^-unitDecimals.
     * @param unitDecimals  decimals of a unit.
     * @return the text.
     */
    static String stripped(final long units, final int unitDecimals)
    {
        String text = SimMarket.decimal(units, unitDecimals, unitDecimals);
        if (text.indexOf('.') >= 0)
        {
            int end = text.length();
            while (text.charAt(end - 1) == '0')
            {
                end--;
            }
            if (text.charAt(end - 1) == '.')
            {
                end--;
            }
            text = text.substring(0, end);
        }
        return text;
    }
}
