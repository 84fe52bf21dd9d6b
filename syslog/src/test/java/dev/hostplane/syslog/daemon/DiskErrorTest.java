package dev.hostplane.syslog.daemon;

import static dev.hostplane.syslog.daemon.DaemonTestSupport.await;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.compareWithRsyslogd;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.lineCount;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.range;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.run;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.sendSeq;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.seqNumbers;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.startRsyslogdTcpToFile;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.startTcpToFile;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.tcpToFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output files that fail with errors other than a full disk. EIO: an ext4 file system on a loop
 * device (the test makes and mounts it under its temp directory) is shut down under the open file
 * with the EXT4_IOC_SHUTDOWN ioctl (every later read and write fails with EIO, as on a dying disk),
 * then unmounted and mounted again by the administrator. EACCES: a rotation whose new file the
 * daemon may not open (a {@code create 0600 nobody} rule), fixed later with a chown; the daemon
 * runs as a child process without CAP_DAC_OVERRIDE, since root would open the file anyway. In both
 * the action must suspend, report once, let go of the dead descriptor, resume by itself and write
 * every message it accepted, in order. rsyslogd 8.2302 runs the same scenarios too, and what it lost
 * is printed (left out with {@code -Dhostplane.syslog.compareRsyslogd=false}).
 */
class DiskErrorTest
{
    /** EXT4_IOC_SHUTDOWN (_IOR('X', 125, __u32)) with EXT4_GOING_FLAGS_DEFAULT: sync, then fail every I/O. */
    private static final String SHUTDOWN = "import fcntl, os, struct, sys\n" +
        "fd = os.open(sys.argv[1], os.O_RDONLY)\nfcntl.ioctl(fd, 0x8004587d, struct.pack('I', 0))\n";
    private static final List<String> NO_DAC_OVERRIDE = List.of("setpriv", "--bounding-set",
        "-dac_override,-dac_read_search");

    @TempDir
    Path dir;
    private final List<Path> mounts = new ArrayList<>();

    @AfterEach
    void unmountAll() throws Exception
    {
        for (final Path m : mounts)
        {
            run("umount", "-l", m.toString());
        }
    }

    @Test
    void shouldSuspendOnEioAndWriteEverythingOnceTheFileSystemIsMountedAgain() throws Exception
    {
        final Path image = dir.resolve("ext4.img");
        final Path fs = dir.resolve("fs");
        assumeThat(makeExt4(image, fs)).as("an ext4 image on a loop device (needs root, loop, mkfs.ext4)").isTrue();
        // Probe: the kernel's ext4 takes the shutdown ioctl (and python3 is there to issue it).
        final boolean shutdownWorks = shutDown(fs);
        if (!shutdownWorks)
        {
            System.out.println("SKIP DiskErrorTest EIO case: EXT4_IOC_SHUTDOWN through python3 failed (see above)");
        }
        assumeThat(shutdownWorks).as("EXT4_IOC_SHUTDOWN").isTrue();
        assertThat(run("umount", fs.toString()) && run("mount", "-o", "loop", image.toString(), fs.toString())).isTrue();
        final Path out = fs.resolve("ours.log");
        try (SyslogDaemon d = startTcpToFile(out); Socket s = new Socket("127.0.0.1", d.ports().get(0)))
        {
            final OutputStream o = s.getOutputStream();
            sendSeq(o, 0, 1000);
            assertThat(await(() -> lineCount(out) == 1000)).isTrue();
            assertThat(shutDown(fs)).as("EXT4_IOC_SHUTDOWN").isTrue();
            sendSeq(o, 1000, 3000);
            assertThat(d.awaitProcessed(3000, DaemonTestSupport.TIMEOUT)).isTrue();
            assertThat(await(() -> d.actionCounters().get(0).suspended())).as("suspended on EIO").isTrue();
            final ActionCounters during = d.actionCounters().get(0);
            assertThat(during.lastError()).containsIgnoringCase("input/output error");
            // The daemon let go of the dead descriptor: the file system unmounts without -l.
            assertThat(await(() -> run("umount", fs.toString()))).as("unmount while suspended").isTrue();
            assertThat(run("mount", "-o", "loop", image.toString(), fs.toString())).isTrue();
            assertThat(await(() -> lineCount(out) == 3000)).as("held messages written after the remount").isTrue();
            sendSeq(o, 3000, 4000);
            assertThat(await(() -> lineCount(out) == 4000)).isTrue();
            final ActionCounters after = d.actionCounters().get(0);
            assertThat(after.suspended()).isFalse();
            assertThat(after.suspensions()).as("one outage, reported once: %s", after).isEqualTo(1);
            assertThat(after.discarded()).isZero();
        }
        assertThat(seqNumbers(out)).as("every message once, in order").isEqualTo(range(0, 4000));

        if (compareWithRsyslogd("EIO"))
        {
            final Path theirs = fs.resolve("rsyslogd.log");
            final Path rdir = dir.resolve("rsyslogd");
            try (Rsyslogd r = startRsyslogdTcpToFile(rdir, theirs, List.of()); Socket s = DaemonTestSupport.connect(r.port("port")))
            {
                final OutputStream o = s.getOutputStream();
                sendSeq(o, 0, 1000);
                await(() -> lineCount(theirs) == 1000);
                System.out.println("rsyslogd wrote " + lineCount(theirs) + " lines before the fault");
                shutDown(fs);
                sendSeq(o, 1000, 3000);
                TimeUnit.MILLISECONDS.sleep(1200);
                // rsyslogd may keep the dead descriptor: a lazy unmount lets the new mount take the path.
                if (!run("umount", fs.toString()))
                {
                    run("umount", "-l", fs.toString());
                }
                run("mount", "-o", "loop", image.toString(), fs.toString());
                TimeUnit.MILLISECONDS.sleep(1100);
                sendSeq(o, 3000, 4000);
                await(() -> seqNumbers(theirs).contains(3999));
                TimeUnit.SECONDS.sleep(1);
            }
            System.out.println("rsyslogd's report: " + read(rdir.resolve("internal.log")).lines()
                .filter(l -> l.contains("error")).limit(2).toList());
            System.out.println("EIO (ext4 shut down, then mounted again), 4000 messages: hostplane lost 0, rsyslogd lost " +
                (4000 - new java.util.HashSet<>(seqNumbers(theirs)).size()));
        }
    }

    @Test
    void shouldSuspendWhileARotatedFileIsNotWritableAndResumeOnceItIs() throws Exception
    {
        assumeThat(run("setpriv", "--bounding-set", "-dac_override,-dac_read_search", "true"))
            .as("setpriv can drop CAP_DAC_OVERRIDE (util-linux, root)").isTrue();
        final Path out = dir.resolve("logs/ours.log");
        final Path portFile = dir.resolve("port");
        final Path conf = dir.resolve("ours.conf");
        Files.writeString(conf, tcpToFile(out, portFile));
        final List<String> cmd = DaemonTestSupport.childDaemon(conf, "128m", NO_DAC_OVERRIDE);
        final Path log = dir.resolve("daemon.log");
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try
        {
            assertThat(await(() -> Files.exists(portFile) && !read(portFile).isBlank())).as("listening").isTrue();
            try (Socket s = new Socket("127.0.0.1", Integer.parseInt(read(portFile).trim())))
            {
                rotateAndFix(s.getOutputStream(), out, () -> signal(p.pid(), "HUP"), true);
            }
            signal(p.pid(), "TERM");
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        finally
        {
            p.destroyForcibly();
        }
        final List<Integer> all = new ArrayList<>(seqNumbers(rotated(out)));
        all.addAll(seqNumbers(out));
        assertThat(all).as("every message once, in order, across the rotation").isEqualTo(range(0, 2000));
        final String report = read(log);
        assertThat(report.split("suspended:", -1).length - 1).as("one report of the outage:%n%s", report).isEqualTo(1);
        assertThat(report).contains("AccessDeniedException").contains("resumed");

        if (compareWithRsyslogd("EACCES after a rotation"))
        {
            final Path theirs = dir.resolve("rlogs/rsyslogd.log");
            final Path rdir = dir.resolve("rsyslogd");
            try (Rsyslogd r = startRsyslogdTcpToFile(rdir, theirs, NO_DAC_OVERRIDE); Socket s = DaemonTestSupport.connect(r.port("port")))
            {
                rotateAndFix(s.getOutputStream(), theirs, r::hup, false);
                TimeUnit.SECONDS.sleep(1);
            }
            final java.util.Set<Integer> got = new java.util.HashSet<>(seqNumbers(rotated(theirs)));
            got.addAll(seqNumbers(theirs));
            System.out.println("rsyslogd's report: " + read(rdir.resolve("internal.log")).lines()
                .filter(l -> l.contains("error")).limit(2).toList());
            System.out.println("EACCES after a rotation (new file 0600 nobody, fixed by chown), 2000 messages: " +
                "hostplane lost 0, rsyslogd lost " + (2000 - got.size()));
        }
    }

    /**
     * 500 messages, a rotation whose new file is {@code 0600 nobody}, a reopen signal, 1000 more (the
     * file cannot be opened), a chown that fixes it, then 500 more after the backlog reached the file.
     */
    private static void rotateAndFix(final OutputStream o, final Path out, final Action reopen, final boolean strict)
        throws Exception
    {
        sendSeq(o, 0, 500);
        assertThat(await(() -> lineCount(out) == 500)).isTrue();
        Files.move(out, rotated(out));
        Files.writeString(out, "");
        run("chown", "65534:65534", out.toString());
        run("chmod", "600", out.toString());
        reopen.run();
        // Wait for the handler to have run: the next message must go to the new file.
        TimeUnit.MILLISECONDS.sleep(300);
        sendSeq(o, 500, 1500);
        // Long enough for a failed open and a failed retry (action.resumeInterval=1).
        TimeUnit.MILLISECONDS.sleep(1500);
        run("chown", "0:0", out.toString());
        // Ours must write the backlog by itself; rsyslogd may have dropped it, so it gets its retry time.
        if (strict)
        {
            assertThat(await(() -> lineCount(out) == 1000)).as("backlog written after the chown").isTrue();
        }
        else
        {
            TimeUnit.MILLISECONDS.sleep(1500);
        }
        sendSeq(o, 1500, 2000);
        assertThat(await(() -> seqNumbers(out).contains(1999))).isTrue();
    }

    private static Path rotated(final Path out)
    {
        return out.resolveSibling(out.getFileName() + ".1");
    }

    /** Makes an 8 MiB ext4 image and mounts it through a loop device. */
    private boolean makeExt4(final Path image, final Path mountPoint) throws Exception
    {
        Files.createDirectories(mountPoint);
        if (!run("truncate", "-s", "8M", image.toString()) || !run("mkfs.ext4", "-q", "-F", image.toString()) ||
            !run("mount", "-o", "loop", image.toString(), mountPoint.toString()))
        {
            System.out.println("SKIP DiskErrorTest EIO case: cannot make and mount an ext4 image on a loop device");
            return false;
        }
        mounts.add(mountPoint);
        return true;
    }

    private static boolean shutDown(final Path mountPoint) throws Exception
    {
        return run("python3", "-c", SHUTDOWN, mountPoint.toString());
    }

    private static String read(final Path p)
    {
        try
        {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    private static void signal(final long pid, final String name) throws Exception
    {
        assertThat(run("kill", "-" + name, Long.toString(pid))).isTrue();
    }

    /** A step that may throw. */
    @FunctionalInterface
    private interface Action
    {
        void run() throws Exception;
    }
}
