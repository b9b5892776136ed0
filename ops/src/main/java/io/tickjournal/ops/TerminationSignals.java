package io.tickjournal.ops;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * SIGTERM and SIGINT handled as a request to stop, instead of the JVM's default of starting its
 * shutdown: the main thread then stops the role cleanly and the process exits 0. (With the default,
 * the JVM exits 128 + 15 = 143 once its shutdown hooks are done, whatever main returns, so a clean
 * stop looked like a failure to systemd and to scripts.)
 * <p>
 * {@code sun.misc.Signal} is called through reflection: it is exported by {@code jdk.unsupported}
 * on every JDK since 9, but naming it in source is a proprietary-API warning, which the build
 * treats as an error. Where it is missing, nothing is installed and Agrona's
 * {@link org.agrona.concurrent.ShutdownSignalBarrier} still stops the role from its shutdown hook
 * (exit 143).
 */
final class TerminationSignals implements AutoCloseable
{
    private static final String[] SIGNALS = {"TERM", "INT"};

    private final Object[] previous = new Object[SIGNALS.length];
    private Method handle;
    private Object[] signals;

    private TerminationSignals()
    {
    }

    /**
     * Install the handlers.
     *
     * @param onSignal what a signal does (called on the JVM's signal thread; must not block).
     * @return the installed handlers; close to restore the previous ones.
     */
    static TerminationSignals install(final Runnable onSignal)
    {
        final TerminationSignals installed = new TerminationSignals();
        try
        {
            final Class<?> signalClass = Class.forName("sun.misc.Signal");
            final Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            final Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                (proxy, method, args) ->
                {
                    switch (method.getName())
                    {
                        case "handle":
                            onSignal.run();
                            return null;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            return "tickjournal termination handler";
                    }
                });
            installed.handle = signalClass.getMethod("handle", signalClass, handlerClass);
            installed.signals = new Object[SIGNALS.length];
            for (int i = 0; i < SIGNALS.length; i++)
            {
                installed.signals[i] = signalClass.getConstructor(String.class).newInstance(SIGNALS[i]);
                installed.previous[i] = installed.handle.invoke(null, installed.signals[i], handler);
            }
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            installed.handle = null;
        }
        return installed;
    }

    /** Restore the previous handlers (the JVM's own). */
    @Override
    public void close()
    {
        if (handle == null)
        {
            return;
        }
        for (int i = 0; i < SIGNALS.length; i++)
        {
            if (previous[i] != null)
            {
                try
                {
                    handle.invoke(null, signals[i], previous[i]);
                }
                catch (final ReflectiveOperationException | RuntimeException ignore)
                {
                    // the process is exiting anyway
                }
            }
        }
    }
}
