package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import io.duplex.nio.internal.jfr.ConnectionClosedEvent;
import io.duplex.nio.internal.jfr.ConnectionOpenedEvent;
import io.duplex.nio.internal.jfr.HandshakeRejectedEvent;
import io.duplex.nio.internal.jfr.KeepaliveTimeoutEvent;
import io.duplex.nio.internal.jfr.OutboundOverflowEvent;
import io.duplex.nio.internal.jfr.SlowHandlerEvent;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each of the transport's JFR events appears in a real recording with the fields the situation gives it:
 * real loopback traffic, a recording dumped to a file and read back with {@link RecordingFile}.
 */
class JfrEventsTest extends LoopbackFixture {

    private Recording recording;

    /**
     * Registers the event types before any recording: an event class first loaded while a recording runs is
     * registered by the first thread that commits it, and a commit racing with that on another loop can be lost.
     */
    @BeforeAll
    static void registerEventTypes() {
        for (Class<? extends Event> type : List.of(ConnectionOpenedEvent.class, ConnectionClosedEvent.class,
                HandshakeRejectedEvent.class, OutboundOverflowEvent.class, KeepaliveTimeoutEvent.class,
                SlowHandlerEvent.class)) {
            FlightRecorder.register(type);
        }
    }

    @BeforeEach
    void record() {
        recording = new Recording();
        for (String name : List.of("ConnectionOpened", "ConnectionClosed", "HandshakeRejected", "OutboundOverflow",
                "KeepaliveTimeout", "SlowHandler")) {
            recording.enable("io.duplex." + name);
        }
        recording.start();
    }

    @AfterEach
    void stopRecording() {
        recording.close();
    }

    /** Stops the recording and returns its events named {@code io.duplex.<name>}. */
    private List<RecordedEvent> events(String name) throws Exception {
        recording.stop();
        Path file = Files.createTempFile("duplex-jfr", ".jfr");
        try {
            recording.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("io.duplex." + name))
                    .collect(Collectors.toList());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static RecordedEvent only(List<RecordedEvent> events, String role) {
        List<RecordedEvent> of = events.stream().filter(e -> role.equals(e.getString("role")))
                .collect(Collectors.toList());
        assertEquals(1, of.size(), "one " + role + " event: " + events);
        return of.get(0);
    }

    @Test
    void openedAndClosedCarryTheAddressCodeCleanDurationAndBytes() throws Exception {
        CompletableFuture<Void> serverClosed = new CompletableFuture<>();
        WebSocketServer server = server(b -> b.handler(new WebSocketHandler() {
            @Override
            public void onText(WebSocket ws, String text) {
                ws.sendText(text + text); // 2 bytes in, 4 bytes out of payload
            }

            @Override
            public void onClose(WebSocket ws, CloseStatus status, boolean clean) {
                serverClosed.complete(null);
            }
        }));
        CompletableFuture<String> echo = new CompletableFuture<>();
        CompletableFuture<Void> clientClosedToo = new CompletableFuture<>();
        WebSocket ws = connect(server, new WebSocketHandler() {
            @Override
            public void onText(WebSocket socket, String text) {
                echo.complete(text);
            }

            @Override
            public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
                clientClosedToo.complete(null);
            }
        });
        ws.sendText("ab");
        assertEquals("abab", echo.get(10, TimeUnit.SECONDS));
        InetSocketAddress clientSide = (InetSocketAddress) ws.remoteAddress();
        ws.close(CloseStatus.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        serverClosed.get(10, TimeUnit.SECONDS);
        clientClosedToo.get(10, TimeUnit.SECONDS);

        List<RecordedEvent> all = events("ConnectionClosed");
        RecordedEvent closed = only(all, "server");
        assertEquals(1000, closed.getInt("code"));
        assertEquals("bye", closed.getString("reason"));
        assertTrue(closed.getBoolean("clean"));
        assertTrue(closed.getString("remoteAddress").startsWith("127.0.0.1:"), closed.getString("remoteAddress"));
        assertTrue(closed.getLong("openNanos") > 0);
        // Server in: the text frame (2 + 4 mask + 2) and the Close (2 + 4 + 2 + 3 "bye"); out: the echo and the Close.
        assertEquals(8 + 11, closed.getLong("bytesIn"));
        assertEquals(2 + 4 + 2 + 2 + 3, closed.getLong("bytesOut"));
        RecordedEvent clientClosed = only(all, "client");
        assertEquals("127.0.0.1:" + server.port(), clientClosed.getString("remoteAddress"));
        assertEquals(closed.getLong("bytesIn"), clientClosed.getLong("bytesOut"), "what one side sent, the other got");
        assertEquals(closed.getLong("bytesOut"), clientClosed.getLong("bytesIn"));
        assertEquals(clientSide.getPort(), server.port());
    }

    @Test
    void openedIsRecordedOnBothSides() throws Exception {
        // The server records its event just before its handler's onOpen, which may run after the client has
        // read the 101, opened and closed: wait for it, or the recording may stop first.
        CompletableFuture<Void> serverOpened = new CompletableFuture<>();
        WebSocketServer server = server(new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket ws) {
                serverOpened.complete(null);
            }
        });
        WebSocket ws = connect(server, new WebSocketHandler() { });
        ws.close(CloseStatus.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        serverOpened.get(10, TimeUnit.SECONDS);
        List<RecordedEvent> opened = events("ConnectionOpened");
        assertEquals("127.0.0.1:" + server.port(), only(opened, "client").getString("remoteAddress"));
        assertTrue(only(opened, "server").getString("remoteAddress").startsWith("127.0.0.1:"));
    }

    @Test
    void aRejectedHandshakeCarriesItsStatusAndReason() throws Exception {
        WebSocketServer server = server(new WebSocketHandler() { });
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n"); // no Sec-WebSocket-Key
            assertTrue(raw.readResponseHead().startsWith("HTTP/1.1 400"));
        }
        eventually(() -> server.metrics().handshakesRejected() == 1, "the rejection to be counted");
        List<RecordedEvent> rejected = events("HandshakeRejected");
        assertEquals(1, rejected.size(), rejected.toString());
        assertEquals(400, rejected.get(0).getInt("status"));
        assertTrue(rejected.get(0).getString("reason").contains("Sec-WebSocket-Key"),
                rejected.get(0).getString("reason"));
    }

    @Test
    void anOverflowCarriesTheBufferedBytesTheLimitAndTheCode() throws Exception {
        int limit = 64 << 10;
        WebSocketServer server = server(b -> b.maxBufferedBytes(limit).handler(new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket ws) {
                ByteBuffer chunk = ByteBuffer.allocate(16 << 10);
                for (int i = 0; i < 1000 && ws.isOpen(); i++) {
                    ws.sendBinary(chunk.duplicate());
                }
            }
        }));
        try (RawClient raw = new RawClient(server.port(), 4096)) {
            raw.upgrade(); // and never read what follows
            eventually(() -> server.metrics().overflowCloses() == 1, "the overflow to be counted");
            raw.reset();
        }
        List<RecordedEvent> overflow = events("OutboundOverflow");
        assertEquals(1, overflow.size(), overflow.toString());
        RecordedEvent e = overflow.get(0);
        assertEquals(limit, e.getLong("limit"));
        assertTrue(e.getLong("buffered") > 0 && e.getLong("buffered") <= limit, "buffered " + e.getLong("buffered"));
        assertEquals(CloseStatus.TRY_AGAIN_LATER, e.getInt("code"));
        assertTrue(e.getString("remoteAddress").startsWith("127.0.0.1:"));
    }

    @Test
    void anUnansweredPingIsAKeepaliveTimeout() throws Exception {
        WebSocketServer server = server(b -> b.pingInterval(Duration.ofMillis(100)).pongTimeout(Duration.ofMillis(150))
                .handler(new WebSocketHandler() { }));
        try (RawClient raw = new RawClient(server.port())) {
            raw.upgrade(); // then silence: the Ping is never answered
            eventually(() -> server.metrics().keepaliveCloses() == 1, "the keepalive close to be counted");
        }
        List<RecordedEvent> timeouts = events("KeepaliveTimeout");
        assertEquals(1, timeouts.size(), timeouts.toString());
        assertEquals("pong", timeouts.get(0).getString("kind"));
        assertEquals(150, timeouts.get(0).getLong("timeoutMillis"));
        assertEquals(0, server.metrics().idleCloses());
    }

    @Test
    void aHandlerThatBlocksItsLoopIsASlowHandler() throws Exception {
        group.slowHandlerThreshold(Duration.ofMillis(50));
        long before = group.slowHandlerCount();
        CompletableFuture<String> echo = new CompletableFuture<>();
        WebSocketServer server = server(new WebSocketHandler() {
            @Override
            public void onText(WebSocket ws, String text) {
                try {
                    Thread.sleep(120); // what a handler calling a slow database does
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ws.sendText(text);
            }
        });
        WebSocket ws = connect(server, new WebSocketHandler() {
            @Override
            public void onText(WebSocket socket, String text) {
                echo.complete(text);
            }
        });
        ws.sendText("slow");
        assertEquals("slow", echo.get(10, TimeUnit.SECONDS));
        // Reported once the callback returned, which may be after the echo it sent arrived.
        eventually(() -> group.slowHandlerCount() > before, "the stall to be counted");
        List<RecordedEvent> slow = events("SlowHandler");
        List<RecordedEvent> io = slow.stream().filter(e -> e.getString("handler").startsWith("ServerConnection["))
                .collect(Collectors.toList());
        assertEquals(1, io.size(), slow.toString());
        RecordedEvent e = io.get(0);
        assertEquals("io", e.getString("kind"));
        assertTrue(e.getLong("blockedNanos") >= TimeUnit.MILLISECONDS.toNanos(120), "blocked " + e.getLong("blockedNanos"));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(50), e.getLong("thresholdNanos"));
        assertFalse(e.getString("loop").isEmpty());
    }
}
