package dev.hostplane.syslog.internal.relp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.forward.QueuedOutput;
import dev.hostplane.syslog.internal.queue.ActionQueue;

/**
 * When imrelp may answer {@code 200 OK} to a {@code syslog} command: only once the message is as
 * safe as this daemon can make it, so that a receiver killed with SIGKILL right after the answer
 * loses nothing (the sender would not re-send an answered message). A message with main-queue
 * sequence {@code s} is safe when
 * <ol>
 * <li>the rule engine has processed every sequence up to {@code s} and finished their batch: the
 * batch end flushes every file output with write(2), and data in the page cache survives the death
 * of the process ({@code MainQueue.completed() >= s}); and</li>
 * <li>every asynchronous output (an action with its own queue: omfwd, omrelp, ompipe, omstdout)
 * has taken out of its queue, for good, every message it had accepted by then: confirmed by its
 * target (TCP acknowledgement, RELP response, pipe write) or given up on as its
 * {@code action.resumeRetryCount} allows. A message that only sits in an action queue's memory is
 * not safe; one in the disk spool is not counted as safe either, because the spool buffers appends
 * and hands records back to memory before they are delivered — so with a target that is down, imrelp
 * holds its answers and the RELP senders keep the messages in their own queues (backpressure, no
 * loss).</li>
 * </ol>
 * This is stricter than rsyslog's imrelp, which answers as soon as the message is in its main queue
 * (in memory unless the main queue is disk-assisted): there, a receiver killed right after the
 * answer loses the messages still queued. The price here is latency (an answer waits for a batch),
 * which the RELP window hides.
 * <p>
 * The check needs no hook in the rule thread: once {@code completed() >= s}, every offer the message
 * caused has happened, so the action queues' {@link ActionQueue#accepted()} counts read afterwards
 * cover it (they may cover a few newer messages too, which only makes the wait a little longer).
 */
public final class AckGate
{
    private final LongSupplier completed;
    private final QueuedOutput[] outputs;

    /**
     * Creates a gate.
     *
     * @param completed the main queue's completed sequence.
     * @param actions   every action of the config (the asynchronous ones are picked out).
     */
    public AckGate(final LongSupplier completed, final List<Action> actions)
    {
        this.completed = completed;
        final List<QueuedOutput> queued = new ArrayList<>();
        for (final Action a : actions)
        {
            if (a instanceof QueuedOutput)
            {
                queued.add((QueuedOutput)a);
            }
        }
        this.outputs = queued.toArray(new QueuedOutput[0]);
    }

    /**
     * A fresh snapshot holder for one session.
     *
     * @return snapshot (sequence -1: nothing completed yet).
     */
    public Snapshot newSnapshot()
    {
        return new Snapshot(outputs.length);
    }

    /**
     * Records how far the main queue is and what each asynchronous output had accepted by then.
     *
     * @param s holder.
     */
    public void take(final Snapshot s)
    {
        s.sequence = completed.getAsLong();
        for (int i = 0; i < outputs.length; i++)
        {
            final ActionQueue q = outputs[i].queue();
            s.accepted[i] = null == q ? 0 : q.accepted();
        }
    }

    /**
     * Whether every asynchronous output has finished what it had accepted at the snapshot; then
     * every message up to {@link Snapshot#sequence()} is safe.
     *
     * @param s snapshot.
     * @return true when safe.
     */
    public boolean settled(final Snapshot s)
    {
        for (int i = 0; i < outputs.length; i++)
        {
            final ActionQueue q = outputs[i].queue();
            if (null != q && q.finished() < s.accepted[i])
            {
                return false;
            }
        }
        return true;
    }

    /** One session's last snapshot (reused). */
    public static final class Snapshot
    {
        private long sequence = -1;
        private final long[] accepted;

        Snapshot(final int outputs)
        {
            this.accepted = new long[outputs];
        }

        /**
         * Main-queue sequence completed at the snapshot.
         *
         * @return sequence.
         */
        public long sequence()
        {
            return sequence;
        }
    }
}
