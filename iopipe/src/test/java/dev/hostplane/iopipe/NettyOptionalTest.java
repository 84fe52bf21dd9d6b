package dev.hostplane.iopipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netty is an optional dependency of iopipe: an application piping files into files and JDK sockets runs
 * with no Netty jar at all, on the zero-copy paths.
 */
class NettyOptionalTest
{
    @TempDir
    Path dir;

    @Test
    void shouldPipeFilesAndSocketsWithoutNettyOnTheClassPath() throws Exception
    {
        final String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter((entry) -> !entry.contains("netty"))
            .collect(Collectors.joining(File.pathSeparator));
        final List<String> cmd = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter((a) -> a.startsWith("--add-") || a.startsWith("--enable-native")).toList());
        cmd.addAll(List.of("-cp", classPath, NettyFreeProbe.class.getName(), dir.toString()));
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        assertThat(out).as("the probe ran without Netty").contains("netty-on-class-path false");
        assertThat(out).containsPattern("file->file (COPY_FILE_RANGE|SENDFILE|SPLICE) 1048576 true");
        assertThat(out).containsPattern("file->socket (SENDFILE|SPLICE) 1048576 true");
    }
}
