package dev.hostplane.vswitch.port;

import java.nio.ByteOrder;

import dev.hostplane.vswitch.packet.Checksums;
import dev.hostplane.vswitch.tap.VirtioNetHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Software fallbacks for frames that carry virtio_net_hdr offload metadata (from a TAP port with
 * offload on) when they leave through a port that cannot take such metadata (an in-process endpoint,
 * a TAP port in naive mode): a partial checksum is completed in the destination copy, and a GSO
 * super-frame, which only a GSO-capable port could segment, is refused so the caller drops and counts it.
 */
public final class OffloadSupport
{
    private OffloadSupport()
    {
    }

    /**
     * Whether the frame's virtio_net_hdr (just before {@code frameOffset}) describes a GSO frame.
     *
     * @param buffer frame buffer.
     * @param frameOffset frame start.
     * @return true for GSO.
     */
    public static boolean isGso(final DirectBuffer buffer, final int frameOffset)
    {
        final int gsoType = buffer.getByte(frameOffset - VirtioNetHeader.LENGTH_MRG + 1) & ~VirtioNetHeader.GSO_ECN;
        return gsoType != VirtioNetHeader.GSO_NONE;
    }

    /**
     * Whether the frame's L4 checksum is partial.
     *
     * @param buffer frame buffer.
     * @param frameOffset frame start.
     * @return true when NEEDS_CSUM is set.
     */
    public static boolean needsChecksum(final DirectBuffer buffer, final int frameOffset)
    {
        return (buffer.getByte(frameOffset - VirtioNetHeader.LENGTH_MRG) & VirtioNetHeader.F_NEEDS_CSUM) != 0;
    }

    /**
     * Completes a partial checksum in a copy of the frame, as the NIC would: sum from
     * {@code csumStart} to the end (the field holds the pseudo-header sum) and store the result at
     * {@code csumStart + csumOffset}.
     *
     * @param header buffer holding the frame's virtio_net_hdr (before {@code headerFrameOffset}).
     * @param headerFrameOffset frame start in {@code header}.
     * @param copy buffer holding the copy to fix.
     * @param copyOffset frame start in {@code copy}.
     * @param frameLength frame length.
     * @return false when the offsets do not fit the frame (left unchanged).
     */
    public static boolean completeChecksum(
        final DirectBuffer header,
        final int headerFrameOffset,
        final MutableDirectBuffer copy,
        final int copyOffset,
        final int frameLength)
    {
        final int hdr = headerFrameOffset - VirtioNetHeader.LENGTH_MRG;
        final int start = header.getShort(hdr + 6, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int offset = header.getShort(hdr + 8, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (start + offset + 2 > frameLength)
        {
            return false;
        }
        final int sum = Checksums.sum(copy, copyOffset + start, frameLength - start);
        int checksum = Checksums.finish(sum);
        if (checksum == 0 && offset == 6)
        {
            // UDP sends a computed zero as 0xFFFF (zero means "no checksum").
            checksum = 0xFFFF;
        }
        copy.putShort(copyOffset + start + offset, (short)checksum, ByteOrder.BIG_ENDIAN);
        return true;
    }
}
