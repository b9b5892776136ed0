package io.tickjournal.ops.roles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks, before a role starts, that a directory it keeps state in can be written. */
final class StateDirs
{
    private StateDirs()
    {
    }

    /**
     * Create the directory if needed and write and delete a probe file in it.
     *
     * @param key the config key naming it (for the message).
     * @param dir the directory.
     * @throws RoleStartException when it cannot be written (a read-only file system, no permission, a full disk).
     */
    static void checkWritable(final String key, final Path dir)
    {
        final Path probe = dir.resolve(".write-probe-" + ProcessHandle.current().pid());
        try
        {
            Files.createDirectories(dir);
            Files.write(probe, new byte[] {1});
            Files.delete(probe);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new RoleStartException(key + " " + dir + " cannot be written: " + RoleStartException.oneLine(ex), ex);
        }
    }
}
