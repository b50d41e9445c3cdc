package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Waiting for a server or client to terminate, and the loop threads a thread factory makes. */
class TerminationTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void serverAwaitTerminationReturnsOnceAnotherThreadStopsIt() throws Exception {
        WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").loops(1)
                .handler(new WebSocketHandler() { }).build().start();
        assertFalse(server.isTerminated());
        assertFalse(server.awaitTermination(Duration.ofMillis(100)), "terminated while serving");
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            try {
                server.awaitTermination();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread stopper = new Thread(() -> server.stop(Duration.ofSeconds(2)));
        stopper.start();
        waiter.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertTrue(server.isTerminated());
        assertTrue(server.awaitTermination(Duration.ZERO));
        stopper.join(BOUND.toMillis());
    }

    @Test
    void serverThatFailsToStartIsTerminated() throws Exception {
        WebSocketServer first = WebSocketServer.builder().host("127.0.0.1").loops(1)
                .handler(new WebSocketHandler() { }).build().start();
        try {
            WebSocketServer second = WebSocketServer.builder().host("127.0.0.1").port(first.port()).loops(1)
                    .handler(new WebSocketHandler() { }).build();
            assertThrows(java.io.IOException.class, second::start);
            assertTrue(second.awaitTermination(BOUND));
        } finally {
            first.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void clientAwaitTerminationReturnsAfterClose() throws Exception {
        WebSocketClient client = WebSocketClient.builder().loops(1).build();
        assertFalse(client.awaitTermination(Duration.ofMillis(100)));
        client.close();
        assertTrue(client.awaitTermination(BOUND));
        assertTrue(client.isTerminated());
    }

    @Test
    void threadFactoryMakesEveryLoopThreadAndCallbacksRunOnThem() throws Exception {
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "app-loop-" + made.size());
            t.setDaemon(false);
            made.add(t);
            return t;
        };
        CompletableFuture<String> callbackThread = new CompletableFuture<>();
        WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").loops(2).threadFactory(factory)
                .handler(new WebSocketHandler() {
                    @Override
                    public void onOpen(WebSocket socket) {
                        callbackThread.complete(Thread.currentThread().getName());
                    }
                }).build().start();
        try (WebSocketClient client = WebSocketClient.builder().loops(1).build()) {
            assertEquals(2, made.size());
            assertTrue(made.stream().noneMatch(Thread::isDaemon));
            client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), new WebSocketHandler() { })
                    .get(BOUND.toSeconds(), TimeUnit.SECONDS);
            assertTrue(callbackThread.get(BOUND.toSeconds(), TimeUnit.SECONDS).startsWith("app-loop-"));
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
        for (Thread t : made) {
            t.join(BOUND.toMillis());
            assertFalse(t.isAlive(), t.getName() + " outlived stop()");
        }
    }

    @Test
    void defaultLoopThreadsAreDaemons() throws Exception {
        try (WebSocketClient client = WebSocketClient.builder().loops(1).build()) {
            CompletableFuture<Boolean> daemon = new CompletableFuture<>();
            client.loops().loop(0).execute(() -> daemon.complete(Thread.currentThread().isDaemon()));
            assertTrue(daemon.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @Test
    void threadFactoryReturningNullIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EventLoopGroup.create(1, r -> null));
        assertTrue(e.getMessage().contains("thread factory"), e.getMessage());
    }
}
