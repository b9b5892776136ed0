package io.tickjournal.ops.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A position in the YAML tree with its key path, so every error names the key, the value and the
 * reason. Unknown keys are errors too (a typo must not silently fall back to a default).
 */
final class Node
{
    private final JsonNode node;
    private final String path;

    Node(final JsonNode node, final String path)
    {
        this.node = node;
        this.path = path;
    }

    String path()
    {
        return path;
    }

    boolean missing()
    {
        return node == null || node.isMissingNode() || node.isNull();
    }

    private String key(final String name)
    {
        return path.isEmpty() ? name : path + "." + name;
    }

    Node get(final String name)
    {
        return new Node(missing() ? null : node.get(name), key(name));
    }

    void allowOnly(final String... names)
    {
        if (missing())
        {
            return;
        }
        if (!node.isObject())
        {
            throw new ConfigException(path.isEmpty() ? "(top level)" : path, node.toString(), "must be a mapping of keys to values");
        }
        final Set<String> allowed = Set.of(names);
        for (final Iterator<String> it = node.fieldNames(); it.hasNext(); )
        {
            final String name = it.next();
            if (!allowed.contains(name))
            {
                throw new ConfigException(key(name), node.get(name).asText(), "unknown key (known here: " +
                    String.join(", ", names) + ")");
            }
        }
    }

    List<Node> list()
    {
        final List<Node> out = new ArrayList<>();
        if (missing())
        {
            return out;
        }
        if (!node.isArray())
        {
            throw new ConfigException(path, node.asText(), "must be a list");
        }
        for (int i = 0; i < node.size(); i++)
        {
            out.add(new Node(node.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    String text(final String name, final String fallback)
    {
        final Node child = get(name);
        if (child.missing())
        {
            if (fallback == null)
            {
                throw new ConfigException(child.path, null, "required");
            }
            return fallback;
        }
        if (!child.node.isValueNode())
        {
            throw new ConfigException(child.path, child.node.toString(), "must be a single value");
        }
        return child.node.asText();
    }

    long number(final String name, final long fallback, final long min, final long max)
    {
        final Node child = get(name);
        if (child.missing())
        {
            return fallback;
        }
        final String text = child.node.asText();
        final long value;
        if (child.node.isIntegralNumber())
        {
            value = child.node.asLong();
        }
        else
        {
            try
            {
                value = Long.parseLong(text.trim().replace("_", ""));
            }
            catch (final NumberFormatException ex)
            {
                throw new ConfigException(child.path, text, "not a whole number");
            }
        }
        if (value < min || value > max)
        {
            throw new ConfigException(child.path, text, "must be between " + min + " and " + max);
        }
        return value;
    }

    int integer(final String name, final int fallback, final int min, final int max)
    {
        return (int)number(name, fallback, min, max);
    }

    boolean bool(final String name, final boolean fallback)
    {
        final Node child = get(name);
        if (child.missing())
        {
            return fallback;
        }
        final String text = child.node.asText();
        if (!"true".equals(text) && !"false".equals(text))
        {
            throw new ConfigException(child.path, text, "must be true or false");
        }
        return Boolean.parseBoolean(text);
    }

    Path path(final String name, final Path fallback, final Path base)
    {
        final String text = text(name, fallback == null ? null : fallback.toString());
        final Path p = Path.of(text);
        return p.isAbsolute() || base == null ? p : base.resolve(p).normalize();
    }

    URI uri(final String name, final String fallback, final Set<String> schemes)
    {
        final String text = text(name, fallback);
        final URI uri;
        try
        {
            uri = new URI(text);
        }
        catch (final java.net.URISyntaxException ex)
        {
            throw new ConfigException(key(name), text, "not a URI (" + ex.getReason() + ")");
        }
        if (uri.getScheme() == null || !schemes.contains(uri.getScheme()) || uri.getHost() == null)
        {
            throw new ConfigException(key(name), text, "must be a " + String.join(" or ", new java.util.TreeSet<>(schemes)) + " URI with a host");
        }
        return uri;
    }

    InetSocketAddress address(final String name, final String fallback)
    {
        final String text = text(name, fallback);
        if (text.isEmpty())
        {
            return null;
        }
        final int colon = text.lastIndexOf(':');
        if (colon <= 0)
        {
            throw new ConfigException(key(name), text, "must be host:port");
        }
        final int port;
        try
        {
            port = Integer.parseInt(text.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException(key(name), text, "port is not a number");
        }
        if (port < 0 || port > 65535)
        {
            throw new ConfigException(key(name), text, "port must be 0..65535");
        }
        final InetSocketAddress address = new InetSocketAddress(text.substring(0, colon), port);
        if (address.isUnresolved())
        {
            throw new ConfigException(key(name), text, "host does not resolve");
        }
        return address;
    }

    <T> T parsed(final String name, final String fallback, final Function<String, T> parser)
    {
        final String text = text(name, fallback);
        try
        {
            return parser.apply(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(key(name), text, ex.getMessage());
        }
    }

    List<String> strings(final String name, final List<String> fallback)
    {
        final Node child = get(name);
        if (child.missing())
        {
            return fallback;
        }
        final List<String> out = new ArrayList<>();
        for (final Node item : child.list())
        {
            if (!item.node.isValueNode())
            {
                throw new ConfigException(item.path, item.node.toString(), "must be a single value");
            }
            out.add(item.node.asText());
        }
        return out;
    }
}
