package io.duplex.nio;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server's connection counts: those admitted against {@code maxConnections}, and every accepted socket not
 * yet released (those answered 503 for want of room included), which a stopping server waits to see reach
 * zero. Thread-safe.
 */
final class ConnectionCounts {

    private final int maxConnections;
    /** Admitted and not released: what {@code maxConnections} bounds. */
    private final AtomicInteger open = new AtomicInteger();
    /** Accepted and not released, over capacity or not. */
    private final AtomicInteger live = new AtomicInteger();
    private final Object released = new Object();

    ConnectionCounts(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /**
     * Counts an accepted socket.
     *
     * @return whether it is admitted; if not, the server is full and answers it 503
     */
    boolean admit() {
        boolean admitted = open.get() < maxConnections;
        if (admitted) {
            open.incrementAndGet();
        }
        live.incrementAndGet();
        return admitted;
    }

    /** A socket counted by {@link #admit()} is gone; {@code overCapacity} if it was not admitted. Once per socket. */
    void released(boolean overCapacity) {
        if (!overCapacity) {
            open.decrementAndGet();
        }
        if (live.decrementAndGet() == 0) {
            synchronized (released) {
                released.notifyAll();
            }
        }
    }

    /** Admitted connections not yet released, handshaking ones included. */
    int open() {
        return open.get();
    }

    /**
     * Waits until every accepted socket was released, or until {@code deadlineNanos} ({@link System#nanoTime()}).
     *
     * @return whether all were released; false if the time ran out or the thread was interrupted (its flag set)
     */
    boolean awaitReleased(long deadlineNanos) {
        synchronized (released) {
            while (live.get() > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(released, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }
}
