package dev.hostplane.syslog.daemon;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSIX signal handlers through {@code sun.misc.Signal} (module jdk.unsupported), looked up
 * reflectively so that the code compiles without internal-API warnings. HUP must be caught: the
 * JVM would otherwise treat it like TERM and exit.
 */
final class Signals
{
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals()
    {
    }

    /**
     * Installs a handler.
     *
     * @param name   signal name without SIG ("HUP", "TERM").
     * @param action what to run (on the JVM's signal thread: keep it short).
     * @return true if installed.
     */
    static boolean on(final String name, final Runnable action)
    {
        try
        {
            final Class<?> signalClass = Class.forName("sun.misc.Signal");
            final Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            final Constructor<?> ctor = signalClass.getConstructor(String.class);
            final Object signal = ctor.newInstance(name);
            final InvocationHandler ih = (proxy, method, args) ->
            {
                if ("handle".equals(method.getName()))
                {
                    action.run();
                    return null;
                }
                if ("hashCode".equals(method.getName()))
                {
                    return System.identityHashCode(proxy);
                }
                if ("equals".equals(method.getName()))
                {
                    return proxy == args[0];
                }
                return "signal handler " + name;
            };
            final Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
                ih);
            final Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            handle.invoke(null, signal, handler);
            return true;
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError ex)
        {
            LOG.warn("cannot install a SIG{} handler: the daemon will not react to it", name, ex);
            return false;
        }
    }
}
