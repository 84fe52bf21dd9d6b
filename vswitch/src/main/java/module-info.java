/**
 * hostplane vswitch: a flow-table software switch with batched ring queues. The API is the
 * {@code dev.hostplane.vswitch} package and its named sub-packages (the OpenFlow agent and the
 * policy language included); no {@code internal} package is exported. The packet codec and the
 * ports work on Agrona buffers, so Agrona is part of the API.
 */
module dev.hostplane.vswitch
{
    requires transitive org.agrona;
    requires com.sun.jna;
    requires org.slf4j;
    // The OpenFlow agent: openflowj names no module (this is its jar-file name), over Netty.
    requires openflowj;
    requires io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.codec;
    requires io.netty.handler;

    exports dev.hostplane.vswitch;
    exports dev.hostplane.vswitch.action;
    exports dev.hostplane.vswitch.classifier;
    exports dev.hostplane.vswitch.control;
    exports dev.hostplane.vswitch.flow;
    exports dev.hostplane.vswitch.openflow;
    exports dev.hostplane.vswitch.packet;
    exports dev.hostplane.vswitch.policy;
    exports dev.hostplane.vswitch.port;
    exports dev.hostplane.vswitch.tap;
}
