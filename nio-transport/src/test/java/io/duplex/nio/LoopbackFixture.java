package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;

/**
 * Real loopback sockets: a shared loop group with a 10 ms timer tick, servers on ephemeral ports, and a
 * teardown that proves no channel or pooled buffer leaked.
 */
abstract class LoopbackFixture {

    final EventLoopGroup group = EventLoopGroup.create(2, 10);
    private final List<WebSocketServer> servers = new ArrayList<>();

    WebSocketServer server(WebSocketHandler handler) throws Exception {
        return server(b -> b.handler(handler));
    }

    WebSocketServer server(Consumer<WebSocketServer.Builder> options) throws Exception {
        WebSocketServer.Builder b = WebSocketServer.builder().host("127.0.0.1").port(0).loops(group);
        options.accept(b);
        WebSocketServer s = b.build().start();
        servers.add(s);
        return s;
    }

    WebSocketClient client() {
        return client(b -> { });
    }

    WebSocketClient client(Consumer<WebSocketClient.Builder> options) {
        WebSocketClient.Builder b = WebSocketClient.builder().loops(group);
        options.accept(b);
        return b.build();
    }

    static URI uri(WebSocketServer server) {
        return uri(server, "/");
    }

    static URI uri(WebSocketServer server, String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
    }

    WebSocket connect(WebSocketServer server, WebSocketHandler handler) throws Exception {
        return client().connect(uri(server), handler).get(10, TimeUnit.SECONDS);
    }

    /** Waits for a condition that other threads make true; fails after 10 s. */
    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    @AfterEach
    void noLeaks() throws Exception {
        try {
            for (WebSocketServer s : servers) {
                s.stop(Duration.ofSeconds(2));
                eventually(() -> s.connectionCount() == 0, "server connections to close");
            }
            eventually(() -> group.outstandingBuffers() == 0, "pooled buffers to return");
            assertEquals(0, group.outstandingBuffers());
        } finally {
            group.close();
        }
    }
}
