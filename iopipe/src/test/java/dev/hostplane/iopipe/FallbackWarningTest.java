package dev.hostplane.iopipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transfer that cannot take its zero-copy path still moves every byte, and says why once: a JVM started
 * without the {@code --add-opens} flags logs one warning naming the missing flags, however many transfers
 * fall back, and the strategy counters show COPY.
 */
class FallbackWarningTest
{
    @TempDir
    Path tmp;

    /** In the child: two file-to-socket transfers, then the strategy and the COPY counters. */
    public static void main(final String[] args) throws Exception
    {
        final Path file = Path.of(args[0]);
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel client = SocketChannel.open(listener.getLocalAddress());
            SocketChannel server = listener.accept();
            PipeService pipes = PipeService.builder().build())
        {
            final Thread drain = new Thread(() ->
            {
                try (InputStream in = client.socket().getInputStream())
                {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                catch (final java.io.IOException ex)
                {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            drain.start();
            TransferResult last = null;
            for (int i = 0; i < 2; i++)
            {
                last = pipes.transfer(Source.file(file), Sink.socket(server), TransferOptions.DEFAULT);
            }
            server.shutdownOutput();
            drain.join();
            final StrategyStats copy = pipes.strategyStats(Strategy.COPY);
            System.out.println("strategy=" + last.strategy() + " copyCompleted=" + copy.completed()
                + " copyBytes=" + copy.bytes());
        }
    }

    @Test
    void shouldWarnOnceNamingTheMissingFlagsAndCountTheCopy() throws Exception
    {
        final Path file = tmp.resolve("body");
        Files.write(file, new byte[1 << 20]);
        final List<String> cmd = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // Native access stays on: only the descriptor access is taken away.
            "--enable-native-access=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), FallbackWarningTest.class.getName(), file.toString()));
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as(out).contains("strategy=COPY copyCompleted=2 copyBytes=" + (2 << 20));
        final List<String> warnings = out.lines().filter(l -> l.contains("WARN")).toList();
        assertThat(warnings).as(out).hasSize(1);
        assertThat(warnings.get(0)).contains("fall back to COPY").contains("fdAccess=")
            .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED").contains("--add-opens=java.base/java.io=ALL-UNNAMED");
    }
}
