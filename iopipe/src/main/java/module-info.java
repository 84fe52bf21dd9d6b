/**
 * hostplane iopipe: zero-copy source-to-sink pipes over files and sockets. The API is
 * {@code dev.hostplane.iopipe}, which needs no Netty; {@code dev.hostplane.iopipe.netty} integrates with
 * Netty pipelines; {@code dev.hostplane.iopipe.server} holds the HTTP file server and the TCP proxy on
 * Netty's HTTP decoder and epoll transport. Netty is optional ({@code requires static}): an application
 * that uses only pipes over files and JDK sockets does not need it; {@code internal} is not exported.
 */
module dev.hostplane.iopipe
{
    requires static transitive io.netty.transport;
    requires static io.netty.buffer;
    requires static io.netty.common;
    requires com.sun.jna;
    requires java.management;
    requires org.slf4j;
    requires static io.netty.codec;
    requires static io.netty.codec.http;
    requires static io.netty.transport.classes.epoll;
    requires static io.netty.transport.unix.common;

    exports dev.hostplane.iopipe;
    exports dev.hostplane.iopipe.netty;
    exports dev.hostplane.iopipe.server;
}
