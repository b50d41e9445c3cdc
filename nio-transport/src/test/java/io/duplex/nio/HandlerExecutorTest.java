package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Handlers on an executor ({@link TransportBuilder#handlerExecutor}): one connection's callbacks in order and
 * never two at once, inbound backpressure when they fall behind, the session's exception policy, and
 * {@code onClose} after everything queued before it.
 */
class HandlerExecutorTest extends LoopbackFixture {

    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "handler-pool");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void eachConnectionsCallbacksRunInOrderAndNeverAtOnceAcrossManyConnectionsOnASmallPool() throws Exception {
        int connections = 100;
        int messages = 50;
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger onLoop = new AtomicInteger();
        List<String> disorder = new CopyOnWriteArrayList<>();
        Map<WebSocket, AtomicBoolean> busy = new ConcurrentHashMap<>();
        Map<WebSocket, int[]> next = new ConcurrentHashMap<>();
        WebSocketServer server = server(b -> b.handlerExecutor(pool).handler(new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket socket) {
                enter(socket);
                next.put(socket, new int[1]);
                leave(socket);
            }

            @Override
            public void onText(WebSocket socket, String text) {
                enter(socket);
                int expected = next.get(socket)[0]++;
                if (Integer.parseInt(text) != expected) {
                    disorder.add("expected " + expected + ", got " + text);
                }
                if (expected % 7 == 0) {
                    Thread.yield(); // widen the window in which a second delivery would overlap
                }
                socket.sendText(text);
                leave(socket);
            }

            private void enter(WebSocket socket) {
                if (Thread.currentThread().getName().startsWith("duplex-")) {
                    onLoop.incrementAndGet();
                }
                if (!busy.computeIfAbsent(socket, s -> new AtomicBoolean()).compareAndSet(false, true)) {
                    overlaps.incrementAndGet();
                }
            }

            private void leave(WebSocket socket) {
                busy.get(socket).set(false);
            }
        }));
        List<Recorder> peers = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        WebSocketClient client = client();
        for (int i = 0; i < connections; i++) {
            Recorder r = new Recorder();
            peers.add(r);
            sockets.add(client.connect(uri(server), r).get(10, TimeUnit.SECONDS));
        }
        for (int m = 0; m < messages; m++) {
            for (WebSocket s : sockets) {
                s.sendText(Integer.toString(m));
            }
        }
        for (Recorder r : peers) {
            for (int m = 0; m < messages; m++) {
                assertEquals(Integer.toString(m), r.nextMessage());
            }
        }
        assertEquals(List.of(), disorder);
        assertEquals(0, overlaps.get(), "callbacks of one connection ran at once");
        assertEquals(0, onLoop.get(), "callbacks ran on an event loop");
        client.close();
    }

    @Test
    void aBlockedHandlerStopsReadingFromItsPeerWhoseSendsBackUpAndAllArriveInOrderOnceItGoesOn() throws Exception {
        int maxMessages = 4;
        int size = 8 << 10;
        int total = 4_000; // 32 MiB: far more than loopback's socket buffers hold (tcp_rmem + tcp_wmem maxima)
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<WebSocket> serverSide = new AtomicReference<>();
        List<Integer> received = Collections.synchronizedList(new ArrayList<>());
        WebSocketServer server = server(b -> b.handlerExecutor(pool).handlerBacklog(maxMessages, 1L << 20)
                .handler(new WebSocketHandler() {
                    @Override
                    public void onOpen(WebSocket socket) {
                        serverSide.set(socket);
                    }

                    @Override
                    public void onBinary(WebSocket socket, ByteBuffer data) {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        received.add(data.getInt(0));
                        assertEquals(size, data.remaining());
                    }
                }));
        WebSocket peer = client(b -> b.maxBufferedBytes(0)).connect(uri(server), new Recorder())
                .get(10, TimeUnit.SECONDS);
        for (int i = 0; i < total; i++) {
            ByteBuffer m = ByteBuffer.allocate(size);
            m.putInt(0, i);
            peer.sendBinary(m);
        }
        // The server stopped reading: the peer's bytes back up in its own buffer, beyond what TCP holds.
        eventually(() -> peer.bufferedAmount() > 4L << 20, "the peer's sends to back up");
        // The session reports to the connection's observer, which passes every event on to the executor's layer.
        ExecutorHandler executor = (ExecutorHandler) ((ConnectionObserver) ((NioWebSocket) serverSide.get())
                .connection().session().handler()).observed();
        // The bound, plus what one 64 KiB read completes: memory follows the bound, not what the peer sent.
        int ceiling = maxMessages + (64 << 10) / size + 1;
        for (int i = 0; i < 20; i++) {
            assertTrue(executor.backlog() <= ceiling, "backlog " + executor.backlog() + " > " + ceiling);
            Thread.sleep(10);
        }
        assertTrue(peer.bufferedAmount() > 4L << 20, "the peer's sends stay backed up while the handler blocks");
        release.countDown();
        eventually(() -> received.size() == total, "every message to be delivered");
        for (int i = 0; i < total; i++) {
            assertEquals(i, received.get(i));
        }
        eventually(() -> peer.bufferedAmount() == 0, "the peer's buffer to drain");
    }

    @Test
    void aRuntimeExceptionOnTheExecutorGetsOnErrorThen1011ThenOnCloseAndNothingQueuedAfterIt() throws Exception {
        Events handler = new Events() {
            @Override
            public void onText(WebSocket socket, String text) {
                events.add("text " + text);
                if (text.equals("2")) {
                    sleep(100); // the third message is queued behind this one by now
                    throw new IllegalStateException("a bug");
                }
            }
        };
        WebSocketServer server = server(b -> b.handlerExecutor(pool).handler(handler));
        try (RawClient peer = new RawClient(server.port())) {
            peer.upgrade();
            for (String m : new String[] {"1", "2", "3"}) {
                peer.send(RawClient.frame(0x1, m.getBytes(StandardCharsets.UTF_8)));
            }
            RawClient.Frame close = peer.readFrame();
            assertEquals(0x8, close.opcode());
            assertEquals(CloseStatus.INTERNAL_ERROR, close.closeCode());
        }
        assertEquals(List.of("text 1", "text 2", "error IllegalStateException", "close 1011 false"), handler.await());
        assertEquals(0, server.internalErrorCount(), "a RuntimeException is the handler's failure, not the transport's");
    }

    @Test
    void anErrorOnTheExecutorIsTheTransportsInternalErrorCountedAndClosedWith1011() throws Exception {
        Events handler = new Events() {
            @Override
            public void onText(WebSocket socket, String text) {
                throw new AssertionError("a broken invariant");
            }
        };
        WebSocketServer server = server(b -> b.handlerExecutor(pool).handler(handler));
        try (RawClient peer = new RawClient(server.port())) {
            peer.upgrade();
            peer.send(RawClient.frame(0x1, "boom".getBytes(StandardCharsets.UTF_8)));
            RawClient.Frame close = peer.readFrame();
            assertEquals(CloseStatus.INTERNAL_ERROR, close.closeCode());
            assertEquals(0, peer.readToEnd().length, "nothing after the Close, then TCP closes");
        }
        assertEquals(List.of("error AssertionError", "close 1011 false"), handler.await());
        assertEquals(1, server.internalErrorCount());
    }

    @Test
    void onCloseComesAfterEveryCallbackQueuedBeforeItOnTheExecutor() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicBoolean offLoop = new AtomicBoolean(true);
        CountDownLatch closed = new CountDownLatch(1);
        WebSocketServer server = server(b -> b.handlerExecutor(pool).handler(new WebSocketHandler() {
            @Override
            public void onText(WebSocket socket, String text) {
                sleep(30);
                events.add(text);
            }

            @Override
            public void onPing(WebSocket socket, ByteBuffer payload) {
                events.add("ping " + StandardCharsets.UTF_8.decode(payload));
            }

            @Override
            public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
                if (Thread.currentThread().getName().startsWith("duplex-")) {
                    offLoop.set(false);
                }
                events.add("close " + status.code() + " " + clean);
                closed.countDown();
            }
        }));
        WebSocket peer = connect(server, new Recorder());
        for (int i = 0; i < 5; i++) {
            peer.sendText("m" + i);
        }
        peer.sendPing(ByteBuffer.wrap("p".getBytes(StandardCharsets.UTF_8)));
        peer.close(CloseStatus.NORMAL_CLOSURE, "done");
        assertTrue(closed.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "ping p", "close 1000 true"), events);
        assertTrue(offLoop.get(), "onClose ran on an event loop");
    }

    @Test
    void aClientsCallbacksRunOnItsExecutorToo() throws Exception {
        WebSocketServer server = server(RoundTripTest.ECHO);
        AtomicReference<String> thread = new AtomicReference<>();
        Recorder r = new Recorder() {
            @Override
            public void onText(WebSocket socket, String text) {
                thread.set(Thread.currentThread().getName());
                super.onText(socket, text);
            }
        };
        WebSocket ws = client(b -> b.handlerExecutor(pool)).connect(uri(server), r).get(10, TimeUnit.SECONDS);
        ws.sendText("hello");
        assertEquals("hello", r.nextMessage());
        assertEquals("handler-pool", thread.get());
        ws.close();
        assertTrue(r.awaitClose().clean());
        assertFalse(r.callbacksAfterClose.get() > 0);
    }

    @Test
    void anExecutorThatRefusesTasksFailsTheConnectionWith1011AndStillReportsOnClose() throws Exception {
        ExecutorService shutDown = Executors.newSingleThreadExecutor();
        shutDown.shutdown();
        Events handler = new Events() {
            @Override
            public void onOpen(WebSocket socket) {
                events.add("open");
            }
        };
        WebSocketServer server = server(b -> b.handlerExecutor(shutDown).handler(handler));
        try (RawClient peer = new RawClient(server.port())) {
            peer.upgrade();
            assertEquals(CloseStatus.INTERNAL_ERROR, peer.readFrame().closeCode());
        }
        assertEquals(List.of("open", "error RejectedExecutionException", "close 1011 false"), handler.await());
        assertEquals(1, server.internalErrorCount());
    }

    @Test
    void aReconnectingWebSocketRefusesAClientWithAHandlerExecutor() {
        WebSocketClient c = client(b -> b.handlerExecutor(pool));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ReconnectingWebSocket.builder(c, java.net.URI.create("ws://127.0.0.1:1/"), new Recorder()));
        assertTrue(e.getMessage().contains("handlerExecutor"), e.getMessage());
        c.close();
    }

    /** Records {@code onError} (the error's class) and {@code onClose} in order, with what a test adds. */
    private static class Events implements WebSocketHandler {
        final List<String> events = new CopyOnWriteArrayList<>();
        private final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void onError(WebSocket socket, Throwable error) {
            events.add("error " + error.getClass().getSimpleName());
        }

        @Override
        public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
            events.add("close " + status.code() + " " + clean);
            closed.countDown();
        }

        /** The events once {@code onClose} was reported. */
        List<String> await() throws InterruptedException {
            assertTrue(closed.await(10, TimeUnit.SECONDS), "no onClose within 10 s: " + events);
            return events;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
