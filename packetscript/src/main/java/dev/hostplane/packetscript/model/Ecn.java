package dev.hostplane.packetscript.model;

/**
 * ECN codepoint given in a packet's IP clause, e.g. {@code [ect0]}.
 */
public enum Ecn
{
    /** {@code noecn}: not ECN-capable (00). */
    NO_ECN("noecn", 0),
    /** {@code ect1}: ECT(1) (01). */
    ECT1("ect1", 1),
    /** {@code ect0}: ECT(0) (10). */
    ECT0("ect0", 2),
    /** {@code ce}: congestion experienced (11). */
    CE("ce", 3),
    /** {@code ect01}: either ECT(0) or ECT(1) (outbound only). */
    ECT01("ect01", -1);

    private final String keyword;
    private final int bits;

    Ecn(final String keyword, final int bits)
    {
        this.keyword = keyword;
        this.bits = bits;
    }

    /**
     * The script keyword.
     *
     * @return e.g. {@code ect0}.
     */
    public String keyword()
    {
        return keyword;
    }

    /**
     * The two ECN bits of the TOS/traffic-class byte.
     *
     * @return 0..3, or -1 for {@link #ECT01}.
     */
    public int bits()
    {
        return bits;
    }

    /**
     * Looks a keyword up.
     *
     * @param keyword e.g. {@code ce}.
     * @return the codepoint, or {@code null} if the keyword is not an ECN keyword.
     */
    public static Ecn fromKeyword(final String keyword)
    {
        for (final Ecn ecn : values())
        {
            if (ecn.keyword.equals(keyword))
            {
                return ecn;
            }
        }
        return null;
    }
}
