package dev.hostplane.packetscript.model;

/**
 * An outer layer written in front of a packet.
 */
public sealed interface Encapsulation permits Encapsulation.Psp
{
    /**
     * {@code encap psp spi N}: PSP encapsulation (needs a PSP kernel; parsed so the suite's psp scripts parse).
     *
     * @param spi security parameter index.
     */
    record Psp(long spi) implements Encapsulation
    {
    }
}
