package dev.hostplane.packetscript.live.internal.exec;

import com.sun.jna.Pointer;
import dev.hostplane.packetscript.model.Expression;

import java.util.List;

/**
 * Compares the control messages {@code recvmsg} returned with the script's {@code msg_control}:
 * level, type and data (an int such as TCP_CM_INQ, or a sock_extended_err); SCM_TIMESTAMPING
 * timestamps are only checked for presence.
 */
final class CmsgChecks
{
    private CmsgChecks()
    {
    }

    static String verify(final List<Expression> expected, final Pointer control, final long controlLength)
    {
        long offset = 0;
        int index = 0;
        for (final Expression cmsg : expected)
        {
            if (offset + 16 > controlLength)
            {
                return "recvmsg: expected " + expected.size() + " cmsgs but got " + index;
            }
            final long length = control.getLong(offset);
            final int level = control.getInt(offset + 8);
            final int type = control.getInt(offset + 12);
            final long wantLevel = Args.integer(Args.fieldValue(cmsg, "cmsg_level"));
            final long wantType = Args.integer(Args.fieldValue(cmsg, "cmsg_type"));
            if (wantLevel != level || wantType != type)
            {
                return "recvmsg cmsg " + index + ": expected level " + wantLevel + " type " + wantType + " but got level " +
                    level + " type " + type;
            }
            final Expression data = Args.fieldValue(cmsg, "cmsg_data");
            final String mismatch = verifyData(data, control, offset + 16, index);
            if (null != mismatch)
            {
                return mismatch;
            }
            offset += (length + 7) & ~7L;
            index++;
        }
        return null;
    }

    private static String verifyData(final Expression data, final Pointer control, final long offset, final int index)
    {
        if (null == data || Args.isEllipsis(data))
        {
            return null;
        }
        if (data instanceof Expression.StructExpr struct)
        {
            final String[] names = {"ee_errno", "ee_origin", "ee_type", "ee_code", "ee_info", "ee_data"};
            final long[] actual = {
                control.getInt(offset) & 0xFFFFFFFFL, control.getByte(offset + 4) & 0xFF,
                control.getByte(offset + 5) & 0xFF, control.getByte(offset + 6) & 0xFF,
                control.getInt(offset + 8) & 0xFFFFFFFFL, control.getInt(offset + 12) & 0xFFFFFFFFL,
            };
            for (int i = 0; i < names.length; i++)
            {
                final Expression want = Args.fieldValue(struct, names[i]);
                if (null != want && !Args.isEllipsis(want) && (Args.integer(want) & 0xFFFFFFFFL) != actual[i])
                {
                    return "recvmsg cmsg " + index + ": expected " + names[i] + " " + Args.integer(want) + " but got " +
                        actual[i];
                }
            }
            return null;
        }
        if (data instanceof Expression.ListExpr)
        {
            return null;
        }
        final long want = Args.integer(data);
        final long got = control.getInt(offset) & 0xFFFFFFFFL;
        return (want & 0xFFFFFFFFL) == got ? null :
            "recvmsg cmsg " + index + ": expected data " + want + " but got " + got;
    }
}
