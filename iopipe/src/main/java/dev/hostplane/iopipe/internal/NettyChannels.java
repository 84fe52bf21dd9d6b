package dev.hostplane.iopipe.internal;

import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;

/**
 * Reaches the socket under a Netty channel without a compile-time dependency on a transport: the NIO
 * transport's {@code javaChannel()} or the native transports' {@code fd().intValue()}.
 */
final class NettyChannels
{
    private NettyChannels()
    {
    }

    static SocketChannel socketChannel(final Object channel)
    {
        if (null == channel)
        {
            return null;
        }
        final Method javaChannel = method(channel.getClass(), "javaChannel");
        if (null == javaChannel)
        {
            return null;
        }
        try
        {
            final Object ch = javaChannel.invoke(channel);
            return ch instanceof SocketChannel ? (SocketChannel)ch : null;
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return null;
        }
    }

    static int fd(final Object channel)
    {
        if (null == channel)
        {
            return -1;
        }
        final Method fdMethod = method(channel.getClass(), "fd");
        if (null == fdMethod)
        {
            return -1;
        }
        try
        {
            final Object fd = fdMethod.invoke(channel);
            final Method intValue = method(fd.getClass(), "intValue");
            return null == intValue ? -1 : (int)intValue.invoke(fd);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return -1;
        }
    }

    private static Method method(final Class<?> type, final String name)
    {
        for (Class<?> c = type; null != c; c = c.getSuperclass())
        {
            try
            {
                final Method m = c.getDeclaredMethod(name);
                m.setAccessible(true);
                return m;
            }
            catch (final NoSuchMethodException | RuntimeException ignore)
            {
                // Not declared here (or not accessible): look further up.
            }
        }
        return null;
    }
}
