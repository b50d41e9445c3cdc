package io.duplex.nio.internal.loop;

import io.duplex.core.BufferProvider;
import io.duplex.core.MaskKeySource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector thread and everything its connections share: a task queue fed from any thread with one
 * coalesced {@link Selector#wakeup()}, a {@link TimerWheel}, a read buffer (so an idle connection holds
 * none), and a {@link BufferPool} for bytes the sockets refused.
 *
 * <p>Every method except {@link #execute}, {@link #inEventLoop()}, {@link #shutdown()},
 * {@link #isShutdown()} and {@link #awaitTermination} must be called on the loop thread.
 */
public final class EventLoop implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    /** Tasks run per iteration at most, so a flood of sends cannot starve I/O. */
    private static final int MAX_TASKS_PER_ITERATION = 4096;
    private static final int GATHER_LIMIT = 16;

    private final Selector selector;
    /**
     * Dispatches each ready key as the selector finds it: a selector's selected-key set costs a hash-set
     * node per ready key and an iterator per pass, garbage on every readiness event (every accept, every
     * handshake).
     */
    private final Consumer<SelectionKey> dispatcher = this::dispatchReady;
    /** Whether the clock was read since the last select returned: at most once per pass, before any handler runs. */
    private boolean clockRead;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Set while a wakeup is owed or in flight, so concurrent producers wake the selector once. */
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final TimerWheel timers;
    private final ByteBuffer readBuffer;
    private final ByteBuffer[] gather = new ByteBuffer[GATHER_LIMIT];
    private final BufferPool pool;
    /** Lends the loop's sessions and handshakes their buffers: they all run on this thread, so no lock. */
    private final BufferProvider sessionBuffers = BufferProvider.pooled();
    /** The masking keys of the loop's client sessions; made when the first one needs it. */
    private MaskKeySource maskKeys;
    private volatile boolean shuttingDown;
    private long nowMillis;
    /** Watches how long each dispatch holds the loop; see {@link LoopWatch}. */
    private final LoopWatch watch;
    /** Tasks ever queued with {@link #execute}; {@link LoopWatch#tasksRun} counts those run, the difference is the depth. */
    private final LongAdder tasksQueued = new LongAdder();
    /** The sweep over the loop's handlers ({@link #sweepEvery}); made when first asked for. */
    private TimerWheel.Timer sweepTimer;
    /** How long the armed sweep waits; 0 while no handler needs one. */
    private long sweepPeriodMillis;
    /** Frames held back until the end of the pass ({@link #passCork()}); made when first asked for. */
    private PassCork passCork;

    /**
     * @param name the thread's name
     * @param tickMillis the timer wheel's tick
     * @param readBufferSize the shared read buffer's size
     * @param chunkSize the pool's buffer size
     */
    public EventLoop(String name, long tickMillis, int readBufferSize, int chunkSize) {
        this(name, null, tickMillis, readBufferSize, chunkSize);
    }

    /**
     * @param name the thread's name when {@code threadFactory} is null
     * @param threadFactory makes the loop thread (and names it), or null for a daemon thread named {@code name}
     * @param tickMillis the timer wheel's tick
     * @param readBufferSize the shared read buffer's size
     * @param chunkSize the pool's buffer size
     * @throws IllegalStateException if the factory returns no thread
     */
    public EventLoop(String name, ThreadFactory threadFactory, long tickMillis, int readBufferSize, int chunkSize) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.nowMillis = clock();
        this.timers = new TimerWheel(512, tickMillis, nowMillis);
        this.readBuffer = ByteBuffer.allocateDirect(readBufferSize);
        this.pool = new BufferPool(chunkSize, 256);
        this.watch = new LoopWatch(this);
        if (threadFactory == null) {
            this.thread = new Thread(this::run, name);
            this.thread.setDaemon(true);
        } else {
            this.thread = threadFactory.newThread(this::run);
            if (thread == null) {
                closeSelectorQuietly();
                throw new IllegalStateException("the thread factory made no thread");
            }
        }
    }

    /** Starts the loop thread. */
    public void start() {
        thread.start();
    }

    /** Whether the caller runs on this loop's thread. */
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code task} on the loop thread, after the tasks queued before it (FIFO per loop).
     *
     * @throws RejectedExecutionException if the loop is shut down
     */
    @Override
    public void execute(Runnable task) {
        if (shuttingDown && !inEventLoop()) {
            throw new RejectedExecutionException("event loop is shut down");
        }
        tasks.add(task);
        tasksQueued.increment();
        if (!inEventLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Registers {@code channel} for {@code ops}, with {@code handler} called when it is ready. */
    public SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) throws ClosedChannelException {
        return channel.register(selector, ops, handler);
    }

    /**
     * Calls {@code action} with the handler of every channel registered on this loop and not cancelled, from
     * a snapshot taken first (so the action may close channels). The selector's own key set is the registry
     * of connections: no second set needs an entry per connection. Loop thread only.
     */
    public void forEachHandler(Consumer<? super IoHandler> action) {
        for (SelectionKey key : selector.keys().toArray(new SelectionKey[0])) {
            if (key.isValid() && key.attachment() instanceof IoHandler h) {
                action.accept(h);
            }
        }
    }

    /**
     * A new disarmed timer on this loop's wheel. What {@code task} throws is logged and goes no further: it
     * must not stop the loop, nor the other timers due in the same tick.
     */
    public TimerWheel.Timer newTimer(Runnable task) {
        return timers.newTimer(() -> {
            watch.startPass();
            try {
                task.run();
            } catch (Throwable t) {
                LOG.error("timer task failed", t);
            }
            watch.dispatched(LoopWatch.TIMER, task);
        });
    }

    /**
     * Asks for a sweep of the loop's handlers ({@link IoHandler#sweep}) at least every {@code periodMillis}.
     * One timer serves every handler: a rule checked by the sweep costs a connection a few fields, not a timer
     * of its own, and fires up to one period late. The period then follows what the handlers' sweeps return:
     * the shortest, and no sweep once none needs one.
     */
    public void sweepEvery(long periodMillis) {
        long period = Math.max(1, periodMillis);
        if (sweepPeriodMillis != 0 && sweepPeriodMillis <= period) {
            return;
        }
        sweepPeriodMillis = period;
        if (sweepTimer == null) {
            sweepTimer = newTimer(this::sweep);
        }
        schedule(sweepTimer, period);
    }

    private void sweep() {
        // A handler opened during the sweep asks through sweepEvery, which sees none armed.
        sweepPeriodMillis = 0;
        long next = 0;
        // The key set is the registry of channels, iterated in place so a sweep allocates nothing. A handler
        // may register a channel meanwhile (a client connecting from onClose): the JDK's key set is a
        // concurrent set, whose iteration tolerates that.
        for (SelectionKey key : selector.keys()) {
            if (key.isValid() && key.attachment() instanceof IoHandler h) {
                long wanted;
                try {
                    wanted = h.sweep(nowMillis);
                } catch (Throwable t) {
                    LOG.error("sweep failed", t);
                    continue;
                }
                if (wanted > 0 && (next == 0 || wanted < next)) {
                    next = wanted;
                }
            }
        }
        if (sweepPeriodMillis > 0 && (next == 0 || sweepPeriodMillis < next)) {
            next = sweepPeriodMillis;
        }
        sweepPeriodMillis = next;
        if (next > 0) {
            schedule(sweepTimer, next);
        }
    }

    /** Arms {@code timer} to fire after {@code delayMillis}. */
    public void schedule(TimerWheel.Timer timer, long delayMillis) {
        timers.schedule(timer, delayMillis, nowMillis);
    }

    /** The time of the current iteration, in milliseconds from an arbitrary origin (monotonic). */
    public long nowMillis() {
        return nowMillis;
    }

    /** The loop's read buffer, shared by all its connections: drain it before the event returns. */
    public ByteBuffer readBuffer() {
        return readBuffer;
    }

    /** A scratch array for gathering writes, shared by all the loop's connections; clear what you set. */
    public ByteBuffer[] gatherArray() {
        return gather;
    }

    /**
     * Where the loop's connections hold frames back until the end of the current pass, which comes after the
     * pass's ready channels and tasks, before the loop waits again. Loop thread only.
     */
    public PassCork passCork() {
        if (passCork == null) {
            passCork = new PassCork();
        }
        return passCork;
    }

    /** The loop's pool of direct buffers. */
    public BufferPool pool() {
        return pool;
    }

    /**
     * The pool the loop's sessions and server handshakes borrow buffers from (frame chunks, message assembly,
     * header blocks). Loop thread only, like everything it lends.
     */
    public BufferProvider sessionBuffers() {
        return sessionBuffers;
    }

    /** The masking keys of the loop's client sessions, a DRBG of the loop's own. Loop thread only. */
    public MaskKeySource maskKeys() {
        if (maskKeys == null) {
            maskKeys = MaskKeySource.secure();
        }
        return maskKeys;
    }

    /** The thread's name, for logs and events. */
    public String name() {
        return thread.getName();
    }

    /** What the loop measures about itself: stalls, queue depth, lag. Any thread. */
    public LoopWatch watch() {
        return watch;
    }

    /**
     * Tasks queued and not yet run, the lag probe aside (reading the lag from this very loop would otherwise
     * count its own probe). Any thread; exact only while no task is being queued or run.
     */
    public long queueDepth() {
        return Math.max(0, tasksQueued.sum() - watch.tasksRun() - (watch.probing() ? 1 : 0));
    }

    /** Asks the loop to close its channels and stop; returns at once. */
    public void shutdown() {
        shuttingDown = true;
        selector.wakeup();
    }

    /** Whether {@link #shutdown()} was called: timers armed now would never fire. */
    public boolean isShutdown() {
        return shuttingDown;
    }

    /** Waits until the loop thread has stopped. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    private void run() {
        try {
            while (!shuttingDown) {
                iterate();
            }
        } catch (Throwable t) {
            LOG.error("event loop {} died", thread.getName(), t);
        } finally {
            closeAll();
            terminated.countDown();
        }
    }

    private void iterate() throws IOException {
        wakeupPending.set(false);
        // A task queued after this check finds the flag clear and wakes the selector, so none is missed.
        clockRead = false;
        if (!tasks.isEmpty()) {
            selector.selectNow(dispatcher);
        } else {
            selector.select(dispatcher, timers.millisUntilNextTick(nowMillis));
        }
        if (!clockRead) {
            nowMillis = clock();
        }
        runTasks();
        endPass();
        nowMillis = clock();
        timers.advance(nowMillis);
        endPass();
    }

    /** Writes what the loop's connections held back during the pass. */
    private void endPass() {
        if (passCork != null) {
            passCork.writeAll();
        }
    }

    private void dispatchReady(SelectionKey key) {
        // The handlers stamp reads with the loop's time: read it once the select is over.
        if (!clockRead) {
            nowMillis = watch.startPass() / 1_000_000;
            clockRead = true;
        }
        dispatch(key);
        watch.dispatched(LoopWatch.IO, key.attachment());
    }

    private static void dispatch(SelectionKey key) {
        try {
            if (key.isValid()) {
                ((IoHandler) key.attachment()).ready(key);
            }
        } catch (Throwable t) {
            LOG.error("I/O handler failed", t);
        }
    }

    private void runTasks() {
        if (tasks.isEmpty()) {
            return;
        }
        watch.startPass();
        for (int i = 0; i < MAX_TASKS_PER_ITERATION; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (Throwable t) {
                LOG.error("event loop task failed", t);
            }
            watch.taskRun(task);
        }
    }

    private void closeAll() {
        runTasks();
        endPass();
        List<IoHandler> handlers = new ArrayList<>();
        for (SelectionKey key : selector.keys()) {
            handlers.add((IoHandler) key.attachment());
        }
        for (IoHandler h : handlers) {
            try {
                h.loopClosing();
            } catch (Throwable t) {
                LOG.warn("failed to close a channel at loop shutdown", t);
            }
        }
        runTasks();
        endPass();
        tasks.clear();
        closeSelectorQuietly();
    }

    private void closeSelectorQuietly() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("selector close failed", e);
        }
    }

    private static long clock() {
        return System.nanoTime() / 1_000_000;
    }
}
