package dev.hostplane.packetscript.model;

import java.util.List;

/**
 * One TCP option as written between {@code <} and {@code >}.
 */
public sealed interface TcpOption permits TcpOption.Nop, TcpOption.Eol, TcpOption.Mss, TcpOption.WindowScale,
    TcpOption.SackPermitted, TcpOption.Sack, TcpOption.Timestamp, TcpOption.FastOpen, TcpOption.Md5,
    TcpOption.AccEcn
{
    /** Option kind numbers (IANA). */
    int KIND_EOL = 0;
    /** NOP kind. */
    int KIND_NOP = 1;
    /** MSS kind. */
    int KIND_MSS = 2;
    /** Window scale kind. */
    int KIND_WSCALE = 3;
    /** SACK-permitted kind. */
    int KIND_SACK_PERMITTED = 4;
    /** SACK kind. */
    int KIND_SACK = 5;
    /** Timestamp kind. */
    int KIND_TIMESTAMP = 8;
    /** MD5 signature kind. */
    int KIND_MD5 = 19;
    /** TCP Fast Open kind (RFC 7413). */
    int KIND_FAST_OPEN = 34;
    /** Experimental kind used by pre-RFC fast open, with magic 0xF989. */
    int KIND_EXPERIMENTAL = 254;
    /** Fast open magic in the experimental option. */
    int FAST_OPEN_MAGIC = 0xF989;
    /** AccECN option whose first counter is the ECT(0) byte counter (RFC 9768 "order 0"). */
    int KIND_ACCECN0 = 172;
    /** AccECN option whose first counter is the ECT(1) byte counter ("order 1"). */
    int KIND_ACCECN1 = 174;

    /**
     * The option kind on the wire.
     *
     * @return the kind byte.
     */
    int kind();

    /** {@code nop}. */
    record Nop() implements TcpOption
    {
        @Override
        public int kind()
        {
            return KIND_NOP;
        }
    }

    /** {@code eol}. */
    record Eol() implements TcpOption
    {
        @Override
        public int kind()
        {
            return KIND_EOL;
        }
    }

    /**
     * {@code mss N}; the value may be a symbol defined with {@code -D} (e.g. {@code mss MSS}).
     *
     * @param value the segment size.
     */
    record Mss(IntValue value) implements TcpOption
    {
        @Override
        public int kind()
        {
            return KIND_MSS;
        }
    }

    /**
     * {@code wscale N}.
     *
     * @param shift shift count.
     */
    record WindowScale(int shift) implements TcpOption
    {
        @Override
        public int kind()
        {
            return KIND_WSCALE;
        }
    }

    /** {@code sackOK}. */
    record SackPermitted() implements TcpOption
    {
        @Override
        public int kind()
        {
            return KIND_SACK_PERMITTED;
        }
    }

    /**
     * {@code sack a:b c:d}, script-space sequence numbers.
     *
     * @param blocks the SACK blocks.
     */
    record Sack(List<SackBlock> blocks) implements TcpOption
    {
        /**
         * Copies the list.
         *
         * @param blocks the SACK blocks.
         */
        public Sack
        {
            blocks = List.copyOf(blocks);
        }

        @Override
        public int kind()
        {
            return KIND_SACK;
        }
    }

    /**
     * One SACK block {@code left:right}.
     *
     * @param left  first sequence number.
     * @param right sequence number after the block.
     */
    record SackBlock(long left, long right)
    {
    }

    /**
     * {@code TS val N ecr N}.
     *
     * @param val timestamp value.
     * @param ecr timestamp echo reply.
     */
    record Timestamp(long val, long ecr) implements TcpOption
    {
        @Override
        public int kind()
        {
            return KIND_TIMESTAMP;
        }
    }

    /**
     * {@code FO cookie} (kind 34) or {@code FOEXP cookie} (kind 254, magic 0xF989). The cookie is hex digits as
     * written, empty for a cookie request, or a symbol defined with {@code -D} (e.g. {@code TFO_COOKIE}).
     *
     * @param cookie       hex digits, empty, or a symbol.
     * @param experimental true for {@code FOEXP}.
     */
    record FastOpen(String cookie, boolean experimental) implements TcpOption
    {
        @Override
        public int kind()
        {
            return experimental ? KIND_EXPERIMENTAL : KIND_FAST_OPEN;
        }
    }

    /**
     * {@code md5 hexdigest}.
     *
     * @param digest hex digits as written.
     */
    record Md5(String digest) implements TcpOption
    {
        @Override
        public int kind()
        {
            return KIND_MD5;
        }
    }

    /**
     * {@code ECN e0b N ceb N e1b N} (or starting with {@code e1b}): the AccECN option, 24-bit byte counters in wire
     * order. Its kind says which counter comes first (172 for ECT(0), 174 for ECT(1)); the CE counter is always the
     * second; a script may stop after the first or the second counter, as the option may.
     *
     * @param ect1First whether the ECT(1) counter comes first (kind 174).
     * @param counters  one to three counter values in wire order.
     */
    record AccEcn(boolean ect1First, List<Long> counters) implements TcpOption
    {
        /** Counter names as scripts write them, per order, in wire order. */
        private static final String[][] LABELS = {{"e0b", "ceb", "e1b"}, {"e1b", "ceb", "e0b"}};

        /**
         * Copies the counters.
         *
         * @param ect1First whether the ECT(1) counter comes first.
         * @param counters  one to three counter values in wire order.
         */
        public AccEcn
        {
            counters = List.copyOf(counters);
        }

        @Override
        public int kind()
        {
            return ect1First ? KIND_ACCECN1 : KIND_ACCECN0;
        }

        /**
         * Name of a counter as scripts write it.
         *
         * @param ect1First the option's order.
         * @param index     position in wire order, 0 to 2.
         * @return {@code e0b}, {@code ceb} or {@code e1b}.
         */
        public static String label(final boolean ect1First, final int index)
        {
            return LABELS[ect1First ? 1 : 0][index];
        }
    }
}
