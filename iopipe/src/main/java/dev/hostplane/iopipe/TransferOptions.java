package dev.hostplane.iopipe;

import java.time.Duration;
import java.util.Objects;

/**
 * How one transfer runs: which tenant pays for it, an optional forced strategy, a progress callback
 * and a timeout. Immutable; build with {@link #builder()}.
 */
public final class TransferOptions
{
    /** Default tenant, strategy AUTO, no progress callback, no timeout. */
    public static final TransferOptions DEFAULT = builder().build();

    private final String tenant;
    private final Strategy strategy;
    private final ProgressListener progress;
    private final Duration timeout;

    private TransferOptions(final Builder builder)
    {
        this.tenant = builder.tenant;
        this.strategy = builder.strategy;
        this.progress = builder.progress;
        this.timeout = builder.timeout;
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Name of the tenant charged for the bytes.
     *
     * @return the tenant name.
     */
    public String tenant()
    {
        return tenant;
    }

    /**
     * The forced strategy, or {@link Strategy#AUTO}.
     *
     * @return the strategy.
     */
    public Strategy strategy()
    {
        return strategy;
    }

    /**
     * The progress callback, or {@code null}.
     *
     * @return the listener.
     */
    public ProgressListener progress()
    {
        return progress;
    }

    /**
     * The timeout from submission, or {@code null} for none.
     *
     * @return the timeout.
     */
    public Duration timeout()
    {
        return timeout;
    }

    /** Builder for {@link TransferOptions}. */
    public static final class Builder
    {
        private String tenant = PipeService.DEFAULT_TENANT;
        private Strategy strategy = Strategy.AUTO;
        private ProgressListener progress;
        private Duration timeout;

        private Builder()
        {
        }

        /**
         * Sets the tenant (must be registered with {@link PipeService#tenant(String, int)}).
         *
         * @param tenant tenant name.
         * @return this.
         */
        public Builder tenant(final String tenant)
        {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
            return this;
        }

        /**
         * Forces a strategy; it must fit the source/sink pair (COPY always does).
         *
         * @param strategy the strategy, or AUTO.
         * @return this.
         */
        public Builder strategy(final Strategy strategy)
        {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * Sets a callback run after every chunk.
         *
         * @param progress the listener, or {@code null}.
         * @return this.
         */
        public Builder progress(final ProgressListener progress)
        {
            this.progress = progress;
            return this;
        }

        /**
         * Fails the transfer with {@link PipeException.Reason#TIMEOUT} if it has not completed this long
         * after submission.
         *
         * @param timeout positive duration, or {@code null} for none.
         * @return this.
         */
        public Builder timeout(final Duration timeout)
        {
            if (null != timeout && (timeout.isNegative() || timeout.isZero()))
            {
                throw new IllegalArgumentException("timeout=" + timeout + " (expected: > 0)");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the immutable options.
         */
        public TransferOptions build()
        {
            return new TransferOptions(this);
        }
    }
}
