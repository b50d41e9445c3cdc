package io.duplex.nio.internal.loop;

import io.duplex.nio.internal.jfr.Events;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an {@link EventLoop} measures about itself: how long each dispatch (a ready key, a task, a timer) held
 * the loop, with a warning, a JFR {@code io.duplex.SlowHandler} event and a count for those past the threshold; how many
 * tasks ran; and, on demand, the loop's lag.
 *
 * <p>The timing costs one {@link System#nanoTime()} per dispatch: each dispatch's end is the next one's start,
 * and a pass's first start is the clock read the loop makes anyway. A threshold of zero turns it off.
 * Counters are written by the loop thread alone with opaque stores (no fence) and read from any thread.
 */
public final class LoopWatch {

    /** Kinds of dispatch, as named in logs and events. */
    static final String IO = "io";
    static final String TASK = "task";
    static final String TIMER = "timer";

    /** The default slow-handler threshold: what users of Vert.x's blocked-thread checker are used to. */
    public static final long DEFAULT_THRESHOLD_NANOS = 100_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(LoopWatch.class);
    private static final VarHandle SLOW;
    private static final VarHandle RUN;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SLOW = l.findVarHandle(LoopWatch.class, "slowCount", long.class);
            RUN = l.findVarHandle(LoopWatch.class, "tasksRun", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoop loop;
    private volatile long thresholdNanos = DEFAULT_THRESHOLD_NANOS;
    /** Loop thread: the threshold read at the start of the pass, so a dispatch reads no volatile. */
    private long passThreshold;
    /** Loop thread: when the current dispatch began. */
    private long mark;
    @SuppressWarnings("unused") // through SLOW
    private long slowCount;
    @SuppressWarnings("unused") // through RUN
    private long tasksRun;
    private volatile long lagNanos;
    private final AtomicBoolean probing = new AtomicBoolean();

    LoopWatch(EventLoop loop) {
        this.loop = loop;
    }

    /** Sets how long a dispatch may hold the loop before it is reported; zero turns the check off. Any thread. */
    public void threshold(Duration threshold) {
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("slow handler threshold must not be negative: " + threshold);
        }
        thresholdNanos = threshold.toNanos();
    }

    /** The slow-handler threshold in nanoseconds; 0 when off. */
    public long thresholdNanos() {
        return thresholdNanos;
    }

    /** Dispatches that held the loop past the threshold, since the loop started. Any thread. */
    public long slowCount() {
        return (long) SLOW.getOpaque(this);
    }

    /** Whether a lag probe is queued and has not run yet. Any thread. */
    boolean probing() {
        return probing.get();
    }

    /** Tasks run since the loop started. Any thread. */
    long tasksRun() {
        return (long) RUN.getOpaque(this);
    }

    /**
     * How long the last probe task waited in the loop's queue before it ran, in nanoseconds: the delay a task
     * queued now would see, as of the last call. Each call queues a new probe unless one is still waiting, so a
     * reader polling this (a metrics scrape) drives the measurement and an unread loop pays nothing. Returns 0
     * before the first probe came back. Any thread.
     */
    public long lagNanos() {
        long last = lagNanos; // read first: the probe queued below may run and overwrite it before we return
        if (probing.compareAndSet(false, true)) {
            long sent = System.nanoTime();
            try {
                loop.execute(() -> {
                    lagNanos = System.nanoTime() - sent;
                    probing.set(false);
                });
            } catch (RejectedExecutionException e) {
                probing.set(false);
            }
        }
        return last;
    }

    /** A pass of dispatches begins: reads the clock (which the loop also needs) and returns it. Loop thread. */
    long startPass() {
        passThreshold = thresholdNanos;
        long now = System.nanoTime();
        mark = now;
        return now;
    }

    /** A task ran: counts it and checks how long it took. Loop thread. */
    void taskRun(Runnable task) {
        RUN.setOpaque(this, (long) RUN.getOpaque(this) + 1);
        dispatched(TASK, task);
    }

    /** A dispatch of {@code kind} running {@code what} returned: reports it if it held the loop too long. Loop thread. */
    void dispatched(String kind, Object what) {
        long threshold = passThreshold;
        if (threshold <= 0) {
            return;
        }
        long end = System.nanoTime();
        long took = end - mark;
        mark = end;
        if (took >= threshold) {
            slow(kind, what, took, threshold);
        }
    }

    private void slow(String kind, Object what, long took, long threshold) {
        SLOW.setOpaque(this, (long) SLOW.getOpaque(this) + 1);
        Events.slowHandler(loop.name(), kind, what, took, threshold);
        LOG.warn("event loop {} was blocked for {} ms running {} {}; every connection of this loop waited meanwhile."
                + " Handlers must not block: move blocking work to another thread", loop.name(), took / 1_000_000,
                kind == IO ? "I/O for" : kind, what);
    }
}
