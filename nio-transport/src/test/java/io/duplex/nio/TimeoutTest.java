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
        WebSocketServer server = server(b -> b.handler(serverSide).idleTimeout(Duration.ofMillis(300)));
        Recorder clientSide = new Recorder();
        WebSocket client = connect(server, clientSide);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(900);
        int n = 0;
        while (System.nanoTime() < end) {
            client.sendText("tick " + n++).get(5, TimeUnit.SECONDS);
            assertTrue(serverSide.nextMessage() instanceof String);
        }
        assertTrue(client.isOpen(), "traffic every few ms keeps the connection (three idle timeouts passed)");
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
        WebSocketServer server = server(b -> b.handler(serverSide).pingInterval(Duration.ofMillis(50))
                .pongTimeout(Duration.ofMillis(100)));
        Recorder clientSide = new Recorder();
        WebSocket client = connect(server, clientSide);
        for (int i = 0; i < 4; i++) {
            // Our client answers each Ping with a Pong (§5.5.2); four rounds outlast the pong timeout.
            assertTrue(serverSide.pongs.poll(5, TimeUnit.SECONDS) != null, "pong " + i);
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
