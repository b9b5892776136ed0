package io.tickjournal.ops.roles;

/**
 * A running role that can tell it no longer does its job (a server that stopped serving): the
 * role's process then says so in one line and exits non-zero instead of running on uselessly.
 * Read from the process's main thread once a second.
 */
public interface RoleHealth
{
    /** @return null while the role works, or one line saying what stopped working. */
    String failure();
}
