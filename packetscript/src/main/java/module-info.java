/**
 * hostplane packetscript: a packetdrill-compatible script interpreter. The API is
 * {@code dev.hostplane.packetscript} (parse, print, check), {@code model} (the script's syntax
 * tree), {@code packet} (building and verifying packets), {@code timing}, and {@code live} with
 * {@code live.net}, {@code live.netns} and {@code live.junit} (running scripts against the kernel).
 * The parser, printer and Linux symbol tables are not exported, nor is {@code live.internal} (the
 * executor, the system-call bindings and the kernel probes).
 */
module dev.hostplane.packetscript
{
    requires transitive dev.hostplane.vswitch;
    requires com.sun.jna;
    requires org.slf4j;
    requires static transitive org.junit.jupiter.api;

    exports dev.hostplane.packetscript;
    exports dev.hostplane.packetscript.model;
    exports dev.hostplane.packetscript.packet;
    exports dev.hostplane.packetscript.timing;
    exports dev.hostplane.packetscript.live;
    exports dev.hostplane.packetscript.live.junit;
    exports dev.hostplane.packetscript.live.net;
    exports dev.hostplane.packetscript.live.netns;
}
