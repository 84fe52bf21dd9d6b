package dev.hostplane.examples.vswitch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.hostplane.examples.Hostplane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwitchCommandTest
{
    @Test
    void shouldRejectBadFlowsFileWithLineAndColumn(@TempDir final Path dir) throws Exception
    {
        final Path flows = dir.resolve("flows.txt");
        Files.writeString(flows, "priority=10,ip,actions=output:2\npriority=5,udp,tp_dst=abc,actions=drop\n");
        final PrintStream saved = System.err;
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        final int exit;
        try
        {
            exit = Hostplane.execute("switch", "--tap", "unused0", "--flows", flows.toString());
        }
        finally
        {
            System.setErr(saved);
        }
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
            .contains(flows + ":2:23: 'tp_dst' needs a number: value=abc");
    }

    @Test
    void shouldRequireATap()
    {
        final PrintStream saved = System.err;
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        final int exit;
        try
        {
            exit = Hostplane.execute("switch");
        }
        finally
        {
            System.setErr(saved);
        }
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option: '--tap=NAME[@NETNS]'");
    }
}
