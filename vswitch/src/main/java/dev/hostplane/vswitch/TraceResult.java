package dev.hostplane.vswitch;

import java.util.List;

import dev.hostplane.vswitch.classifier.FlowRule;

/**
 * What {@link VirtualSwitch#trace} found (VS-C3): the rule that matched (or none), where the frame
 * would go, and a readable explanation in the spirit of {@code ovs-appctl ofproto/trace}.
 *
 * @param text multi-line explanation.
 * @param rule matched rule, or null on a table miss or malformed frame.
 * @param outputPorts ports the frame would be sent to, in order.
 * @param toController whether a packet-in would be sent.
 * @param dropReason why it is dropped, or null when it is not.
 */
public record TraceResult(String text, FlowRule rule, List<Integer> outputPorts, boolean toController, String dropReason)
{
    @Override
    public String toString()
    {
        return text;
    }
}
