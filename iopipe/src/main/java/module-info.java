/**
 * hostplane iopipe: zero-copy source-to-sink pipes over files and sockets. The API is
 * {@code dev.hostplane.iopipe}; {@code dev.hostplane.iopipe.netty} integrates with Netty
 * pipelines; {@code internal} is not exported.
 */
module dev.hostplane.iopipe
{
    requires transitive io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.common;
    requires com.sun.jna;
    requires java.management;
    requires org.slf4j;

    exports dev.hostplane.iopipe;
    exports dev.hostplane.iopipe.netty;
}
