package dev.hostplane.syslog.internal.queue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import dev.hostplane.syslog.internal.thread.LibraryThreads;

/**
 * A per-action queue: a bounded ring of reusable message slots drained in batches by one worker
 * thread into a {@link Deliverer}. Messages stay in the ring until the target confirms them, so a
 * broken connection re-sends exactly the unconfirmed ones, in order. When the ring is full the
 * producer blocks (backpressure up to the main queue and the TCP inputs), or, in disk-assisted
 * mode, the overflow goes to a {@link DiskSpool}; once anything is on disk every newer message
 * goes there too until the disk part is drained, which keeps the order.
 */
public final class ActionQueue implements AutoCloseable
{
    private final Deliverer deliverer;
    private final QueueOptions options;
    private final Slots ring;
    private final int mask;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ActionQueue.class);

    private final Condition notFull = lock.newCondition();
    private final DiskSpool spool;
    /** Messages kept in memory only before new ones go to the spool (0: every message is written to it first). */
    private final int memoryLimit;
    private final Thread worker;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    /** Messages ever put in this queue (spooled ones of a previous run included), in queue order. */
    private final AtomicLong accepted = new AtomicLong();
    /** Oldest unconfirmed message. */
    private long head;
    /** Next message to send. */
    private long sendPosition;
    /** Next free slot. */
    private long tail;
    private volatile boolean closing;
    private volatile boolean stopped;
    private volatile String lastError;
    private volatile boolean suspended;
    private final AtomicLong suspensions = new AtomicLong();
    private final String name;

    /**
     * Creates and starts the queue.
     *
     * @param name      the queue's name in logs and statistics.
     * @param deliverer target transport.
     * @param options   settings.
     */
    public ActionQueue(final String name, final Deliverer deliverer, final QueueOptions options)
    {
        this.name = name;
        this.deliverer = deliverer;
        this.options = options;
        int capacity = 1;
        while (capacity < Math.max(2, options.size))
        {
            capacity <<= 1;
        }
        this.ring = new Slots(capacity);
        this.mask = capacity - 1;
        this.spool = options.diskAssisted() ? new DiskSpool(options.spoolFile, options.syncFiles) : null;
        this.memoryLimit = options.persistAll ? 0 : options.highWatermark > 0 ? Math.min(capacity,
            options.highWatermark) : capacity;
        // Those come out first: counting them keeps accepted() and finished() in the same order.
        this.accepted.set(null == spool ? 0 : spool.size());
        this.worker = LibraryThreads.thread("action", this::run);
        this.worker.start();
    }

    /**
     * Enqueues a copy of one rendered message; blocks while the ring is full (unless disk-assisted).
     *
     * @param data   message bytes.
     * @param offset first byte.
     * @param length bytes.
     */
    public void offer(final byte[] data, final int offset, final int length)
    {
        lock.lock();
        try
        {
            accepted.lazySet(accepted.get() + 1);
            if (null != spool)
            {
                if (!spool.isEmpty() || tail - head >= memoryLimit)
                {
                    spool.append(data, offset, length);
                    notEmpty.signal();
                    return;
                }
            }
            else
            {
                while (tail - head > mask)
                {
                    if (stopped)
                    {
                        dropped.incrementAndGet();
                        return;
                    }
                    notFull.awaitUninterruptibly();
                }
            }
            final int index = (int)(tail & mask);
            System.arraycopy(data, offset, ring.ensure(index, length), 0, length);
            ring.lengths[index] = length;
            ring.spoolEnds[index] = -1;
            tail++;
            notEmpty.signal();
        }
        finally
        {
            lock.unlock();
        }
    }

    private void run()
    {
        if (deliverer.startsWithDaemon())
        {
            try
            {
                deliverer.prepare();
            }
            catch (final IOException | RuntimeException ex)
            {
                // The first batch opens again and reports the failure as a suspension.
                LOG.debug("{}: set-up ahead of the first message failed: {}", name, ex.toString());
            }
        }
        long backoff = options.resumeIntervalMs;
        int failures = 0;
        final long[] ends = new long[Math.min(options.batchSize, mask + 1)];
        while (true)
        {
            long from;
            long to;
            lock.lock();
            try
            {
                refillFromSpool();
                while (sendPosition == tail && !(closing && head == tail && (null == spool || spool.isEmpty())))
                {
                    if (head < sendPosition)
                    {
                        // Sent but not confirmed yet: poll the confirmation soon.
                        notEmpty.awaitNanos(TimeUnit.MILLISECONDS.toNanos(1));
                        break;
                    }
                    notEmpty.awaitUninterruptibly();
                    refillFromSpool();
                }
                if (closing && head == tail && sendPosition == tail && (null == spool || spool.isEmpty()))
                {
                    stopped = true;
                    notFull.signalAll();
                    return;
                }
                if (stopped)
                {
                    return;
                }
                from = sendPosition;
                to = Math.min(tail, from + ends.length);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            finally
            {
                lock.unlock();
            }
            // Everything before 'from' went out on the current connection (a reset re-sends from head).
            long writtenTo = from;
            try
            {
                deliverer.open();
                if (to > from && head < from)
                {
                    // Take the acknowledgements first: a peer that closed meanwhile is noticed here,
                    // before more is written, and what it did take is not sent twice.
                    confirm(from);
                }
                for (long p = from; p < to; p++)
                {
                    final int index = (int)(p & mask);
                    deliverer.write(ring.data[index], 0, ring.lengths[index]);
                    ring.ends[index] = deliverer.writtenBytes();
                    writtenTo = p + 1;
                }
                deliverer.flush();
                confirm(to);
                failures = 0;
                backoff = options.resumeIntervalMs;
                if (suspended)
                {
                    suspended = false;
                    LOG.info("{}: resumed after {} failed attempt(s)", name, retries.get());
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                lastError = deliverer.target() + ": " + ex;
                if (!suspended)
                {
                    // Once per outage, not once per retry or message.
                    suspended = true;
                    suspensions.incrementAndGet();
                    LOG.warn("{}: suspended: {}; holding what is queued and retrying every {} ms and more", name,
                        lastError, options.resumeIntervalMs);
                }
                salvage(writtenTo);
                deliverer.reset();
                failures++;
                retries.incrementAndGet();
                lock.lock();
                try
                {
                    resent.addAndGet(sendPosition - head);
                    // Everything not confirmed goes again on the next connection, oldest first.
                    sendPosition = head;
                    if (options.resumeRetryCount >= 0 && failures > options.resumeRetryCount && null == spool)
                    {
                        final long n = Math.min(tail - head, ends.length);
                        dropped.addAndGet(n);
                        head += n;
                        sendPosition = head;
                        failures = 0;
                        notFull.signalAll();
                    }
                }
                finally
                {
                    lock.unlock();
                }
                if (stopped)
                {
                    return;
                }
                sleep(backoff);
                backoff = Math.min(options.maxBackoffMs, backoff * 2);
            }
        }
    }

    private void confirm(final long sentUpTo) throws IOException
    {
        final long confirmed = deliverer.confirmedBytes();
        lock.lock();
        try
        {
            sendPosition = Math.max(sendPosition, sentUpTo);
            long h = head;
            while (h < sendPosition && ring.ends[(int)(h & mask)] <= confirmed)
            {
                h++;
            }
            if (h != head)
            {
                commitSpool(head, h);
                delivered.addAndGet(h - head);
                head = h;
                notFull.signalAll();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * After a failure: messages the target confirmed at application level before the connection broke
     * (RELP responses that arrived during the batch) are delivered and must not be sent again. Only
     * positions written on this connection count: older slots hold stale end marks.
     */
    private void salvage(final long writtenTo)
    {
        final long confirmed = deliverer.confirmedAfterFailure();
        if (confirmed < 0)
        {
            return;
        }
        lock.lock();
        try
        {
            long h = head;
            while (h < writtenTo && ring.ends[(int)(h & mask)] <= confirmed)
            {
                h++;
            }
            if (h > head)
            {
                commitSpool(head, h);
                delivered.addAndGet(h - head);
                head = h;
                sendPosition = Math.max(sendPosition, h);
                notFull.signalAll();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Under the lock: moves spooled messages into free ring slots, oldest first. */
    private void refillFromSpool()
    {
        if (null == spool)
        {
            return;
        }
        while (!spool.isEmpty() && tail - head <= mask)
        {
            final int index = (int)(tail & mask);
            ring.spoolEnds[index] = spool.readInto(ring, index);
            tail++;
        }
    }

    /** Under the lock: the spool may forget what was read from it and is now delivered (positions from..to-1). */
    private void commitSpool(final long from, final long to)
    {
        if (null == spool)
        {
            return;
        }
        long end = -1;
        for (long p = from; p < to; p++)
        {
            end = Math.max(end, ring.spoolEnds[(int)(p & mask)]);
        }
        if (end >= 0)
        {
            spool.commit(end);
        }
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Messages confirmed by the target.
     *
     * @return count.
     */
    public long delivered()
    {
        return delivered.get();
    }

    /**
     * Messages ever accepted by {@link #offer} (plus those a previous run left in the spool), the
     * position in queue order a newly offered message gets.
     *
     * @return count.
     */
    public long accepted()
    {
        return accepted.get();
    }

    /**
     * Messages that left the queue for good, in queue order: confirmed by the target or given up
     * on. Once {@code finished() >= n}, the first {@code n} {@link #accepted} messages are no
     * longer in memory only.
     *
     * @return count.
     */
    public long finished()
    {
        return delivered.get() + dropped.get();
    }

    /**
     * Messages given up on (retries exhausted, or still queued at shutdown without a spool).
     *
     * @return count.
     */
    public long dropped()
    {
        return dropped.get();
    }

    /**
     * Failed delivery attempts.
     *
     * @return count.
     */
    public long retries()
    {
        return retries.get();
    }

    /**
     * Messages sent again after a broken connection (they may reach the target twice).
     *
     * @return count.
     */
    public long resent()
    {
        return resent.get();
    }

    /**
     * Messages waiting (memory and disk).
     *
     * @return count.
     */
    public long pending()
    {
        lock.lock();
        try
        {
            return tail - head + (null == spool ? 0 : spool.size());
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * The last delivery error, or null.
     *
     * @return error text.
     */
    public String lastError()
    {
        return lastError;
    }

    /**
     * Whether the last delivery attempt failed (the action is suspended until one succeeds).
     *
     * @return suspended now.
     */
    public boolean suspended()
    {
        return suspended;
    }

    /**
     * Times the queue went from delivering to suspended.
     *
     * @return count.
     */
    public long suspensions()
    {
        return suspensions.get();
    }

    /**
     * Drains: waits up to the shutdown timeout for delivery, then spools what is left (disk-assisted)
     * or counts it as dropped.
     */
    @Override
    public void close()
    {
        closing = true;
        lock.lock();
        try
        {
            notEmpty.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        try
        {
            worker.join(options.shutdownTimeoutMs);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        stopped = true;
        worker.interrupt();
        try
        {
            worker.join(1_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try
        {
            if (null != spool)
            {
                saveRingToSpool();
                spool.close();
            }
            else
            {
                dropped.addAndGet(tail - head);
                head = tail;
            }
            notFull.signalAll();
        }
        finally
        {
            lock.unlock();
            deliverer.reset();
        }
    }

    /**
     * At shutdown: messages only in memory are older than any spooled one, so the spool becomes
     * those first, then every spooled message not yet delivered.
     */
    private void saveRingToSpool()
    {
        final java.util.ArrayList<byte[]> older = new java.util.ArrayList<>();
        for (long p = head; p < tail; p++)
        {
            final int index = (int)(p & mask);
            if (ring.spoolEnds[index] < 0)
            {
                older.add(java.util.Arrays.copyOf(ring.data[index], ring.lengths[index]));
            }
        }
        if (!older.isEmpty())
        {
            spool.prepend(older);
        }
        head = tail;
        sendPosition = tail;
    }

    /** Reusable message slots of the ring. */
    static final class Slots
    {
        final byte[][] data;
        final int[] lengths;
        final long[] ends;
        /** File offset after the message's spool record (to commit once delivered), or -1 when it is in memory only. */
        final long[] spoolEnds;

        Slots(final int capacity)
        {
            data = new byte[capacity][];
            lengths = new int[capacity];
            ends = new long[capacity];
            spoolEnds = new long[capacity];
            java.util.Arrays.fill(spoolEnds, -1);
        }

        byte[] ensure(final int index, final int length)
        {
            byte[] b = data[index];
            if (null == b || b.length < length)
            {
                b = new byte[Math.max(length, 256)];
                data[index] = b;
            }
            return b;
        }
    }
}
