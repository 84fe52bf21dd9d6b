package dev.hostplane.iopipe.internal;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * Finds the kernel file descriptor behind a JDK channel. The JDK does not expose it, so this reads
 * {@code sun.nio.ch.FileChannelImpl.fd} and calls {@code sun.nio.ch.SelChImpl.getFDVal()}, which needs
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} and {@code --add-opens java.base/java.io=ALL-UNNAMED}
 * (both in {@code hostplane.jvm.flags}). Without them every lookup returns -1 and the pipe falls back to
 * {@code COPY} through the channel API; {@link #UNAVAILABLE_REASON} says why.
 */
public final class Fds
{
    /** Why descriptor access is off, or {@code null} when it works. */
    public static final String UNAVAILABLE_REASON;

    private static final MethodHandle FILE_CHANNEL_FD;
    private static final MethodHandle SOCKET_FD_VAL;
    private static final MethodHandle FD_INT;

    static
    {
        MethodHandle fileChannelFd = null;
        MethodHandle socketFdVal = null;
        MethodHandle fdInt = null;
        String reason = null;
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            final Class<?> fileChannelImpl = Class.forName("sun.nio.ch.FileChannelImpl");
            final Field fd = fileChannelImpl.getDeclaredField("fd");
            fd.setAccessible(true);
            fileChannelFd = lookup.unreflectGetter(fd).asType(MethodType.methodType(FileDescriptor.class, FileChannel.class));
            final Field fdField = FileDescriptor.class.getDeclaredField("fd");
            fdField.setAccessible(true);
            fdInt = lookup.unreflectGetter(fdField);
            final Class<?> selChImpl = Class.forName("sun.nio.ch.SelChImpl");
            final Method getFdVal = selChImpl.getMethod("getFDVal");
            getFdVal.setAccessible(true);
            socketFdVal = lookup.unreflect(getFdVal).asType(MethodType.methodType(int.class, SocketChannel.class));
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            reason = "fdAccess=" + ex + " (add --add-opens java.base/sun.nio.ch=ALL-UNNAMED"
                + " --add-opens java.base/java.io=ALL-UNNAMED)";
            fileChannelFd = null;
            socketFdVal = null;
            fdInt = null;
        }
        FILE_CHANNEL_FD = fileChannelFd;
        SOCKET_FD_VAL = socketFdVal;
        FD_INT = fdInt;
        UNAVAILABLE_REASON = reason;
    }

    private Fds()
    {
    }

    /**
     * The descriptor of a file channel opened by the JDK.
     *
     * @param channel the channel.
     * @return the fd, or -1 when unavailable (another FileChannel implementation, or no access).
     */
    public static int of(final FileChannel channel)
    {
        if (null == FILE_CHANNEL_FD || !"sun.nio.ch.FileChannelImpl".equals(channel.getClass().getName()))
        {
            return -1;
        }
        try
        {
            return of((FileDescriptor)FILE_CHANNEL_FD.invokeExact(channel));
        }
        catch (final Throwable ex)
        {
            return -1;
        }
    }

    /**
     * The descriptor behind a {@link FileDescriptor}.
     *
     * @param fd the descriptor object.
     * @return the fd, or -1 when unavailable.
     */
    public static int of(final FileDescriptor fd)
    {
        if (null == FD_INT)
        {
            return -1;
        }
        try
        {
            return (int)FD_INT.invokeExact(fd);
        }
        catch (final Throwable ex)
        {
            return -1;
        }
    }

    /**
     * The descriptor of a JDK socket channel.
     *
     * @param channel the channel.
     * @return the fd, or -1 when unavailable.
     */
    public static int of(final SocketChannel channel)
    {
        if (null == SOCKET_FD_VAL)
        {
            return -1;
        }
        try
        {
            return (int)SOCKET_FD_VAL.invokeExact(channel);
        }
        catch (final Throwable ex)
        {
            return -1;
        }
    }
}
