package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The loop's timer wheel at work: handshake timeout, idle timeout, keepalive ping/pong (§5.5.2–5.5.3), close timeout (§7.1.1). */
class TimeoutTest extends LoopbackFixture {

    @Test
    void handshakeTimeoutDropsAClientThatSendsHalfARequest() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(b -> b.handler(serverSide).handshakeTimeout(Duration.ofMillis(200)));
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("GET / HTTP/1.1\r\nHost: localhost\r\nUpgr");
            long start = System.nanoTime();
            assertEquals(0, raw.readToEnd().length, "dropped without a response");
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), "not before the timeout");
        }
        eventually(() -> server.connectionCount() == 0, "connection released");
        assertFalse(serverSide.opened.isDone());
    }

    @Test
    void pendingHandshakeLimitDropsTheOldestToAdmitANewcomer() throws Exception {
        WebSocketServer server = server(b -> b.handler(new Recorder()).maxPendingHandshakes(2));
        try (RawClient slow1 = new RawClient(server.port())) {
            slow1.send("GET / HTTP/1.1\r\n");
            eventually(() -> server.connectionCount() == 1, "the first handshake pending");
            try (RawClient slow2 = new RawClient(server.port())) {
                slow2.send("GET / HTTP/1.1\r\n");
                eventually(() -> server.connectionCount() == 2, "two handshakes pending");
                try (RawClient third = new RawClient(server.port())) {
                    assertEquals(0, slow1.readToEnd().length, "the oldest is dropped, unanswered");
                    assertTrue(third.upgrade().startsWith("HTTP/1.1 101"), "the newcomer is served");
                    slow2.send(RawClient.UPGRADE.substring("GET / HTTP/1.1\r\n".length()));
                    assertTrue(slow2.readResponseHead().startsWith("HTTP/1.1 101"), "the younger one still is");
                }
            }
        }
    }

    @Test
    void clientHandshakeTimeoutFailsTheConnectFuture() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 10,
                java.net.InetAddress.getLoopbackAddress())) {
            ConnectOptions options = ConnectOptions.builder().handshakeTimeout(Duration.ofMillis(200)).build();
            java.util.concurrent.CompletableFuture<WebSocket> f = client().connect(
                    java.net.URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/"), new Recorder(), options);
            try (java.net.Socket accepted = silent.accept()) {
                java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                        java.util.concurrent.ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof TimeoutException, "" + e.getCause());
                accepted.setSoTimeout(10_000);
                String sent = new String(accepted.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertTrue(sent.startsWith("GET / HTTP/1.1\r\n"), "the request, then the client hung up: " + sent);
            }
        }
    }

    @Test
    void idleTimeoutClosesASilentConnectionWith1001() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(b -> b.handler(serverSide).idleTimeout(Duration.ofMillis(200)));
        try (RawClient raw = new RawClient(server.port())) {
            raw.upgrade();
            RawClient.Frame close = raw.readFrame();
            assertEquals(0x8, close.opcode(), "a Close frame");
            assertEquals(CloseStatus.GOING_AWAY, close.closeCode());
        }
        serverSide.awaitClose();
        assertTrue(serverSide.errors.stream().anyMatch(TimeoutException.class::isInstance), "" + serverSide.errors);
    }

    @Test
    void idleTimeoutSparesAConnectionWithTraffic() throws Exception {
        Recorder serverSide = new Recorder();
        // A timeout a loaded machine's pauses stay far below, and traffic for twice as long: the connection
        // outlives the timeout only because each message restarted it.
        WebSocketServer server = server(b -> b.handler(serverSide).idleTimeout(Duration.ofMillis(1500)));
        Recorder clientSide = new Recorder();
        WebSocket client = connect(server, clientSide);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3000);
        int n = 0;
        while (System.nanoTime() < end) {
            client.sendText("tick " + n++).get(5, TimeUnit.SECONDS);
            assertTrue(serverSide.nextMessage() instanceof String);
        }
        assertTrue(client.isOpen(), "traffic every few ms keeps the connection (two idle timeouts passed)");
        assertFalse(serverSide.closed.isDone());
        client.close();
        serverSide.awaitClose();
    }

    @Test
    void keepaliveDropsAPeerThatStoppedAnsweringPings() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(b -> b.handler(serverSide).pingInterval(Duration.ofMillis(100))
                .pongTimeout(Duration.ofMillis(200)));
        try (RawClient raw = new RawClient(server.port())) {
            raw.upgrade();
            RawClient.Frame ping = raw.readFrame();
            assertEquals(0x9, ping.opcode(), "a Ping after the interval");
            RawClient.Frame close = raw.readFrame();
            assertEquals(0x8, close.opcode(), "then a Close once the pong timeout passed");
            assertEquals(CloseStatus.GOING_AWAY, close.closeCode());
        }
        serverSide.awaitClose();
        assertTrue(serverSide.errors.stream().anyMatch(TimeoutException.class::isInstance), "" + serverSide.errors);
    }

    @Test
    void keepaliveKeepsAPeerThatAnswers() throws Exception {
        Recorder serverSide = new Recorder();
        // A pong timeout a loaded machine meets (the answer has 2 s to come back) and several rounds of it:
        // the connection survives each deadline only because the peer's Pong arrived before it.
        WebSocketServer server = server(b -> b.handler(serverSide).pingInterval(Duration.ofMillis(50))
                .pongTimeout(Duration.ofSeconds(2)));
        Recorder clientSide = new Recorder();
        WebSocket client = connect(server, clientSide);
        for (int i = 0; i < 3; i++) {
            // Our client answers each Ping with a Pong (§5.5.2).
            assertTrue(serverSide.pongs.poll(10, TimeUnit.SECONDS) != null, "pong " + i);
        }
        assertTrue(client.isOpen());
        assertFalse(serverSide.closed.isDone());
        client.close();
        serverSide.awaitClose();
    }

    @Test
    void closeTimeoutDropsAPeerThatNeverAnswersOurClose() throws Exception {
        Recorder serverSide = new Recorder() {
            @Override
            public void onOpen(WebSocket socket) {
                super.onOpen(socket);
                socket.close(CloseStatus.NORMAL_CLOSURE, "done");
            }
        };
        WebSocketServer server = server(b -> b.handler(serverSide).closeTimeout(Duration.ofMillis(200)));
        try (RawClient raw = new RawClient(server.port())) {
            raw.upgrade();
            assertEquals(0x8, raw.readFrame().opcode());
            // Never answer: the server must give up after its close timeout.
            raw.readToEnd();
        }
        Recorder.Closed closed = serverSide.awaitClose();
        assertFalse(closed.clean());
        assertEquals(1, serverSide.closeCount.get());
    }
}
