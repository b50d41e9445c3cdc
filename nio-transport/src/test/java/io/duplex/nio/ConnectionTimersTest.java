package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.nio.internal.loop.EventLoop;
import java.net.InetSocketAddress;
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
 * A connection's timers on their own, on a running loop's timer wheel, owned by a recorder of what they ask.
 * Deadlines are generous and only bound a hang.
 */
class ConnectionTimersTest {

    private final EventLoop loop = new EventLoop("connection-timers-test", 10, 1024, 256);
    private final RecordingOwner owner = new RecordingOwner();

    ConnectionTimersTest() {
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
        loop.execute(() -> result.complete(task.get()));
        return result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anOpenConnectionWithoutIdleTimeoutOrKeepaliveHoldsNoTimers() throws Exception {
        ConnectionSettings off = settings(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1));
        ConnectionTimers handshake = new ConnectionTimers(owner, loop, off);
        assertNull(onLoop(() -> {
            handshake.armDeadline(60_000);
            return ConnectionTimers.opened(handshake, owner, loop, off);
        }));
        assertNull(onLoop(() -> ConnectionTimers.opened(null, owner, loop, off)));
    }

    @Test
    void theDeadlineExpiresOnceArmedAndNotOnceTheSessionOpened() throws Exception {
        ConnectionSettings off = settings(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1));
        ConnectionTimers armed = new ConnectionTimers(owner, loop, off);
        onLoop(() -> {
            armed.armDeadline(20);
            return null;
        });
        assertTrue(owner.deadline.await(10, TimeUnit.SECONDS), "the armed deadline expires");

        RecordingOwner opened = new RecordingOwner();
        ConnectionTimers dropped = new ConnectionTimers(opened, loop, off);
        onLoop(() -> {
            dropped.armDeadline(20);
            return ConnectionTimers.opened(dropped, opened, loop, off);
        });
        // A later deadline on the same loop fires after the dropped one would have: it never fired.
        RecordingOwner probe = new RecordingOwner();
        ConnectionTimers probeTimers = new ConnectionTimers(probe, loop, off);
        onLoop(() -> {
            probeTimers.armDeadline(100);
            return null;
        });
        assertTrue(probe.deadline.await(10, TimeUnit.SECONDS));
        assertEquals(1, opened.deadline.getCount(), "a dropped deadline does not fire");
    }

    @Test
    void aPeerThatAnswersNothingFailsTheKeepaliveWith1001() throws Exception {
        ConnectionSettings keepalive = settings(Duration.ZERO, Duration.ofMillis(30), Duration.ofMillis(30));
        assertNotNull(onLoop(() -> ConnectionTimers.opened(null, owner, loop, keepalive)));
        assertTrue(owner.failed.await(10, TimeUnit.SECONDS), "the keepalive fails the session");
        assertEquals(1, owner.pings.get(), "one Ping, then the Pong timeout");
        assertEquals(CloseStatus.GOING_AWAY, owner.code.get());
        assertInstanceOf(TimeoutException.class, owner.cause.get());
    }

    @Test
    void anyReadAfterAPingKeepsTheConnection() throws Exception {
        ConnectionSettings keepalive = settings(Duration.ZERO, Duration.ofMillis(30), Duration.ofMillis(30));
        ConnectionTimers timers = onLoop(() -> ConnectionTimers.opened(null, owner, loop, keepalive));
        owner.onPing = timers::bytesRead; // the peer answers every Ping
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end && owner.pings.get() < 3 && owner.failed.getCount() == 1) {
            Thread.sleep(10);
        }
        assertEquals(1, owner.failed.getCount(), "a peer that answers is never failed");
        assertTrue(owner.pings.get() >= 3, "pinged again and again: " + owner.pings.get());
    }

    /** What the timers ask of their connection, recorded; the timers call it on the loop thread. */
    private static final class RecordingOwner implements ConnectionTimers.Owner {
        final CountDownLatch deadline = new CountDownLatch(1);
        final CountDownLatch failed = new CountDownLatch(1);
        final AtomicInteger pings = new AtomicInteger();
        final AtomicReference<Integer> code = new AtomicReference<>();
        final AtomicReference<Throwable> cause = new AtomicReference<>();
        volatile Runnable onPing = () -> { };

        @Override
        public void deadlineExpired() {
            deadline.countDown();
        }

        @Override
        public boolean isClosed() {
            return failed.getCount() == 0;
        }

        @Override
        public boolean closeHandshakeStarted() {
            return false;
        }

        @Override
        public void sendKeepalivePing() {
            pings.incrementAndGet();
            onPing.run();
        }

        @Override
        public void failSession(int code, String reason, Throwable cause) {
            this.code.set(code);
            this.cause.set(cause);
            failed.countDown();
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return null;
        }
    }
}
