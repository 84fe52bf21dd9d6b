package dev.hostplane.examples.iopipe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import dev.hostplane.examples.Progress;
import dev.hostplane.iopipe.PipeService;
import dev.hostplane.iopipe.Sink;
import dev.hostplane.iopipe.Source;
import dev.hostplane.iopipe.Strategy;
import dev.hostplane.iopipe.TransferOptions;
import dev.hostplane.iopipe.TransferResult;
import dev.hostplane.iopipe.server.HttpFileServer;
import dev.hostplane.iopipe.server.TcpProxy;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hostplane pipe}: the iopipe example applications. */
@Command(name = "pipe", mixinStandardHelpOptions = true,
    description = "Zero-copy pipes (iopipe): static file server, TCP proxy, upload receiver, file copier.",
    subcommands = {PipeCommand.Serve.class, PipeCommand.Proxy.class, PipeCommand.Upload.class,
        PipeCommand.Copy.class})
public final class PipeCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    private static void awaitShutdown(final AutoCloseable... resources)
    {
        final CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            for (final AutoCloseable r : resources)
            {
                try
                {
                    r.close();
                }
                catch (final Exception ignore)
                {
                    // shutting down
                }
            }
            done.countDown();
        }));
        try
        {
            done.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Hands a flag's value to a builder; a value the builder refuses is a usage error naming the flag (exit 2),
     * not a stack trace.
     */
    static <T> void set(final CommandLine.Model.CommandSpec spec, final String flag, final T value,
        final Consumer<T> setter)
    {
        try
        {
            setter.accept(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '" + flag + "': "
                + ex.getMessage());
        }
    }

    /** HOST and PORT as a resolved address; a bad one is a usage error naming the flags. */
    static InetSocketAddress address(final CommandLine.Model.CommandSpec spec, final String flags, final String host,
        final int port)
    {
        if (port < 0 || port > 65535)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '" + flags
                + "': port " + port + " is out of range (expected 0..65535)");
        }
        final InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved())
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '" + flags
                + "': cannot resolve host '" + host + "'");
        }
        return address;
    }

    /**
     * Netty's allocator emits JFR events and samples buffers for leak detection; a server wants neither by
     * default. Set before Netty's classes load; an explicit -D on the command line wins.
     */
    static void quietNetty()
    {
        if (null == System.getProperty("io.netty.jfr.enabled"))
        {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        if (null == System.getProperty("io.netty.leakDetection.level"))
        {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
    }

    /** {@code hostplane pipe serve}. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
        description = "HTTP/1.1 static file server on Netty event loops; bodies go out with sendfile (iopipe). "
            + "Timeouts take nginx's names and defaults; times are N, Ns, Nms, Nm.")
    static final class Serve implements Callable<Integer>
    {
        @Option(names = "--root", required = true, description = "Directory to serve.")
        Path root;

        @Option(names = "--port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address (default ${DEFAULT-VALUE}).")
        String bind;

        @Option(names = "--copy", description = "Plain read/write copying instead of sendfile, for comparison.")
        boolean copy;

        @Option(names = "--event-loops", defaultValue = "0", description = "Event loop threads (0 = one per CPU).")
        int eventLoops;

        @Option(names = "--notsent-lowat", defaultValue = "0",
            description = "TCP_NOTSENT_LOWAT of the client sockets in bytes: how much not-yet-sent data a "
                + "large body may queue per call (default ${DEFAULT-VALUE}; 0 = the kernel's, no limit).")
        int notSentLowat;

        @Option(names = "--congestion-control",
            description = "TCP congestion control of the client sockets (TCP_CONGESTION), e.g. reno or cubic; "
                + "'system' keeps the system's. Default: reno on a loopback address (nothing there to pace for), "
                + "the system's otherwise (BENCHMARKS.md, iopipe).")
        String congestionControl;


        @Option(names = "--header-timeout", defaultValue = "60s", converter = NginxTime.class,
            description = "nginx client_header_timeout: a request head must arrive within this (default ${DEFAULT-VALUE}).")
        Duration headerTimeout;

        @Option(names = "--keepalive-timeout", defaultValue = "75s", converter = NginxTime.class,
            description = "nginx keepalive_timeout: idle keep-alive connections close after this (default ${DEFAULT-VALUE}).")
        Duration keepaliveTimeout;

        @Option(names = "--send-timeout", defaultValue = "60s", converter = NginxTime.class,
            description = "nginx send_timeout: a client that reads nothing for this long is dropped (default ${DEFAULT-VALUE}).")
        Duration sendTimeout;

        @Option(names = "--max-connections", defaultValue = "16384",
            description = "nginx worker_connections: connections open at once, all loops (default ${DEFAULT-VALUE}).")
        int maxConnections;

        @Option(names = "--max-header-bytes", defaultValue = "32768",
            description = "Largest request head; the request line may have 8 KiB of it (default ${DEFAULT-VALUE}).")
        int maxHeaderBytes;

        @Option(names = "--accept-backoff", defaultValue = "500ms", converter = NginxTime.class,
            description = "Pause after accept fails with EMFILE/ENFILE (default ${DEFAULT-VALUE}).")
        Duration acceptBackoff;

        @Option(names = "--no-symlinks", description = "Refuse every symbolic link (nginx disable_symlinks on).")
        boolean noSymlinks;

        @Option(names = "--open-file-cache-valid", defaultValue = "1s", converter = NginxTime.class,
            description = "nginx open_file_cache_valid: how long a served file's descriptor is reused for its path; "
                + "0 opens the file for every request (default ${DEFAULT-VALUE}).")
        Duration openFileValid;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** Checks every flag (a bad value is a usage error naming it) and starts the server. */
        HttpFileServer start() throws IOException
        {
            if (!Files.isDirectory(root))
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--root': "
                    + root + " is not a directory");
            }
            final HttpFileServer.Builder builder = HttpFileServer.builder(root)
                .bind(address(spec, "--bind/--port", bind, port)).copy(copy).noSymlinks(noSymlinks)
                .threadName("pipe-serve");
            set(spec, "--header-timeout", headerTimeout, builder::headerTimeout);
            set(spec, "--keepalive-timeout", keepaliveTimeout, builder::keepaliveTimeout);
            set(spec, "--send-timeout", sendTimeout, builder::sendTimeout);
            set(spec, "--max-connections", maxConnections, builder::maxConnections);
            set(spec, "--max-header-bytes", maxHeaderBytes, builder::maxHeaderBytes);
            set(spec, "--accept-backoff", acceptBackoff, builder::acceptBackoff);
            set(spec, "--open-file-cache-valid", openFileValid, builder::openFileValid);
            set(spec, "--notsent-lowat", notSentLowat, builder::notSentLowat);
            set(spec, "--congestion-control", congestionControl, builder::congestionControl);
            if (0 != eventLoops)
            {
                set(spec, "--event-loops", eventLoops, builder::eventLoops);
            }
            quietNetty();
            return builder.start();
        }

        @Override
        public Integer call()
        {
            final HttpFileServer server;
            try
            {
                server = start();
            }
            catch (final IOException ex)
            {
                System.err.println("pipe serve: " + ex.getMessage());
                return 1;
            }
            System.out.printf("pipe serve: root=%s listening=%s:%d mode=%s%n", root, bind, server.port(),
                copy ? "copy" : "sendfile");
            System.out.flush();
            awaitShutdown(server, () -> System.out.printf("pipe serve: %s%n", server.stats()));
            return 0;
        }
    }

    /** {@code hostplane pipe proxy}. */
    @Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "TCP proxy on Netty's epoll event loops: socket-to-socket splice both ways. Timeouts take "
            + "HAProxy's names; times are N, Ns, Nms, Nm.")
    static final class Proxy implements Callable<Integer>
    {
        @Option(names = "--listen", required = true, description = "Port to listen on.")
        int listen;

        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address (default ${DEFAULT-VALUE}).")
        String bind;

        @Option(names = "--to", required = true, description = "Backend HOST:PORT.")
        String to;

        @Option(names = "--event-loops", defaultValue = "0", description = "Event loop threads (0 = one per CPU).")
        int eventLoops;

        @Option(names = "--notsent-lowat", defaultValue = "131072",
            description = "TCP_NOTSENT_LOWAT of the proxied sockets in bytes: how much not-yet-sent data a "
                + "large response may queue per call (default ${DEFAULT-VALUE}; 0 = the kernel's, no limit).")
        int notSentLowat;

        @Option(names = "--congestion-control",
            description = "TCP congestion control of the proxied sockets (TCP_CONGESTION), e.g. reno or cubic; "
                + "'system' keeps the system's. Default: reno on a loopback address (nothing there to pace for), "
                + "the system's otherwise (BENCHMARKS.md, iopipe).")
        String congestionControl;


        @Option(names = "--connect-timeout", defaultValue = "5s", converter = NginxTime.class,
            description = "HAProxy timeout connect: give up a backend connect after this (default ${DEFAULT-VALUE}).")
        Duration connectTimeout;

        @Option(names = "--client-timeout", defaultValue = "60s", converter = NginxTime.class,
            description = "HAProxy timeout client: close when the client is inactive this long (default ${DEFAULT-VALUE}).")
        Duration clientTimeout;

        @Option(names = "--server-timeout", defaultValue = "60s", converter = NginxTime.class,
            description = "HAProxy timeout server: close when the backend is inactive this long (default ${DEFAULT-VALUE}).")
        Duration serverTimeout;

        @Option(names = "--max-connections", defaultValue = "16384",
            description = "HAProxy maxconn: sessions open at once (default ${DEFAULT-VALUE}).")
        int maxConnections;

        @Option(names = "--accept-backoff", defaultValue = "500ms", converter = NginxTime.class,
            description = "Pause after accept fails with EMFILE/ENFILE (default ${DEFAULT-VALUE}).")
        Duration acceptBackoff;

        @Option(names = "--pipe-size", defaultValue = "1048576",
            description = "Wanted splice pipe size in bytes (default ${DEFAULT-VALUE}).")
        int pipeSize;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** Checks every flag (a bad value is a usage error naming it) and starts the proxy. */
        TcpProxy start() throws IOException
        {
            final int colon = to.lastIndexOf(':');
            int backendPort = -1;
            try
            {
                backendPort = colon > 0 ? Integer.parseInt(to.substring(colon + 1)) : -1;
            }
            catch (final NumberFormatException notANumber)
            {
                // reported below with the expected form
            }
            if (backendPort < 0)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--to': '"
                    + to + "' (expected HOST:PORT)");
            }
            final InetSocketAddress backend = address(spec, "--to", to.substring(0, colon), backendPort);
            final TcpProxy.Builder builder = TcpProxy.builder(backend)
                .bind(address(spec, "--bind/--listen", bind, listen)).threadName("pipe-proxy");
            set(spec, "--connect-timeout", connectTimeout, builder::connectTimeout);
            set(spec, "--client-timeout", clientTimeout, builder::clientTimeout);
            set(spec, "--server-timeout", serverTimeout, builder::serverTimeout);
            set(spec, "--max-connections", maxConnections, builder::maxConnections);
            set(spec, "--accept-backoff", acceptBackoff, builder::acceptBackoff);
            set(spec, "--pipe-size", pipeSize, builder::pipeSize);
            set(spec, "--notsent-lowat", notSentLowat, builder::notSentLowat);
            set(spec, "--congestion-control", congestionControl, builder::congestionControl);
            if (0 != eventLoops)
            {
                set(spec, "--event-loops", eventLoops, builder::eventLoops);
            }
            quietNetty();
            return builder.start();
        }

        @Override
        public Integer call()
        {
            final TcpProxy proxy;
            try
            {
                proxy = start();
            }
            catch (final IOException ex)
            {
                System.err.println("pipe proxy: " + ex.getMessage());
                return 1;
            }
            System.out.printf("pipe proxy: listening=%s:%d backend=%s%n", bind, proxy.port(), to);
            System.out.flush();
            awaitShutdown(proxy, () -> System.out.printf("pipe proxy: %s%n", proxy.stats()));
            return 0;
        }
    }

    /** {@code hostplane pipe upload}. */
    @Command(name = "upload", mixinStandardHelpOptions = true,
        description = "Upload receiver: each connection's bytes (until the client half-closes) are spliced into "
            + "DIR/upload-N.bin; the reply is 'OK <bytes> <strategy>'.")
    static final class Upload implements Callable<Integer>
    {
        @Option(names = "--listen", required = true, description = "Port to listen on (127.0.0.1).")
        int listen;

        @Option(names = "--dir", required = true, description = "Directory for received files.")
        Path dir;

        @Option(names = "--count", defaultValue = "0", description = "Stop after this many uploads (0 = never).")
        int count;

        @Override
        public Integer call() throws Exception
        {
            Files.createDirectories(dir);
            try (PipeService pipes = PipeService.builder().threadName("pipe-upload").build();
                ServerSocketChannel listener = ServerSocketChannel.open())
            {
                listener.bind(new InetSocketAddress("127.0.0.1", listen));
                System.out.printf("pipe upload: listening=%s dir=%s%n", listener.getLocalAddress(), dir);
                System.out.flush();
                for (int n = 1; 0 == count || n <= count; n++)
                {
                    try (SocketChannel ch = listener.accept())
                    {
                        final Path target = dir.resolve("upload-" + n + ".bin");
                        String reply;
                        try
                        {
                            final TransferResult r = pipes.transfer(Source.socket(ch), Sink.file(target),
                                TransferOptions.DEFAULT);
                            reply = "OK " + r.bytes() + " " + r.strategy() + "\n";
                        }
                        catch (final IOException ex)
                        {
                            reply = "ERROR " + ex.getMessage() + "\n";
                        }
                        System.out.print("pipe upload: " + target + " " + reply);
                        System.out.flush();
                        ch.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
            return 0;
        }
    }

    /** {@code hostplane pipe copy}. */
    @Command(name = "copy", mixinStandardHelpOptions = true,
        description = "Copy a file with copy_file_range (or a chosen strategy), with a progress bar.")
    static final class Copy implements Callable<Integer>
    {
        @Parameters(index = "0", description = "Source file.")
        Path source;

        @Parameters(index = "1", description = "Destination file (created or truncated).")
        Path target;

        @Option(names = "--strategy", defaultValue = "AUTO", description = "AUTO, COPY_FILE_RANGE, SPLICE or COPY.")
        Strategy strategy;

        @Override
        public Integer call() throws Exception
        {
            if (!Files.isRegularFile(source))
            {
                System.err.println("pipe copy: source=" + source + " is not a regular file");
                return 2;
            }
            final Path directory = target.toAbsolutePath().getParent();
            if (null != directory && !Files.isDirectory(directory))
            {
                System.err.println("pipe copy: target directory does not exist: " + directory);
                return 2;
            }
            final long size = Files.size(source);
            final TransferResult r;
            try (PipeService pipes = PipeService.builder().workers(1).threadName("pipe-copy").build();
                ProgressBar bar = Progress.bar("copy", size, " MiB", 1 << 20))
            {
                r = pipes.transfer(Source.file(source), Sink.file(target),
                    TransferOptions.builder().strategy(strategy).progress((done, total) -> Progress.stepTo(bar, done))
                        .build());
                Progress.stepTo(bar, r.bytes());
            }
            catch (final IOException ex)
            {
                System.err.println("pipe copy: " + source + " -> " + target + ": " + ex.getMessage());
                return 1;
            }
            {
                System.out.printf("pipe copy: %s -> %s bytes=%d strategy=%s ms=%d%n", source, target, r.bytes(),
                    r.strategy(), r.elapsedNanos() / 1_000_000);
            }
            return 0;
        }
    }
}
