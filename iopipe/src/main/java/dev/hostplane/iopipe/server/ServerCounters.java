package dev.hostplane.iopipe.server;

import java.util.concurrent.atomic.LongAdder;

/** The HTTP file server's counters, updated from every event loop without a shared cache line per request. */
final class ServerCounters
{
    final LongAdder requests = new LongAdder();
    final LongAdder badRequests = new LongAdder();
    final LongAdder notFound = new LongAdder();
    final LongAdder forbidden = new LongAdder();
    final LongAdder serverErrors = new LongAdder();
    final LongAdder sendfileBytes = new LongAdder();
    final LongAdder copyBytes = new LongAdder();
    final LongAdder pipedBytes = new LongAdder();
    final LongAdder headerTimeouts = new LongAdder();
    final LongAdder keepaliveTimeouts = new LongAdder();
    final LongAdder sendTimeouts = new LongAdder();
    final LongAdder fileErrors = new LongAdder();
}
