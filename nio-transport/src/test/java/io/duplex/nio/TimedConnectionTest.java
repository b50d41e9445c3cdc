package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.nio.internal.loop.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection's time on its own: a {@link TimedConnection} over an unconnected channel registered with a
 * running loop, recording what its timers ask. The sweep's rules are checked by calling it with chosen times;
 * the loop's own sweep and the deadline run on real time, with generous deadlines that only bound a hang.
 */
class TimedConnectionTest {

    private static final Duration LONG = Duration.ofMinutes(10);

    private final EventLoop loop = new EventLoop("timed-connection-test", 10, 1024, 256);

    TimedConnectionTest() {
        loop.start();
    }

    @AfterEach
    void stopLoop() throws InterruptedException {
        loop.shutdown();
        assertTrue(loop.awaitTermination(10, TimeUnit.SECONDS));
    }

    private static ConnectionSettings settings(Duration idle, Duration ping, Duration pong) {
        return WebSocketServer.builder().idleTimeout(idle).pingInterval(ping).pongTimeout(pong).settings();
    }

    private <T> T onLoop(java.util.function.Supplier<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    /** A registered connection whose session opened {@code at} (the loop's time, returned through it). */
    private Recording opened(ConnectionSettings s, long[] at) throws Exception {
        return opened(new Recording(loop, s), at);
    }

    private Recording opened(Recording c, long[] at) throws Exception {
        onLoop(() -> {
            c.registerWithLoop(0);
            c.startLiveness();
            at[0] = loop.nowMillis();
            return null;
        });
        return c;
    }

    @Test
    void anOpenConnectionWithoutIdleTimeoutOrKeepaliveKeepsNoTimerAndIsNotSwept() throws Exception {
        ConnectionSettings off = settings(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1));
        Recording c = new Recording(loop, off);
        assertFalse(onLoop(() -> {
            c.registerWithLoop(0);
            c.armDeadline(60_000);
            c.startLiveness();
            return c.deadlineArmed();
        }), "the handshake deadline is dropped once the session opened");
        assertEquals(0L, (long) onLoop(() -> c.sweep(loop.nowMillis() + 3_600_000L)), "nothing to sweep");
        assertEquals(0, c.pings.get());
        assertEquals(1, c.failed.getCount());
    }

    @Test
    void theDeadlineExpiresOnceArmedAndNotOnceTheSessionOpened() throws Exception {
        ConnectionSettings off = settings(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1));
        Recording armed = new Recording(loop, off);
        onLoop(() -> {
            armed.armDeadline(20);
            return null;
        });
        assertTrue(armed.deadline.await(10, TimeUnit.SECONDS), "the armed deadline expires");

        Recording dropped = new Recording(loop, off);
        onLoop(() -> {
            dropped.armDeadline(20);
            dropped.startLiveness();
            return null;
        });
        // A later deadline on the same loop fires after the dropped one would have: it never fired.
        Recording probe = new Recording(loop, off);
        onLoop(() -> {
            probe.armDeadline(100);
            return null;
        });
        assertTrue(probe.deadline.await(10, TimeUnit.SECONDS));
        assertEquals(1, dropped.deadline.getCount(), "a dropped deadline does not fire");
    }

    @Test
    void aSilentPeerIsPingedAtTheIntervalAndFailedWith1001AtThePongTimeout() throws Exception {
        long[] t0 = new long[1];
        Recording c = opened(settings(Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(20)), t0);
        long t = t0[0];
        onLoop(() -> c.sweep(t + 29_999));
        assertEquals(0, c.pings.get(), "no Ping before the interval");
        assertTrue(onLoop(() -> c.sweep(t + 30_000)) > 0);
        assertEquals(1, c.pings.get(), "a Ping once the peer was silent for the interval");
        onLoop(() -> c.sweep(t + 49_999));
        assertEquals(1, c.failed.getCount(), "not failed before the Pong timeout");
        assertEquals(1, c.pings.get(), "one Ping per silence");
        assertEquals(0L, (long) onLoop(() -> c.sweep(t + 50_000)), "no more sweeps once failed");
        assertEquals(0, c.failed.getCount(), "failed at the Pong timeout");
        assertEquals(CloseStatus.GOING_AWAY, c.code.get());
        assertEquals("keepalive timeout", c.reason.get());
        assertInstanceOf(TimeoutException.class, c.cause.get());
    }

    @Test
    void anyReadAfterAPingKeepsTheConnectionAndRestartsTheInterval() throws Exception {
        long[] t0 = new long[1];
        Recording c = opened(settings(Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(20)), t0);
        long t = t0[0];
        onLoop(() -> c.sweep(t + 30_000));
        assertEquals(1, c.pings.get());
        long readAt = onLoop(() -> {
            c.bytesRead(); // stamped with the loop's time, which is before t + 30 s
            return loop.nowMillis();
        });
        onLoop(() -> c.sweep(readAt + 29_999));
        assertEquals(1, c.pings.get(), "the read restarted the interval");
        onLoop(() -> c.sweep(t + 50_000)); // the Pong timeout, and over 30 s after the read
        assertEquals(1, c.failed.getCount(), "a peer that answered is not failed");
        assertEquals(2, c.pings.get(), "pinged again after another interval of silence");
    }

    @Test
    void theIdleTimeoutCountsWritesAsTrafficAndFailsWith1001() throws Exception {
        long[] t0 = new long[1];
        Recording c = opened(settings(Duration.ofSeconds(60), Duration.ZERO, Duration.ofSeconds(20)), t0);
        long t = t0[0];
        onLoop(() -> c.sweep(t + 59_999));
        assertEquals(1, c.failed.getCount());
        onLoop(() -> c.sweep(t + 60_000));
        assertEquals(0, c.failed.getCount(), "failed after the idle timeout without traffic");
        assertEquals("idle timeout", c.reason.get());

        long[] t1 = new long[1];
        Recording writing = opened(settings(Duration.ofSeconds(60), Duration.ZERO, Duration.ofSeconds(20)), t1);
        Thread.sleep(20); // the loop's clock moves on before the write
        long wroteAt = onLoop(() -> {
            writing.wrote();
            return loop.nowMillis();
        });
        assertTrue(wroteAt > t1[0], "the loop's clock moved");
        onLoop(() -> writing.sweep(t1[0] + 60_000));
        assertEquals(1, writing.failed.getCount(), "a write counts as traffic");
        onLoop(() -> writing.sweep(wroteAt + 60_000));
        assertEquals(0, writing.failed.getCount(), "failed once idle for the timeout since the write");
        assertEquals(0, writing.pings.get());
    }

    /** A registered connection whose session releases memory after {@code releaseMillis} without a message. */
    private Recording releasing(long releaseMillis, long[] at) throws Exception {
        Recording c = new Recording(loop, settings(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1)));
        c.releaseAfter = releaseMillis;
        c.holding = true;
        return opened(c, at);
    }

    @Test
    void theIdleReleaseComesAfterTheDelayWithoutAMessageAndReadsAndWritesDoNotDelayIt() throws Exception {
        long[] t0 = new long[1];
        Recording c = releasing(5_000, t0);
        long t = t0[0];
        assertEquals(625L, (long) onLoop(() -> c.sweep(t + 4_999)), "swept at an eighth of the delay");
        assertEquals(0, c.releases.get(), "not before the delay");
        onLoop(() -> {
            c.bytesRead(); // a Pong, say: bytes but no message
            c.wrote();
            return null;
        });
        assertTrue(onLoop(() -> c.sweep(t + 5_000)) > 0, "still swept: the session may hold memory again");
        assertEquals(1, c.releases.get(), "released after the delay without a message, whatever bytes moved");
        assertEquals(1, c.settings.metrics.idleReleases(), "counted in the endpoint's metrics");

        Thread.sleep(20); // the loop's clock moves on before the message
        long messageAt = onLoop(() -> {
            c.messageMoved();
            c.holding = true;
            return loop.nowMillis();
        });
        onLoop(() -> c.sweep(messageAt + 4_999));
        assertEquals(1, c.releases.get(), "a message restarts the delay");
        onLoop(() -> c.sweep(messageAt + 5_000));
        assertEquals(2, c.releases.get());
        assertFalse(c.holding);
        onLoop(() -> c.sweep(messageAt + 9_000));
        assertEquals(3, c.releases.get(), "asked again while idle");
        assertEquals(2, c.settings.metrics.idleReleases(), "but only what gave something back counts");
    }

    @Test
    void aConnectionWithNeitherTimeoutButAnIdleReleaseIsSweptByTheLoopOnItsOwn() throws Exception {
        Recording c = releasing(30, new long[1]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (c.releases.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(c.releases.get() > 0, "the loop's sweep released the idle connection's memory");
        assertFalse(c.holding);
        assertEquals(1, c.failed.getCount(), "and did not fail it");
    }

    @Test
    void noCheckOnceTheCloseHandshakeBegan() throws Exception {
        long[] t0 = new long[1];
        Recording c = opened(settings(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(20)), t0);
        c.closing = true;
        assertEquals(0L, (long) onLoop(() -> c.sweep(t0[0] + 3_600_000L)), "the close timeout bounds it now");
        assertEquals(0, c.pings.get());
        assertEquals(1, c.failed.getCount());
    }

    @Test
    void theLoopSweepsOnItsOwn() throws Exception {
        Recording c = opened(settings(Duration.ZERO, Duration.ofMillis(30), Duration.ofMillis(30)), new long[1]);
        assertTrue(c.failed.await(10, TimeUnit.SECONDS), "the loop's sweep pings, then fails the silent peer");
        assertEquals(1, c.pings.get(), "one Ping, then the Pong timeout");
        assertEquals(CloseStatus.GOING_AWAY, c.code.get());
    }

    /** What the timers ask of their connection, recorded; called on the loop thread. */
    private static final class Recording extends TimedConnection {
        final CountDownLatch deadline = new CountDownLatch(1);
        final CountDownLatch failed = new CountDownLatch(1);
        final AtomicInteger pings = new AtomicInteger();
        final AtomicReference<Integer> code = new AtomicReference<>();
        final AtomicReference<String> reason = new AtomicReference<>();
        final AtomicReference<Throwable> cause = new AtomicReference<>();
        volatile boolean closing;
        /** What {@link #idleReleaseMillis()} says; what the session would hold is {@link #holding}. */
        volatile long releaseAfter;
        volatile boolean holding;
        final AtomicInteger releases = new AtomicInteger();

        Recording(EventLoop loop, ConnectionSettings settings) throws IOException {
            super(loop, unconnected(), settings);
        }

        private static SocketChannel unconnected() throws IOException {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            return ch;
        }

        @Override
        void deadlineExpired() {
            deadline.countDown();
        }

        @Override
        boolean closeHandshakeStarted() {
            return closing;
        }

        @Override
        void sendKeepalivePing() {
            pings.incrementAndGet();
        }

        @Override
        void failSession(int code, String reason, Throwable cause) {
            this.code.set(code);
            this.reason.set(reason);
            this.cause.set(cause);
            failed.countDown();
        }

        @Override
        long idleReleaseMillis() {
            return releaseAfter;
        }

        @Override
        boolean releaseIdleMemory() {
            releases.incrementAndGet();
            boolean held = holding;
            holding = false;
            return held;
        }

        @Override
        void eventHandled() {
        }

        @Override
        void internalError(Throwable t) {
            throw new AssertionError(t);
        }

        @Override
        void closed(Throwable cause) {
            cancelTimers();
        }

        @Override
        public void received(ByteBuffer data) {
        }

        @Override
        public void bytesOut(long n) {
        }

        @Override
        public void writableAgain() {
        }

        @Override
        public void overflowed(OutboundOverflowException e) {
        }
    }
}
