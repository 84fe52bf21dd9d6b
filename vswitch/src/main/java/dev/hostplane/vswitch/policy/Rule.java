package dev.hostplane.vswitch.policy;

import java.util.Set;

import dev.hostplane.vswitch.flow.Match;

/**
 * One compiled rule: a match and the set of actions applied to a packet that matches it first.
 *
 * @param match the match.
 * @param actions the action set (empty = drop).
 */
record Rule(Match match, Set<Mod> actions)
{
    @Override
    public String toString()
    {
        return match + " -> " + (actions.isEmpty() ? "drop" : actions.toString());
    }
}
