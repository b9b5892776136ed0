package io.tickjournal.ops.roles;

/**
 * A role cannot do its job (a port in use, a directory it cannot write, a partition another writer
 * holds): the message is the one line the operator sees, and the process exits with code 2.
 */
public final class RoleStartException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message one line: what cannot start and why.
     * @param cause   the failure.
     */
    public RoleStartException(final String message, final Throwable cause)
    {
        super(message, cause);
    }

    /**
     * A failure and its causes as one line ("cannot bind replication source to /127.0.0.1:40200: Address already in use").
     *
     * @param failure the failure.
     * @return its messages joined.
     */
    public static String oneLine(final Throwable failure)
    {
        final StringBuilder line = new StringBuilder();
        for (Throwable t = failure; t != null && line.length() < 400; t = t.getCause())
        {
            final String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (line.indexOf(message) < 0)
            {
                line.append(line.length() == 0 ? "" : ": ").append(message);
            }
            if (t.getCause() == t)
            {
                break;
            }
        }
        return line.toString().replace('\n', ' ');
    }
}
