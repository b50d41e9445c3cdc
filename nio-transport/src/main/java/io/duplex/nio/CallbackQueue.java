package io.duplex.nio;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One connection's handler callbacks on their way to an {@link Executor}: in order and one at a time. The
 * loop adds them; at most one executor task drains them, so two never run at once for the connection, and
 * the queue's lock orders each callback's effects before the next one's, whichever thread runs it.
 *
 * <p>The queue is bounded by messages and bytes: when more wait than either bound, reading from the peer
 * pauses ({@link Connection#handlerBacklog}) and resumes once the handler has caught up to half of both. As
 * reading stops only between reads, the queue may exceed the bound by what one read delivered.
 *
 * <p>A task delivers at most {@link #BATCH} callbacks and then yields its thread to other connections' tasks
 * by submitting itself anew, so one busy connection cannot hold a small pool.
 */
final class CallbackQueue implements Runnable {

    /** Callbacks one task delivers before it yields the executor's thread. */
    static final int BATCH = 16;

    private final Executor executor;
    private final ExecutorHandler target;
    private final Connection conn;
    private final int maxMessages;
    private final long maxBytes;
    private Callback head;
    private Callback tail;
    private int count;
    private long bytes;
    /** A task is submitted or running: callbacks added now are delivered by it. */
    private boolean scheduled;
    /** Reading is paused for this backlog (or about to be). */
    private boolean paused;
    /** The executor refused a task: callbacks run on the thread that adds or drains them. */
    private boolean inline;

    CallbackQueue(Executor executor, ExecutorHandler target, Connection conn, int maxMessages, long maxBytes) {
        this.executor = executor;
        this.target = target;
        this.conn = conn;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /** Queues {@code c} and makes sure a task delivers it. Loop thread. */
    void add(Callback c) {
        boolean start;
        boolean pause = false;
        synchronized (this) {
            if (tail == null) {
                head = c;
            } else {
                tail.next = c;
            }
            tail = c;
            count++;
            bytes += c.size;
            if (!paused && (count > maxMessages || bytes > maxBytes)) {
                paused = true;
                pause = true;
            }
            start = !scheduled;
            scheduled = true;
        }
        if (pause) {
            conn.handlerBacklog(true);
        }
        if (start) {
            submit();
        }
    }

    /** Delivers up to {@link #BATCH} callbacks, then submits itself again if more wait. Executor thread. */
    @Override
    public void run() {
        if (deliverBatch()) {
            submit();
        }
    }

    /** @return whether callbacks still wait after a full batch */
    private boolean deliverBatch() {
        for (int i = 0; i < BATCH; i++) {
            Callback c;
            synchronized (this) {
                c = head;
                if (c == null) {
                    scheduled = false;
                    return false;
                }
                head = c.next;
                if (head == null) {
                    tail = null;
                }
                c.next = null;
            }
            try {
                target.deliver(c);
            } finally {
                delivered(c);
            }
        }
        return true;
    }

    private void delivered(Callback c) {
        boolean resume = false;
        synchronized (this) {
            count--;
            bytes -= c.size;
            if (paused && count <= maxMessages / 2 && bytes <= maxBytes / 2) {
                paused = false;
                resume = true;
            }
        }
        if (resume) {
            // The loop applies whatever holds when it runs: a backlog that grew again meanwhile stays paused.
            target.onLoop(() -> conn.handlerBacklog(isPaused()));
        }
    }

    /** Callbacks waiting or being delivered. */
    synchronized int size() {
        return count;
    }

    synchronized boolean isPaused() {
        return paused;
    }

    private void submit() {
        while (true) {
            if (!inline) {
                try {
                    executor.execute(this);
                    return;
                } catch (RejectedExecutionException e) {
                    // Shut down under a running endpoint: fail the connection, and still report its end.
                    inline = true;
                    target.rejected(e);
                }
            }
            if (!deliverBatch()) {
                return;
            }
        }
    }
}
