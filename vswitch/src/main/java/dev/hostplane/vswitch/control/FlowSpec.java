package dev.hostplane.vswitch.control;

import java.util.List;

import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.classifier.FlowRule;
import dev.hostplane.vswitch.flow.Match;

/**
 * A parsed {@code ovs-ofctl} flow: everything needed to add it, or to select flows for modify and
 * delete.
 *
 * @param match the match.
 * @param priority priority (32768 when not given, as ovs-ofctl).
 * @param cookie cookie.
 * @param cookieMask cookie mask (for selecting: 0 = any cookie unless {@code cookie=V/M} was given).
 * @param actions action list (empty = drop).
 * @param idleTimeout idle timeout, seconds.
 * @param hardTimeout hard timeout, seconds.
 * @param sendFlowRemoved send_flow_rem flag.
 * @param outPort out_port filter (0 = any).
 */
public record FlowSpec(
    Match match,
    int priority,
    long cookie,
    long cookieMask,
    List<Action> actions,
    int idleTimeout,
    int hardTimeout,
    boolean sendFlowRemoved,
    int outPort)
{
    /** ovs-ofctl's default priority. */
    public static final int DEFAULT_PRIORITY = 32768;

    /**
     * Makes a rule to install.
     *
     * @param nowNanos install time.
     * @return the rule.
     */
    public FlowRule toRule(final long nowNanos)
    {
        return new FlowRule(match, priority, cookie, actions, idleTimeout, hardTimeout, sendFlowRemoved, nowNanos);
    }

    @Override
    public String toString()
    {
        return "priority=" + priority + ("any".equals(match.toString()) ? "" : "," + match) + " actions=" +
            Actions.toString(actions);
    }
}
