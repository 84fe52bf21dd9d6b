/**
 * hostplane flashcache: a tiered RAM/flash block cache and its trace-driven simulator. The API is
 * {@code dev.hostplane.flashcache} with {@code store} (backing stores), {@code policy} (replacement
 * policies), {@code trace} (trace readers and replay) and {@code sim} (the study's simulator); {@code internal} is not exported.
 */
module dev.hostplane.flashcache
{
    requires HdrHistogram;
    requires org.agrona;
    requires org.slf4j;

    exports dev.hostplane.flashcache;
    exports dev.hostplane.flashcache.policy;
    exports dev.hostplane.flashcache.sim;
    exports dev.hostplane.flashcache.store;
    exports dev.hostplane.flashcache.trace;
}
