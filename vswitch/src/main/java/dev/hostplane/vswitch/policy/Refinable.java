package dev.hostplane.vswitch.policy;

/**
 * A policy part whose compiled form changes at run time (dynamic policies, queries that stop
 * asking for groups they have seen); the runtime registers to recompile when it does.
 */
interface Refinable
{
    /**
     * Sets the listener called after each change.
     *
     * @param listener the runtime's recompile hook.
     */
    void onChange(Runnable listener);
}
