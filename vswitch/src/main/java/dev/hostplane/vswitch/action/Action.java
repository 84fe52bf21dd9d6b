package dev.hostplane.vswitch.action;

/**
 * One step of a rule's ordered action list (VS-D4). Actions are immutable and shared by every
 * worker; per-frame state lives in the {@link ActionContext}. {@link Object#toString()} gives the
 * action in {@code ovs-ofctl} syntax.
 */
public interface Action
{
    /**
     * Applies the action to the current frame.
     *
     * @param context the frame and the switch operations.
     * @return false to stop the action list (the frame was dropped), true to continue.
     */
    boolean execute(ActionContext context);
}
