package io.duplex.nio;

import io.duplex.nio.internal.loop.EventLoop;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A set of event loops, each one selector thread. A server and clients in the same process may share one
 * group ({@link WebSocketServer.Builder#loops(EventLoopGroup)}, {@link WebSocketClient.Builder#loops}); a
 * connection stays on the loop it was given for life, and its handler's callbacks run on that loop's thread.
 *
 * <p>Callbacks must not block: a blocked callback stalls every connection of its loop.
 */
public final class EventLoopGroup implements AutoCloseable {

    static final long DEFAULT_TICK_MILLIS = 100;
    private static final int READ_BUFFER_SIZE = 64 << 10;
    private static final int CHUNK_SIZE = 16 << 10;
    private static final AtomicInteger GROUP_IDS = new AtomicInteger();

    private final EventLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    private EventLoopGroup(int count, long tickMillis, ThreadFactory threadFactory) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one loop is needed: " + count);
        }
        int id = GROUP_IDS.incrementAndGet();
        loops = new EventLoop[count];
        for (int i = 0; i < count; i++) {
            loops[i] = new EventLoop("duplex-" + id + "-loop-" + i, threadFactory, tickMillis, READ_BUFFER_SIZE,
                    CHUNK_SIZE);
        }
        for (EventLoop loop : loops) {
            loop.start();
        }
    }

    /** A group of as many loops as available processors. */
    public static EventLoopGroup create() {
        return create(Runtime.getRuntime().availableProcessors());
    }

    /** A group of {@code loops} loops, on daemon threads named {@code duplex-<group>-loop-<index>}. */
    public static EventLoopGroup create(int loops) {
        return new EventLoopGroup(loops, DEFAULT_TICK_MILLIS, null);
    }

    /**
     * A group of {@code loops} loops whose threads {@code threadFactory} makes (and names, and marks daemon
     * or not): one thread per loop, made when the group is created.
     *
     * @throws IllegalStateException if the factory returns null
     */
    public static EventLoopGroup create(int loops, ThreadFactory threadFactory) {
        return new EventLoopGroup(loops, DEFAULT_TICK_MILLIS, Objects.requireNonNull(threadFactory, "threadFactory"));
    }

    /** For tests: a group whose timers tick every {@code tickMillis}. */
    static EventLoopGroup create(int loops, long tickMillis) {
        return new EventLoopGroup(loops, tickMillis, null);
    }

    /** The number of loops. */
    public int size() {
        return loops.length;
    }

    /**
     * Closes every channel of every loop at once (without close handshakes: stop servers first for a
     * graceful end) and stops the loop threads, waiting up to {@code timeout} for them.
     */
    public void close(Duration timeout) {
        for (EventLoop loop : loops) {
            loop.shutdown();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (EventLoop loop : loops) {
                loop.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #close(Duration)} waiting up to 5 seconds. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /**
     * How long a callback (a readiness event with the handler calls it causes, a task, a timer) may hold its
     * loop before it is reported with a WARN log naming the connection, a JFR {@code io.duplex.SlowHandler}
     * event and {@link #slowHandlerCount()}. Zero turns the check off, sparing one clock read per dispatch.
     * Default 100 ms. Any thread; applies from each loop's next pass.
     */
    public EventLoopGroup slowHandlerThreshold(Duration threshold) {
        Objects.requireNonNull(threshold, "threshold");
        for (EventLoop loop : loops) {
            loop.watch().threshold(threshold);
        }
        return this;
    }

    /** Callbacks that held a loop past {@link #slowHandlerThreshold}, over all loops, since the group started. */
    public long slowHandlerCount() {
        long n = 0;
        for (EventLoop loop : loops) {
            n += loop.watch().slowCount();
        }
        return n;
    }

    /**
     * Tasks queued on loop {@code index} (sends from other threads, broadcasts, room fan-out) and not yet run.
     * Any thread.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
     */
    public long queueDepth(int index) {
        return loops[index].queueDepth();
    }

    /**
     * The lag of loop {@code index}: how long a task queued on it waited before it ran, in nanoseconds, as last
     * measured. Each call queues a probe for the next reading unless one is still waiting (so the first call
     * returns 0), which makes a periodic metrics scrape the sampler and an unwatched loop pay nothing. A busy
     * loop shows a lag near one pass; a blocked one shows how long it is blocked once it recovers. Any thread.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
     */
    public long lagNanos(int index) {
        return loops[index].watch().lagNanos();
    }

    /** The name of loop {@code index}'s thread, for tags and logs. */
    public String loopName(int index) {
        return loops[index].name();
    }

    /** The index of the loop for a new connection, round-robin. */
    int nextIndex() {
        return Math.floorMod(next.getAndIncrement(), loops.length);
    }

    EventLoop loop(int index) {
        return loops[index];
    }

    /**
     * Pooled outbound buffers (the direct chunks that hold bytes a socket refused) acquired and not yet
     * released, over all loops. Zero when no connection has unsent bytes queued, so a leak check or a
     * monitor can read it once traffic has stopped. Reading it costs an atomic read per loop; any thread.
     */
    public long outstandingBuffers() {
        long sum = 0;
        for (EventLoop loop : loops) {
            sum += loop.pool().outstanding();
        }
        return sum;
    }

    /**
     * Direct bytes the loops keep on their free lists of outbound buffers for reuse, once released: bounded per
     * loop, not a leak, and part of the JDK's direct-memory figure. Any thread; exact once traffic has stopped.
     */
    public long retainedBufferBytes() {
        long sum = 0;
        for (EventLoop loop : loops) {
            sum += loop.pool().retained() * loop.pool().chunkSize();
        }
        return sum;
    }
}
