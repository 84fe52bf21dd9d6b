package dev.hostplane.packetscript.packet;

import java.util.List;

/**
 * The outcome of checking a live outbound packet against a script packet. Like packetdrill, the verifier stops
 * at the first mismatch: {@link #message()} is that one.
 *
 * @param errors the mismatch in packetdrill's wording, empty when the packet matched.
 */
public record VerificationResult(List<String> errors)
{
    /**
     * Copies the list.
     *
     * @param errors mismatches.
     */
    public VerificationResult
    {
        errors = List.copyOf(errors);
    }

    /**
     * Whether the packet matched.
     *
     * @return true if there were no mismatches.
     */
    public boolean ok()
    {
        return errors.isEmpty();
    }

    /**
     * The first mismatch.
     *
     * @return the message, or null when the packet matched.
     */
    public String message()
    {
        return errors.isEmpty() ? null : errors.get(0);
    }
}
