package dev.hostplane.vswitch;

import dev.hostplane.vswitch.classifier.FlowRule;

/**
 * Receives flow-removed events (idle/hard timeout, delete) for rules installed with
 * {@code sendFlowRemoved}, on the switch's control thread.
 */
@FunctionalInterface
public interface FlowRemovedListener
{
    /**
     * A rule was removed; its counters are final.
     *
     * @param rule the removed rule.
     * @param reason {@link FlowRule#REMOVED_IDLE_TIMEOUT}, {@link FlowRule#REMOVED_HARD_TIMEOUT} or
     *               {@link FlowRule#REMOVED_DELETE}.
     */
    void onFlowRemoved(FlowRule rule, int reason);
}
