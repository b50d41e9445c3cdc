package io.duplex.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.duplex.core.Transport;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.engine.Session;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * 10,000 core sessions, each on a virtual thread of its own reading from an in-memory blocking pipe (the way an
 * embedder with a thread per connection runs the core), each having echoed a 64 KiB message that arrived in
 * two reads and then gone idle: the heap they hold after a GC stays within {@link #BOUND_PER_SESSION} each,
 * the thread, its stack and its pipe included, and no direct memory is held. A per-thread buffer anywhere in
 * the core (a 64 KiB scratch, an assembly pool) would cost that much per session and fail this.
 *
 * <p>Virtual threads need JDK 21; the test reaches them reflectively so the core still builds on JDK 17, where
 * it skips. With {@code CI=true} on JDK 21 or later it must run.
 */
class VirtualThreadSessionsTest {

    private static final int SESSIONS = 10_000;
    private static final int MESSAGE = 64 * 1024;
    /** Echoes in flight at once: bounds the transient memory of the frames being fed. */
    private static final int IN_FLIGHT = 64;
    /**
     * Heap per idle session, with its virtual thread, the thread's parked stack and its pipe: the measured
     * figure (docs/benchmarks.md) with room for other JDKs and collectors, yet far below what a single
     * per-thread 64 KiB buffer would add.
     */
    static final long BOUND_PER_SESSION = 8 * 1024;
    /** Tells a connection's thread that its peer closed the pipe. */
    private static final ByteBuffer EOF = ByteBuffer.allocate(0);

    @Test
    void tenThousandIdleSessionsOnVirtualThreadsHoldOnlyWhatTheyNeed() throws Exception {
        ExecutorService threads = virtualThreads();
        byte[] payload = new byte[MESSAGE];
        for (int i = 0; i < MESSAGE; i++) {
            payload[i] = (byte) (i * 7 + (i >>> 8));
        }
        byte[] frame = maskedBinaryFrame(payload, 0x5A3C_96E1);
        byte[] echo = ByteBuffer.allocate(10 + MESSAGE).put((byte) 0x82).put((byte) 127).putLong(MESSAGE)
                .put(payload).array();

        long heapBefore = usedHeapAfterGc();
        long directBefore = DirectMemory.used();
        CountDownLatch echoed = new CountDownLatch(SESSIONS);
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicInteger stillOpen = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Pipe> pipes = new ArrayList<>(SESSIONS);
        CountDownLatch finished = new CountDownLatch(SESSIONS);
        for (int i = 0; i < SESSIONS; i++) {
            Pipe pipe = new Pipe(echo, () -> {
                echoed.countDown();
                inFlight.release();
            });
            pipes.add(pipe);
            threads.execute(() -> {
                try {
                    pipe.serve();
                    if (pipe.session.isOpen()) {
                        stillOpen.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    finished.countDown();
                }
            });
        }
        for (Pipe pipe : pipes) {
            assertTrue(inFlight.tryAcquire(60, TimeUnit.SECONDS), "echoes stopped coming back");
            // The server unmasks in place, so every connection gets its own copy, in two reads.
            byte[] copy = frame.clone();
            int cut = copy.length / 2;
            pipe.in.add(ByteBuffer.wrap(copy, 0, cut).slice());
            pipe.in.add(ByteBuffer.wrap(copy, cut, copy.length - cut).slice());
        }
        assertTrue(echoed.await(120, TimeUnit.SECONDS), "not every session echoed");
        assertEquals(null, failure.get());

        long heapAfter = usedHeapAfterGc();
        long directAfter = DirectMemory.used();
        long perSession = (heapAfter - heapBefore) / SESSIONS;
        System.out.printf("%d idle sessions on virtual threads: %d bytes of heap each, %d bytes of direct"
                + " memory in all%n", SESSIONS, perSession, directAfter - directBefore);
        assertTrue(perSession <= BOUND_PER_SESSION,
                "heap per idle session " + perSession + " B, bound " + BOUND_PER_SESSION + " B");
        assertTrue(directAfter - directBefore < 1024 * 1024,
                "direct memory held by idle sessions: " + (directAfter - directBefore) + " B");

        // The sessions measured were alive and open all along: each thread finds its own still open.
        for (Pipe pipe : pipes) {
            pipe.in.add(EOF);
        }
        assertTrue(finished.await(60, TimeUnit.SECONDS), "threads did not end");
        threads.shutdown();
        assertTrue(threads.awaitTermination(60, TimeUnit.SECONDS));
        assertEquals(null, failure.get());
        assertEquals(SESSIONS, stillOpen.get());
    }

    /** One connection: the pipe its thread reads, the session, and the check of what the session writes back. */
    private static final class Pipe implements Transport {
        final BlockingQueue<ByteBuffer> in = new LinkedBlockingQueue<>();
        final Session session;
        /** The echo's frame as it must come out: shared by every pipe, never written. */
        private final byte[] expected;
        private final Runnable onEchoed;
        /** Bytes of the echo checked so far, header included. */
        private int seen;

        Pipe(byte[] expected, Runnable onEchoed) {
            this.expected = expected;
            this.onEchoed = onEchoed;
            this.session = Session.server().handler(new WebSocketHandler() {
                @Override
                public void onBinary(WebSocket socket, ByteBuffer data) {
                    socket.sendBinary(data);
                }
            }).outbound(this).build();
        }

        /** The connection's thread: opens the session and feeds it what the pipe brings until it ends. */
        void serve() throws InterruptedException {
            session.open();
            while (feedNext()) {
                // Each read in a frame of its own: a parked thread's stack then holds no buffer it fed before.
            }
        }

        private boolean feedNext() throws InterruptedException {
            ByteBuffer b = in.take();
            if (b == EOF) {
                return false;
            }
            session.receive(b);
            return true;
        }

        /** Checks the echo byte by byte as it is written: an unmasked binary frame of the same payload. */
        @Override
        public void write(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done) {
            for (ByteBuffer b : new ByteBuffer[] {header, payload}) {
                while (b.hasRemaining()) {
                    byte v = b.get();
                    if (seen >= expected.length || v != expected[seen]) {
                        throw new AssertionError("echo byte " + seen + " is " + v + ", expected "
                                + (seen < expected.length ? expected[seen] : "none"));
                    }
                    if (++seen == expected.length) {
                        onEchoed.run();
                    }
                }
            }
            if (done != null) {
                done.complete(null);
            }
        }

        @Override
        public void closeTransport() {
        }
    }

    /** A client's binary frame of {@code payload}, masked with {@code key} (RFC 6455 §5.2, §5.3). */
    private static byte[] maskedBinaryFrame(byte[] payload, int key) {
        ByteBuffer f = ByteBuffer.allocate(14 + payload.length);
        f.put((byte) 0x82);
        if (payload.length > 0xFFFF) {
            f.put((byte) (0x80 | 127)).putLong(payload.length);
        } else {
            f.put((byte) (0x80 | 126)).putShort((short) payload.length);
        }
        f.putInt(key);
        for (int i = 0; i < payload.length; i++) {
            f.put((byte) (payload[i] ^ key >>> 8 * (3 - (i & 3))));
        }
        return java.util.Arrays.copyOf(f.array(), f.position());
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()}, or a skip on a JDK without virtual threads. */
    private static ExecutorService virtualThreads() throws ReflectiveOperationException {
        int feature = Runtime.version().feature();
        boolean ci = "true".equals(System.getenv("CI"));
        assumeTrue(feature >= 21, "virtual threads need JDK 21 or later; this is JDK " + feature
                + (ci ? " (CI runs this test on its JDK 25 leg)" : ""));
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    /** The heap in use after collecting garbage until it stops shrinking. */
    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(50);
            long now = rt.totalMemory() - rt.freeMemory();
            if (now >= used - 64 * 1024) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }
}
