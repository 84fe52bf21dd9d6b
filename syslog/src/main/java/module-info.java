/**
 * hostplane syslog: an rsyslog-compatible filter engine and daemon. The API is
 * {@code dev.hostplane.syslog} (the engine, replay) and {@code dev.hostplane.syslog.daemon}; no
 * {@code internal} package is exported.
 */
module dev.hostplane.syslog
{
    requires com.lmax.disruptor;
    requires io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.handler;
    requires io.netty.common;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;
    requires com.sun.jna;
    // kafka-clients and RE2/J name no module: these are their jar-file names.
    requires kafka.clients;
    requires re2j;
    requires org.slf4j;
    requires jdk.unsupported;

    exports dev.hostplane.syslog;
    exports dev.hostplane.syslog.daemon;
}
