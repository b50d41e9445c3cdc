package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.HandshakeException;
import io.duplex.core.HttpHeaders;
import io.duplex.core.UpgradeDecision;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** A reconnecting client against real loopback servers that go away, come back, refuse, and hang up. */
class ReconnectingWebSocketTest extends LoopbackFixture {

    /** Jitter pinned to the ceiling, so the delays a test sees are the backoff's ceilings. */
    private static final RandomGenerator CEILING = new RandomGenerator() {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    /** Records retries and reconnects. */
    static final class Retries implements ReconnectListener {
        final List<Integer> attempts = new CopyOnWriteArrayList<>();
        final List<Long> delays = new CopyOnWriteArrayList<>();
        final List<Integer> reconnected = new CopyOnWriteArrayList<>();

        @Override
        public void onRetryScheduled(int attempt, Duration delay, Throwable cause) {
            attempts.add(attempt);
            delays.add(delay.toMillis());
        }

        @Override
        public void onReconnected(WebSocket socket, int attempts) {
            reconnected.add(attempts);
        }
    }

    /** A user handler that subscribes on every open and counts opens and closes. */
    static final class Subscriber extends Recorder {
        final AtomicInteger opens = new AtomicInteger();
        final List<CloseStatus> closes = new CopyOnWriteArrayList<>();
        final List<WebSocket> sockets = new CopyOnWriteArrayList<>();

        @Override
        public void onOpen(WebSocket socket) {
            sockets.add(socket);
            opens.incrementAndGet();
            socket.sendText("subscribe");
        }

        @Override
        public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
            closes.add(status);
        }
    }

    /** A TCP listener that counts connections and hangs up on each: every connect fails after TCP. */
    static final class HangUp implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger accepted = new AtomicInteger();

        HangUp() throws IOException {
            Thread t = new Thread(() -> {
                while (true) {
                    try (Socket s = socket.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "hang-up");
            t.setDaemon(true);
            t.start();
        }

        URI uri() {
            return URI.create("ws://127.0.0.1:" + socket.getLocalPort() + "/");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static WebSocketHandler counting(List<String> received) {
        return new WebSocketHandler() {
            @Override
            public void onText(WebSocket socket, String text) {
                received.add(text);
                socket.sendText(text);
            }
        };
    }

    @Test
    void reconnectsWhenTheServerComesBackAndSubscribesAgain() throws Exception {
        List<String> first = new CopyOnWriteArrayList<>();
        WebSocketServer a = server(counting(first));
        int port = a.port();
        Subscriber user = new Subscriber();
        Retries retries = new Retries();
        ReconnectingWebSocket ws = ReconnectingWebSocket.builder(client(), uri(a), user)
                .backoff(Backoff.exponential(Duration.ofMillis(20), 2, Duration.ofMillis(160)))
                .listener(retries).connect();
        eventually(() -> first.contains("subscribe"), "first subscription");
        assertEquals("subscribe", user.nextMessage(), "echoed on the first connection");
        assertTrue(ws.isOpen());

        a.stop(Duration.ofSeconds(2)); // closes with 1001: the server is going away
        eventually(() -> retries.attempts.size() >= 3, "failed retries while the server is down");
        assertEquals(CloseStatus.GOING_AWAY, user.closes.get(0).code());
        assertTrue(!ws.isOpen());
        assertEquals(1, user.closes.size());
        ExecutionException down = assertThrows(ExecutionException.class,
                () -> ws.sendText("lost").get(1, TimeUnit.SECONDS));
        assertInstanceOf(NotConnectedException.class, down.getCause());

        List<String> second = new CopyOnWriteArrayList<>();
        server(b -> b.handler(counting(second)).port(port));
        eventually(() -> second.contains("subscribe"), "subscription after the reconnect");
        eventually(() -> retries.reconnected.size() == 1, "onReconnected");
        assertEquals(2, user.opens.get());
        assertTrue(retries.reconnected.get(0) >= 1, "took at least one retry: " + retries.reconnected);
        user.sockets.forEach(s -> assertSame(ws, s, "the handler always sees the reconnecting socket"));
        for (int i = 1; i < retries.delays.size(); i++) {
            assertTrue(retries.delays.get(i) <= 160, "capped: " + retries.delays);
        }

        ws.sendText("again").get(5, TimeUnit.SECONDS);
        eventually(() -> second.contains("again"), "a send on the new connection");
        ws.close().get(5, TimeUnit.SECONDS);
        assertTrue(ws.terminated().isDone());
        int scheduled = retries.attempts.size();
        Thread.sleep(300);
        assertEquals(scheduled, retries.attempts.size(), "no retry after close()");
        assertEquals(2, user.opens.get());
        assertEquals(CloseStatus.NORMAL_CLOSURE, user.closes.get(user.closes.size() - 1).code());
    }

    @Test
    void theOutboxKeepsWhatIsSentWhileDisconnectedAndSendsItInOrderAfterTheResubscribe() throws Exception {
        List<String> first = new CopyOnWriteArrayList<>();
        WebSocketServer a = server(counting(first));
        int port = a.port();
        Subscriber user = new Subscriber();
        Retries retries = new Retries();
        ReconnectingWebSocket ws = ReconnectingWebSocket.builder(client(), uri(a), user)
                .backoff(Backoff.exponential(Duration.ofMillis(20), 2, Duration.ofMillis(160)))
                .outbox(3, 1024, OutboxPolicy.REJECT_NEW).listener(retries).connect();
        eventually(() -> first.contains("subscribe"), "first subscription");
        a.stop(Duration.ofSeconds(2));
        eventually(() -> retries.attempts.size() >= 1, "a retry while the server is down");

        CompletableFuture<Void> one = ws.sendText("one");
        assertTrue(ws.offerBinary(ByteBuffer.wrap(new byte[] {2})), "an offer waits in the outbox too");
        CompletableFuture<Void> three = ws.sendText("three");
        ExecutionException full = assertThrows(ExecutionException.class,
                () -> ws.sendText("four").get(1, TimeUnit.SECONDS));
        assertInstanceOf(OutboundOverflowException.class, full.getCause(), "REJECT_NEW refuses the fourth");
        assertFalse(ws.offerText("five"), "a refused offer says so");
        ExecutionException parts = assertThrows(ExecutionException.class,
                () -> ws.sendText("part", false).get(1, TimeUnit.SECONDS));
        assertInstanceOf(NotConnectedException.class, parts.getCause(), "messages in parts never wait");
        assertFalse(one.isDone(), "waits for a connection");

        List<Object> second = new CopyOnWriteArrayList<>();
        server(b -> b.handler(new WebSocketHandler() {
            @Override
            public void onText(WebSocket socket, String text) {
                second.add(text);
            }

            @Override
            public void onBinary(WebSocket socket, ByteBuffer data) {
                second.add(Recorder.bytes(data)[0]);
            }
        }).port(port));
        one.get(10, TimeUnit.SECONDS);
        three.get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> after = ws.sendText("after");
        after.get(5, TimeUnit.SECONDS);
        eventually(() -> second.size() == 5, "everything arrived: " + second);
        assertEquals(List.of("subscribe", "one", (byte) 2, "three", "after"), second,
                "the re-subscribe first, then the outbox in order, then new sends");
        ws.close().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aFullOutboxDropsTheOldestUnderDropOldestAndFailsWhatWaitsWhenStopped() throws Exception {
        try (HangUp down = new HangUp()) {
            Retries retries = new Retries();
            ReconnectingWebSocket ws = ReconnectingWebSocket.builder(client(), down.uri(), new Recorder())
                    .backoff(Backoff.exponential(Duration.ofMillis(50), 2, Duration.ofMillis(200)))
                    .outbox(2, 10, OutboxPolicy.DROP_OLDEST).listener(retries).connect();
            CompletableFuture<Void> a = ws.sendText("aaaa");
            CompletableFuture<Void> b = ws.sendText("bbbb");
            CompletableFuture<Void> c = ws.sendText("cccc"); // over 2 messages: "aaaa" is dropped
            ExecutionException dropped = assertThrows(ExecutionException.class, () -> a.get(1, TimeUnit.SECONDS));
            assertInstanceOf(OutboundOverflowException.class, dropped.getCause());
            ExecutionException tooBig = assertThrows(ExecutionException.class,
                    () -> ws.sendText("more than ten bytes").get(1, TimeUnit.SECONDS));
            assertInstanceOf(OutboundOverflowException.class, tooBig.getCause(), "larger than the whole outbox");
            assertFalse(b.isDone());
            ws.close().get(5, TimeUnit.SECONDS);
            for (CompletableFuture<Void> waiting : List.of(b, c)) {
                ExecutionException stopped = assertThrows(ExecutionException.class,
                        () -> waiting.get(5, TimeUnit.SECONDS));
                assertInstanceOf(NotConnectedException.class, stopped.getCause(), "fails when reconnecting stops");
            }
            ExecutionException afterStop = assertThrows(ExecutionException.class,
                    () -> ws.sendText("late").get(1, TimeUnit.SECONDS));
            assertInstanceOf(NotConnectedException.class, afterStop.getCause());
        }
    }

    @Test
    void outboxBoundsMustBePositive() throws Exception {
        ReconnectingWebSocket.Builder b = ReconnectingWebSocket.builder(client(),
                URI.create("ws://127.0.0.1:1/"), new Recorder());
        assertThrows(IllegalArgumentException.class, () -> b.outbox(0, 10, OutboxPolicy.REJECT_NEW));
        assertThrows(IllegalArgumentException.class, () -> b.outbox(10, 0, OutboxPolicy.REJECT_NEW));
    }

    @Test
    void backoffDelaysGrowToTheCapAndMaxAttemptsEndsIt() throws Exception {
        try (HangUp refusing = new HangUp()) {
            Retries retries = new Retries();
            Subscriber user = new Subscriber();
            ReconnectingWebSocket ws = ReconnectingWebSocket.builder(client(), refusing.uri(), user)
                    .backoff(Backoff.exponential(Duration.ofMillis(10), 2, Duration.ofMillis(40)).withMaxAttempts(5))
                    .listener(retries).random(CEILING).connect();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> ws.terminated().get(10, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, e.getCause(), "the last connect failure");
            assertEquals(List.of(1, 2, 3, 4, 5), retries.attempts);
            assertEquals(List.of(10L, 20L, 40L, 40L, 40L), retries.delays, "10·2^(n-1), capped at 40");
            assertEquals(6, refusing.accepted.get(), "the first connect and five retries");
            assertEquals(0, user.opens.get());
            assertEquals(0, user.closes.size(), "no onClose for connections that never opened");
        }
    }

    @Test
    void closeDuringBackoffCancelsTheRetry() throws Exception {
        try (HangUp refusing = new HangUp()) {
            Retries retries = new Retries();
            ReconnectingWebSocket ws = ReconnectingWebSocket.builder(client(), refusing.uri(), new Subscriber())
                    .backoff(Backoff.exponential(Duration.ofMillis(1500), 2, Duration.ofSeconds(3)))
                    .listener(retries).random(CEILING).connect();
            eventually(() -> retries.attempts.size() == 1, "the first retry scheduled, 1.5 s away");
            long start = System.nanoTime();
            ws.close().get(5, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1000), "stopped without waiting");
            ws.terminated().get(1, TimeUnit.SECONDS); // normally
            Thread.sleep(Math.max(0, 1800 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
            assertEquals(1, refusing.accepted.get(), "the cancelled retry never dialled");
            assertEquals(List.of(1), retries.attempts);
        }
    }

    @Test
    void closeCodesDecideWhetherToReconnect() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        // The server restarts the first connection (1012), then ends the second for good (1000).
        WebSocketServer server = server(new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket socket) {
                int n = connections.incrementAndGet();
                socket.close(n == 1 ? CloseStatus.SERVICE_RESTART : CloseStatus.NORMAL_CLOSURE, "");
            }
        });
        Subscriber user = new Subscriber();
        Retries retries = new Retries();
        ReconnectingWebSocket ws = ReconnectingWebSocket.builder(client(), uri(server), user)
                .backoff(Backoff.exponential(Duration.ofMillis(10), 2, Duration.ofMillis(50)))
                .listener(retries).connect();
        ws.terminated().get(10, TimeUnit.SECONDS);
        assertEquals(2, connections.get());
        assertEquals(List.of(CloseStatus.SERVICE_RESTART, CloseStatus.NORMAL_CLOSURE),
                user.closes.stream().map(CloseStatus::code).toList());
        assertEquals(List.of(1), retries.attempts, "one retry, after 1012 only");
        assertEquals(List.of(1), retries.reconnected);
    }

    @Test
    void aRefusedHandshakeIsNotRetriedByDefault() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        WebSocketServer server = server(b -> b.decider(request -> {
            asked.incrementAndGet();
            return UpgradeDecision.reject(403, HttpHeaders.empty(), "go away");
        }));
        Retries retries = new Retries();
        ReconnectingWebSocket ws = ReconnectingWebSocket.builder(client(), uri(server), new Subscriber())
                .backoff(Backoff.exponential(Duration.ofMillis(10), 2, Duration.ofMillis(50)))
                .listener(retries).connect();
        ExecutionException e = assertThrows(ExecutionException.class, () -> ws.terminated().get(10, TimeUnit.SECONDS));
        assertEquals(403, assertInstanceOf(HandshakeException.class, e.getCause()).status());
        assertEquals(1, asked.get());
        assertEquals(List.of(), retries.attempts);
        assertTrue(ReconnectingWebSocket.retriesByDefault(new HandshakeException(503, "busy")));
        assertTrue(ReconnectingWebSocket.retriesByDefault(new HandshakeException(429, "slow down")));
        assertTrue(!ReconnectingWebSocket.retriesByDefault(new ProxyConnectException(407, "who")));
        assertTrue(ReconnectingWebSocket.retriesByDefault(new IOException("reset")));
    }

    @Test
    void closeFromACallbackStopsEverythingWithoutDeadlock() throws Exception {
        WebSocketServer server = server(RoundTripTest.ECHO);
        AtomicInteger opens = new AtomicInteger();
        ReconnectingWebSocket ws = ReconnectingWebSocket.builder(client(), uri(server), new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket socket) {
                opens.incrementAndGet();
                socket.sendText("bye");
            }

            @Override
            public void onText(WebSocket socket, String text) {
                socket.close(CloseStatus.NORMAL_CLOSURE, "done"); // the reconnecting socket, from its loop
            }
        }).connect();
        ws.terminated().get(10, TimeUnit.SECONDS);
        assertEquals(1, opens.get());
        assertTrue(!ws.isOpen());
    }
}
