package dev.hostplane.packetscript.live;

import java.util.Objects;

/**
 * One thing a script's shell commands ask of the kernel: a queueing discipline ({@code tc qdisc ... fq}) or a
 * per-namespace sysctl value ({@code sysctl -q net.ipv4.tcp_ecn=3}, a congestion control among them), and where
 * it is asked for. A kernel that lacks it cannot run the script as written: the script still runs (C packetdrill
 * runs it too, and a refused command that is not the last of its lines does not stop it), and a failure is reported
 * as skipped with the reason, as kselftest skips a test whose kernel config is missing.
 *
 * <p>A precondition stated in the script's own commands is <em>required</em>. One that comes from a helper file the
 * script runs ({@code ../common/defaults.sh}, shared by a whole suite) sets the suite's general environment rather
 * than what this script tests, so its absence is only <em>noted</em> with a failure: the kernel refusing
 * {@code cubic} in {@code defaults.sh} would otherwise skip every script of a suite.
 *
 * @param kind     what is asked for.
 * @param name     the qdisc kind, or the sysctl key in dotted form ({@code net.ipv4.tcp_ecn}).
 * @param value    the sysctl value as written (null for a qdisc).
 * @param origin   where it is asked for: {@code file:line}.
 * @param required true when stated by the script itself, false when it comes from a helper file.
 */
public record Precondition(Kind kind, String name, String value, String origin, boolean required)
{
    /** The sysctl that selects a namespace's default congestion control. */
    public static final String CONGESTION_CONTROL = "net.ipv4.tcp_congestion_control";

    /** What a precondition asks of the kernel. */
    public enum Kind
    {
        /** A queueing discipline {@code tc} can attach. */
        QDISC,
        /** A per-namespace sysctl that must accept a value. */
        SYSCTL
    }

    /**
     * Creates a precondition.
     *
     * @param kind     what is asked for.
     * @param name     qdisc kind or sysctl key.
     * @param value    sysctl value, or null.
     * @param origin   {@code file:line}.
     * @param required whether the script itself states it.
     */
    public Precondition
    {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(origin, "origin");
    }

    /**
     * What is asked, for messages: {@code qdisc fq}, {@code net.ipv4.tcp_ecn=3}.
     *
     * @return the description.
     */
    public String what()
    {
        return Kind.QDISC == kind ? "qdisc " + name : name + "=" + value;
    }
}
