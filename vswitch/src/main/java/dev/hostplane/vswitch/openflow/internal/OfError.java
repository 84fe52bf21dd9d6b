package dev.hostplane.vswitch.openflow.internal;

import java.util.function.BiFunction;

import org.projectfloodlight.openflow.protocol.OFBadActionCode;
import org.projectfloodlight.openflow.protocol.OFBadInstructionCode;
import org.projectfloodlight.openflow.protocol.OFBadMatchCode;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowModFailedCode;
import org.projectfloodlight.openflow.protocol.OFGroupModFailedCode;
import org.projectfloodlight.openflow.protocol.OFPortModFailedCode;
import org.projectfloodlight.openflow.protocol.OFSwitchConfigFailedCode;
import org.projectfloodlight.openflow.types.OFErrorCauseData;

/**
 * A request the switch refuses, carrying the OpenFlow error (type and code) to answer it with. The
 * message says what and why, for the log; the controller gets the error with the first bytes of
 * its request, as the specification asks.
 */
public final class OfError extends Exception
{
    private static final long serialVersionUID = 1L;

    private final transient BiFunction<OFFactory, OFErrorCauseData, OFErrorMsg> reply;
    private final String code;

    private OfError(final String code, final String message,
        final BiFunction<OFFactory, OFErrorCauseData, OFErrorMsg> reply)
    {
        super(message, null, false, false);
        this.code = code;
        this.reply = reply;
    }

    /**
     * OFPET_BAD_REQUEST.
     *
     * @param c code.
     * @param why explanation.
     * @return the error.
     */
    public static OfError badRequest(final OFBadRequestCode c, final String why)
    {
        return new OfError("BAD_REQUEST/" + c, why,
            (f, d) -> f.errorMsgs().buildBadRequestErrorMsg().setCode(c).setData(d).build());
    }

    /**
     * OFPET_BAD_MATCH.
     *
     * @param c code.
     * @param why explanation.
     * @return the error.
     */
    public static OfError badMatch(final OFBadMatchCode c, final String why)
    {
        return new OfError("BAD_MATCH/" + c, why,
            (f, d) -> f.errorMsgs().buildBadMatchErrorMsg().setCode(c).setData(d).build());
    }

    /**
     * OFPET_BAD_ACTION.
     *
     * @param c code.
     * @param why explanation.
     * @return the error.
     */
    public static OfError badAction(final OFBadActionCode c, final String why)
    {
        return new OfError("BAD_ACTION/" + c, why,
            (f, d) -> f.errorMsgs().buildBadActionErrorMsg().setCode(c).setData(d).build());
    }

    /**
     * OFPET_BAD_INSTRUCTION.
     *
     * @param c code.
     * @param why explanation.
     * @return the error.
     */
    public static OfError badInstruction(final OFBadInstructionCode c, final String why)
    {
        return new OfError("BAD_INSTRUCTION/" + c, why,
            (f, d) -> f.errorMsgs().buildBadInstructionErrorMsg().setCode(c).setData(d).build());
    }

    /**
     * OFPET_FLOW_MOD_FAILED.
     *
     * @param c code.
     * @param why explanation.
     * @return the error.
     */
    public static OfError flowModFailed(final OFFlowModFailedCode c, final String why)
    {
        return new OfError("FLOW_MOD_FAILED/" + c, why,
            (f, d) -> f.errorMsgs().buildFlowModFailedErrorMsg().setCode(c).setData(d).build());
    }

    /**
     * OFPET_GROUP_MOD_FAILED.
     *
     * @param c code.
     * @param why explanation.
     * @return the error.
     */
    public static OfError groupModFailed(final OFGroupModFailedCode c, final String why)
    {
        return new OfError("GROUP_MOD_FAILED/" + c, why,
            (f, d) -> f.errorMsgs().buildGroupModFailedErrorMsg().setCode(c).setData(d).build());
    }

    /**
     * OFPET_PORT_MOD_FAILED.
     *
     * @param c code.
     * @param why explanation.
     * @return the error.
     */
    public static OfError portModFailed(final OFPortModFailedCode c, final String why)
    {
        return new OfError("PORT_MOD_FAILED/" + c, why,
            (f, d) -> f.errorMsgs().buildPortModFailedErrorMsg().setCode(c).setData(d).build());
    }

    /**
     * OFPET_SWITCH_CONFIG_FAILED.
     *
     * @param c code.
     * @param why explanation.
     * @return the error.
     */
    public static OfError switchConfigFailed(final OFSwitchConfigFailedCode c, final String why)
    {
        return new OfError("SWITCH_CONFIG_FAILED/" + c, why,
            (f, d) -> f.errorMsgs().buildSwitchConfigFailedErrorMsg().setCode(c).setData(d).build());
    }

    /**
     * OFPET_HELLO_FAILED.
     *
     * @param c code.
     * @param why explanation.
     * @return the error.
     */
    public static OfError helloFailed(final org.projectfloodlight.openflow.protocol.OFHelloFailedCode c,
        final String why)
    {
        return new OfError("HELLO_FAILED/" + c, why,
            (f, d) -> f.errorMsgs().buildHelloFailedErrorMsg().setCode(c).setData(d).build());
    }

    /**
     * The error type and code, e.g. {@code BAD_MATCH/BAD_FIELD}.
     *
     * @return text.
     */
    public String code()
    {
        return code;
    }

    /**
     * Builds the error message to send.
     *
     * @param factory OpenFlow 1.3 factory.
     * @param xid the request's transaction id.
     * @param request the request's first bytes (at most 64, as the specification asks).
     * @return the message.
     */
    public OFErrorMsg toMessage(final OFFactory factory, final long xid, final byte[] request)
    {
        final OFErrorMsg msg = reply.apply(factory, OFErrorCauseData.of(request, factory.getVersion()));
        return msg.createBuilder().setXid(xid).build();
    }
}
